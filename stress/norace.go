//go:build !race

package stress

const raceEnabled = false

func raceErrors() int { return 0 }
