package moduleargs

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"ansible-sts/internal/boundedfile"
	"ansible-sts/internal/pyvalue"
)

// Internal holds the _ansible_* keys that ansible-core adds to every
// arguments file and that the modules use. Other _ansible_* keys are
// accepted and ignored.
type Internal struct {
	CheckMode  bool   // _ansible_check_mode
	ModuleName string // _ansible_module_name: the action as the task wrote it
	Version    string // _ansible_version: the controller's ansible-core
	// InjectInvocation is _ansible_inject_invocation, read as Python's
	// bool(), or nil when the controller sent none (before 2.21).
	InjectInvocation *bool
}

// Args is a validated arguments file.
type Args struct {
	Internal
	// Params holds every option (canonical name, converted value or nil)
	// plus each alias the task used, as AnsibleModule's params.
	Params *pyvalue.Object
	// Warnings are AnsibleModule's warnings, in order.
	Warnings []string
	// NoLogValues are the secrets to mask in the output: the values of the
	// no_log options, then those AddSecrets adds.
	NoLogValues []string
	// Sources says where each set option came from: "option NAME" (NAME is
	// the option or the alias that supplied it), "env VAR" or "default".
	Sources map[string]string
	// defaults are the spec's defaults, for options given as null.
	defaults map[string]any
}

// Error is an argument validation failure. Msg is the text AnsibleModule
// reports for the first problem found.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

// ReadFile reads and validates the arguments file at path, a regular file
// of at most boundedfile.ArgsLimit bytes. On a validation error it returns
// the Args built so far (for the invocation) and an *Error; when the file
// cannot be read or parsed, Args holds no params. lookupEnv reads the
// environment for fallbacks.
func ReadFile(path string, spec Spec, defaultName string, lookupEnv func(string) (string, bool)) (*Args, error) {
	if path == "" {
		return emptyArgs(defaultName), &Error{Msg: "no arguments file: run as MODULE ARGS_FILE, where ARGS_FILE is the JSON file ansible-core writes"}
	}
	data, err := ReadArgsFile(path)
	if err != nil {
		return emptyArgs(defaultName), err
	}
	return Parse(data, spec, defaultName, lookupEnv)
}

// ReadArgsFile returns the contents of the arguments file at path, or an
// *Error saying why it cannot be read.
func ReadArgsFile(path string) ([]byte, error) {
	data, err := boundedfile.Read(path, boundedfile.ArgsLimit)
	if err != nil {
		return nil, &Error{Msg: fmt.Sprintf("cannot read the arguments file: %v", err)}
	}
	return data, nil
}

// MaxStdin bounds the arguments read from standard input, as an arguments
// file is bounded.
const MaxStdin = boundedfile.ArgsLimit

// ReadStdin reads the arguments from r, which a caller that keeps them off
// the disk passes on standard input, up to MaxStdin bytes.
func ReadStdin(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxStdin+1))
	if err != nil {
		return nil, &Error{Msg: fmt.Sprintf("cannot read the arguments from standard input: %v", err)}
	}
	if len(data) > MaxStdin {
		return nil, &Error{Msg: fmt.Sprintf("the arguments on standard input are larger than %d MiB", MaxStdin>>20)}
	}
	return data, nil
}

// Unreadable returns the Args of a run whose arguments could not be read,
// and err as the *Error to report.
func Unreadable(defaultName string, err error) (*Args, error) {
	return emptyArgs(defaultName), err
}

// ModuleName returns the _ansible_module_name of an arguments file's
// contents, or "" when it has none or is not a JSON object.
func ModuleName(data []byte) string {
	raw, err := Decode(data)
	if err != nil {
		return ""
	}
	obj, ok := raw.(*pyvalue.Object)
	if !ok {
		return ""
	}
	v, _ := obj.Get("_ansible_module_name")
	name, _ := v.(string)
	return name
}

// Parse validates the contents of an arguments file against spec. lookupEnv
// reads the environment for fallbacks.
func Parse(data []byte, spec Spec, defaultName string, lookupEnv func(string) (string, bool)) (*Args, error) {
	raw, err := Decode(data)
	if err != nil {
		return emptyArgs(defaultName), &Error{Msg: fmt.Sprintf("the arguments file is not valid JSON: %v", err)}
	}
	obj, ok := raw.(*pyvalue.Object)
	if !ok {
		return emptyArgs(defaultName), &Error{Msg: fmt.Sprintf("the arguments file must hold a JSON object, not %s", jsonKind(raw))}
	}
	a := emptyArgs(defaultName)
	for _, k := range obj.Keys() {
		v, _ := obj.Get(k)
		if strings.HasPrefix(k, "_ansible_") {
			a.setInternal(k, v)
			continue
		}
		a.Params.Set(k, v)
	}
	return a, a.validate(spec, lookupEnv)
}

func emptyArgs(name string) *Args {
	return &Args{Params: pyvalue.NewObject(), Sources: map[string]string{}, Internal: Internal{ModuleName: name}}
}

// setInternal records one _ansible_* key, leniently: a value of the wrong
// type keeps the default rather than failing the task.
func (a *Args) setInternal(key string, v any) {
	switch key {
	case "_ansible_check_mode":
		a.CheckMode = truthy(v)
	case "_ansible_module_name":
		if s, ok := v.(string); ok && s != "" {
			a.ModuleName = s
		}
	case "_ansible_version":
		if s, ok := v.(string); ok {
			a.Version = s
		}
	case "_ansible_inject_invocation":
		b := pyTruthy(v)
		a.InjectInvocation = &b
	}
}

func truthy(v any) bool {
	b, err := toBool(v, false)
	return err == nil && b == true
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case []any:
		return "an array"
	}
	return "a number"
}

// Str returns option name as a string and whether it is set (not null).
func (a *Args) Str(name string) (string, bool) {
	v, _ := a.Params.Get(name)
	s, ok := v.(string)
	return s, ok
}

// Bool returns option name as a bool. Unset or null reads as the option's
// default (false when it has none): AnsibleModule keeps a null as None,
// which the Python modules read as the default for both bool options, a
// null validate_certs reaching botocore as verify=None (verify) and a null
// debug_botocore_endpoint_logs being falsy (off).
func (a *Args) Bool(name string) bool {
	v, _ := a.Params.Get(name)
	if v == nil {
		v = a.defaults[name]
	}
	b, _ := v.(bool)
	return b
}

// AddSecrets adds secrets the module found beyond its no_log options (in
// the environment, in files, from a process) to NoLogValues, so that the
// output masks them like the no_log values.
func (a *Args) AddSecrets(values ...string) { a.addNoLog(values...) }

// Value returns option name's value as validated (nil when unset).
func (a *Args) Value(name string) any {
	v, _ := a.Params.Get(name)
	return v
}

// Dict returns option name as an object (nil when unset).
func (a *Args) Dict(name string) *pyvalue.Object {
	v, _ := a.Params.Get(name)
	o, _ := v.(*pyvalue.Object)
	return o
}

// Invocation returns the invocation key of a result:
// {"module_args": params}. Masking happens when the result is written.
func (a *Args) Invocation() map[string]any {
	return map[string]any{"module_args": a.Params}
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
