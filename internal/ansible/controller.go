package ansible

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// What a result holds besides the module's own keys depends on the
// controller that runs the module, as AnsibleModule's result does:
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
// one that does not, so that is what the modules go by.

// NewSecretsKey is the result key that hands the controller the secrets
// it is to mask.
const NewSecretsKey = "_ansible_new_secrets"

// maskingController is the first ansible-core whose controller masks
// secrets (see above).
var maskingController = [2]int{2, 22}

// coreVersion reads the major and minor numbers of a version such as
// "2.22.0b2" or "2.23.0.dev0".
var coreVersion = regexp.MustCompile(`^(\d+)\.(\d+)(?:\D|$)`)

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
	m := coreVersion.FindStringSubmatch(in.Version)
	if m == nil {
		return false
	}
	got, err1 := strconv.Atoi(m[1])
	gotMinor, err2 := strconv.Atoi(m[2])
	if err1 != nil || err2 != nil {
		return false
	}
	return got > major || got == major && gotMinor >= minor
}

// IncludesInvocation reports whether the result carries invocation: as
// _ansible_inject_invocation says when the controller sent it, else always.
func (in Internal) IncludesInvocation() bool {
	return in.InjectInvocation == nil || *in.InjectInvocation
}

// Masking is how the result masks secrets for this controller:
// remove_values' up to 2.21, what the controller itself shows from 2.22.
func (in Internal) Masking() MaskStyle {
	if in.MasksSecrets() {
		return Redacted
	}
	return RemoveValues
}

// AddReturnedSecrets names secrets the result returns in clear, as values
// a later task needs, for a controller that masks secrets (see
// NewSecrets): they are kept in the result and hidden only where the
// controller displays them.
func (a *Args) AddReturnedSecrets(values ...string) {
	a.returned = append(a.returned, values...)
}

// NewSecrets returns what _ansible_new_secrets lists for a controller that
// masks secrets, nothing for an older one: every secret the result is
// masked of (NoLogValues), then the returned ones (AddReturnedSecrets).
// Each is taken as the controller registers a secret (see
// registrable), so the list holds what AnsibleModule's would for the same
// values. Unlike AnsibleModule, which leaves out the secrets its
// controller sent it knowingly, the list repeats them: a binary module is
// not told which those are, and the controller ignores a secret it has.
func (a *Args) NewSecrets() []string {
	if !a.MasksSecrets() {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, v := range append(append([]string(nil), a.NoLogValues...), a.returned...) {
		s, ok := registrable(v)
		if ok && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// The controller's rules for a secret (ansible-core 2.22
// module_utils/_internal/_secrets.py): blanks around it are not part of
// it, only its first maxSecretLen characters are matched, and one of
// fewer than minSecretLen characters is not registered at all.
const (
	secretBlanks = " \t\r\n"
	minSecretLen = 4
	maxSecretLen = 65536
)

// registrable returns v as the controller registers it, and false when it
// does not. Lengths count characters, as Python's do.
func registrable(v string) (string, bool) {
	s := strings.Trim(v, secretBlanks)
	if utf8.RuneCountInString(s) > maxSecretLen {
		n := 0
		for i := range s {
			if n == maxSecretLen {
				s = s[:i]
				break
			}
			n++
		}
	}
	return s, utf8.RuneCountInString(s) >= minSecretLen
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
	case *Object:
		return t.Len() > 0
	}
	return true
}
