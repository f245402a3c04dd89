#!/usr/bin/env bash
# Soak: run the stress tests under the race detector for a long time.
#
#   scripts/soak.sh [DURATION] [go test flags...]
#
# DURATION (a Go duration, default 10m) is how long EACH pool of our own is stressed
# (POOLCHECK_STRESS), so the whole soak lasts about DURATION times the number of pools.
# RUN selects the tests (default '^TestOurs$'); for instance
#   RUN='^TestThirdParty$' POOLCHECK_STRESS_THIRDPARTY=1 scripts/soak.sh 5m
# soaks the third-party adapters instead. The soak stops by itself: stress starts no pool
# lifetime after DURATION and bounds every call by its horizon, so go test's own timeout is
# switched off (TIMEOUT overrides it). A failure prints the pool, the property, the
# lifetime's seed and settings, and the replay line.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10m}
shift || true
export POOLCHECK_STRESS=$duration
echo "soak: each pool stressed for $duration under -race ($(go version))"
start=$(date +%s)
set +e
go test -race -count=1 -timeout "${TIMEOUT:-0}" -run "${RUN:-^TestOurs\$}" -v "$@" ./stress/ 2>&1 |
	grep -E '^(--- |    --- |ok|FAIL|PASS|panic)|stress: |WARNING: DATA RACE|breaks the rule|replay:'
status=${PIPESTATUS[0]}
set -e
echo "soak: $(( $(date +%s) - start ))s, go test exit status $status"
exit "$status"
