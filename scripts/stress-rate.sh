#!/usr/bin/env bash
# Measures package stress under the race detector: the detection rate and time to detection
# of the default stress check (stress.DefaultDuration, stopping at the first failure) on
# every broken pool that needs real parallelism, RUNS times each (default 50), then the
# throughput on our own pools (pool lifetimes and tasks per second, for sizing soaks).
# Prints Markdown (docs/STRESS.md quotes it).
#
#   scripts/stress-rate.sh [RUNS] [stressrate flags: -pools a,b -throughput 5s -survey ...]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-50}"
shift || true
# Race reports of broken pools go to stderr: keep them out of the table, in a file.
errlog=${STDERR_LOG:-$(mktemp -t stress-rate.XXXXXX)}
echo "(stderr, race reports included: $errlog)" >&2
go run -race ./scripts/stressrate -runs "$runs" "$@" 2>"$errlog"
