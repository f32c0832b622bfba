package modules

import (
	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/stscall"
	"slices"
)

// An option is one of a module's own options, declared once: its entry in
// the argument spec (type, aliases, default, required, no_log, the
// documentation) and the STS request parameter it fills. The module's
// spec, its request, botocore's checks of that request and its
// ansible-doc file are all read from its table.
type option struct {
	moduleargs.Option
	// Param is the request parameter the option fills, the STS member
	// name, which is also the field of the SDK's input (e.g. "RoleArn").
	Param string
	// Min is the minimum botocore checks before sending: a length for a
	// str option, each element's for a list, each key's for a dict, a
	// value for an int one (see stscall.Param).
	Min int
	// Field is, for a list option whose elements STS takes as
	// structures of one member, that member (PolicyArns' "arn").
	Field string
	// Order is the parameter's place in the request: the Python module's
	// order, which is botocore's report order.
	Order int
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

// params returns the request parameters, in request order.
func (t table) params() []stscall.Param {
	var out []stscall.Param
	for _, o := range slices.SortedStableFunc(slices.Values(t), func(a, b option) int { return a.Order - b.Order }) {
		if o.Param == "" {
			continue
		}
		out = append(out, stscall.Param{
			Name:     o.Param,
			Option:   o.Name,
			Min:      o.Min,
			Kind:     kinds[o.Type],
			Field:    o.Field,
			Required: o.Required,
		})
	}
	return out
}

// kinds gives the request parameter shape of each option type: a dict is
// sent as tags, the one map of the STS requests.
var kinds = map[moduleargs.Type]stscall.Kind{
	moduleargs.Str:  stscall.String,
	moduleargs.Int:  stscall.Integer,
	moduleargs.List: stscall.StringList,
	moduleargs.Dict: stscall.TagList,
}

// specs returns the full argument spec of every module.
func specs() []moduleargs.Spec {
	var out []moduleargs.Spec
	for _, m := range All {
		out = append(out, m.Spec())
	}
	return out
}

// SecretOptions returns every name, aliases included, of the no_log
// options of the modules, the connection options included, each once, in
// declaration order: a string given to one of them must never show in the
// output.
func SecretOptions() []string {
	var out []string
	for _, spec := range specs() {
		for _, o := range spec {
			if !o.NoLog {
				continue
			}
			for _, name := range append([]string{o.Name}, o.Aliases...) {
				if !slices.Contains(out, name) {
					out = append(out, name)
				}
			}
		}
	}
	return out
}

// Aliases returns, for every option of the modules (the connection options
// included) that has aliases, its aliases by its name.
func Aliases() map[string][]string {
	out := map[string][]string{}
	for _, spec := range specs() {
		for _, o := range spec {
			if len(o.Aliases) > 0 {
				out[o.Name] = slices.Clone(o.Aliases)
			}
		}
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
