package moduleargs

import (
	"encoding/json"
	"strconv"
	"strings"

	"ansible-sts/internal/pyvalue"
)

// What a result holds besides the module's own keys depends on the
// controller that runs the module, as AnsibleModule's result does, and
// the arguments file says which controller that is:
//
//   - ansible-core 2.21 sends _ansible_inject_invocation (its
//     INJECT_INVOCATION setting, false by default), and AnsibleModule
//     returns invocation only when it is true. Earlier controllers send no
//     such key, and AnsibleModule always returns invocation.
//   - ansible-core 2.22 masks secrets on the controller. AnsibleModule no
//     longer masks its result (remove_values is deprecated); it lists the
//     values of its no_log options in _ansible_new_secrets, which the
//     controller takes out of the result and shows as $REDACTED$ in every
//     display from then on. A controller before 2.22 does not know the key:
//     2.14 and 2.19 warn that they removed it, quoting its values, so it
//     must never reach one.
//
// Nothing but _ansible_version tells a controller that masks secrets from
// one that does not, so that is what the modules go by. Internal reads
// both keys (MasksSecrets, IncludesInvocation); the result is written by
// what they say.

// maskingController is the first ansible-core whose controller masks
// secrets (see above).
var maskingController = [2]int{2, 22}

// MasksSecrets reports whether the controller masks secrets itself, by
// its _ansible_version: ansible-core 2.22 or later. A version that is
// missing or does not parse is taken for an older one, which is shown no
// secret rather than one too many.
func (in Internal) MasksSecrets() bool {
	return in.atLeast(maskingController[0], maskingController[1])
}

// atLeast reports whether the controller's _ansible_version is major.minor
// or later; a version that is missing or does not parse is not.
func (in Internal) atLeast(major, minor int) bool {
	got, gotMinor, ok := coreVersion(in.Version)
	return ok && (got > major || got == major && gotMinor >= minor)
}

// coreVersion reads the major and minor numbers of a version such as
// "2.22.0b2" or "2.23.0.dev0": digits, a dot, digits, then the end or
// anything but a digit.
func coreVersion(v string) (major, minor int, ok bool) {
	digits := func(s string) (n int, rest string, ok bool) {
		i := 0
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		n, err := strconv.Atoi(s[:i])
		return n, s[i:], i > 0 && err == nil
	}
	major, rest, ok := digits(v)
	if !ok || !strings.HasPrefix(rest, ".") {
		return 0, 0, false
	}
	minor, _, ok = digits(rest[1:])
	return major, minor, ok
}

// IncludesInvocation reports whether the result carries invocation: as
// _ansible_inject_invocation says when the controller sent it, else always.
func (in Internal) IncludesInvocation() bool {
	return in.InjectInvocation == nil || *in.InjectInvocation
}

// pyTruthy is Python's bool() of a decoded JSON value, which is how
// AnsibleModule reads _ansible_inject_invocation.
func pyTruthy(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case string:
		return t != ""
	case int64:
		return t != 0
	case float64:
		return t != 0 // NaN is true, as in Python
	case json.Number:
		return true // beyond int64, so never 0
	case []any:
		return len(t) > 0
	case *pyvalue.Object:
		return t.Len() > 0
	}
	return true
}
