package pyvalue

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Str returns Python's str() of a decoded JSON value: what ansible-core
// makes of a non-string given to a str option (12345 → "12345",
// true → "True", a dict → its Python repr).
func Str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return pyRepr(v)
}

// Repr returns Python's repr() of a decoded JSON value, as messages
// quote a value: 'many', 12, {'a': 1}.
func Repr(v any) string { return pyRepr(v) }

// pyRepr returns Python's repr() of a decoded JSON value.
func pyRepr(v any) string {
	switch t := v.(type) {
	case nil:
		return "None"
	case bool:
		if t {
			return "True"
		}
		return "False"
	case string:
		return pyQuote(t)
	case int64:
		return strconv.FormatInt(t, 10)
	case json.Number:
		return string(t)
	case float64:
		return pyFloat(t)
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *Object:
		parts := make([]string, 0, t.Len())
		for _, k := range t.keys {
			parts = append(parts, pyQuote(k)+": "+pyRepr(t.vals[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// pyFloat formats f as Python's repr(float): the shortest digits that
// round-trip, positional between 1e-4 and 1e16, always with a fraction or
// an exponent.
func pyFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return e // Go's shortest 'e' form matches Python's: 1e+16, 1.5e-07
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// pyQuote returns Python's repr() of a str.
func pyQuote(s string) string {
	quote := byte('\'')
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte(quote)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(quote):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x80 || unicode.IsPrint(r):
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// TypeName returns the name of the Python type of a decoded JSON value:
// str, int, dict… (native_type_name).
func TypeName(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int64, json.Number:
		return "int"
	case float64:
		return "float"
	case []any:
		return "list"
	case *Object:
		return "dict"
	}
	return "str"
}

// Type returns Python's str(type(v)) of a decoded JSON value, as
// ansible-core's and botocore's type errors print it: <class 'int'>.
func Type(v any) string { return "<class '" + TypeName(v) + "'>" }
