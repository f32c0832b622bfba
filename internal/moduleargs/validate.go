package moduleargs

import (
	"fmt"
	"sort"
	"strings"

	"ansible-sts/internal/pyvalue"
)

// validate applies spec to a.Params in AnsibleModule's order (see the
// package comment) and returns the first error.
func (a *Args) validate(spec Spec, lookupEnv func(string) (string, bool)) error {
	p := a.Params
	a.defaults = map[string]any{}
	for _, o := range spec {
		a.defaults[o.Name] = o.Default
	}
	given := map[string]bool{}
	for _, k := range p.Keys() {
		given[k] = true
	}
	for _, o := range spec {
		if given[o.Name] {
			a.Sources[o.Name] = "option " + o.Name
		}
	}

	// Environment fallbacks. ansible-core skips them only when the option
	// itself is given; we also skip them when an alias is given, so that
	// a task using an alias gets no "both set" warning for a value it did
	// not write.
	for _, o := range spec {
		if a.anyGiven(o, given) {
			continue
		}
		for _, env := range o.EnvFallback {
			if v, ok := lookupEnv(env); ok {
				p.Set(o.Name, v)
				a.Sources[o.Name] = "env " + env
				if o.NoLog && v != "" {
					a.addNoLog(v)
				}
				break
			}
		}
	}

	for _, o := range spec {
		for _, alias := range o.Aliases {
			v, ok := p.Get(alias)
			if !ok {
				continue
			}
			if p.Has(o.Name) {
				a.Warnings = append(a.Warnings, fmt.Sprintf("Both option %s and its alias %s are set.", o.Name, alias))
			}
			p.Set(o.Name, v)
			a.Sources[o.Name] = "option " + alias
		}
	}

	// Every name of a no_log option is a secret, the alias that lost
	// included (AnsibleModule hides only the winner's value).
	for _, o := range spec {
		if !o.NoLog {
			continue
		}
		for _, name := range append([]string{o.Name}, o.Aliases...) {
			v, _ := p.Get(name)
			a.addNoLog(noLogStrings(v)...)
		}
	}

	legal := spec.names()
	unsupported := map[string]bool{}
	for _, k := range p.Keys() {
		if !legal[k] {
			unsupported[k] = true
		}
	}

	a.setDefaults(spec, false)

	var errs []string
	var missing []string
	for _, o := range spec {
		if o.Required && !p.Has(o.Name) {
			missing = append(missing, o.Name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		errs = append(errs, "missing required arguments: "+strings.Join(missing, ", "))
	}

	core219, core222 := a.Internal.atLeast(2, 19), a.Internal.atLeast(2, 22)
	for _, o := range spec {
		v, ok := p.Get(o.Name)
		// 2.19 converts a null option that is required or has a default.
		if !ok || v == nil && !(core219 && (o.Required || o.Default != nil)) {
			continue
		}
		cv, err := convert(o.Type, o.Elements, v, lookupEnv, core219, core222)
		if err != nil {
			name := pyvalue.Type(v)
			if core219 {
				name = pyvalue.TypeName(v)
			}
			errs = append(errs, fmt.Sprintf("argument '%s' is of type %s and we were unable to convert to %s: %v", o.Name, name, o.Type, err))
			continue
		}
		p.Set(o.Name, cv)
	}

	a.setDefaults(spec, true)

	if len(unsupported) > 0 {
		errs = append(errs, fmt.Sprintf("Unsupported parameters for (%s) module: %s. Supported parameters include: %s.",
			a.ModuleName, strings.Join(sortedKeys(unsupported), ", "), supported(spec)))
	}
	if len(errs) > 0 {
		return &Error{Msg: errs[0]}
	}
	return nil
}

func (a *Args) anyGiven(o Option, given map[string]bool) bool {
	if given[o.Name] {
		return true
	}
	for _, alias := range o.Aliases {
		if given[alias] {
			return true
		}
	}
	return false
}

// setDefaults sets absent options to their defaults: first only the
// non-nil ones (before the required check), then all.
func (a *Args) setDefaults(spec Spec, all bool) {
	for _, o := range spec {
		if a.Params.Has(o.Name) || (o.Default == nil && !all) {
			continue
		}
		a.Params.Set(o.Name, o.Default)
		if o.Default != nil {
			a.Sources[o.Name] = "default"
		}
	}
}

// supported lists the option names, then the aliases in parentheses.
func supported(spec Spec) string {
	names, aliases := map[string]bool{}, map[string]bool{}
	for _, o := range spec {
		names[o.Name] = true
		for _, al := range o.Aliases {
			aliases[al] = true
		}
	}
	s := strings.Join(sortedKeys(names), ", ")
	if len(aliases) > 0 {
		s += " (" + strings.Join(sortedKeys(aliases), ", ") + ")"
	}
	return s
}

func (a *Args) addNoLog(values ...string) {
	for _, v := range values {
		if v == "" {
			continue
		}
		found := false
		for _, have := range a.NoLogValues {
			found = found || have == v
		}
		if !found {
			a.NoLogValues = append(a.NoLogValues, v)
		}
	}
}

// noLogStrings returns the strings to hide for a no_log value, as
// ansible-core's _return_datastructure_name: every non-empty string and
// number inside it, never booleans or nulls.
func noLogStrings(v any) []string {
	switch t := v.(type) {
	case nil, bool:
		return nil
	case string:
		if t == "" {
			return nil
		}
		return []string{t}
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, noLogStrings(e)...)
		}
		return out
	case *pyvalue.Object:
		var out []string
		for _, k := range t.Keys() {
			e, _ := t.Get(k)
			out = append(out, noLogStrings(e)...)
		}
		return out
	}
	return []string{pyvalue.Repr(v)}
}
