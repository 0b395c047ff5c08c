#!/usr/bin/env python3
"""Runs a Python program with a stack sampler in it, for where py-spy is not installed.

  python bench/sample_stacks.py OUT.folded [--interval-ms 5] PROGRAM [ARGS...]

A daemon thread takes every thread's stack (sys._current_frames) each interval and counts
them; when the program ends (SIGTERM included: it is turned into SystemExit) the counts are
written to OUT.folded, one line a stack, `thread;outer;...;inner count` (the folded format of
flamegraph.pl and speedscope). Unlike cProfile it sees every thread (the shard's writer and
readers included) and costs little; samples are taken when the sampler gets the GIL, so a
thread in C code without the GIL shows where it called it. Idle threads (waiting on a lock, a
selector, a queue) are counted too: filter them out by their innermost frame. SIGUSR1 drops
the samples so far and (re)starts sampling, SIGUSR2 pauses it: a benchmark samples its timed
phase only.
"""

from __future__ import annotations

import argparse
import runpy
import signal
import sys
import threading
from collections import Counter
from types import FrameType


def folded(frame: FrameType | None) -> str:
    names: list[str] = []
    while frame is not None:
        code = frame.f_code
        where = f"{code.co_filename.rsplit('/', 1)[-1]}:{code.co_firstlineno}"
        names.append(f"{code.co_name} ({where})")
        frame = frame.f_back
    return ";".join(reversed(names))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out")
    p.add_argument("--interval-ms", type=float, default=5.0)
    p.add_argument("program", nargs=argparse.REMAINDER)
    args = p.parse_args()
    program = args.program[1:] if args.program[:1] == ["--"] else args.program
    counts: Counter[str] = Counter()
    done = threading.Event()
    on = threading.Event()
    on.set()

    def sample() -> None:
        me = threading.get_ident()
        while not done.wait(args.interval_ms / 1000):
            if not on.is_set():
                continue
            names = {t.ident: t.name for t in threading.enumerate()}
            for ident, frame in sys._current_frames().items():
                if ident != me:
                    counts[f"{names.get(ident, ident)};{folded(frame)}"] += 1

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    def restart(_signum: int, _frame: object) -> None:
        counts.clear()
        on.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGUSR1, restart)
    signal.signal(signal.SIGUSR2, lambda _signum, _frame: on.clear())
    sampler = threading.Thread(target=sample, name="sampler", daemon=True)
    sys.argv = program
    try:
        sampler.start()
        runpy.run_path(program[0], run_name="__main__")
    finally:
        done.set()
        sampler.join()
        with open(args.out, "w") as f:
            for stack, n in counts.most_common():
                f.write(f"{stack} {n}\n")


if __name__ == "__main__":
    main()
