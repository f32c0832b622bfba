package testenv

import (
	"fmt"
	"strings"
	"testing"

	"ansible-sts/internal/pyvalue"
	"ansible-sts/internal/result"
)

// Recorder is a testing.TB for testing a check: it records the errors
// the check reports instead of failing the test.
type Recorder struct {
	testing.TB
	Msgs []string
}

// Helper does nothing: the recorded errors have no caller to report.
func (r *Recorder) Helper() {}

// Errorf records the error.
func (r *Recorder) Errorf(format string, args ...any) {
	r.Msgs = append(r.Msgs, fmt.Sprintf(format, args...))
}

// StringValues returns every string value inside v, a decoded JSON value
// (from encoding/json or moduleargs.Decode) or a []string, not the keys:
// for a no_log value, the strings AnsibleModule collects to hide; for a
// result, the strings masking must have cleaned (it keeps the keys).
func StringValues(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, StringValues(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range x {
			out = append(out, StringValues(e)...)
		}
		return out
	case *pyvalue.Object:
		var out []string
		for _, k := range x.Keys() {
			e, _ := x.Get(k)
			out = append(out, StringValues(e)...)
		}
		return out
	}
	return nil
}

// Checkable reports whether a secret can be looked for in masked output:
// masking writes "********" and result.NoLogPlaceholder, so an empty
// secret, one inside those, or one with a '*' may show without leaking.
func Checkable(secret string) bool {
	return secret != "" && !strings.Contains(secret, "*") && !strings.Contains(result.NoLogPlaceholder, secret)
}
