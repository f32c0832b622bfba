package stsio

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/pyvalue"
)

// Kind is the shape of a request parameter in the STS model, and of the
// SDK's input field that holds it.
type Kind int

// The parameter shapes the modules send.
const (
	// String is a string member (a *string field), from a str option.
	String Kind = iota
	// Integer is an integer member (a *int32), from an int option.
	Integer
	// StringList is a list member from a list option: of strings
	// ([]string, sent as NAME.member.N), or, when Param.Field is set,
	// of structures of that one string member (such as
	// []types.PolicyDescriptorType, sent as NAME.member.N.arn).
	StringList
	// TagList is a list of Tag structures ([]types.Tag, sent as
	// NAME.member.N.Key and .Value) from a dict option: one tag a key,
	// in the order of the keys, sorted, so that the request and the
	// index botocore's messages give do not depend on how the task
	// wrote the dict.
	TagList
)

// Param is one request parameter: its STS name, the module option it comes
// from, its shape and the minimum botocore enforces before sending (a
// length for strings, each element's for a list, each key's for tags; a
// value for integers). botocore checks only minimums (validate.py's
// range_check): maximums and patterns are left to STS, which refuses
// them with its own ValidationError.
type Param struct {
	Name   string // STS member name, e.g. "RoleArn"
	Option string // module option, e.g. "role_arn"
	Min    int
	Kind   Kind
	// Field is, for a StringList of structures, the member of each
	// structure, as the model and botocore's messages name it (e.g.
	// "arn").
	Field    string
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
// minimum, in params order (the Python modules' order), a list's
// elements in turn.
func Check(args *moduleargs.Args, params []Param) error {
	var problems []string
	for _, p := range params {
		if p.Required && args.Value(p.Option) == nil {
			problems = append(problems, fmt.Sprintf("Missing required parameter in input: %q", p.Name))
		}
	}
	length := func(name, s string, min int) {
		if n := utf8.RuneCountInString(s); n < min {
			problems = append(problems, fmt.Sprintf("Invalid length for parameter %s, value: %d, valid min length: %d", name, n, min))
		}
	}
	for _, p := range params {
		v := args.Value(p.Option)
		if v == nil {
			continue
		}
		switch p.Kind {
		case Integer:
			n, shown := intValue(v)
			if n < int64(p.Min) {
				problems = append(problems, fmt.Sprintf("Invalid value for parameter %s, value: %s, valid min value: %d", p.Name, shown, p.Min))
			} else if n > math.MaxInt32 {
				problems = append(problems, fmt.Sprintf("Invalid value for parameter %s, value: %s, valid max value: %d", p.Name, shown, math.MaxInt32))
			}
		case StringList:
			for i, s := range stringsValue(v) {
				name := fmt.Sprintf("%s[%d]", p.Name, i)
				if p.Field != "" {
					name += "." + p.Field
				}
				length(name, s, p.Min)
			}
		case TagList:
			for i, t := range sortedTags(v) {
				length(fmt.Sprintf("%s[%d].Key", p.Name, i), t.key, p.Min)
				if _, ok := tagValue(t.value); !ok {
					problems = append(problems, fmt.Sprintf("Invalid type for parameter %s[%d].Value, value: %s, type: %s, valid types: <class 'str'>", p.Name, i, pyvalue.Str(t.value), pyvalue.Type(t.value)))
				}
			}
		default:
			s, _ := v.(string)
			length(p.Name, s, p.Min)
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
	return 0, pyvalue.Str(v)
}

// stringsValue returns a list option's elements, which validation made
// strings.
func stringsValue(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		out = append(out, pyvalue.Str(e))
	}
	return out
}

// tag is one key of a tags dict and its value as given.
type tag struct {
	key   string
	value any
}

// sortedTags returns the keys of a dict option, sorted (Python's sorted(),
// as both compare code points), each with its value.
func sortedTags(v any) []tag {
	obj, _ := v.(*pyvalue.Object)
	if obj == nil {
		return nil
	}
	keys := obj.Keys()
	slices.Sort(keys)
	out := make([]tag, len(keys))
	for i, k := range keys {
		value, _ := obj.Get(k)
		out[i] = tag{k, value}
	}
	return out
}

// tagValue returns a tag's value as sent: a string as given, a number or
// a boolean as Python's str() writes it (1.5, True), as amazon.aws's tag
// helpers convert them. A null, a list or a dict is no tag value: false,
// and Check reports it in botocore's words.
func tagValue(v any) (string, bool) {
	switch v.(type) {
	case nil, []any, *pyvalue.Object:
		return "", false
	}
	return pyvalue.Str(v), true
}

// The SDK's input is built from the options as a literal in each module,
// with these conversions. Each returns nil when the option is unset, so
// that the member is not sent; an empty string or list is sent, as botocore
// sends it. Call them only after Check, which also reports what they cannot
// convert.

// Int32 returns an int option as an integer member.
func Int32(args *moduleargs.Args, option string) *int32 {
	v := args.Value(option)
	if v == nil {
		return nil
	}
	n, _ := intValue(v)
	return aws.Int32(int32(n))
}

// Str returns an option as a string member, as Python's str() writes its
// value.
func Str(args *moduleargs.Args, option string) *string {
	v := args.Value(option)
	if v == nil {
		return nil
	}
	return aws.String(pyvalue.Str(v))
}

// Strings returns a list option as a list of strings.
func Strings(args *moduleargs.Args, option string) []string {
	v := args.Value(option)
	if v == nil {
		return nil
	}
	return stringsValue(v)
}

// PolicyARNs returns a list option of policy ARNs as a list of
// PolicyDescriptorType structures, one ARN each.
func PolicyARNs(args *moduleargs.Args, option string) []types.PolicyDescriptorType {
	v := args.Value(option)
	if v == nil {
		return nil
	}
	arns := stringsValue(v)
	out := make([]types.PolicyDescriptorType, len(arns))
	for i, arn := range arns {
		out[i].Arn = aws.String(arn)
	}
	return out
}

// Tags returns a dict option as a list of Tag structures, one a key, in the
// order of the keys, sorted, each value converted as tagValue says.
func Tags(args *moduleargs.Args, option string) []types.Tag {
	v := args.Value(option)
	if v == nil {
		return nil
	}
	ts := sortedTags(v)
	out := make([]types.Tag, len(ts))
	for i, t := range ts {
		s, _ := tagValue(t.value)
		out[i] = types.Tag{Key: aws.String(t.key), Value: aws.String(s)}
	}
	return out
}
