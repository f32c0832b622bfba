package modules

import (
	"strings"

	"ansible-sts/internal/moduleargs"
)

// An Option is one of a module's own options, declared once: its entry in
// the argument spec (type, aliases, default, required, no_log, the
// documentation). The module's spec and its ansible-doc file are read from
// its table; its request is built from the arguments in its Call, next to
// botocore's checks of that request (Module.Params).
type Option struct {
	moduleargs.Option
	// Extension marks an option the Python module lacks (its tasks fail
	// with "Unsupported parameters"); the module's description names it.
	Extension bool
}

// spec returns a table's argument spec, in declaration order: the order
// of the documentation, and the order that decides which type error is
// reported first.
func spec(options []Option) moduleargs.Spec {
	out := make(moduleargs.Spec, len(options))
	for i, o := range options {
		out[i] = o.Option
	}
	return out
}

// beyond is the sentence of a module's description that names what it has
// beyond the Python module: its Extension options and result keys; "" for
// a module that has nothing more.
func beyond(options []Option, returns []ReturnValue) string {
	var opts, keys []string
	for _, o := range options {
		if o.Extension {
			opts = append(opts, o.Name)
		}
	}
	for _, r := range returns {
		if r.Extension {
			keys = append(keys, r.Name)
		}
	}
	if len(opts)+len(keys) == 0 {
		return ""
	}
	var parts []string
	if len(opts) > 0 {
		parts = append(parts, "the session options "+andList(opts))
	}
	if len(keys) == 1 {
		parts = append(parts, "the result "+keys[0])
	} else if len(keys) > 1 {
		parts = append(parts, "the results "+andList(keys))
	}
	return "Beyond the Python module: " + strings.Join(parts, ", and ") + "."
}

// withBeyond returns doc with a last paragraph of description that names
// what the module has beyond the Python module (beyond).
func withBeyond(doc Doc, options []Option) Doc {
	if b := beyond(options, doc.Return); b != "" {
		doc.Description = append(append([]string{}, doc.Description...), b)
	}
	return doc
}

// andList joins words as English lists them: a, b and c.
func andList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
