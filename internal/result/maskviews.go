package result

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDecodeDepth bounds how many decodings are stacked on a string: enough
// for a percent-encoded secret inside a JSON-escaped string inside a
// percent-encoded URL.
const maxDecodeDepth = 3

// view is a string as decoded one or more ways. Byte k of text comes from
// the bytes [start[k], end[k]) of the original string; without start and
// end, text is the original string.
type view struct {
	text       string
	start, end []int
}

// origin returns the bytes of the original string that text[a:b] comes
// from.
func (v view) origin(a, b int) span {
	if v.start == nil {
		return span{a, b}
	}
	return span{v.start[a], v.end[b-1]}
}

// decoders turn one form of a string into the next. Each reports false
// when it changed nothing.
var decoders = []func(string) (string, []span, bool){
	func(s string) (string, []span, bool) { return percentDecode(s, false) },
	func(s string) (string, []span, bool) { return percentDecode(s, true) },
	jsonUnescape,
}

// decodedViews returns s as written, then every distinct decoding of it
// up to maxDecodeDepth. A string without escapes has one view.
func decodedViews(s string) []view {
	views := []view{{text: s}}
	if !strings.ContainsAny(s, `%+\`) {
		return views
	}
	seen := map[string]bool{s: true}
	level := views
	for depth := 0; depth < maxDecodeDepth && len(level) > 0; depth++ {
		var next []view
		for _, parent := range level {
			for _, decode := range decoders {
				text, from, ok := decode(parent.text)
				if !ok || seen[text] {
					continue
				}
				seen[text] = true
				v := view{text: text, start: make([]int, len(text)), end: make([]int, len(text))}
				for k, f := range from {
					o := parent.origin(f.start, f.end)
					v.start[k], v.end[k] = o.start, o.end
				}
				next = append(next, v)
			}
		}
		views = append(views, next...)
		level = next
	}
	return views
}

// percentDecode decodes %XX escapes (either hex case) and, with plus, "+"
// as a space, as URL paths, userinfo and query strings are written. An
// escape that is not one is kept as it is.
func percentDecode(s string, plus bool) (string, []span, bool) {
	if !strings.Contains(s, "%") && (!plus || !strings.Contains(s, "+")) {
		return s, nil, false
	}
	out := make([]byte, 0, len(s))
	from := make([]span, 0, len(s))
	changed := false
	for i := 0; i < len(s); {
		switch {
		case s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			from = append(from, span{i, i + 3})
			i += 3
			changed = true
		case s[i] == '+' && plus:
			out = append(out, ' ')
			from = append(from, span{i, i + 1})
			i++
			changed = true
		default:
			out = append(out, s[i])
			from = append(from, span{i, i + 1})
			i++
		}
	}
	return string(out), from, changed
}

// jsonUnescape decodes the escapes of a JSON string (\" \\ \/ \b \f \n \r
// \t and \uXXXX, surrogate pairs joined) wherever they appear in s.
func jsonUnescape(s string) (string, []span, bool) {
	if !strings.Contains(s, `\`) {
		return s, nil, false
	}
	out := make([]byte, 0, len(s))
	from := make([]span, 0, len(s))
	changed := false
	emit := func(b []byte, start, end int) {
		for _, c := range b {
			out = append(out, c)
			from = append(from, span{start, end})
		}
	}
	for i := 0; i < len(s); {
		if s[i] != '\\' || i+1 >= len(s) {
			emit([]byte{s[i]}, i, i+1)
			i++
			continue
		}
		if c, ok := jsonEscapes[s[i+1]]; ok {
			emit([]byte{c}, i, i+2)
			i += 2
			changed = true
			continue
		}
		r, n := hex4(s, i)
		if n == 0 {
			emit([]byte{s[i]}, i, i+1)
			i++
			continue
		}
		if utf16.IsSurrogate(r) {
			if r2, n2 := hex4(s, i+n); n2 != 0 {
				if joined := utf16.DecodeRune(r, r2); joined != utf8.RuneError {
					r, n = joined, n+n2
				}
			}
		}
		emit(utf8.AppendRune(nil, r), i, i+n)
		i += n
		changed = true
	}
	return string(out), from, changed
}

// jsonEscapes are JSON's one-letter escapes.
var jsonEscapes = map[byte]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// hex4 reads \uXXXX at s[i:], returning the code and its length (0 if
// there is none).
func hex4(s string, i int) (rune, int) {
	if i+6 > len(s) || s[i] != '\\' || s[i+1] != 'u' {
		return 0, 0
	}
	n, err := strconv.ParseUint(s[i+2:i+6], 16, 16)
	if err != nil {
		return 0, 0
	}
	return rune(n), 6
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
