package catalog

import (
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools"
	brk "github.com/poolcheck/poolcheck/pools/broken"
)

// twins lists the correct twins of the broken pools whose bug is a narrow race: the same
// code with the race fixed. They must pass every property, in virtual time and under a
// controlled interleaving alike; they are how the controlled engine proves it has no false
// positives on the very code paths it catches broken.
func twins() []Entry {
	twin := func(name string, newPool func(int) pools.Pool, doc string) Entry {
		return Entry{Subject: harness.Subject{Name: name, New: newPool}, Kind: Ours, Doc: doc}
	}
	return []Entry{
		twin("twin-check-and-act", func(n int) pools.Pool { return brk.NewCheckAndAct(n) },
			"broken-check-then-act with the check and the increment one CompareAndSwap."),
		twin("twin-count-under-lock", func(n int) pools.Pool { return brk.NewCountUnderLock(n) },
			"broken-count-after-unlock with the running count raised under the lock."),
		twin("twin-closed-locked", func(n int) pools.Pool { return brk.NewClosedLocked(n) },
			"broken-closed-unlocked with the closed flag checked under the lock."),
		twin("twin-signal-locked", func(n int) pools.Pool { return brk.NewSignalLocked(n) },
			"broken-signal-unlocked with the slot freed and signalled under the lock."),
		twin("twin-slot-cas", func(n int) pools.Pool { return brk.NewSlotCAS(n) },
			"broken-slot-load-store with the slot claimed by CompareAndSwap."),
	}
}
