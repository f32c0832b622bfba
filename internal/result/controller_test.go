package result

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/moduleargs"
)

// controllerSpec has a no_log option with aliases and an environment
// fallback, another no_log option, and an option that is no secret.
var controllerSpec = moduleargs.Spec{
	{Name: "aws_secret_key", Aliases: []string{"secret_key", "ec2_secret_key"}, NoLog: true, EnvFallback: []string{"SECRET_FALLBACK"}},
	{Name: "mfa_token", NoLog: true},
	{Name: "role_arn"},
	{Name: "duration_seconds", Type: moduleargs.Int},
}

// runOf is the Run of a module run with arguments a whose result returns
// the secrets returned in clear, as the modules' runner makes it.
func runOf(a *moduleargs.Args, returned ...string) *Run {
	run := &Run{Warnings: a.Warnings, Secrets: a.NoLogValues, Returned: returned, ControllerMasks: a.MasksSecrets()}
	if a.IncludesInvocation() {
		run.Invocation = a.Invocation()
	}
	return run
}

// writeFor parses args (a JSON object without its braces) with the
// internal keys keys, writes result r for them and returns the decoded
// output.
func writeFor(t *testing.T, keys, args string, env map[string]string, r Result, returned ...string) map[string]any {
	t.Helper()
	a, err := moduleargs.Parse(object(keys, args), controllerSpec, "m", func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil && !r.Failed() {
		t.Fatal(err)
	}
	var out bytes.Buffer
	Write(&out, r, runOf(a, returned...))
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, out.Bytes())
	}
	return got
}

// object returns a JSON object of the members in parts, each a list of
// members without braces, or empty.
func object(parts ...string) []byte {
	var members []string
	for _, p := range parts {
		if p != "" {
			members = append(members, p)
		}
	}
	return []byte("{" + strings.Join(members, ", ") + "}")
}

// TestInjectInvocation: the key, when sent, decides as Python's bool()
// of it does; without it the invocation is always there.
func TestInjectInvocation(t *testing.T) {
	tests := map[string]struct {
		keys string
		want bool
	}{
		"absent (2.14)":         {`"_ansible_version": "2.14.18"`, true},
		"absent (2.19)":         {`"_ansible_version": "2.19.11"`, true},
		"absent, 2.22":          {`"_ansible_version": "2.22.0"`, true},
		"true":                  {`"_ansible_version": "2.22.0", "_ansible_inject_invocation": true`, true},
		"false":                 {`"_ansible_version": "2.22.0", "_ansible_inject_invocation": false`, false},
		"false (2.21)":          {`"_ansible_version": "2.21.3", "_ansible_inject_invocation": false`, false},
		"true (2.21)":           {`"_ansible_version": "2.21.3", "_ansible_inject_invocation": true`, true},
		"null":                  {`"_ansible_inject_invocation": null`, false},
		"zero":                  {`"_ansible_inject_invocation": 0`, false},
		"empty string":          {`"_ansible_inject_invocation": ""`, false},
		"the string false":      {`"_ansible_inject_invocation": "false"`, true},
		"one":                   {`"_ansible_inject_invocation": 1`, true},
		"empty list":            {`"_ansible_inject_invocation": []`, false},
		"non-empty object":      {`"_ansible_inject_invocation": {"a": 1}`, true},
		"false, the module set": {`"_ansible_inject_invocation": false`, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := Result{"changed": true}
			if name == "false, the module set" {
				// AnsibleModule drops even an invocation the module passes.
				r["invocation"] = map[string]any{"module_args": map[string]any{}}
			}
			got := writeFor(t, tc.keys, `"role_arn": "arn:aws:iam::123456789012:role/r"`, nil, r)
			_, has := got["invocation"]
			if has != tc.want {
				t.Errorf("invocation in the result: %v, want %v: %v", has, tc.want, got)
			}
		})
	}
	// A failure follows the same rule.
	got := writeFor(t, `"_ansible_inject_invocation": false`, `"duration_seconds": "x"`, nil, Failure("bad"))
	if _, has := got["invocation"]; has {
		t.Errorf("failure with _ansible_inject_invocation false: invocation returned: %v", got)
	}
}

