#!/usr/bin/env bash
# scripts/bench.sh: measure poolcheck's benchmark suite (./bench) by interleaved rounds, the
# method of docs/BENCH.md, and write one benchfmt file.
#
#   scripts/bench.sh [-o FILE] [-count N] [-benchtime D] [-cpu LIST] [-bench REGEXP]
#                    [-pools LIST] [-exclude REGEXP] [-- TESTFLAGS]
#
# Defaults: -o docs/bench/results.txt -count 20 -benchtime 50ms -cpu 1,2 -bench ^BenchmarkPool$ and
# -pools every pool of the suite (comma-separated names; `go test ./bench -args -bench.list`
# prints them). -exclude drops the pools whose whole name matches REGEXP (grep -E), for
# example -exclude 'twin-.*'.
#
# The method, for narrow intervals on a shared machine:
#  - The test binary is built once. GOMAXPROCS is pinned: the environment variable is set
#    to the largest -cpu value, so the suite's limits (which follow GOMAXPROCS at start-up)
#    are the same on any machine, and -cpu runs every benchmark at each listed GOMAXPROCS.
#  - COUNT rounds. A round runs each pool once, in its own process (-bench.pools=P
#    -test.count=1): in list order on odd rounds, reversed on even ones (A B C, C B A, ...),
#    so the pools being compared alternate every few seconds, and a neighbour's build that
#    slows the machine for a minute falls on all of them alike instead of on one. Each
#    benchmark gets one sample per round, COUNT in all: 20 lets benchstat call a 5%
#    difference when the spread is a few percent.
#  - Before each round's results the file gets configuration lines: round, order, and the
#    load, so a noisy round is visible and can be dropped: load-before and load-after are
#    /proc/loadavg's 1-minute figure, others-cpu the share of the machine's CPU time used by
#    other processes during the round (from /proc/stat, minus this script's own children).
#    Tell benchstat to ignore them or it makes a table per round:
#      benchstat -ignore round,order,load-before,load-after,others-cpu -col /pool FILE
#    (cmd/benchchart ignores them itself).
#
# The file opens with configuration lines describing the machine and the run. Time: 33
# pools x 44 benchmarks (22 at each of -cpu 1,2) per round; at -benchtime 30ms a round took
# 77-96 s on the 2-core dev machine while other processes used 65-72% of its CPU, so 20
# rounds take about half an hour there (less on a quiet machine).
set -euo pipefail
cd "$(dirname "$0")/.."

out=docs/bench/results.txt
count=20
benchtime=50ms
cpu=1,2
bench='^BenchmarkPool$'
poolsarg=
exclude=
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out=$2; shift 2 ;;
    -count) count=$2; shift 2 ;;
    -benchtime) benchtime=$2; shift 2 ;;
    -cpu) cpu=$2; shift 2 ;;
    -bench) bench=$2; shift 2 ;;
    -pools) poolsarg=$2; shift 2 ;;
    -exclude) exclude=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,/^set -euo pipefail$/{/^#/p}' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1 (see -h)" >&2; exit 2 ;;
  esac
done
case "$count" in ''|*[!0-9]*|0) echo "bench.sh: -count must be a positive integer, not '$count'" >&2; exit 2 ;; esac
case "$cpu" in ''|*[!0-9,]*|,*|*,|*,,*) echo "bench.sh: -cpu must be a list like 1,2, not '$cpu'" >&2; exit 2 ;; esac
procs=$(tr , '\n' <<<"$cpu" | sort -n | tail -1)
[ "$procs" -ge 1 ] || { echo "bench.sh: -cpu values must be at least 1" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/bench.test" ./bench
export GOMAXPROCS=$procs

all=$(cd bench && "$tmp/bench.test" -bench.list)
if [ -n "$poolsarg" ]; then
  pools=$(tr , '\n' <<<"$poolsarg")
  for p in $pools; do
    grep -qx -- "$p" <<<"$all" || { echo "bench.sh: unknown pool '$p'; the pools are:" $all >&2; exit 2; }
  done
else
  pools=$all
fi
if [ -n "$exclude" ]; then
  pools=$(grep -vxE -- "$exclude" <<<"$pools" || true)
  [ -n "$pools" ] || { echo "bench.sh: -exclude '$exclude' leaves no pool" >&2; exit 2; }
fi
reversed=$(tac <<<"$pools")

busy() { # busy: "busy-jiffies total-jiffies" of the whole machine
  awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print t - $5 - $6, t }' /proc/stat  # user..steal; guest is in user
}
ours() { # ours: CPU jiffies of this script's reaped children (cutime + cstime)
  awk '{ print $16 + $17 }' "/proc/$$/stat"
}
load1() { cut -d' ' -f1 /proc/loadavg; }

commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- . 2>/dev/null)" ]; then commit="$commit-dirty"; fi
cpumodel=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
mkdir -p "$(dirname "$out")"
{
  echo "goos: $(go env GOOS)"
  echo "goarch: $(go env GOARCH)"
  echo "cpu: ${cpumodel:-unknown}"
  echo "go: $(go env GOVERSION)"
  echo "commit: $commit"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) cores, $(uname -sm), $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo 2>/dev/null)"
  echo "method: scripts/bench.sh, interleaved rounds, one process per pool per round"
  echo "gomaxprocs: $procs (pinned; -cpu $cpu)"
  echo "benchtime: $benchtime"
  echo "rounds: $count"
  echo "pools: $(paste -sd, <<<"$pools")"
  echo
} > "$out"

start=$(date +%s)
for i in $(seq "$count"); do
  if [ $((i % 2)) -eq 1 ]; then order=forward; list=$pools; else order=reversed; list=$reversed; fi
  echo "bench.sh: round $i/$count ($order, $(( $(date +%s) - start ))s so far, load $(load1))" >&2
  before=$(load1); read -r b0 t0 < <(busy); c0=$(ours)
  : > "$tmp/round"
  for p in $list; do
    if ! (cd bench && "$tmp/bench.test" -test.run='^$' -test.bench="$bench" -test.benchtime="$benchtime" \
      -test.cpu="$cpu" -test.count=1 -bench.pools="$p" ${extra[@]+"${extra[@]}"}) > "$tmp/one" 2>&1; then
      cat "$tmp/one" >&2
      echo "bench.sh: round $i: pool $p failed" >&2
      exit 1
    fi
    grep -v -e '^PASS$' -e '^goos:' -e '^goarch:' -e '^pkg:' -e '^cpu:' "$tmp/one" >> "$tmp/round" || true
  done
  after=$(load1); read -r b1 t1 < <(busy); c1=$(ours)
  others=$(awk -v b="$((b1 - b0))" -v c="$((c1 - c0))" -v t="$((t1 - t0))" \
    'BEGIN { o = (b - c) / (t > 0 ? t : 1) * 100; printf "%.0f%%", (o < 0 ? 0 : o) }')
  {
    echo "pkg: github.com/poolcheck/poolcheck/bench"
    echo "round: $i"
    echo "order: $order"
    echo "load-before: $before"
    echo "load-after: $after"
    echo "others-cpu: $others"
    cat "$tmp/round"
    echo
  } >> "$out"
done
echo "bench.sh: wrote $out in $(( $(date +%s) - start ))s" >&2
