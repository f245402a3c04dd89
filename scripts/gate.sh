#!/usr/bin/env bash
# scripts/gate.sh: the CI benchmark regression gate.
#
#   scripts/gate.sh [BASE_REF]          (default: HEAD; the head is the working tree)
#
# Environment: COUNT (10), BENCHTIME (100ms), CPU (1,2), BENCH (.: a -bench regexp to
# narrow the suite, e.g. 'Pool/scenario=submit'), THRESHOLD (10%), ALPHA (0.05), OUT (a
# directory to keep the result files in; default a temporary one).
#
# What it does, in one job on one machine:
#  1. checks BASE_REF out in a temporary git worktree and builds both test binaries of
#     ./bench (base and head) before measuring anything;
#  2. runs them interleaved, COUNT rounds of -count=1, alternating which goes first
#     (ABBA), so drift of the machine falls on both sides alike;
#  3. gates allocations first (cmd/benchgate -units=B/op,allocs/op): they are nearly
#     deterministic, so a failure there is final;
#  4. gates time (-units=sec/op -threshold=$THRESHOLD). A time regression is confirmed by a
#     second, fresh set of COUNT interleaved rounds: the gate fails only if the rerun fails
#     too (noise that once reached p<0.05 rarely does twice).
#
# Exit status: 0 pass, 1 regression (confirmed), 2 cannot judge (build failure, no common
# benchmarks, too few runs).
set -euo pipefail
cd "$(dirname "$0")/.."

base_ref=${1:-HEAD}
count=${COUNT:-10}
benchtime=${BENCHTIME:-100ms}
cpu=${CPU:-1,2}
bench=${BENCH:-.}
threshold=${THRESHOLD:-10%}
alpha=${ALPHA:-0.05}

work=$(mktemp -d)
out=${OUT:-$work}
mkdir -p "$out"
cleanup() {
  git worktree remove --force "$work/base" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "gate.sh: base $base_ref ($(git rev-parse --short "$base_ref")), head: working tree" >&2
git worktree add --quiet --detach "$work/base" "$base_ref"
if [ ! -d "$work/base/bench" ]; then
  echo "gate.sh: $base_ref has no ./bench package: nothing to compare against" >&2
  exit 2
fi
(cd "$work/base" && go test -c -o "$work/base.test" ./bench) || { echo "gate.sh: building base failed" >&2; exit 2; }
go test -c -o "$work/head.test" ./bench || { echo "gate.sh: building head failed" >&2; exit 2; }
go build -o "$work/benchgate" ./cmd/benchgate

run() { # run BIN >> FILE, one round
  (cd bench && "$1" -test.run='^$' -test.bench="$bench" -test.benchtime="$benchtime" -test.cpu="$cpu" -test.count=1) |
    grep -v '^PASS$' >> "$2"
}

measure() { # measure SUFFIX: COUNT interleaved rounds into base$SUFFIX.txt and head$SUFFIX.txt
  local b="$out/base$1.txt" h="$out/head$1.txt"
  echo "commit: $(git rev-parse "$base_ref")" > "$b"
  echo "commit: $(git rev-parse HEAD)+worktree" > "$h"
  for i in $(seq "$count"); do
    echo "gate.sh: round $i/$count" >&2
    if [ $((i % 2)) -eq 1 ]; then run "$work/base.test" "$b"; run "$work/head.test" "$h"
    else run "$work/head.test" "$h"; run "$work/base.test" "$b"; fi
  done
}

gate() { # gate SUFFIX UNITS: the benchgate exit status
  local rc=0
  "$work/benchgate" -alpha="$alpha" -threshold="$threshold" -units="$2" "$out/base$1.txt" "$out/head$1.txt" || rc=$?
  return $rc
}

measure ""
rc=0; gate "" B/op,allocs/op || rc=$?
if [ $rc -ne 0 ]; then echo "gate.sh: allocation gate exit $rc: final" >&2; exit $rc; fi
rc=0; gate "" sec/op || rc=$?
case $rc in
  0) echo "gate.sh: PASS" >&2; exit 0 ;;
  2) echo "gate.sh: cannot judge (see above)" >&2; exit 2 ;;
esac
echo "gate.sh: time regression at first measurement; rerunning $count rounds to confirm" >&2
measure "-confirm"
rc=0; gate "-confirm" sec/op || rc=$?
if [ $rc -eq 1 ]; then echo "gate.sh: FAIL: time regression confirmed by the rerun" >&2; exit 1; fi
echo "gate.sh: PASS: the first time regression did not reproduce (exit $rc on the rerun)" >&2
[ $rc -eq 2 ] && exit 2
exit 0
