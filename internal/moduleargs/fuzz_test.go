package moduleargs_test

import (
	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/modules"
	"ansible-sts/internal/pyvalue"
	"ansible-sts/internal/result"
	"ansible-sts/test/testenv"
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// The seeds are in testdata/fuzz/FuzzDecode and testdata/fuzz/FuzzParse;
// plain go test runs them. To fuzz one target for a while:
//
//	go test -run '^$' -fuzz '^FuzzDecode$' -fuzztime 60s ./internal/moduleargs
//	go test -run '^$' -fuzz '^FuzzParse$' -fuzztime 60s ./internal/moduleargs

// FuzzDecode checks that Decode never panics and agrees with encoding/json:
// it accepts only valid JSON, rejects valid JSON only for its depth limit,
// and what it returns is the value encoding/json reads.
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := moduleargs.Decode(data)
		valid := json.Valid(data) && utf8.Valid(data) // Python reads UTF-8 only
		if err == nil && !valid {
			t.Fatalf("Decode accepts invalid JSON %q", data)
		}
		if err != nil {
			if v != nil {
				t.Errorf("Decode returns %#v with error %v", v, err)
			}
			if valid && !strings.HasPrefix(err.Error(), "nested deeper than ") {
				t.Fatalf("Decode rejects valid JSON %q: %v", data, err)
			}
			return
		}
		checkDecoded(t, v)
		var want any
		if json.Unmarshal(data, &want) != nil {
			return // a number beyond float64, which Decode reads as an infinity
		}
		again, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("cannot encode what Decode returns for %q: %v", data, err)
		}
		var got any
		if err := json.Unmarshal(again, &got); err != nil {
			t.Fatalf("Decode's value re-encodes as invalid JSON %q: %v", again, err)
		}
		// Not cmp.Diff: it takes time exponential in the nesting depth.
		if !reflect.DeepEqual(want, got) {
			wantJSON, _ := json.Marshal(want)
			t.Errorf("Decode(%q) reads %s, encoding/json %s", data, again, wantJSON)
		}
	})
}

// checkDecoded fails unless v holds only the types Decode documents.
func checkDecoded(t testing.TB, v any) {
	t.Helper()
	switch x := v.(type) {
	case nil, bool, string, int64, float64:
	case json.Number:
		if strings.ContainsAny(string(x), ".eE") {
			t.Errorf("json.Number %s is not an integer", x)
		}
	case []any:
		for _, e := range x {
			checkDecoded(t, e)
		}
	case *pyvalue.Object:
		for _, k := range x.Keys() {
			e, _ := x.Get(k)
			checkDecoded(t, e)
		}
	default:
		t.Errorf("Decode returns a %T", v)
	}
}

// fuzzSpec is the spec of sts_assume_role: the AWS options, then the
// module's own.
var fuzzSpec = modules.AssumeRole.Spec()

// fuzzEnv is the environment the fallbacks see.
var fuzzEnv = map[string]string{"AWS_REGION": "eu-west-1", "EC2_URL": "http://127.0.0.1:1"}

// FuzzParse checks that Parse never panics, fails only with an *Error,
// always returns Args, converts every option to its type on success, and
// that the masked invocation, printed on every path, holds no no_log value.
func FuzzParse(f *testing.F) {
	lookup := func(k string) (string, bool) { v, ok := fuzzEnv[k]; return v, ok }
	f.Fuzz(func(t *testing.T, data []byte) {
		args, err := moduleargs.Parse(data, fuzzSpec, "sts_assume_role", lookup)
		if args == nil || args.Params == nil {
			t.Fatalf("Parse(%q) returns no Args (error %v)", data, err)
		}
		if err != nil {
			var e *moduleargs.Error
			if !errors.As(err, &e) || e.Msg == "" {
				t.Fatalf("Parse(%q) fails with %T %q, want a non-empty *Error", data, err, err)
			}
		}
		for _, k := range args.Params.Keys() {
			if strings.HasPrefix(k, "_ansible_") {
				t.Errorf("internal key %s is a param", k)
			}
		}
		seen := map[string]bool{}
		for _, s := range args.NoLogValues {
			if s == "" || seen[s] {
				t.Errorf("no_log values %q hold an empty or repeated value", args.NoLogValues)
			}
			seen[s] = true
		}
		if err == nil {
			for _, o := range fuzzSpec {
				v, ok := args.Params.Get(o.Name)
				if !ok {
					t.Errorf("option %s is missing from the params", o.Name)
				}
				if !typed(o.Type, v) {
					t.Errorf("option %s of type %s holds %T %#v", o.Name, o.Type, v, v)
				}
			}
		}
		assertMasked(t, args, err == nil)
	})
}

// typed reports whether v is a converted value of type t (or null).
func typed(t moduleargs.Type, v any) bool {
	switch v.(type) {
	case nil:
		return true
	case string:
		return t == moduleargs.Str || t == moduleargs.Path
	case int64, json.Number:
		return t == moduleargs.Int
	case bool:
		return t == moduleargs.Int || t == moduleargs.Bool
	case *pyvalue.Object:
		return t == moduleargs.Dict
	case []any:
		return t == moduleargs.List
	}
	return false
}

// assertMasked checks the invocation as the result prints it: no string in
// it contains a no_log value, and, when validation passed, every no_log
// option whose value is itself a no_log value (a string or a number, not a
// list or a dict turned into its str()) shows the placeholder.
func assertMasked(t *testing.T, args *moduleargs.Args, valid bool) {
	t.Helper()
	masked := result.Mask(args.Invocation(), args.NoLogValues)
	out, err := json.Marshal(masked)
	if err != nil {
		var unsupported *json.UnsupportedValueError
		if !errors.As(err, &unsupported) { // an infinity cannot be printed
			t.Fatalf("cannot encode the invocation: %v", err)
		}
		return
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	var inv struct {
		ModuleArgs map[string]any `json:"module_args"`
	}
	if err := dec.Decode(&inv); err != nil {
		t.Fatalf("the invocation is not JSON: %v\n%s", err, out)
	}
	for _, s := range testenv.StringValues(inv.ModuleArgs) {
		for _, secret := range args.NoLogValues {
			if testenv.Checkable(secret) && strings.Contains(s, secret) {
				t.Errorf("no_log value %q shows in the invocation: %q", secret, s)
			}
		}
	}
	if !valid {
		return
	}
	for _, o := range fuzzSpec {
		if !o.NoLog {
			continue
		}
		if s, ok := args.Str(o.Name); ok && slices.Contains(args.NoLogValues, s) {
			if got := inv.ModuleArgs[o.Name]; got != result.NoLogPlaceholder {
				t.Errorf("module_args.%s = %#v, want %s", o.Name, got, result.NoLogPlaceholder)
			}
		}
	}
}
