package modules_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/fakests"
	"ansible-sts/internal/modules"
	"ansible-sts/internal/result"
)

// controllerKeys are the internal keys of a controller: its version and,
// from 2.21, _ansible_inject_invocation (JSON members, each after a
// comma).
func controllerKeys(version string, inject *bool) string {
	s := fmt.Sprintf(`, "_ansible_version": %q`, version)
	if inject != nil {
		s += fmt.Sprintf(`, "_ansible_inject_invocation": %v`, *inject)
	}
	return s
}

// runFor runs m on the arguments args (a JSON object) and returns the
// exit status, the result without _ansible_new_secrets, and that list.
// It fails the test if a secret of the run shows anywhere else in the
// output: the list holds the secrets themselves, for the controller.
func (f *fixture) runFor(t *testing.T, m modules.Module, args string, secrets ...string) (int, map[string]any, []string) {
	t.Helper()
	var out bytes.Buffer
	code := modules.Run(m, f.sys, []string{writeArgs(t, args)}, &out)
	if bytes.Count(out.Bytes(), []byte("\n")) != 1 {
		t.Errorf("the result is not one line: %q", out.Bytes())
	}
	var r map[string]any
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("%v: %s", err, out.Bytes())
	}
	var list []string
	if v, ok := r[result.NewSecretsKey]; ok {
		items, isList := v.([]any)
		if !isList || len(items) == 0 {
			t.Errorf("%s = %#v, want a non-empty list", result.NewSecretsKey, v)
		}
		for _, e := range items {
			s, _ := e.(string)
			list = append(list, s)
		}
		delete(r, result.NewSecretsKey)
	}
	rest, _ := json.Marshal(r)
	for _, s := range append(secrets, secret) {
		if bytes.Contains(rest, []byte(s)) {
			t.Errorf("secret %q shows outside %s: %s", s, result.NewSecretsKey, rest)
		}
	}
	return code, r, list
}

func newCreds(t *testing.T, r map[string]any) (secretKey, token string) {
	t.Helper()
	c, _ := r["sts_creds"].(map[string]any)
	secretKey, _ = c["secret_key"].(string)
	token, _ = c["session_token"].(string)
	if secretKey == "" || token == "" {
		t.Fatalf("no new credentials in %v", r)
	}
	return secretKey, token
}

// TestControllers: what a run returns for each controller, from the
// environment's keys: the list of secrets (2.22 on), the invocation (as
// _ansible_inject_invocation says, from 2.21) and the new credentials in
// clear, always.
func TestControllers(t *testing.T) {
	yes, no := true, false
	tests := map[string]struct {
		keys           string
		wantList       bool
		wantInvocation bool
	}{
		"2.14":                    {keys: controllerKeys("2.14.18", nil), wantInvocation: true},
		"2.19":                    {keys: controllerKeys("2.19.11", nil), wantInvocation: true},
		"2.21":                    {keys: controllerKeys("2.21.3", &no)},
		"2.21, invocation":        {keys: controllerKeys("2.21.3", &yes), wantInvocation: true},
		"2.22":                    {keys: controllerKeys("2.22.0b2", &no), wantList: true},
		"2.22, invocation":        {keys: controllerKeys("2.22.0b2", &yes), wantList: true, wantInvocation: true},
		"2.23 without the key":    {keys: controllerKeys("2.23.0.dev0", nil), wantList: true, wantInvocation: true},
		"no _ansible_version":     {wantInvocation: true},
		"_ansible_version a list": {keys: `, "_ansible_version": ["2", "22"]`, wantInvocation: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, fakests.Config{})
			// A secret variable the run does not use, masked all the same.
			f.env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "containerToken1"
			code, r, list := f.runFor(t, modules.SessionToken, `{"duration_seconds": 900`+tc.keys+`}`, "containerToken1")
			wantCredentials(t, code, r)
			newSecret, newToken := newCreds(t, r)
			if env, _ := r["aws_env"].(map[string]any); env["AWS_SECRET_ACCESS_KEY"] != newSecret || env["AWS_SESSION_TOKEN"] != newToken {
				t.Errorf("aws_env %v does not hold the new credentials in clear", env)
			}
			var want []string
			if tc.wantList {
				// The environment's secret variables, then the new
				// credentials.
				want = []string{secret, "containerToken1", newSecret, newToken}
			}
			if diff := cmp.Diff(want, list); diff != "" {
				t.Errorf("%s (-want +got):\n%s", result.NewSecretsKey, diff)
			}
			if _, has := r["invocation"]; has != tc.wantInvocation {
				t.Errorf("invocation returned: %v, want %v", has, tc.wantInvocation)
			}
		})
	}
}

