package moduleargs

import (
	"encoding/json"
	"errors"
	"fmt"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"ansible-sts/internal/pyvalue"
)

// Type is an option's type, as in an AnsibleModule argument_spec.
type Type int

// The option types the modules use.
const (
	Str Type = iota
	Int
	Bool
	Path
	Dict
	// List is a list whose elements are of the option's Elements type.
	List
)

// String returns the name ansible-core uses in its messages.
func (t Type) String() string {
	return [...]string{"str", "int", "bool", "path", "dict", "list"}[t]
}

// convert coerces v to t the way ansible-core 2.14's check_type_* functions
// do; the error text is theirs. A path expands with the variables of
// lookupEnv. A list's elements are converted to elements, which is only
// ever Str here: that conversion cannot fail (check_type_str with
// allow_conversion, str() of anything).
//
// With core219, it converts as ansible-core 2.19 and later do, with
// core222 as 2.22 and later (convert219.go).
func convert(t, elements Type, v any, lookupEnv func(string) (string, bool), core219, core222 bool) (any, error) {
	switch t {
	case List:
		list, err := toList(v)
		if err != nil {
			return nil, err
		}
		out := make([]any, len(list))
		for i, e := range list {
			if out[i], err = convert(elements, Str, e, lookupEnv, core219, core222); err != nil {
				return nil, err
			}
		}
		return out, nil
	case Int:
		if core219 {
			return toInt219(v, core222)
		}
		return toInt(v)
	case Bool:
		return toBool(v, core219)
	case Path:
		return expandPath(pyvalue.Str(v), lookupEnv), nil
	case Dict:
		return toDict(v)
	}
	if v == nil && core219 {
		return "", nil
	}
	return pyvalue.Str(v), nil
}

// toInt follows check_type_int: Python ints (and bools, which are ints)
// pass unchanged, strings go through int(), anything else fails.
func toInt(v any) (any, error) {
	switch t := v.(type) {
	case int64, json.Number, bool:
		return t, nil
	case string:
		if i, ok := pyInt(t); ok {
			return i, nil
		}
	}
	return nil, fmt.Errorf("%s cannot be converted to an int", pyvalue.Type(v))
}

// pyInt parses s as Python's int() does for base 10: surrounding white
// space, an optional sign, and single underscores between digits. (Python
// also takes other scripts' digits; ansible users write ASCII.)
func pyInt(s string) (int64, bool) {
	s = strings.TrimFunc(s, unicode.IsSpace)
	sign := ""
	if s != "" && (s[0] == '+' || s[0] == '-') {
		sign, s = s[:1], s[1:]
	}
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' || strings.Contains(s, "__") {
		return 0, false
	}
	var digits strings.Builder
	for _, r := range s {
		switch {
		case r == '_':
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		default:
			return 0, false
		}
	}
	i, err := strconv.ParseInt(sign+digits.String(), 10, 64)
	return i, err == nil
}

var (
	boolTrue  = []string{"y", "yes", "on", "1", "true", "t"}
	boolFalse = []string{"n", "no", "off", "0", "false", "f"}
)

// validBooleans is the repr of ansible-core's BOOLEANS set, in a fixed order
// (Python prints the set in an order that changes from run to run).
const validBooleans = "'y', 'yes', 'on', '1', 'true', 't', 1, 'n', 'no', 'off', '0', 'false', 'f', 0"

// toList follows check_type_list: a list, a string split at every comma,
// or a number (a bool is one) as the one-element list of its str().
func toList(v any) ([]any, error) {
	switch t := v.(type) {
	case []any:
		return t, nil
	case string:
		var out []any
		for _, s := range strings.Split(t, ",") {
			out = append(out, s)
		}
		return out, nil
	case int64, json.Number, float64, bool:
		return []any{pyvalue.Str(t)}, nil
	}
	return nil, fmt.Errorf("%s cannot be converted to a list", pyvalue.Type(v))
}

