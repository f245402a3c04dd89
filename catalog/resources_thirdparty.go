package catalog

// resourceThirdParty lists the third-party resource pools.
func resourceThirdParty() []ResourceEntry { return nil }

// retryThirdParty lists the third-party retrying pools.
func retryThirdParty() []RetryEntry { return nil }
