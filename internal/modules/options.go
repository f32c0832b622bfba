package modules

import (
	"ansible-sts/internal/moduleargs"
	"slices"
)

// An option is one of a module's own options, declared once: its entry in
// the argument spec (type, aliases, default, required, no_log, the
// documentation). The module's spec and its ansible-doc file are read from
// its table; its request is built from the arguments in its Call, next to
// botocore's checks of that request (Module.Params).
type option struct {
	moduleargs.Option
	// Extension marks an option the Python module lacks (its tasks fail
	// with "Unsupported parameters").
	Extension bool
}

// table is a module's options, in declaration order: the order of the
// spec, which decides which type error is reported first, and of the
// documentation.
type table []option

// spec returns the table's argument spec, in declaration order.
func (t table) spec() moduleargs.Spec {
	out := make(moduleargs.Spec, len(t))
	for i, o := range t {
		out[i] = o.Option
	}
	return out
}

// Extensions returns what the modules have beyond the Python modules,
// each name once: the options they lack, and the result keys they do not
// return.
func Extensions() (options, results []string) {
	for _, t := range []table{assumeRoleOptions, sessionTokenOptions} {
		for _, o := range t {
			if o.Extension && !slices.Contains(options, o.Name) {
				options = append(options, o.Name)
			}
		}
	}
	for _, m := range All {
		for _, r := range m.Doc.Return {
			if r.Extension && !slices.Contains(results, r.Name) {
				results = append(results, r.Name)
			}
		}
	}
	return options, results
}
