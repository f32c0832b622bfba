package result

import (
	"strings"
	"unicode/utf8"
)

// What a result holds besides the module's own keys depends on the
// controller that runs the module, as AnsibleModule's result does:
//
//   - ansible-core 2.21 sends _ansible_inject_invocation (its
//     INJECT_INVOCATION setting, false by default), and AnsibleModule
//     returns invocation only when it is true. Earlier controllers send no
//     such key, and AnsibleModule always returns invocation. Run.Invocation
//     is nil when there is to be none.
//   - ansible-core 2.22 masks secrets on the controller. AnsibleModule no
//     longer masks its result (remove_values is deprecated); it lists the
//     values of its no_log options in _ansible_new_secrets, which the
//     controller takes out of the result and shows as $REDACTED$ in every
//     display from then on. A controller before 2.22 does not know the key:
//     2.14 and 2.19 warn that they removed it, quoting its values, so it
//     must never reach one. Run.ControllerMasks says which it is.

// NewSecretsKey is the result key that hands the controller the secrets
// it is to mask.
const NewSecretsKey = "_ansible_new_secrets"

// masking is how the result masks secrets for the run's controller:
// remove_values' up to 2.21, what the controller itself shows from 2.22.
func (run *Run) masking() MaskStyle {
	if run.ControllerMasks {
		return Redacted
	}
	return RemoveValues
}

// newSecrets returns what _ansible_new_secrets lists for a controller that
// masks secrets, nothing for an older one: every secret the result is
// masked of (Secrets), then the returned ones (Returned). Each is taken
// as the controller registers a secret (see registrable), so the list
// holds what AnsibleModule's would for the same values. Unlike
// AnsibleModule, which leaves out the secrets its controller sent it
// knowingly, the list repeats them: a binary module is not told which
// those are, and the controller ignores a secret it has.
func (run *Run) newSecrets() []string {
	if !run.ControllerMasks {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, v := range append(append([]string(nil), run.Secrets...), run.Returned...) {
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
