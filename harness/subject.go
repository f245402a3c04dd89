package harness

import (
	"github.com/poolcheck/poolcheck/pools"
	"github.com/poolcheck/poolcheck/props"
)

// Subject is a pool implementation under test.
type Subject struct {
	Name   string
	New    func(limit int) pools.Pool // a fresh pool that runs at most limit tasks at once
	Traits Traits                     // what the pool promises beyond the Pool contract
}

// Traits is what a pool promises beyond the Pool contract; zero values mean the strictest,
// most common promise. See props.Traits for each field.
type Traits = props.Traits

// PanicPolicy says what a pool does with a panicking task; see props.PanicPolicy.
type PanicPolicy = props.PanicPolicy

// GoexitPolicy says what a pool does with a task that calls runtime.Goexit.
type GoexitPolicy = props.GoexitPolicy

// Unbounded is a Traits.Queue value: any number of accepted tasks may wait.
const Unbounded = props.Unbounded

// Panic and Goexit policies, re-exported so a Subject can be written with one import.
const (
	Recovers          = props.Recovers
	Crashes           = props.Crashes
	Repanics          = props.Repanics
	GoexitHandled     = props.GoexitHandled
	GoexitUnsupported = props.GoexitUnsupported
)
