package moduleargs

// Option is one entry of a module's argument spec.
type Option struct {
	Name string
	// Aliases are other names for the option. When several are set the
	// one declared last wins, and each one set after the option already
	// had a value adds the warning "Both option X and its alias Y are set.".
	Aliases []string
	Type    Type
	// Elements is the type of a List's elements (ansible's elements).
	Elements Type
	Required bool
	Default  any
	// NoLog marks a secret: its value is masked everywhere in the output.
	NoLog bool
	// EnvFallback lists environment variables read, in order, when the task
	// sets neither the option nor an alias; the first that exists wins,
	// even when empty (ansible's env_fallback).
	EnvFallback []string
	// Description is the option's documentation, one paragraph.
	Description string
}

// Spec is a module's argument spec, in declaration order. The order decides
// which type error is reported first.
type Spec []Option

// names returns every accepted name: the option names and the aliases.
func (s Spec) names() map[string]bool {
	m := map[string]bool{}
	for _, o := range s {
		m[o.Name] = true
		for _, a := range o.Aliases {
			m[a] = true
		}
	}
	return m
}
