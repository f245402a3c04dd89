#!/usr/bin/env bash
# scripts/interleave-libraries.sh: check the catalogue's third-party task pools under
# controlled interleavings, with the race detector, COUNT times each (default 20), on every
# property but their catalogued findings (TestThirdPartyPoolsKeepTheirPromises, built with
# cmd/poolcheck-instrument as -toolexec over the modules of internal/cli.Instrumented).
#
#   scripts/interleave-libraries.sh [COUNT]
#
# ants' configurations are left out: ants' ReleaseContext busy-waits (a real finding, see
# README "Controlled interleavings"), which stops a controlled exploration. Time: about 16
# minutes at COUNT 20 on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-20}"
case "$count" in ''|*[!0-9]*|0) echo "interleave-libraries.sh: COUNT must be a positive integer, not '$count'" >&2; exit 2 ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/poolcheck-instrument" ./cmd/poolcheck-instrument
mods=$(sed -n '/^var Instrumented = \[\]string{/,/^}/p' internal/cli/interleave.go | grep -o '"[^"]*"' | tr -d '"' | paste -sd, -)
[ -n "$mods" ] || { echo "interleave-libraries.sh: no modules found in internal/cli.Instrumented" >&2; exit 1; }
names=$(go run ./cmd/poolcheck -list | awk '$2 == "task" && $3 == "third-party" && $1 !~ /^ants/ { print $1 }' | paste -sd'|' -)
[ -n "$names" ] || { echo "interleave-libraries.sh: no third-party task pools listed" >&2; exit 1; }
echo "interleave-libraries.sh: $(tr '|' '\n' <<<"$names" | wc -l) pools x $count, instrumenting $mods" >&2
POOLCHECK_INSTRUMENT=$mods go test -race -toolexec="$tmp/poolcheck-instrument" -count="$count" -timeout=60m \
  -run "TestThirdPartyPoolsKeepTheirPromises/^($names)\$" ./harness/
