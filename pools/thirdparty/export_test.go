package thirdparty

import "github.com/panjf2000/ants/v2"

// AntsPool exposes the ants pool behind an adapter to the finding tests, which instrument
// its lock to stop a Submit inside ants at a chosen point.
func AntsPool(a *Ants) *ants.Pool { return a.p }
