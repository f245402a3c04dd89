#!/usr/bin/env bash
# scripts/corpus.sh: measure the corpus of real bugs (catalog.Corpus, docs/CORPUS.md). For
# each bug it builds poolcheck with the library at the buggy and at the fixed release,
# through the module proxy, explores the bug's property N times at each (default 10), and
# prints a Markdown table on stdout: the catch rate at the buggy release, the passes at the
# fixed one. Progress goes to stderr. Exit status 1 when a bug is not verified (its buggy
# release never failed, or its fixed release did not always pass).
#
#   scripts/corpus.sh [N] [-bugs a,b] [-runs R] [-budget D]
#
# Time: about (2 × N) explorations per bug, each up to the command's budget (2s) plus
# shrinking a failure (up to 3s), and one build per release (seconds once cached).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10}"
shift || true
GOFLAGS=-mod=mod go run ./scripts/corpus -n "$n" "$@"
