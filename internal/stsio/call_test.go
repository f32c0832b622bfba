package stsio_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/fakests"
	"ansible-sts/internal/modules"
	"ansible-sts/internal/stsio"
	"ansible-sts/test/testenv"
)

const (
	keyID  = "AKIAIOSFODNN7EXAMPLE"
	secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	role   = "arn:aws:iam::123456789012:role/demo"
)

// loopbackSystem is a run's System in a test: an environment of its own
// (the isolated HOME's files and nothing else) and connections to
// loopback only.
func loopbackSystem(t *testing.T) modules.System {
	h := testenv.Isolate(t)
	env := h.Vars()
	return modules.System{
		LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		Connect:   testenv.ConnectLoopback,
		Now:       time.Now,
	}
}

// assumeRole runs sts_assume_role in-process against endpoint with the
// test user's keys and the extra arguments, and returns its exit status
// and result.
func assumeRole(t *testing.T, endpoint, extra string) (int, map[string]any) {
	t.Helper()
	sys := loopbackSystem(t)
	args := fmt.Sprintf(`{"aws_access_key": %q, "aws_secret_key": %q, "region": "us-east-1", "ec2_url": %q,
		"role_arn": %q, "role_session_name": "s1", "debug_botocore_endpoint_logs": true%s}`, keyID, secret, endpoint, role, extra)
	path := filepath.Join(t.TempDir(), "args")
	if err := os.WriteFile(path, []byte(args), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	code := modules.Run(modules.AssumeRole, sys, []string{path}, &out)
	if bytes.Contains(out.Bytes(), []byte(secret)) {
		t.Errorf("the secret key shows in the result: %s", out.Bytes())
	}
	var r map[string]any
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("%v: %s", err, out.Bytes())
	}
	return code, r
}

func start(t *testing.T, cfg fakests.Config) *testenv.STS {
	cfg.Users = []fakests.User{{AccessKeyID: keyID, SecretAccessKey: secret}}
	return testenv.StartSTS(t, cfg)
}

// answering returns a server whose every answer is resp.
func answering(t *testing.T, resp fakests.Response) *testenv.STS {
	return start(t, fakests.Config{Hook: func(*fakests.Request) *fakests.Response { return &resp }})
}

// oneAttempt keeps a failure from being retried.
const oneAttempt = `, "aws_config": {"retries": {"total_max_attempts": 1}}`

func TestSuccess(t *testing.T) {
	srv := start(t, fakests.Config{})
	code, r := assumeRole(t, srv.URL, "")
	if code != 0 || r["changed"] != true {
		t.Fatalf("exit status %d: %v", code, r)
	}
	creds, _ := r["sts_creds"].(map[string]any)
	issued := testenv.Keys{ID: fmt.Sprint(creds["access_key"]), Secret: fmt.Sprint(creds["secret_key"]), Token: fmt.Sprint(creds["session_token"])}
	if _, err := testenv.NewClient(srv.URL, issued).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
		t.Errorf("sts_creds are not credentials the endpoint issued: %v", err)
	}
	if exp, _ := creds["expiration"].(string); !strings.HasSuffix(exp, "+00:00") {
		t.Errorf("expiration %q, want Python's isoformat in UTC", exp)
	}
	user, _ := r["sts_user"].(map[string]any)
	if user["arn"] != "arn:aws:sts::123456789012:assumed-role/demo/s1" {
		t.Errorf("sts_user %v", user)
	}
	if diff := cmp.Diff([]any{"sts:AssumeRole"}, r["resource_actions"]); diff != "" {
		t.Errorf("resource_actions (-want +got):\n%s", diff)
	}
}

