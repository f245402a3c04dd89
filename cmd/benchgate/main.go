// Command benchgate compares two Go benchmark files and exits 1 on a regression.
//
//	go run ./cmd/benchgate [-alpha 0.05] [-threshold 10%] [-units sec/op,B/op,allocs/op] OLD NEW
//
// Time medians fail when worse by more than -threshold with p <= -alpha (Mann-Whitney U,
// as benchstat); B/op and allocs/op fail on any significant increase, or any increase when
// every run of each side agrees. Exit status: 0 pass, 1 regression, 2 cannot judge (usage,
// malformed or empty input, no benchmark in common, too few runs: use -count=10).
// See internal/benchgate for the rules and scripts/gate.sh for the CI driver.
package main

import (
	"os"

	"github.com/poolcheck/poolcheck/internal/benchgate"
)

func main() {
	os.Exit(benchgate.Main(os.Args[1:], os.Stdout, os.Stderr))
}
