#!/usr/bin/env bash
# Runs Stepway on W1 (3-step), W1c (W1's steps as remote steps on a StepWorker), W2
# (start-only) and W2b (W2's creations sent with create_batch, 100 a call), on SQLite and
# PostgreSQL, and prints one JSON
# line per run on stdout (progress goes to stderr), in the columns of ../shared/peers.
#   STEPWAY_BENCH_N=1000 STEPWAY_BENCH_C=64 STEPWAY_BENCH_WARMUP=50   size / concurrency / warm-up
#   STEPWAY_BENCH_BACKENDS="sqlite postgres"   which stores
#   STEPWAY_BENCH_TOPOLOGY=split               split (server in its own process) or inproc
#   STEPWAY_BENCH_REPEAT=1                     runs of each configuration
#   STEPWAY_BENCH_TIMEOUT=400                  seconds before one run is killed
#   PEERS_N, PEERS_C, PEERS_ONLY, ...          passed on to the peers (see their README)
# Options:
#   --with-peers   afterwards, also run ../shared/peers/run_all.sh (DBOS, Temporal, Restate), so
#                  that both sets of figures come from one run on one machine
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

WITH_PEERS=0
for arg in "$@"; do
  case $arg in
    --with-peers) WITH_PEERS=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

PY=${PYTHON:-$ROOT/.venv/bin/python}
N=${STEPWAY_BENCH_N:-1000}
C=${STEPWAY_BENCH_C:-64}
WARMUP=${STEPWAY_BENCH_WARMUP:-50}
BACKENDS=${STEPWAY_BENCH_BACKENDS:-"sqlite postgres"}
TOPOLOGY=${STEPWAY_BENCH_TOPOLOGY:-split}
REPEAT=${STEPWAY_BENCH_REPEAT:-1}
LIMIT=${STEPWAY_BENCH_TIMEOUT:-400}
ERRF=$(mktemp)
trap 'rm -f "$ERRF"' EXIT
FAILED=0

run() {  # run ARGS...  (bench_stepway.py arguments)
  echo "== stepway $*" >&2
  local out rc line
  out=$(timeout "$LIMIT" "$PY" bench/bench_stepway.py "$@" 2>"$ERRF")
  rc=$?
  line=$(printf '%s\n' "$out" | grep '^{' | tail -1)
  if [ $rc -eq 0 ] && [ -n "$line" ]; then
    echo "$line"
  else
    printf '{"engine": "stepway", "args": "%s", "error": "exit %s"}\n' "$*" "$rc"
    tail -5 "$ERRF" >&2
    FAILED=1
  fi
}

for ((r = 1; r <= REPEAT; r++)); do
  for backend in $BACKENDS; do
    for workload in w1 w1c w2 w2b; do
      run --workload "$workload" --backend "$backend" -n "$N" -c "$C" --warmup "$WARMUP" \
        --topology "$TOPOLOGY"
    done
  done
done

if [ $WITH_PEERS -eq 1 ]; then
  PEERS=$ROOT/../shared/peers/run_all.sh
  if [ -x "$PEERS" ]; then
    echo "== peers: $PEERS" >&2
    "$PEERS" || FAILED=1
  else
    echo "run.sh: $PEERS not found; peers skipped" >&2
    FAILED=1
  fi
fi
exit $FAILED
