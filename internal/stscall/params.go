package stscall

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"unicode/utf8"

	"ansible-sts/internal/ansible"
)

// Param is one request parameter: its STS name, the module option it comes
// from and the minimum botocore enforces before sending (a length for
// strings, a value for integers). botocore checks only minimums; maximums
// and patterns are left to STS.
type Param struct {
	Name     string // STS member name, e.g. "RoleArn"
	Option   string // module option, e.g. "role_arn"
	Min      int
	Int      bool
	Required bool
}

// ValidationError is botocore's ParamValidationError: every problem, one
// line each, in botocore's words and order.
type ValidationError struct{ Problems []string }

func (e *ValidationError) Error() string {
	return "Parameter validation failed:\n" + strings.Join(e.Problems, "\n")
}

// Check validates the options feeding params as botocore validates the
// request built from them: an option that is null is not sent, so a
// required one is reported missing; then each sent value against its
// minimum, in params order (the Python modules' order).
func Check(args *ansible.Args, params []Param) error {
	var problems []string
	for _, p := range params {
		if p.Required && args.Value(p.Option) == nil {
			problems = append(problems, fmt.Sprintf("Missing required parameter in input: %q", p.Name))
		}
	}
	for _, p := range params {
		v := args.Value(p.Option)
		if v == nil {
			continue
		}
		if p.Int {
			n, shown := intValue(v)
			if n < int64(p.Min) {
				problems = append(problems, fmt.Sprintf("Invalid value for parameter %s, value: %s, valid min value: %d", p.Name, shown, p.Min))
			} else if n > math.MaxInt32 {
				problems = append(problems, fmt.Sprintf("Invalid value for parameter %s, value: %s, valid max value: %d", p.Name, shown, math.MaxInt32))
			}
			continue
		}
		s, _ := v.(string)
		if n := utf8.RuneCountInString(s); n < p.Min {
			problems = append(problems, fmt.Sprintf("Invalid length for parameter %s, value: %d, valid min length: %d", p.Name, n, p.Min))
		}
	}
	if len(problems) > 0 {
		return &ValidationError{Problems: problems}
	}
	return nil
}

// intValue returns an int option's value and how Python prints it; a bool
// is an int in Python (True is 1).
func intValue(v any) (int64, string) {
	switch t := v.(type) {
	case int64:
		return t, fmt.Sprint(t)
	case bool:
		if t {
			return 1, "True"
		}
		return 0, "False"
	case json.Number: // beyond int64
		if strings.HasPrefix(string(t), "-") {
			return math.MinInt64, string(t)
		}
		return math.MaxInt64, string(t)
	}
	return 0, ansible.PyStr(v)
}

// Fill sets the members of in, a pointer to the SDK's input of the
// operation (such as *sts.AssumeRoleInput), that params name, each from its
// option: the field named after the STS member, a *int32 for an int option
// and a *string otherwise, left nil when the option is unset (an empty
// string is sent, as botocore sends it). Call it only after Check. A
// parameter naming no such field panics: the modules' tests fill every one.
func Fill(in any, args *ansible.Args, params []Param) {
	v := reflect.ValueOf(in).Elem()
	for _, p := range params {
		f := v.FieldByName(p.Name)
		if p.Int {
			f.Set(reflect.ValueOf(int32Value(args, p.Option)))
		} else {
			f.Set(reflect.ValueOf(stringValue(args, p.Option)))
		}
	}
}

// int32Value returns an int option as the SDK wants it, nil when unset.
func int32Value(args *ansible.Args, option string) *int32 {
	v := args.Value(option)
	if v == nil {
		return nil
	}
	n, _ := intValue(v)
	i := int32(n)
	return &i
}

// stringValue returns a str option as the SDK wants it, nil when unset.
func stringValue(args *ansible.Args, option string) *string {
	s, ok := args.Str(option)
	if !ok {
		return nil
	}
	return &s
}