// TestErrorAnswers: every error answer is amazon.aws's fail_json_aws
// failure, whatever its body: an STS error document, something else, or
// nothing.
func TestErrorAnswers(t *testing.T) {
	tests := map[string]struct {
		resp      fakests.Response
		msg       string
		error     map[string]any
		requestID bool // response_metadata holds the document's RequestId
	}{
		"STS error document": {
			resp:      fakests.Response{Status: 403, Code: "AccessDenied", Message: "not authorized to perform: sts:AssumeRole"},
			msg:       "An error occurred (AccessDenied) when calling the AssumeRole operation: not authorized to perform: sts:AssumeRole",
			error:     map[string]any{"code": "AccessDenied", "message": "not authorized to perform: sts:AssumeRole", "type": "Sender"},
			requestID: true,
		},
		"Errors wrapper": {
			resp:  fakests.Response{Status: 400, Body: []byte(`<Response><Errors><Error><Code>InvalidAction</Code><Message>m</Message></Error></Errors><RequestID>r-9</RequestID></Response>`)},
			msg:   "An error occurred (InvalidAction) when calling the AssumeRole operation: m",
			error: map[string]any{"code": "InvalidAction", "message": "m"},
		},
		"not XML": {
			resp: fakests.Response{Status: 502, Body: []byte("bad gateway")},
			// 502 and 500 are retried: one attempt is all the retries.
			msg:   "An error occurred (502) when calling the AssumeRole operation (reached max retries: 0): Bad Gateway",
			error: map[string]any{"code": "502", "message": "Bad Gateway"},
		},
		"status without a body": {
			resp:  fakests.Response{Status: 403, Body: []byte{}},
			msg:   "An error occurred (403) when calling the AssumeRole operation: Forbidden",
			error: map[string]any{"code": "403", "message": "Forbidden"},
		},
		"server error without a body": {
			resp:  fakests.Response{Status: 500, Body: []byte{}},
			msg:   "An error occurred (500) when calling the AssumeRole operation (reached max retries: 0): Internal Server Error",
			error: map[string]any{"code": "500", "message": "Internal Server Error"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := answering(t, tc.resp)
			code, r := assumeRole(t, srv.URL, oneAttempt)
			if code != 1 || r["msg"] != tc.msg {
				t.Errorf("exit status %d, msg %q; want 1, %q", code, r["msg"], tc.msg)
			}
			if diff := cmp.Diff(tc.error, r["error"]); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			meta, _ := r["response_metadata"].(map[string]any)
			if meta["http_status_code"] != float64(tc.resp.Status) || meta["retry_attempts"] != float64(0) {
				t.Errorf("response_metadata %v", meta)
			}
			if _, ok := meta["request_id"]; ok != tc.requestID {
				t.Errorf("response_metadata %v: request_id %v, want %v", meta, ok, tc.requestID)
			}
			headers, _ := meta["http_headers"].(map[string]any)
			if headers["x-amzn-requestid"] == nil {
				t.Errorf("http_headers %v lack x-amzn-requestid", headers)
			}
			if diff := cmp.Diff([]any{"sts:AssumeRole"}, r["resource_actions"]); diff != "" {
				t.Errorf("resource_actions (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRetriesExhausted: a throttled call is retried, and the failure says
// how often.
func TestRetriesExhausted(t *testing.T) {
	faults := &fakests.Faults{}
	faults.Set(fakests.FaultSettings{Throttle: 5})
	srv := start(t, fakests.Config{Faults: faults})
	code, r := assumeRole(t, srv.URL, `, "aws_config": {"retries": {"total_max_attempts": 2}}`)
	if want := "An error occurred (Throttling) when calling the AssumeRole operation (reached max retries: 1): Rate exceeded"; code != 1 || r["msg"] != want {
		t.Errorf("exit status %d, msg %q; want 1, %q", code, r["msg"], want)
	}
	meta, _ := r["response_metadata"].(map[string]any)
	if meta["retry_attempts"] != float64(1) || meta["max_attempts_reached"] != true {
		t.Errorf("response_metadata %v", meta)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// TestUnreadableAnswers: an answer that is not one to read fails naming
// the endpoint and the status.
func TestUnreadableAnswers(t *testing.T) {
	big := bytes.Repeat([]byte("x"), stsio.MaxAnswer+1)
	declared := http.Header{"Content-Length": {fmt.Sprint(len(big))}}
	tests := map[string]struct {
		resp fakests.Response
		want string
	}{
		// A declared length: an answer streamed without one is cut at
		// MaxAnswer (TestBound), but read on a loaded machine it can
		// fail first with the connection closed under it.
		"oversize answer":       {resp: fakests.Response{Status: 200, Body: big, Header: declared}, want: "the answer is larger than 1 MiB"},
		"oversize error answer": {resp: fakests.Response{Status: 403, Body: big, Header: declared}, want: "the answer is larger than 1 MiB"},
		"not XML":               {resp: fakests.Response{Status: 200, Body: []byte("hello")}},
		"empty":                 {resp: fakests.Response{Status: 200, Body: []byte{}}, want: "the answer holds no credentials"},
		"compressed":            {resp: fakests.Response{Status: 200, Body: []byte("x"), Header: map[string][]string{"Content-Encoding": {"gzip"}}}, want: "(Content-Encoding: gzip)"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := answering(t, tc.resp)
			code, r := assumeRole(t, srv.URL, oneAttempt)
			msg, _ := r["msg"].(string)
			prefix := fmt.Sprintf("Unable to parse the AssumeRole response from %q (HTTP %d): ", srv.URL+"/", tc.resp.Status)
			if code != 1 || !strings.HasPrefix(msg, prefix) || !strings.Contains(msg, tc.want) {
				t.Errorf("exit status %d, msg %q; want 1, %q...%q", code, msg, prefix, tc.want)
			}
			if r["error"] != nil {
				t.Errorf("error %v: no error document was read", r["error"])
			}
		})
	}
}

// TestNoAnswer: a request that gets no answer fails naming the endpoint
// and what happened, in botocore's words.
func TestNoAnswer(t *testing.T) {
	closed := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return "http://" + l.Addr().String()
	}()
	hanging := answering(t, fakests.Response{Hang: true})
	slow := answering(t, fakests.Response{Delay: 3 * time.Second, Status: 200})
	tests := map[string]struct {
		endpoint, extra, want string
		within                time.Duration
	}{
		"refused": {endpoint: closed, extra: oneAttempt, want: fmt.Sprintf("Could not connect to the endpoint URL: %q: ", closed+"/")},
		"refused, retried": {endpoint: closed, extra: `, "aws_config": {"retries": {"total_max_attempts": 2}}`,
			want: fmt.Sprintf("Could not connect to the endpoint URL: %q: ", closed+"/")},
		"no answer": {endpoint: hanging.URL, extra: `, "aws_config": {"read_timeout": 0.3, "retries": {"total_max_attempts": 1}}`,
			want: fmt.Sprintf("Read timeout on endpoint URL: %q", hanging.URL+"/"), within: 3 * time.Second},
		"slow answer": {endpoint: slow.URL, extra: `, "aws_config": {"read_timeout": 0.3, "retries": {"total_max_attempts": 1}}`,
			want: fmt.Sprintf("Read timeout on endpoint URL: %q", slow.URL+"/"), within: 2500 * time.Millisecond},
		"not loopback": {endpoint: "http://192.0.2.1", extra: oneAttempt,
			want: `Could not connect to the endpoint URL: "http://192.0.2.1/": tests connect to loopback only, not 192.0.2.1:80`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			code, r := assumeRole(t, tc.endpoint, tc.extra)
			msg, _ := r["msg"].(string)
			if code != 1 || !strings.HasPrefix(msg, tc.want) {
				t.Errorf("exit status %d, msg %q; want 1, %q...", code, msg, tc.want)
			}
			if d := time.Since(start); tc.within > 0 && d > tc.within {
				t.Errorf("took %v, want within %v", d, tc.within)
			}
			if strings.Contains(tc.extra, `"total_max_attempts": 2`) && !strings.HasSuffix(msg, " (2 attempts)") {
				t.Errorf("msg %q does not count the attempts", msg)
			}
			if r["error"] != nil || r["response_metadata"] != nil {
				t.Errorf("error %v, response_metadata %v: nothing answered", r["error"], r["response_metadata"])
			}
		})
	}
}

// TestUntrustedCertificate: an https endpoint whose certificate the
// client does not trust fails saying so; trusted through aws_ca_bundle,
// the call succeeds.
func TestUntrustedCertificate(t *testing.T) {
	srv, pem := testenv.StartSelfSignedSTS(t, fakests.Config{Users: []fakests.User{{AccessKeyID: keyID, SecretAccessKey: secret}}})
	code, r := assumeRole(t, srv.URL, oneAttempt)
	msg, _ := r["msg"].(string)
	if want := "SSL validation failed for " + srv.URL + "/: "; code != 1 || !strings.HasPrefix(msg, want) || !strings.Contains(msg, "aws_ca_bundle") {
		t.Errorf("exit status %d, msg %q; want 1, %q...", code, msg, want)
	}
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(bundle, pem, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, r := assumeRole(t, srv.URL, fmt.Sprintf(`, "aws_ca_bundle": %q`, bundle)); code != 0 {
		t.Errorf("exit status %d with the CA bundle: %v", code, r["msg"])
	}
}

// TestParameterChecks: the request's parameters are checked as botocore
// checks them before sending, every problem in its words and order; a
// request that passes is sent with them.
func TestParameterChecks(t *testing.T) {
	srv := start(t, fakests.Config{})
	tests := map[string]struct{ extra, want string }{
		"too short":   {extra: `, "role_session_name": "x", "external_id": "e"`, want: "Invalid length for parameter RoleSessionName, value: 1, valid min length: 2\nInvalid length for parameter ExternalId, value: 1, valid min length: 2"},
		"below min":   {extra: `, "duration_seconds": 100`, want: "Invalid value for parameter DurationSeconds, value: 100, valid min value: 900"},
		"a bool":      {extra: `, "duration_seconds": true`, want: "Invalid value for parameter DurationSeconds, value: True, valid min value: 900"},
		"above int32": {extra: `, "duration_seconds": 99999999999`, want: "Invalid value for parameter DurationSeconds, value: 99999999999, valid max value: 2147483647"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			code, r := assumeRole(t, srv.URL, tc.extra)
			if want := "Parameter validation failed:\n" + tc.want; code != 1 || r["msg"] != want {
				t.Errorf("exit status %d, msg %q; want 1, %q", code, r["msg"], want)
			}
			if diff := cmp.Diff([]any{}, r["resource_actions"]); diff != "" {
				t.Errorf("resource_actions (-want +got):\n%s", diff)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
	code, r := assumeRole(t, srv.URL, `, "duration_seconds": 900, "external_id": "ext-1", "policy": "{}"`)
	reqs := srv.Requests()
	if code != 0 || len(reqs) != 1 || reqs[0].Params.Get("DurationSeconds") != "900" || reqs[0].Params.Get("ExternalId") != "ext-1" {
		t.Errorf("exit status %d (%v), requests %+v", code, r["msg"], reqs)
	}
}
