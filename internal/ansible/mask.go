package ansible

import (
	"sort"
	"strings"
)

// NoLogPlaceholder replaces a value equal to a secret.
const NoLogPlaceholder = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"

// maskText replaces each occurrence of a secret inside a string.
const maskText = "********"

// Mask returns v with secrets removed, as ansible-core's remove_values: a
// string equal to a secret becomes NoLogPlaceholder, every occurrence of a
// secret inside a string becomes "********", and a number, boolean or null
// whose Python str() contains a secret becomes NoLogPlaceholder. Keys are
// kept. Maps, Objects and slices are copied, never changed in place.
//
// Beyond remove_values, a secret is also found in its encoded forms: a
// string is searched as written and as decoded from percent-encoding (URL
// paths, userinfo and queries, "+" read as a space or not, any hex case)
// and from JSON string escapes, those decodings combined and repeated (a
// double-encoded secret included). Whatever the form, the characters that
// spell the secret are what is replaced.
//
// The occurrences of every secret, in every form, are found in the string
// as given before any is replaced, and overlapping ones are replaced
// together, so a secret that contains another is hidden whole whichever is
// listed first; the secrets are tried longest first. Occurrences of one
// secret are counted as Python's str.replace counts them (left to right,
// without overlap), so "********" appears once per occurrence.
func Mask(v any, secrets []string) any {
	m := newMasker(secrets)
	if m == nil {
		return v
	}
	return m.mask(v)
}

// masker holds the distinct non-empty secrets, longest first.
type masker struct{ secrets []string }

func newMasker(secrets []string) *masker {
	seen := map[string]bool{}
	var uniq []string
	for _, s := range secrets {
		if s != "" && !seen[s] {
			seen[s] = true
			uniq = append(uniq, s)
		}
	}
	if len(uniq) == 0 {
		return nil
	}
	sort.SliceStable(uniq, func(i, j int) bool { return len(uniq[i]) > len(uniq[j]) })
	return &masker{uniq}
}

func (m *masker) mask(v any) any {
	switch t := v.(type) {
	case string:
		return m.maskString(t)
	case []string:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = m.maskString(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = m.mask(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = m.mask(e)
		}
		return out
	case *Object:
		out := NewObject()
		for _, k := range t.keys {
			out.Set(k, m.mask(t.vals[k]))
		}
		return out
	}
	s := pyRepr(v)
	for _, secret := range m.secrets {
		if strings.Contains(s, secret) {
			return NoLogPlaceholder
		}
	}
	return v
}

// span is a byte range [start, end) of the string being masked.
type span struct{ start, end int }

func (m *masker) maskString(s string) string {
	views := decodedViews(s)
	for _, v := range views {
		for _, secret := range m.secrets {
			if v.text == secret {
				return NoLogPlaceholder
			}
		}
	}
	var hits []span
	for _, v := range views {
		for _, secret := range m.secrets {
			for i := 0; ; {
				j := strings.Index(v.text[i:], secret)
				if j < 0 {
					break
				}
				a, b := i+j, i+j+len(secret)
				hits = append(hits, v.origin(a, b))
				i = b
			}
		}
	}
	if len(hits) == 0 {
		return s
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].start < hits[j].start })
	var out strings.Builder
	pos := 0
	for i := 0; i < len(hits); {
		cur := hits[i]
		// Overlapping occurrences are one; touching ones stay two, as
		// str.replace makes them.
		for i++; i < len(hits) && hits[i].start < cur.end; i++ {
			cur.end = max(cur.end, hits[i].end)
		}
		out.WriteString(s[pos:cur.start])
		out.WriteString(maskText)
		pos = cur.end
	}
	out.WriteString(s[pos:])
	return out.String()
}
