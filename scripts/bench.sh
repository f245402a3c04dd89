#!/usr/bin/env bash
# scripts/bench.sh: run poolcheck's benchmark suite (./bench) the way benchstat and
# cmd/benchgate want it, and write one benchfmt file.
#
#   scripts/bench.sh [-o FILE] [-count N] [-benchtime D] [-cpu LIST] [-bench REGEXP] [-- TESTFLAGS]
#
# Defaults: -o docs/bench/results.txt -count 10 -benchtime 100ms -cpu 1,2 -bench .
#
# The test binary is built once; the suite is then run COUNT times with -test.count=1, so the
# ten samples of a benchmark are spread over the whole run instead of ten back-to-back runs
# (slow drift of the machine, such as thermal or a neighbour's load, then widens every
# interval a little instead of shifting one benchmark a lot). -cpu 1,2 runs every benchmark
# at GOMAXPROCS 1 and 2 (benchmark names end in -1 and -2). The file opens with benchfmt
# configuration lines (goos, goarch, cpu, go, commit, date, machine, ...) that benchstat
# shows and keeps.
#
# Time: the full suite at -benchtime 100ms takes about a minute per round on the 2-core dev
# machine with every catalogue pool; ten rounds, about ten minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

out=docs/bench/results.txt
count=10
benchtime=100ms
cpu=1,2
bench=.
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out=$2; shift 2 ;;
    -count) count=$2; shift 2 ;;
    -benchtime) benchtime=$2; shift 2 ;;
    -cpu) cpu=$2; shift 2 ;;
    -bench) bench=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1 (see -h)" >&2; exit 2 ;;
  esac
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/bench.test" ./bench

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
  echo "benchtime: $benchtime"
  echo "rounds: $count"
  echo
} > "$out"

start=$(date +%s)
for i in $(seq "$count"); do
  echo "bench.sh: round $i/$count ($(( $(date +%s) - start ))s so far)" >&2
  (cd bench && "$tmp/bench.test" -test.run='^$' -test.bench="$bench" -test.benchtime="$benchtime" \
    -test.cpu="$cpu" -test.count=1 ${extra[@]+"${extra[@]}"}) | grep -v '^PASS$' >> "$out"
done
echo "bench.sh: wrote $out in $(( $(date +%s) - start ))s" >&2
