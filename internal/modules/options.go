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
