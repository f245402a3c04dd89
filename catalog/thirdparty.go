package catalog

func thirdParty() []Entry { return nil }