// toBool follows check_type_bool and ansible's boolean().
//
// From ansible-core 2.19 on (core219) its message has one space before
// "Valid booleans", not two.
func toBool(v any, core219 bool) (any, error) {
	switch t := v.(type) {
	case bool:
		return t, nil
	case string:
		s := strings.ToLower(strings.TrimFunc(t, unicode.IsSpace))
		for _, w := range boolTrue {
			if s == w {
				return true, nil
			}
		}
		for _, w := range boolFalse {
			if s == w {
				return false, nil
			}
		}
	case int64, float64, json.Number:
		switch pyvalue.Str(t) {
		case "1", "1.0":
			return true, nil
		case "0", "0.0", "-0.0":
			return false, nil
		}
	default:
		return nil, fmt.Errorf("%s cannot be converted to a bool", pyvalue.Type(v))
	}
	space := "  "
	if core219 {
		space = " "
	}
	//lint:ignore ST1005 the text users of the Python modules know, verbatim
	return nil, fmt.Errorf("The value '%s' is not a valid boolean.%sValid booleans include: %s", pyvalue.Str(v), space, validBooleans)
}

// toDict follows check_type_dict: a dict, a JSON object string, or
// "k1=v1, k2=v2".
func toDict(v any) (any, error) {
	switch t := v.(type) {
	case *pyvalue.Object:
		return t, nil
	case string:
		if strings.HasPrefix(t, "{") {
			d, err := Decode([]byte(t))
			if o, ok := d.(*pyvalue.Object); ok && err == nil {
				return o, nil
			}
			return nil, errors.New("unable to evaluate string as dictionary")
		}
		if strings.Contains(t, "=") {
			return keyValues(t)
		}
		return nil, errors.New("dictionary requested, could not parse JSON or key=value")
	}
	return nil, fmt.Errorf("%s cannot be converted to a dict", pyvalue.Type(v))
}

// keyValues splits "k1=v1, k2='v 2'" the way check_type_dict does.
func keyValues(s string) (*pyvalue.Object, error) {
	var fields []string
	var field strings.Builder
	var quote rune
	escaped := false
	flush := func() {
		if field.Len() > 0 {
			fields = append(fields, field.String())
		}
		field.Reset()
	}
	for _, c := range strings.TrimFunc(s, unicode.IsSpace) {
		switch {
		case escaped:
			field.WriteRune(c)
			escaped = false
		case c == '\\':
			escaped = true
		case quote == 0 && (c == '\'' || c == '"'):
			quote = c
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == ',' || c == ' '):
			flush()
		default:
			field.WriteRune(c)
		}
	}
	flush()
	obj := pyvalue.NewObject()
	for i, f := range fields {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return nil, fmt.Errorf("dictionary update sequence element #%d has length 1; 2 is required", i)
		}
		obj.Set(k, v)
	}
	return obj, nil
}

// expandPath is Python's os.path.expanduser(os.path.expandvars(p)), on
// the environment of lookupEnv.
func expandPath(p string, lookupEnv func(string) (string, bool)) string {
	p = expandVars(p, lookupEnv)
	if !strings.HasPrefix(p, "~") {
		return p
	}
	name, rest, _ := strings.Cut(p[1:], "/")
	var home string
	if name == "" {
		home, _ = lookupEnv("HOME")
		if home == "" {
			if u, err := user.Current(); err == nil {
				home = u.HomeDir
			}
		}
	} else if u, err := user.Lookup(name); err == nil {
		home = u.HomeDir
	}
	if home == "" {
		return p
	}
	if !strings.Contains(p, "/") {
		return home
	}
	return filepath.Clean(home) + "/" + rest
}

// expandVars is Python's os.path.expandvars: $name and ${name} of set
// variables are replaced, anything else is left as written.
func expandVars(p string, lookupEnv func(string) (string, bool)) string {
	if !strings.Contains(p, "$") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); {
		if p[i] != '$' {
			b.WriteByte(p[i])
			i++
			continue
		}
		j, name := i+1, ""
		braced := j < len(p) && p[j] == '{'
		if braced {
			end := strings.IndexByte(p[j:], '}')
			if end < 0 {
				b.WriteString(p[i:])
				break
			}
			name, j = p[j+1:j+end], j+end+1
		} else {
			for j < len(p) && (p[j] == '_' || p[j] >= '0' && p[j] <= '9' || p[j]|0x20 >= 'a' && p[j]|0x20 <= 'z') {
				j++
			}
			name = p[i+1 : j]
		}
		if v, ok := lookupEnv(name); ok && name != "" {
			b.WriteString(v)
		} else {
			b.WriteString(p[i:j])
		}
		i = j
	}
	return b.String()
}
