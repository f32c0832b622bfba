package result

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"ansible-sts/internal/pyvalue"
)

// NoLogPlaceholder replaces a value equal to a secret in remove_values.
const NoLogPlaceholder = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"

// RedactedPlaceholder is what a controller that masks secrets itself
// (ansible-core 2.22 and later) shows in place of one.
const RedactedPlaceholder = "$REDACTED$"

// MaskStyle is what masking writes in place of a secret.
type MaskStyle struct {
	// Value replaces a string equal to a secret, and a number, boolean or
	// null whose Python str() contains one.
	Value string
	// Text replaces each occurrence of a secret inside a longer string.
	Text string
	// JoinTouching makes occurrences that touch one Text, as overlapping
	// ones always are.
	JoinTouching bool
}

var (
	// RemoveValues is ansible-core's remove_values, which AnsibleModule
	// applies to its whole result up to 2.21. Its str.replace leaves two
	// touching occurrences two.
	RemoveValues = MaskStyle{Value: NoLogPlaceholder, Text: "********"}
	// Redacted is how the controller of ansible-core 2.22 and later shows
	// a secret it knows, wherever it is: every run of occurrences,
	// overlapping or touching, becomes one $REDACTED$.
	Redacted = MaskStyle{Value: RedactedPlaceholder, Text: RedactedPlaceholder, JoinTouching: true}
)

// Mask is MaskAs in the RemoveValues style.
func Mask(v any, secrets []string) any { return MaskAs(v, secrets, RemoveValues) }

// MaskAs returns v with secrets removed, as ansible-core's remove_values,
// writing what style says: a string equal to a secret becomes
// style.Value, every occurrence of a secret inside a string becomes
// style.Text, and a number, boolean or null whose Python str() contains a
// secret becomes style.Value. Beyond
// remove_values, which keeps keys, a key is masked as a string is (see
// maskKeys): an endpoint can echo a secret in a header's name. Maps,
// Objects and slices are copied, never changed in place.
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
// without overlap), so style.Text appears once per occurrence unless
// style.JoinTouching joins touching ones.
func MaskAs(v any, secrets []string, style MaskStyle) any {
	m := newMasker(secrets, style)
	if m == nil {
		return v
	}
	return m.mask(v)
}

// masker holds the distinct non-empty secrets, longest first, the same
// with their ASCII letters in lower case, and what replaces them.
type masker struct {
	secrets, folded []string
	style           MaskStyle
}

func newMasker(secrets []string, style MaskStyle) *masker {
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
	folded := make([]string, len(uniq))
	for i, s := range uniq {
		folded[i] = asciiLower(s)
	}
	return &masker{uniq, folded, style}
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
		keys := slices.Sorted(maps.Keys(t))
		out := make(map[string]any, len(t))
		for i, k := range m.maskKeys(keys) {
			out[k] = m.mask(t[keys[i]])
		}
		return out
	case *pyvalue.Object:
		keys := t.Keys()
		out := pyvalue.NewObject()
		for i, k := range m.maskKeys(keys) {
			e, _ := t.Get(keys[i])
			out.Set(k, m.mask(e))
		}
		return out
	}
	s := pyvalue.Repr(v)
	for _, secret := range m.secrets {
		if strings.Contains(s, secret) {
			return m.style.Value
		}
	}
	return v
}

// maskKeys returns keys, in their order, masked as strings are, without
// regard to the case of ASCII letters (maskKey). A key
// that masking leaves as it is keeps its name. A masked key whose text is
// already taken, by a key kept or by one masked before it, takes the first
// free name of "TEXT (2)", "TEXT (3)", …, so that no entry is lost: the
// keys of a map are taken in sorted order, an Object's in its own.
func (m *masker) maskKeys(keys []string) []string {
	out := make([]string, len(keys))
	masked := make([]bool, len(keys))
	taken := make(map[string]bool, len(keys))
	for i, k := range keys {
		out[i] = m.maskKey(k)
		masked[i] = out[i] != k
		if !masked[i] {
			taken[k] = true
		}
	}
	for i, text := range out {
		if !masked[i] {
			continue
		}
		name := text
		for n := 2; taken[name]; n++ {
			name = fmt.Sprintf("%s (%d)", text, n)
		}
		taken[name] = true
		out[i] = name
	}
	return out
}

// asciiLower is s with its ASCII letters in lower case: unlike
// strings.ToLower, it keeps every byte where it is, so that a match in it
// is a match at the same place in s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// span is a byte range [start, end) of the string being masked.
type span struct{ start, end int }

func (m *masker) maskString(s string) string { return m.maskIn(s, false) }

// maskKey masks a key as a string, but also where it holds a secret in
// another case: the names of an answer's headers are reported in lower
// case (as HTTP names are case-insensitive), which would otherwise carry
// a secret key's letters out unmasked.
func (m *masker) maskKey(s string) string { return m.maskIn(s, true) }

// maskIn masks s, comparing ASCII letters without case when fold is set.
func (m *masker) maskIn(s string, fold bool) string {
	views := decodedViews(s)
	secrets := m.secrets
	if fold {
		secrets = m.folded
		for i := range views {
			views[i].text = asciiLower(views[i].text)
		}
	}
	for _, v := range views {
		for _, secret := range secrets {
			if v.text == secret {
				return m.style.Value
			}
		}
	}
	var hits []span
	for _, v := range views {
		for _, secret := range secrets {
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
		// str.replace makes them, unless the style joins them.
		for i++; i < len(hits) && (hits[i].start < cur.end || m.style.JoinTouching && hits[i].start == cur.end); i++ {
			cur.end = max(cur.end, hits[i].end)
		}
		out.WriteString(s[pos:cur.start])
		out.WriteString(m.style.Text)
		pos = cur.end
	}
	out.WriteString(s[pos:])
	return out.String()
}
