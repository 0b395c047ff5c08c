#!/usr/bin/env bash
# Runs Stepway on W1 (3-step), W1c (W1's steps as remote steps on a StepWorker), W2
# (start-only) and W2b (W2's creations sent with create_batch, 100 a call), on SQLite and
# PostgreSQL, and prints one JSON
# line per run on stdout (progress goes to stderr), in the columns of ../shared/peers.
# Then the figures of the goals beyond throughput (bench/README.md): lat (W1 one at a time:
# create -> first step, create -> result), depth (bench/bench_depth.py: creation rate with D
# queued, server RSS with D queued and W waiting) and scale (W1 on 1 and 3 shard servers).
# On PostgreSQL, lat and depth run on a gateway and one shard server (--topology cluster).
#   STEPWAY_BENCH_N=1000 STEPWAY_BENCH_C=64 STEPWAY_BENCH_WARMUP=50   size / concurrency / warm-up
#   STEPWAY_BENCH_BACKENDS="sqlite postgres"   which stores
#   STEPWAY_BENCH_TOPOLOGY=split               split (server in its own process) or inproc
#   STEPWAY_BENCH_WORKLOADS="w1 w1c w2 w2b"    the throughput workloads ("": none)
#   STEPWAY_BENCH_EXTRAS="lat depth scale"     the other figures ("": none)
#   STEPWAY_BENCH_LAT_N=200                    lat: workflows timed, one at a time
#   STEPWAY_BENCH_DEPTH=100000                 depth: instances queued (full run: 2000000)
#   STEPWAY_BENCH_WAITING=10000                depth: instances waiting (full run: 50000)
#   STEPWAY_BENCH_SHARDS="1 3"                 scale: shard servers of each W1 run (PostgreSQL)
#   STEPWAY_BENCH_REPEAT=1                     runs of each configuration
#   STEPWAY_BENCH_TIMEOUT=400                  seconds before one run is killed
#   STEPWAY_BENCH_DEPTH_TIMEOUT=900            the same for a depth run
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
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

PY=${PYTHON:-$ROOT/.venv/bin/python}
N=${STEPWAY_BENCH_N:-1000}
C=${STEPWAY_BENCH_C:-64}
WARMUP=${STEPWAY_BENCH_WARMUP:-50}
BACKENDS=${STEPWAY_BENCH_BACKENDS:-"sqlite postgres"}
TOPOLOGY=${STEPWAY_BENCH_TOPOLOGY:-split}
WORKLOADS=${STEPWAY_BENCH_WORKLOADS-"w1 w1c w2 w2b"}
EXTRAS=${STEPWAY_BENCH_EXTRAS-"lat depth scale"}
LAT_N=${STEPWAY_BENCH_LAT_N:-200}
DEPTH=${STEPWAY_BENCH_DEPTH:-100000}
WAITING=${STEPWAY_BENCH_WAITING:-10000}
SHARDS=${STEPWAY_BENCH_SHARDS:-"1 3"}
REPEAT=${STEPWAY_BENCH_REPEAT:-1}
LIMIT=${STEPWAY_BENCH_TIMEOUT:-400}
DEPTH_LIMIT=${STEPWAY_BENCH_DEPTH_TIMEOUT:-900}
ERRF=$(mktemp)
trap 'rm -f "$ERRF"' EXIT
FAILED=0

run() {  # run ARGS...  (bench_stepway.py arguments)
  run_limited "$LIMIT" bench/bench_stepway.py "$@"
}

run_limited() {  # run_limited SECONDS PYTHON-ARGS...
  local limit=$1
  shift
  echo "== stepway $*" >&2
  local out rc line
  out=$(timeout "$limit" "$PY" "$@" 2>"$ERRF")
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
    for workload in $WORKLOADS; do
      run --workload "$workload" --backend "$backend" -n "$N" -c "$C" --warmup "$WARMUP" \
        --topology "$TOPOLOGY"
    done
  done
done

for ((r = 1; r <= REPEAT; r++)); do
  for extra in $EXTRAS; do
    for backend in $BACKENDS; do
      # PostgreSQL: the production topology, a gateway and a shard server.
      where=(--topology "$TOPOLOGY")
      [ "$backend" = postgres ] && where=(--topology cluster --shards 1)
      case $extra in
        lat)
          run --workload lat --backend "$backend" -n "$LAT_N" --warmup "$WARMUP" "${where[@]}" ;;
        depth)
          run_limited "$DEPTH_LIMIT" -m bench.bench_depth --backend "$backend" "${where[@]}" \
            --depth "$DEPTH" --waiting "$WAITING" ;;
        scale)
          [ "$backend" = postgres ] || continue
          for shards in $SHARDS; do
            run --workload w1 --backend postgres -n "$N" -c "$C" --warmup "$WARMUP" \
              --topology cluster --shards "$shards"
          done ;;
        *) echo "run.sh: unknown figure $extra in STEPWAY_BENCH_EXTRAS" >&2; FAILED=1 ;;
      esac
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
