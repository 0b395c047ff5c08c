#!/usr/bin/env python3
"""Counts the SQL statements a benchmark run sends, by statement, printed to stderr at exit.

  python bench/count_statements.py [bench_stepway.py ARGS...]
  e.g. --workload w1 --backend postgres --topology inproc -n 200 -c 64 --warmup 0

Listens on every SQLAlchemy engine and pool of this process (`before_cursor_execute`, `begin`,
pool `checkout`), then runs bench_stepway.py with the arguments given: use the inproc topology,
so that the server's statements are sent from this process. Statements of the whole run are
counted (setup included): the migration's and the server's own loops show as their own lines.
"""

from __future__ import annotations

import atexit
import collections
import importlib
import os
import re
import sys
import threading
from typing import Any

import sqlalchemy as sa

COUNTS: collections.Counter[str] = collections.Counter()
LOCK = threading.Lock()


def _note(what: str) -> None:
    with LOCK:
        COUNTS[what] += 1


def _statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    _note(re.sub(r"\s+", " ", statement).strip()[:120])


@atexit.register
def _report() -> None:
    print(f"statements: {sum(COUNTS.values())} (checkouts and begins included)", file=sys.stderr)
    for what, n in COUNTS.most_common(40):
        print(f"{n:8d} {what}", file=sys.stderr)


def main() -> None:
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", _statement)
    sa.event.listen(sa.engine.Engine, "begin", lambda _conn: _note("<begin>"))
    sa.event.listen(sa.pool.Pool, "checkout", lambda *_args: _note("<checkout>"))
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    bench_stepway = importlib.import_module("bench_stepway")
    sys.argv = ["bench_stepway.py", *sys.argv[1:]]
    bench_stepway.main()


if __name__ == "__main__":
    main()
