#!/usr/bin/env bash
# Measures the harness's detection rate on the broken corpus: each broken pool is explored
# RUNS times (default 50) with the default budget, each exploration in its own process, and the table of catches, time to the
# first failing schedule and throughput is written to docs/DETECTION.md.
# Usage: scripts/detection-rate.sh [RUNS] [extra go test flags, e.g. -race]
# With POOLCHECK_INSTRUMENT set (the controlled-interleavings engine), it builds
# cmd/poolcheck-instrument, passes it as -toolexec and writes docs/DETECTION-controlled.md:
#   POOLCHECK_INSTRUMENT=github.com/poolcheck/poolcheck/pools/broken scripts/detection-rate.sh 50
# POOLCHECK_DETECTION_POOLS=a,b limits the table to those broken pools. docs/DETECTION-controlled.md
# is the narrow pools (no blocking point in the bug's window) and the seed's bug:
#   POOLCHECK_DETECTION_POOLS=broken-broadcast-no-recheck,broken-check-then-act,broken-closed-unlocked,broken-count-after-unlock,broken-signal-unlocked,broken-slot-load-store \
#   POOLCHECK_INSTRUMENT=github.com/poolcheck/poolcheck/pools/broken scripts/detection-rate.sh 50
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-50}"
shift || true
mkdir -p docs
out=docs/DETECTION.md
mode="virtual time"
if [ -n "${POOLCHECK_INSTRUMENT:-}" ]; then
  pci=$(mktemp -d)/poolcheck-instrument
  go build -o "$pci" ./cmd/poolcheck-instrument
  set -- "$@" -toolexec="$pci"
  shown="-toolexec=poolcheck-instrument"
  out=docs/DETECTION-controlled.md
  mode="controlled interleavings (instrumented: $POOLCHECK_INSTRUMENT)"
fi
tmp=$(mktemp)
flags="${*:-none}"
if [ -n "${shown:-}" ]; then flags="${flags/-toolexec=$pci/$shown}"; fi
POOLCHECK_DETECTION_RUNS="$runs" POOLCHECK_DETECTION_OUT="$tmp" \
  go test -run '^TestDetectionRate$' -count=1 -timeout 60m "$@" ./harness/
{
  echo "# Detection rates of the harness: $mode"
  echo
  echo "Each broken pool explored $runs times with the default budget (one exploration of harness.DefaultRuns"
  echo "schedules, each in its own child process), checking only the property it breaks. Measured on $(nproc) cores, $(go version | cut -d' ' -f3),"
  echo "flags: $flags, $(date -u +%Y-%m-%d). Produced by scripts/detection-rate.sh."
  if [ -n "${POOLCHECK_DETECTION_POOLS:-}" ]; then echo "Pools: $POOLCHECK_DETECTION_POOLS."; fi
  echo
  cat "$tmp"
} > "$out"
rm -f "$tmp"
cat "$out"
