package stress

// RaceEnabled reports whether the test binary was built with -race.
const RaceEnabled = raceEnabled
