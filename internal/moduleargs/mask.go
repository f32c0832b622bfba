package moduleargs

import "strings"

// NoLogPlaceholder replaces a value equal to a secret.
const NoLogPlaceholder = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"

// Mask returns v with secrets removed, as ansible-core's remove_values: a
// string equal to a secret becomes NoLogPlaceholder, every occurrence of a
// secret inside a string becomes "********", and a number, boolean or null
// whose Python str() contains a secret becomes NoLogPlaceholder. Keys are
// kept. Maps, Objects and slices are copied, never changed in place.
func Mask(v any, secrets []string) any {
	if len(secrets) == 0 {
		return v
	}
	switch t := v.(type) {
	case string:
		return maskString(t, secrets)
	case []string:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = maskString(e, secrets)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = Mask(e, secrets)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = Mask(e, secrets)
		}
		return out
	case *Object:
		out := NewObject()
		for _, k := range t.keys {
			out.Set(k, Mask(t.vals[k], secrets))
		}
		return out
	case map[string]string:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = maskString(e, secrets)
		}
		return out
	}
	s := pyRepr(v)
	for _, secret := range secrets {
		if strings.Contains(s, secret) {
			return NoLogPlaceholder
		}
	}
	return v
}

func maskString(s string, secrets []string) string {
	for _, secret := range secrets {
		if s == secret {
			return NoLogPlaceholder
		}
	}
	for _, secret := range secrets {
		s = strings.ReplaceAll(s, secret, "********")
	}
	return s
}
