package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/modulefuzz"
)

// secretEnv are the environment variables that hold secrets the modules
// read.
var secretEnv = []string{
	"AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY", "EC2_SECRET_KEY",
	"AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "EC2_SECURITY_TOKEN",
}

// assertNoSecretLeak fails if an input secret shows in a run's output: the
// strings given to a no_log option or alias (modulefuzz.SecretOptions, in
// lists and dicts too) and the secret environment variables, from
// modulefuzz.MinSecretLen characters on, must appear neither in stdout
// (as written or JSON-escaped) nor in stderr. It also checks that
// invocation.module_args shows every no_log option given a non-empty
// string as VALUE_SPECIFIED_IN_NO_LOG_PARAMETER.
func assertNoSecretLeak(t testing.TB, input map[string]any, env []string, stdout, stderr []byte) {
	t.Helper()
	var secrets []string
	for _, name := range modulefuzz.SecretOptions {
		secrets = append(secrets, stringsOf(input[name])...)
	}
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		for _, s := range secretEnv {
			if name == s {
				secrets = append(secrets, value)
			}
		}
	}
	for _, s := range secrets {
		// Masking writes these, so such a secret may show without leaking.
		if len(s) < modulefuzz.MinSecretLen || strings.Contains(s, "*") || strings.Contains(moduleargs.NoLogPlaceholder, s) {
			continue
		}
		escaped, _ := json.Marshal(s)
		escaped = bytes.Trim(escaped, `"`)
		shown := s[:min(3, len(s))] + "…"
		if bytes.Contains(stdout, []byte(s)) || bytes.Contains(stdout, escaped) {
			t.Errorf("input secret %q shows on stdout", shown)
		}
		if bytes.Contains(stderr, []byte(s)) {
			t.Errorf("input secret %q shows on stderr", shown)
		}
	}

	var result struct {
		Invocation struct {
			ModuleArgs map[string]any `json:"module_args"`
		} `json:"invocation"`
	}
	if json.Unmarshal(stdout, &result) != nil {
		return // runRaw reports it
	}
	for _, name := range modulefuzz.SecretOptions {
		s, ok := input[name].(string)
		if !ok || s == "" {
			continue
		}
		if got, shown := result.Invocation.ModuleArgs[name]; shown && got != moduleargs.NoLogPlaceholder {
			t.Errorf("invocation.module_args.%s = %#v, want %s", name, got, moduleargs.NoLogPlaceholder)
		}
	}
}

// stringsOf returns the strings of an input value, looking into lists and
// dict values, as AnsibleModule collects no_log values.
func stringsOf(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, stringsOf(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range x {
			out = append(out, stringsOf(e)...)
		}
		return out
	}
	return nil
}

func TestAssertNoSecretLeak(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	masked := `{"failed": true, "msg": "x", "invocation": {"module_args": {"aws_secret_key": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"}}}`
	tests := map[string]struct {
		input          map[string]any
		env            []string
		stdout, stderr string
		wantErrors     int
	}{
		"masked":                 {input: map[string]any{"aws_secret_key": secret}, stdout: masked},
		"in msg":                 {input: map[string]any{"aws_secret_key": secret}, stdout: `{"msg": "key ` + secret + `"}`, wantErrors: 1},
		"json escaped":           {input: map[string]any{"mfa_token": `12"34`}, stdout: `{"msg": "12\"34"}`, wantErrors: 1},
		"in module_args":         {input: map[string]any{"secret_key": secret}, stdout: `{"invocation": {"module_args": {"secret_key": "` + secret + `"}}}`, wantErrors: 2},
		"on stderr":              {input: map[string]any{"security_token": "token-1234"}, stdout: `{}`, stderr: "token-1234", wantErrors: 1},
		"inside a list":          {input: map[string]any{"mfa_token": []any{"654321"}}, stdout: `{"msg": "654321"}`, wantErrors: 1},
		"from the environment":   {env: []string{"AWS_SESSION_TOKEN=FwoGZXIvYXdz"}, stdout: `{"msg": "FwoGZXIvYXdz"}`, wantErrors: 1},
		"other variables":        {env: []string{"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"}, stdout: `{"msg": "AKIAIOSFODNN7EXAMPLE"}`},
		"short values":           {input: map[string]any{"mfa_token": "123"}, stdout: `{"msg": "123"}`},
		"placeholder substrings": {input: map[string]any{"mfa_token": "VALUE"}, stdout: masked},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			rec := &recorder{TB: t}
			assertNoSecretLeak(rec, tc.input, tc.env, []byte(tc.stdout), []byte(tc.stderr))
			if diff := cmp.Diff(tc.wantErrors, rec.errors); diff != "" {
				t.Errorf("errors reported (-want +got):\n%s\n%s", diff, strings.Join(rec.msgs, "\n"))
			}
		})
	}
}

// recorder counts the errors a helper reports instead of failing the test.
type recorder struct {
	testing.TB
	errors int
	msgs   []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors++
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}
