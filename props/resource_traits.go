package props

// ResourceTraits is what a resource pool (pools/resource) promises beyond the contract; the
// zero value is the strictest promise: one holder per resource, Acquire honours its ctx,
// Close waits for held resources and destroys every resource before it returns.
type ResourceTraits struct {
	// Slots is how many holders one resource may have at once (a browser with Slots
	// pages); 0 means 1: resources are exclusive.
	Slots int
	// IgnoresCtx means Acquire does not watch its ctx while it blocks: acquire-cancel's
	// promptness does not apply (a resource must still not be lost).
	IgnoresCtx bool
	// CloseDoesNotWait means Close returns without waiting for held resources (as
	// database/sql's DB.Close): a resource held when Close returns is destroyed when it is
	// released instead.
	CloseDoesNotWait bool
}

// slots is t.Slots, at least 1.
func (t ResourceTraits) slots() int { return max(t.Slots, 1) }

// ResourceProperties returns the properties of resource pools, in order.
func ResourceProperties() []Property {
	return []Property{Exclusive, Bounded, ReuseBeforeCreate, AcquireCancel, ResourceClose,
		ResourceNoLeak, ResourceLiveness, ResourceWorkConserving}
}

// LookupResource returns the resource pool property with id.
func LookupResource(id string) (Property, bool) { return lookupIn(ResourceProperties(), id) }

func lookupIn(ps []Property, id string) (Property, bool) {
	for _, p := range ps {
		if p.ID == id {
			return p, true
		}
	}
	return Property{}, false
}

func neverResource(ResourceTraits) string { return "" }
