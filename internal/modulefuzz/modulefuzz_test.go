package modulefuzz

import (
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// recorder counts the errors a check reports instead of failing the test.
type recorder struct {
	testing.TB
	msgs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

func TestCheckOutput(t *testing.T) {
	tests := map[string]struct {
		code       int
		stdout     string
		wantErrors int
	}{
		"failure":              {code: 1, stdout: `{"failed": true, "msg": "missing required arguments: role_arn"}` + "\n"},
		"skipped":              {code: 0, stdout: `{"skipped": true, "msg": "remote module (x) does not support check mode"}` + "\n"},
		"changed":              {code: 0, stdout: `{"changed": true}` + "\n"},
		"failure, exit 0":      {code: 0, stdout: `{"failed": true, "msg": "x"}` + "\n", wantErrors: 1},
		"success, exit 1":      {code: 1, stdout: `{"changed": true}` + "\n", wantErrors: 1},
		"neither":              {code: 0, stdout: `{"msg": "x"}` + "\n", wantErrors: 1},
		"failure without msg":  {code: 1, stdout: `{"failed": true}` + "\n", wantErrors: 1},
		"panic":                {code: 1, stdout: `{"failed": true, "msg": "internal error in sts_assume_role: boom"}` + "\n", wantErrors: 1},
		"two lines":            {code: 0, stdout: `{"changed": true}` + "\n\n", wantErrors: 1},
		"no newline":           {code: 0, stdout: `{"changed": true}`, wantErrors: 1},
		"two objects":          {code: 0, stdout: `{"changed": true} {}` + "\n", wantErrors: 1},
		"not an object":        {code: 0, stdout: `[]` + "\n", wantErrors: 1},
		"empty":                {code: 1, stdout: ``, wantErrors: 2},
		"failed is not a bool": {code: 0, stdout: `{"failed": "yes", "changed": true}` + "\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			rec := &recorder{TB: t}
			CheckOutput(rec, tc.code, []byte(tc.stdout))
			if diff := cmp.Diff(tc.wantErrors, len(rec.msgs)); diff != "" {
				t.Errorf("errors (-want +got):\n%s\n%s", diff, strings.Join(rec.msgs, "\n"))
			}
		})
	}
}

func TestCheckSecrets(t *testing.T) {
	const masked = `{"invocation": {"module_args": {"mfa_token": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"}}, "msg": "x ******** y"}`
	tests := map[string]struct {
		input      string
		result     string
		wantErrors int
	}{
		"masked":                   {input: `{"mfa_token": "s3cret"}`, result: masked},
		"in msg":                   {input: `{"mfa_token": "s3cret"}`, result: `{"msg": "x s3cret y"}`, wantErrors: 1},
		"in module_args":           {input: `{"secret_key": "s3cret"}`, result: `{"invocation": {"module_args": {"secret_key": "s3cret"}}}`, wantErrors: 2},
		"nested":                   {input: `{"security_token": ["tok-1", {"k": "tok-2"}]}`, result: `{"a": ["tok-2"]}`, wantErrors: 1},
		"keys are kept":            {input: `{"mfa_token": "s3cret"}`, result: `{"s3cret": 1}`},
		"short":                    {input: `{"mfa_token": "abc"}`, result: `{"msg": "abc"}`},
		"with a star":              {input: `{"mfa_token": "ab**"}`, result: `{"msg": "ab****"}`},
		"inside the placeholder":   {input: `{"mfa_token": "VALUE"}`, result: masked},
		"not a secret option":      {input: `{"aws_access_key": "AKIDEXAMPLE"}`, result: `{"msg": "AKIDEXAMPLE"}`},
		"overridden by an alias":   {input: `{"secret_key": "first", "ec2_secret_key": "second"}`, result: `{"invocation": {"module_args": {"secret_key": "first"}}}`, wantErrors: 2},
		"the alias that wins":      {input: `{"secret_key": "first", "ec2_secret_key": "second"}`, result: `{"msg": "second"}`, wantErrors: 1},
		"overridden, same value":   {input: `{"aws_secret_key": "same1", "secret_key": "same1"}`, result: `{"msg": "same1"}`, wantErrors: 1},
		"input not an object":      {input: `["s3cret"]`, result: `{"msg": "s3cret"}`},
		"no_log list in arguments": {input: `{"mfa_token": ["s3cret"]}`, result: `{"invocation": {"module_args": {"mfa_token": "['********']"}}}`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			rec := &recorder{TB: t}
			result := CheckOutput(&recorder{TB: t}, 0, []byte(tc.result+"\n"))
			CheckSecrets(rec, []byte(tc.input), result)
			if diff := cmp.Diff(tc.wantErrors, len(rec.msgs)); diff != "" {
				t.Errorf("errors (-want +got):\n%s\n%s", diff, strings.Join(rec.msgs, "\n"))
			}
		})
	}
}

func TestRisky(t *testing.T) {
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	listening := "http://" + l.Addr().String()
	keys := `"aws_access_key": "AKIAIOSFODNN7EXAMPLE", "aws_secret_key": "s3cret", "region": "us-east-1"`
	tests := map[string]struct {
		input string
		want  bool
	}{
		"no endpoint":          {input: `{` + keys + `}`},
		"closed port":          {input: `{` + keys + `, "ec2_url": "http://127.0.0.1:1"}`},
		"remote endpoint":      {input: `{` + keys + `, "ec2_url": "https://sts.example.com"}`},
		"not JSON":             {input: `{`},
		"invalid settings":     {input: `{` + keys + `, "aws_config": {"proxies": "x"}}`},
		"listening loopback":   {input: `{` + keys + `, "ec2_url": "` + listening + `"}`, want: true},
		"listening, alias":     {input: `{` + keys + `, "endpoint_url": "` + listening + `", "role_arn": 1}`, want: true},
		"proxies":              {input: `{` + keys + `, "aws_config": {"proxies": {"https": "http://10.0.0.1:3128"}}}`, want: true},
		"proxies as a string":  {input: `{` + keys + `, "aws_config": "{\"proxies\": {\"http\": \"http://10.0.0.1:3128\"}}"}`, want: true},
		"more attempts":        {input: `{` + keys + `, "aws_config": {"retries": {"max_attempts": 3}}}`, want: true},
		"a device as a bundle": {input: `{` + keys + `, "aws_ca_bundle": "/dev/zero"}`, want: true},
		"a device, plain http": {input: `{` + keys + `, "aws_ca_bundle": "/dev/zero", "ec2_url": "http://127.0.0.1:1"}`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			reason := risky([]byte(tc.input))
			if got := reason != ""; got != tc.want {
				t.Errorf("risky = %q, want risky %v", reason, tc.want)
			}
		})
	}
}
