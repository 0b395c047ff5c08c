#!/usr/bin/env bash
# A/B: runs bench_stepway.py on an earlier commit and on this tree, alternately, and prints one
# JSON line per run on stdout with a "tree" column (REV or HEAD); progress goes to stderr.
#   bench/ab.sh REV [WORKLOAD...]        e.g. bench/ab.sh bfe4db3 w1 w2
#   STEPWAY_BENCH_REPEAT=3               repetitions of each (tree, workload)
#   STEPWAY_BENCH_BACKEND=sqlite         sqlite or postgres
#   STEPWAY_BENCH_ONLY_HEAD="w1c"        workloads that only this tree has (run on HEAD alone)
# The earlier commit is checked out in a temporary git worktree and imported through PYTHONPATH
# from the same .venv, so both trees run on the same interpreter and packages.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
REV=${1:?usage: bench/ab.sh REV [WORKLOAD...]}
shift
WORKLOADS=${*:-w1 w2}
REPEAT=${STEPWAY_BENCH_REPEAT:-3}
BACKEND=${STEPWAY_BENCH_BACKEND:-sqlite}
ONLY_HEAD=${STEPWAY_BENCH_ONLY_HEAD:-}
PY=${PYTHON:-$ROOT/.venv/bin/python}

OLD=$(mktemp -d -t stepway-ab-XXXXXX)
git worktree add -q --detach "$OLD" "$REV" || exit 1
trap 'git worktree remove --force "$OLD"' EXIT

tagged() { sed "s/^{/{\"tree\": \"$1\", /"; }
bench() { timeout "${STEPWAY_BENCH_TIMEOUT:-400}" "$PY" bench/bench_stepway.py --backend "$BACKEND" "$@"; }

for ((r = 1; r <= REPEAT; r++)); do
  for workload in $WORKLOADS; do
    echo "== $r/$REPEAT $workload on $REV" >&2
    (cd "$OLD" && PYTHONPATH="$OLD:$OLD/sdk/python" bench --workload "$workload" | tagged "$REV")
    echo "== $r/$REPEAT $workload on HEAD" >&2
    bench --workload "$workload" | tagged HEAD
  done
  for workload in $ONLY_HEAD; do
    echo "== $r/$REPEAT $workload on HEAD" >&2
    bench --workload "$workload" | tagged HEAD
  done
done