// TestPlaceholderByVersion: up to 2.21 the result is masked as
// remove_values masks it; from 2.22 as the controller shows a secret,
// $REDACTED$ everywhere, touching occurrences joined.
func TestPlaceholderByVersion(t *testing.T) {
	const args = `"secret_key": "wJalrXUtnFEMI", "mfa_token": "314159", "role_arn": "arn:aws:iam::314159314159:role/r"`
	r := Result{"changed": true, "sts_user": map[string]any{"arn": "arn:aws:sts::314159314159:assumed-role/r/s"}, "note": "key wJalrXUtnFEMI"}
	tests := map[string]struct {
		keys                   string
		value, arn, note, text string
	}{
		"2.14": {`"_ansible_version": "2.14.18"`, NoLogPlaceholder, "arn:aws:sts::****************:assumed-role/r/s", "key ********", "arn:aws:iam::****************:role/r"},
		"2.19": {`"_ansible_version": "2.19.11"`, NoLogPlaceholder, "arn:aws:sts::****************:assumed-role/r/s", "key ********", "arn:aws:iam::****************:role/r"},
		"2.21": {`"_ansible_version": "2.21.3", "_ansible_inject_invocation": true`, NoLogPlaceholder, "arn:aws:sts::****************:assumed-role/r/s", "key ********", "arn:aws:iam::****************:role/r"},
		"2.22": {`"_ansible_version": "2.22.0b2", "_ansible_inject_invocation": true`, "$REDACTED$", "arn:aws:sts::$REDACTED$:assumed-role/r/s", "key $REDACTED$", "arn:aws:iam::$REDACTED$:role/r"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := writeFor(t, tc.keys, args, nil, r)
			want := map[string]any{
				"changed":  true,
				"sts_user": map[string]any{"arn": tc.arn},
				"note":     tc.note,
				"invocation": map[string]any{"module_args": map[string]any{
					"aws_secret_key": tc.value, "secret_key": tc.value, "mfa_token": tc.value,
					"role_arn": tc.text, "duration_seconds": nil,
				}},
			}
			delete(got, NewSecretsKey) // TestNewSecrets
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNewSecrets: for a controller that masks secrets, the result lists
// every secret it is masked of (the no_log options under each name, the
// environment fallbacks, those the module adds) and the returned ones,
// each as the controller registers it; for an older one, nothing.
func TestNewSecrets(t *testing.T) {
	long := strings.Repeat("é", maxSecretLen+10)
	tests := map[string]struct {
		keys, args string
		env        map[string]string
		added      []string
		returned   []string
		failure    bool
		want       []string
	}{
		"options": {
			keys: `"_ansible_version": "2.22.0"`,
			args: `"aws_secret_key": "wJalrXUtnFEMI", "mfa_token": "314159"`,
			want: []string{"wJalrXUtnFEMI", "314159"},
		},
		"an alias": {
			keys: `"_ansible_version": "2.22.0"`,
			args: `"ec2_secret_key": "aliasSecret1"`,
			want: []string{"aliasSecret1"},
		},
		"the alias that lost too": {
			keys: `"_ansible_version": "2.22.0"`,
			args: `"secret_key": "lostSecret1", "ec2_secret_key": "wonSecret1"`,
			want: []string{"wonSecret1", "lostSecret1"},
		},
		"an environment fallback": {
			keys: `"_ansible_version": "2.22.0"`,
			env:  map[string]string{"SECRET_FALLBACK": "fromTheEnv1"},
			want: []string{"fromTheEnv1"},
		},
		"secrets the module found": {
			keys:  `"_ansible_version": "2.22.0"`,
			added: []string{"fileSecret1", "", "wJalrXUtnFEMI"},
			args:  `"aws_secret_key": "wJalrXUtnFEMI"`,
			want:  []string{"wJalrXUtnFEMI", "fileSecret1"},
		},
		"returned credentials": {
			keys:     `"_ansible_version": "2.22.0"`,
			args:     `"mfa_token": "314159"`,
			returned: []string{"newSecretKey1", "newSessionToken1"},
			want:     []string{"314159", "newSecretKey1", "newSessionToken1"},
		},
		"a number": {
			keys: `"_ansible_version": "2.22.0"`,
			args: `"mfa_token": 123456`,
			want: []string{"123456"},
		},
		"trimmed, short, cut": {
			keys:     `"_ansible_version": "2.22.0"`,
			args:     fmt.Sprintf(`"mfa_token": " \t314159\r\n", "aws_secret_key": %q`, long),
			returned: []string{"abc", "abcd", " ab ", "314159"},
			want:     []string{long[:2*maxSecretLen], "314159", "abcd"},
		},
		"a failure lists them as well": {
			keys:    `"_ansible_version": "2.22.0"`,
			args:    `"mfa_token": "314159", "duration_seconds": "x"`,
			failure: true,
			want:    []string{"314159"},
		},
		"check mode": {
			keys: `"_ansible_version": "2.22.0", "_ansible_check_mode": true`,
			args: `"mfa_token": "314159"`,
			want: []string{"314159"},
		},
		"none": {
			keys: `"_ansible_version": "2.22.0"`,
			args: `"mfa_token": "abc"`,
		},
		"2.21": {
			keys:     `"_ansible_version": "2.21.3", "_ansible_inject_invocation": true`,
			args:     `"aws_secret_key": "wJalrXUtnFEMI"`,
			returned: []string{"newSecretKey1"},
		},
		"2.19": {
			keys:     `"_ansible_version": "2.19.11"`,
			args:     `"aws_secret_key": "wJalrXUtnFEMI"`,
			returned: []string{"newSecretKey1"},
		},
		"2.14": {
			keys:     `"_ansible_version": "2.14.18"`,
			args:     `"aws_secret_key": "wJalrXUtnFEMI"`,
			returned: []string{"newSecretKey1"},
		},
		"no version": {
			args:     `"aws_secret_key": "wJalrXUtnFEMI"`,
			returned: []string{"newSecretKey1"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			a, err := moduleargs.Parse(object(tc.keys, tc.args), controllerSpec, "m", func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
			if (err != nil) != tc.failure {
				t.Fatalf("Parse: %v", err)
			}
			a.AddSecrets(tc.added...)
			r := Result{"changed": true, "sts_creds": map[string]any{"secret_key": "newSecretKey1"}}
			if tc.failure {
				r = Failure(err.Error())
			}
			var out bytes.Buffer
			Write(&out, r, runOf(a, tc.returned...))
			var got map[string]any
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("%v: %s", err, out.Bytes())
			}
			var list []string
			if v, ok := got[NewSecretsKey]; ok {
				items, _ := v.([]any)
				if len(items) == 0 {
					t.Errorf("%s is %#v, want a non-empty list or no key", NewSecretsKey, v)
				}
				for _, e := range items {
					s, _ := e.(string)
					list = append(list, s)
				}
			}
			if diff := cmp.Diff(tc.want, list); diff != "" {
				t.Errorf("%s (-want +got):\n%s", NewSecretsKey, diff)
			}
			// The returned credentials stay in the result in clear.
			if !tc.failure {
				if creds, _ := got["sts_creds"].(map[string]any); creds["secret_key"] != "newSecretKey1" {
					t.Errorf("sts_creds.secret_key = %v, want it in clear", creds["secret_key"])
				}
			}
			// Outside the list, no secret of the arguments shows.
			delete(got, NewSecretsKey)
			rest, _ := json.Marshal(got)
			for _, s := range a.NoLogValues {
				if bytes.Contains(rest, []byte(s)) {
					t.Errorf("secret %q shows outside %s: %s", s, NewSecretsKey, rest)
				}
			}
		})
	}
}

func TestRegistrable(t *testing.T) {
	for in, want := range map[string]string{
		"abcd":           "abcd",
		"abc":            "",
		" \t\r\nabcd\n ": "abcd",
		"\vabc":          "\vabc", // only space, tab, CR and LF are trimmed
		"ab cd":          "ab cd",
		"ééé":            "",
		"éééé":           "éééé",
		"  ab  ":         "",
	} {
		got, ok := registrable(in)
		if !ok {
			got = ""
		}
		if got != want {
			t.Errorf("registrable(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	long := strings.Repeat("x", maxSecretLen) + "yz"
	if got, ok := registrable(long); !ok || got != long[:maxSecretLen] {
		t.Errorf("registrable of %d characters: %d characters, %v; want the first %d", len(long), len(got), ok, maxSecretLen)
	}
}

// TestMaskRedacted: in the style of a controller that masks secrets,
// equal values, occurrences, keys and numbers all read $REDACTED$, and
// occurrences that touch or overlap are one.
func TestMaskRedacted(t *testing.T) {
	secrets := []string{"314159", "abcd1234", "1234wxyz"}
	in := map[string]any{
		"equal":       "314159",
		"inside":      "code 314159.",
		"touching":    "314159314159",
		"apart":       "314159-314159",
		"overlapping": "abcd1234wxyz",
		"number":      int64(93141592),
		"other":       int64(42),
		"keys":        map[string]any{"k-314159": 1, "k-$REDACTED$": 2},
	}
	want := map[string]any{
		"equal":       "$REDACTED$",
		"inside":      "code $REDACTED$.",
		"touching":    "$REDACTED$",
		"apart":       "$REDACTED$-$REDACTED$",
		"overlapping": "$REDACTED$",
		"number":      "$REDACTED$",
		"other":       int64(42),
		"keys":        map[string]any{"k-$REDACTED$": 2, "k-$REDACTED$ (2)": 1},
	}
	if diff := cmp.Diff(want, MaskAs(in, secrets, Redacted)); diff != "" {
		t.Errorf("MaskAs Redacted (-want +got):\n%s", diff)
	}
	if got := Mask("314159314159", secrets); got != "****************" {
		t.Errorf("Mask of touching occurrences = %q, want two ********", got)
	}
}
