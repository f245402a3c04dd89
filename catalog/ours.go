package catalog

func ours() []Entry { return nil }