// TestControllerChain: a task given the credentials of an earlier one as
// its key options lists them, so that a controller that masks secrets
// hides them in every later display, as it does with AnsibleModule; its
// invocation shows each no_log option as that controller does.
func TestControllerChain(t *testing.T) {
	yes := true
	f := newFixture(t, sessionConfig())
	code, first, firstList := f.runFor(t, modules.AssumeRole,
		fmt.Sprintf(`{"role_arn": %q, "role_session_name": "s1"%s}`, deployRole, controllerKeys("2.22.0b2", &yes)))
	wantCredentials(t, code, first)
	secretKey, token := newCreds(t, first)
	if !slices.Contains(firstList, secretKey) || !slices.Contains(firstList, token) {
		t.Errorf("first task: %s %q lacks its new secret key or token", result.NewSecretsKey, firstList)
	}

	for _, tc := range []struct {
		version     string
		placeholder string
		list        bool
	}{
		{"2.22.0b2", result.RedactedPlaceholder, true},
		{"2.21.3", result.NoLogPlaceholder, false},
	} {
		t.Run(tc.version, func(t *testing.T) {
			args := fmt.Sprintf(`{"role_arn": %q, "role_session_name": "s2", "aws_access_key": %q, "aws_secret_key": %q, "session_token": %q%s}`,
				auditRole, first["sts_creds"].(map[string]any)["access_key"], secretKey, token, controllerKeys(tc.version, &yes))
			code, second, list := f.runFor(t, modules.AssumeRole, args, secretKey, token)
			wantCredentials(t, code, second)
			var want []string
			if tc.list {
				// The options' secrets, the environment's, the new ones.
				s2, t2 := newCreds(t, second)
				want = []string{secretKey, token, secret, s2, t2}
			}
			if diff := cmp.Diff(want, list); diff != "" {
				t.Errorf("%s (-want +got):\n%s", result.NewSecretsKey, diff)
			}
			inv, _ := second["invocation"].(map[string]any)
			margs, _ := inv["module_args"].(map[string]any)
			for _, k := range []string{"aws_secret_key", "security_token", "session_token"} {
				if margs[k] != tc.placeholder {
					t.Errorf("invocation.module_args.%s = %v, want %s", k, margs[k], tc.placeholder)
				}
			}
			if margs["profile"] != nil || !strings.HasPrefix(fmt.Sprint(margs["aws_access_key"]), "ASIA") {
				t.Errorf("invocation.module_args: profile %v, aws_access_key %v; want null and the first task's key ID", margs["profile"], margs["aws_access_key"])
			}
		})
	}
}

// TestControllerSkipAndFailure: a skip in check mode and an argument
// failure list the option secrets too, as AnsibleModule registers them
// while it validates, before it skips or fails.
func TestControllerSkipAndFailure(t *testing.T) {
	f := newFixture(t, fakests.Config{})
	delete(f.env, "AWS_SECRET_ACCESS_KEY")
	keys := controllerKeys("2.22.0", nil)
	for name, tc := range map[string]struct {
		args    string
		code    int
		skipped bool
	}{
		"check mode": {args: `{"aws_secret_key": "optionSecret1", "_ansible_check_mode": true` + keys + `}`, skipped: true},
		"bad option": {args: `{"aws_secret_key": "optionSecret1", "duration_seconds": "soon"` + keys + `}`, code: 1},
	} {
		t.Run(name, func(t *testing.T) {
			code, r, list := f.runFor(t, modules.SessionToken, tc.args, "optionSecret1")
			if code != tc.code || (r["skipped"] == true) != tc.skipped {
				t.Errorf("exit status %d, result %v", code, r)
			}
			if diff := cmp.Diff([]string{"optionSecret1"}, list); diff != "" {
				t.Errorf("%s (-want +got):\n%s", result.NewSecretsKey, diff)
			}
			inv, _ := r["invocation"].(map[string]any)
			margs, _ := inv["module_args"].(map[string]any)
			if margs["aws_secret_key"] != result.RedactedPlaceholder {
				t.Errorf("invocation.module_args.aws_secret_key = %v, want %s", margs["aws_secret_key"], result.RedactedPlaceholder)
			}
		})
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
