package cli

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/poolcheck/poolcheck/props"
)

// Traits renders the non-zero fields of t (a props.Traits, props.ResourceTraits or
// props.RetryTraits), in declaration order, as the names the skip reasons use:
// "Queue=Unbounded", "Rejects", "Panics=Crashes", "IgnoresCtx", "Slots=2". The zero value
// (the strictest promise), or anything but a struct, renders as none. Fields added to the
// traits later appear without a change here.
func Traits(t any) []string {
	out := []string{}
	v := reflect.ValueOf(t)
	if v.Kind() != reflect.Struct {
		return out
	}
	for i := range v.NumField() {
		f, fv := v.Type().Field(i), v.Field(i)
		if !f.IsExported() || fv.IsZero() {
			continue
		}
		switch {
		case fv.Kind() == reflect.Bool:
			out = append(out, f.Name)
		default:
			out = append(out, f.Name+"="+traitValue(fv))
		}
	}
	return out
}

func traitValue(v reflect.Value) string {
	switch x := v.Interface().(type) {
	case fmt.Stringer:
		return x.String()
	case props.PanicPolicy:
		switch x {
		case props.Recovers:
			return "Recovers"
		case props.Crashes:
			return "Crashes"
		case props.Repanics:
			return "Repanics"
		}
	case props.GoexitPolicy:
		switch x {
		case props.GoexitHandled:
			return "Handled"
		case props.GoexitUnsupported:
			return "Unsupported"
		}
	case int:
		if x == props.Unbounded {
			return "Unbounded"
		}
	}
	return fmt.Sprint(v.Interface())
}

// traitsText is Traits joined for a table, or "-" for the strictest promise.
func traitsText(t any) string {
	if s := Traits(t); len(s) > 0 {
		return strings.Join(s, " ")
	}
	return "-"
}
