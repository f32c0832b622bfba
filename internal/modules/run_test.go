package modules_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"ansible-sts/internal/fakests"
	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/modules"
	"ansible-sts/internal/result"
	"ansible-sts/test/testenv"
)

const (
	keyID  = "AKIAIOSFODNN7EXAMPLE"
	secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

// fixture is a loopback STS endpoint and the System of the runs against
// it: an environment of its own, which holds the keys and the region (the
// process's holds none), and connections to loopback only.
type fixture struct {
	srv *testenv.STS
	env map[string]string
	sys modules.System
}

func newFixture(t *testing.T, cfg fakests.Config) *fixture {
	t.Helper()
	h := testenv.Isolate(t)
	cfg.Users = []fakests.User{{AccessKeyID: keyID, SecretAccessKey: secret}}
	f := &fixture{srv: testenv.StartSTS(t, cfg)}
	f.env = h.Vars()
	maps.Copy(f.env, map[string]string{
		"AWS_ACCESS_KEY_ID": keyID, "AWS_SECRET_ACCESS_KEY": secret,
		"AWS_REGION": "us-east-1", "AWS_URL": f.srv.URL,
	})
	f.sys = modules.System{
		LookupEnv: func(k string) (string, bool) { v, ok := f.env[k]; return v, ok },
		Connect:   testenv.ConnectLoopback,
		Now:       time.Now,
	}
	return f
}

// writeArgs writes an arguments file and returns its path.
func writeArgs(t *testing.T, args string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "args")
	if err := os.WriteFile(path, []byte(args), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// decode checks that out is one JSON object on one line and returns it.
func decode(t *testing.T, out []byte) map[string]any {
	t.Helper()
	if bytes.Count(out, []byte("\n")) != 1 || !bytes.HasSuffix(out, []byte("\n")) {
		t.Errorf("the result is not one line: %q", out)
	}
	var r map[string]any
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if bytes.Contains(out, []byte(secret)) {
		t.Errorf("the secret key shows in the result: %s", out)
	}
	return r
}

func (f *fixture) run(t *testing.T, m modules.Module, argv ...string) (int, map[string]any) {
	t.Helper()
	var out bytes.Buffer
	code := modules.Run(m, f.sys, argv, &out)
	return code, decode(t, out.Bytes())
}

func (f *fixture) runMulti(t *testing.T, stdin string, argv ...string) (int, map[string]any) {
	t.Helper()
	var out bytes.Buffer
	code := modules.RunMulti("stsgo-aws", modules.All, f.sys, argv, strings.NewReader(stdin), &out)
	return code, decode(t, out.Bytes())
}

func wantFailure(t *testing.T, code int, r map[string]any, prefix string) {
	t.Helper()
	msg, _ := r["msg"].(string)
	if code != 1 || r["failed"] != true || !strings.HasPrefix(msg, prefix) {
		t.Errorf("exit status %d, failed %v, msg %q; want 1, true, %q...", code, r["failed"], msg, prefix)
	}
}

func wantCredentials(t *testing.T, code int, r map[string]any) {
	t.Helper()
	creds, _ := r["sts_creds"].(map[string]any)
	if code != 0 || r["changed"] != true || creds["session_token"] == nil {
		t.Errorf("exit status %d: %v; want new credentials", code, r)
	}
}

// TestRunArgsFile: the arguments file gives the module's options; the
// keys, region and endpoint come from the System's environment alone.
func TestRunArgsFile(t *testing.T) {
	f := newFixture(t, fakests.Config{})
	code, r := f.run(t, modules.SessionToken, writeArgs(t, `{"duration_seconds": 900, "_ansible_module_name": "sts_session_token"}`))
	wantCredentials(t, code, r)
	reqs := f.srv.Requests()
	if len(reqs) != 1 || reqs[0].Action != "GetSessionToken" || reqs[0].Params.Get("DurationSeconds") != "900" {
		t.Errorf("requests %+v, want one GetSessionToken of 900 s", reqs)
	}
}

// TestRunArgumentFailures: whatever is wrong with the arguments, the
// result is one failure, and nothing is sent.
func TestRunArgumentFailures(t *testing.T) {
	f := newFixture(t, fakests.Config{})
	tests := map[string]struct {
		argv []string
		want string
	}{
		"no arguments file":  {want: "no arguments file: run as MODULE ARGS_FILE"},
		"missing file":       {argv: []string{filepath.Join(t.TempDir(), "none")}, want: "cannot read the arguments file: "},
		"a directory":        {argv: []string{t.TempDir()}, want: "cannot read the arguments file: "},
		"bad JSON":           {argv: []string{writeArgs(t, `{"role_arn": `)}, want: "the arguments file is not valid JSON: "},
		"not an object":      {argv: []string{writeArgs(t, `["x"]`)}, want: "the arguments file must hold a JSON object, not "},
		"missing required":   {argv: []string{writeArgs(t, `{"role_session_name": "s1"}`)}, want: "missing required arguments: role_arn"},
		"unsupported option": {argv: []string{writeArgs(t, `{"role_arn": "arn:aws:iam::123456789012:role/demo", "role_session_name": "s1", "colour": 1}`)}, want: "Unsupported parameters for (sts_assume_role) module: colour."},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			code, r := f.run(t, modules.AssumeRole, tc.argv...)
			wantFailure(t, code, r, tc.want)
		})
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestRunCheckMode: in check mode the task is skipped without a call.
func TestRunCheckMode(t *testing.T) {
	f := newFixture(t, fakests.Config{})
	code, r := f.run(t, modules.SessionToken, writeArgs(t, `{"_ansible_check_mode": true, "_ansible_module_name": "sts_session_token"}`))
	if code != 0 || r["skipped"] != true || r["changed"] == true {
		t.Errorf("exit status %d: %v; want skipped", code, r)
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("%d requests sent in check mode", n)
	}
}

// TestRunNoLog: the no_log options, and the secrets of the environment,
// are masked wherever they would show, the endpoint's echo of them
// included; the invocation shows the placeholder.
func TestRunNoLog(t *testing.T) {
	const code6 = "314159"
	f := newFixture(t, fakests.Config{Hook: func(r *fakests.Request) *fakests.Response {
		return &fakests.Response{Status: 403, Code: "AccessDenied", Message: "code " + r.Params.Get("TokenCode") + " with key " + secret + " or envSecretKey1 is wrong"}
	}})
	f.env["EC2_SECRET_KEY"] = "envSecretKey1" // the option wins; masked all the same
	delete(f.env, "AWS_ACCESS_KEY_ID")
	delete(f.env, "AWS_SECRET_ACCESS_KEY")
	args := fmt.Sprintf(`{"aws_access_key": %q, "aws_secret_key": %q, "mfa_serial_number": "arn:aws:iam::123456789012:mfa/u", "mfa_token": %q, "aws_config": {"retries": {"total_max_attempts": 1}}}`, keyID, secret, code6)
	var out bytes.Buffer
	code := modules.Run(modules.SessionToken, f.sys, []string{writeArgs(t, args)}, &out)
	r := decode(t, out.Bytes())
	wantFailure(t, code, r, "An error occurred (AccessDenied) when calling the GetSessionToken operation: code ******** with key ******** or ******** is wrong")
	for _, s := range []string{code6, "envSecretKey1"} {
		if bytes.Contains(out.Bytes(), []byte(s)) {
			t.Errorf("%q shows in the result: %s", s, out.Bytes())
		}
	}
	inv, _ := r["invocation"].(map[string]any)
	margs, _ := inv["module_args"].(map[string]any)
	for _, k := range []string{"mfa_token", "aws_secret_key"} {
		if margs[k] != result.NoLogPlaceholder {
			t.Errorf("invocation.module_args.%s = %v, want %s", k, margs[k], result.NoLogPlaceholder)
		}
	}
}

// TestRunMulti: the collection's binary takes the module's name and the
// arguments on standard input, or finds the module in them.
func TestRunMulti(t *testing.T) {
	f := newFixture(t, fakests.Config{})
	t.Run("stdin, module named", func(t *testing.T) {
		code, r := f.runMulti(t, `{"duration_seconds": 900}`, "sts_session_token", "-")
		wantCredentials(t, code, r)
	})
	t.Run("stdin, module from the arguments", func(t *testing.T) {
		code, r := f.runMulti(t, `{"_ansible_module_name": "stsgo.aws.sts_assume_role", "role_arn": "arn:aws:iam::123456789012:role/demo", "role_session_name": "s1"}`, "-")
		wantCredentials(t, code, r)
		if _, ok := r["sts_user"]; !ok {
			t.Errorf("no sts_user: %v", r)
		}
	})
	t.Run("arguments file", func(t *testing.T) {
		code, r := f.runMulti(t, "", "sts_session_token", writeArgs(t, `{}`))
		wantCredentials(t, code, r)
	})
	failures := map[string]struct {
		stdin string
		argv  []string
		want  string
	}{
		"unknown module":     {stdin: `{"_ansible_module_name": "ec2"}`, argv: []string{"-"}, want: `stsgo-aws cannot tell which module to run: _ansible_module_name is "ec2"; it runs sts_assume_role and sts_session_token`},
		"bad JSON on stdin":  {stdin: `{`, argv: []string{"-"}, want: "the arguments file is not valid JSON: "},
		"bad JSON, named":    {stdin: `{`, argv: []string{"sts_session_token", "-"}, want: "the arguments file is not valid JSON: "},
		"no arguments":       {argv: []string{"sts_session_token"}, want: "no arguments: run as BINARY [MODULE] ARGS_FILE"},
		"too many arguments": {argv: []string{"sts_session_token", "-", "x"}, want: "too many arguments: "},
		"check mode":         {stdin: `{"_ansible_check_mode": true}`, argv: []string{"sts_session_token", "-"}},
	}
	before := len(f.srv.Requests())
	for name, tc := range failures {
		t.Run(name, func(t *testing.T) {
			code, r := f.runMulti(t, tc.stdin, tc.argv...)
			if tc.want == "" {
				if code != 0 || r["skipped"] != true {
					t.Errorf("exit status %d: %v; want skipped", code, r)
				}
				return
			}
			wantFailure(t, code, r, tc.want)
		})
	}
	if n := len(f.srv.Requests()) - before; n != 0 {
		t.Errorf("%d requests sent for runs that fail before the call", n)
	}
	var out bytes.Buffer
	if code := modules.RunMulti("stsgo-aws", modules.All, f.sys, []string{"--version"}, nil, &out); code != 0 || !strings.HasPrefix(out.String(), "stsgo-aws ") {
		t.Errorf("--version: exit status %d, %q", code, out.String())
	}
}

// TestRunPanic: a panic in the call is one failure, masked like any.
func TestRunPanic(t *testing.T) {
	f := newFixture(t, fakests.Config{})
	m := modules.SessionToken
	m.Name = "boom"
	m.Call = func(context.Context, *sts.Client, *moduleargs.Args) (result.Result, error) { panic("boom " + secret) }
	code, r := f.run(t, m, writeArgs(t, `{}`))
	wantFailure(t, code, r, "internal error in boom: boom ********")
}

// TestRunClock: the run's deadline starts from the System's clock; one
// that passed already fails before any request is sent.
func TestRunClock(t *testing.T) {
	f := newFixture(t, fakests.Config{})
	f.sys.Now = func() time.Time { return time.Now().Add(-time.Hour) }
	code, r := f.run(t, modules.SessionToken, writeArgs(t, `{}`))
	wantFailure(t, code, r, "No request was sent within the module's deadline of ")
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("%d requests sent after the deadline", n)
	}
}
