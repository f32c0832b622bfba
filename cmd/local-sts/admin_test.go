package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
)

// adminCall sends one request to e and returns the status and body.
func adminCall(t *testing.T, e *endpoint, method, path, contentType, body string, prepare func(*http.Request)) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if prepare != nil {
		prepare(req)
	}
	resp, b := testenv.Do(t, nil, req)
	return resp.StatusCode, string(b)
}

func TestAdminRequests(t *testing.T) {
	e := startEndpoint(t, defaultOptions())
	ctx := context.Background()
	ci := newClient(e, ciKeys)
	session, err := ci.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/ci"), TokenCode: aws.String("314159")})
	if err != nil {
		t.Fatal(err)
	}
	sessionKeys := testenv.TempKeys(session.Credentials)
	if _, err := newClient(e, sessionKeys).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
	_, err = newClient(e, partnerKeys).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/deploy"), RoleSessionName: aws.String("nope")})
	if testenv.SDKError(t, err).Code != "AccessDenied" {
		t.Fatalf("AssumeRole err = %v, want AccessDenied", err)
	}

	status, body := adminCall(t, e, http.MethodGet, "/local-sts/requests", "", "", nil)
	if status != http.StatusOK {
		t.Fatalf("GET requests: %d %s", status, body)
	}
	for _, secret := range []string{ciKeys.Secret, partnerKeys.Secret, sessionKeys.Secret, sessionKeys.Token, "314159"} {
		if strings.Contains(body, secret) {
			t.Errorf("GET requests shows a secret: %s", body)
		}
	}
	var got []requestRecord
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if got[i].Time.IsZero() || got[i].Size == 0 {
			t.Errorf("request %d has no time or size", i)
		}
		got[i].Time, got[i].Size = time.Time{}, 0
	}
	want := []requestRecord{
		{Method: "POST", Path: "/", Action: "GetSessionToken", AccessKeyID: ciKeys.ID, Caller: ciARN, Region: "us-east-1", Status: 200, Params: map[string]string{
			"Action": "GetSessionToken", "Version": "2011-06-15", "SerialNumber": "arn:aws:iam::123456789012:mfa/ci", "TokenCode": "******",
		}},
		{Method: "POST", Path: "/", Action: "GetCallerIdentity", AccessKeyID: sessionKeys.ID, Caller: ciARN, Region: "us-east-1", Status: 200, Params: map[string]string{
			"Action": "GetCallerIdentity", "Version": "2011-06-15",
		}},
		{Method: "POST", Path: "/", Action: "AssumeRole", AccessKeyID: partnerKeys.ID, Caller: partnerARN, Region: "us-east-1", Status: 403, Error: "AccessDenied", Params: map[string]string{
			"Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": "arn:aws:iam::123456789012:role/deploy", "RoleSessionName": "nope",
		}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests mismatch (-want +got):\n%s", diff)
	}

	if status, body := adminCall(t, e, http.MethodDelete, "/local-sts/requests", "", "", nil); status != http.StatusNoContent {
		t.Errorf("DELETE requests: %d %s", status, body)
	}
	if status, body := adminCall(t, e, http.MethodGet, "/local-sts/requests", "", "", nil); status != http.StatusOK || strings.TrimSpace(body) != "[]" {
		t.Errorf("GET requests after DELETE: %d %s, want 200 []", status, body)
	}
}

func TestAdminFaults(t *testing.T) {
	e := startEndpoint(t, options{listen: "127.0.0.1:0", region: "us-east-1", serverErrors: 1})
	const jsonType = "application/json"
	tests := []struct {
		name        string
		method      string
		contentType string
		body        string
		wantStatus  int
		wantBody    string
	}{
		{name: "flags set the start", method: http.MethodGet, wantStatus: 200, wantBody: `{"throttle": 0, "server_errors": 1, "delay": "0s"}`},
		{name: "set all", method: http.MethodPost, contentType: jsonType, body: `{"throttle": 2, "server_errors": 3, "delay": "250ms"}`,
			wantStatus: 200, wantBody: `{"throttle": 2, "server_errors": 3, "delay": "250ms"}`},
		{name: "absent fields stay", method: http.MethodPost, contentType: jsonType + "; charset=utf-8", body: `{"delay": "0s"}`,
			wantStatus: 200, wantBody: `{"throttle": 2, "server_errors": 3, "delay": "0s"}`},
		{name: "read back", method: http.MethodGet, wantStatus: 200, wantBody: `{"throttle": 2, "server_errors": 3, "delay": "0s"}`},
		{name: "unknown field", method: http.MethodPost, contentType: jsonType, body: `{"throtle": 1}`,
			wantStatus: 400, wantBody: `{"error": "decode faults: json: unknown field \"throtle\""}`},
		{name: "negative count", method: http.MethodPost, contentType: jsonType, body: `{"server_errors": -1}`,
			wantStatus: 400, wantBody: `{"error": "server_errors must not be negative"}`},
		{name: "bad delay", method: http.MethodPost, contentType: jsonType, body: `{"delay": "soon"}`,
			wantStatus: 400, wantBody: `{"error": "delay: time: invalid duration \"soon\""}`},
		{name: "not JSON content", method: http.MethodPost, contentType: "text/plain", body: `{"throttle": 1}`,
			wantStatus: 415, wantBody: `{"error": "the body must be application/json"}`},
		{name: "reset", method: http.MethodPost, contentType: jsonType, body: `{"throttle": 1, "server_errors": 0}`,
			wantStatus: 200, wantBody: `{"throttle": 1, "server_errors": 0, "delay": "0s"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := adminCall(t, e, tt.method, "/local-sts/faults", tt.contentType, tt.body, nil)
			var got, want any
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("decode %q: %v", body, err)
			}
			if err := json.Unmarshal([]byte(tt.wantBody), &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]any{tt.wantStatus, want}, []any{status, got}); diff != "" {
				t.Errorf("answer mismatch (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("faults reach STS", func(t *testing.T) {
		client := newClient(e, ciKeys)
		var codes []string
		for range 2 {
			_, err := client.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
			codes = append(codes, testenv.SDKError(t, err).Code)
		}
		if diff := cmp.Diff([]string{"Throttling", ""}, codes); diff != "" {
			t.Errorf("codes mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestAdminRouting(t *testing.T) {
	e := startEndpoint(t, defaultOptions())
	foreignHost := func(r *http.Request) { r.Host = "rebound.example:80" }
	tests := []struct {
		name       string
		method     string
		path       string
		prepare    func(*http.Request)
		wantStatus int
		wantBody   string // prefix
	}{
		{name: "health", method: http.MethodGet, path: "/local-sts/health", wantStatus: 200, wantBody: "ok\n"},
		{name: "unknown resource", method: http.MethodGet, path: "/local-sts/nothing", wantStatus: 404, wantBody: `{`},
		{name: "wrong method", method: http.MethodPut, path: "/local-sts/requests", wantStatus: 405, wantBody: `{`},
		{name: "foreign Host", method: http.MethodGet, path: "/local-sts/requests", prepare: foreignHost, wantStatus: 403, wantBody: `{`},
		{name: "STS at the root", method: http.MethodGet, path: "/?Action=GetCallerIdentity&Version=2011-06-15", wantStatus: 403, wantBody: "<ErrorResponse"},
		{name: "STS POST at the root", method: http.MethodPost, path: "/", wantStatus: 403, wantBody: "<ErrorResponse"},
		{name: "prefix without slash is STS", method: http.MethodGet, path: "/local-sts", wantStatus: 403, wantBody: "<ErrorResponse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := adminCall(t, e, tt.method, tt.path, "", "", tt.prepare)
			if status != tt.wantStatus || !strings.HasPrefix(body, tt.wantBody) {
				t.Errorf("got %d %q, want %d %q...", status, body, tt.wantStatus, tt.wantBody)
			}
		})
	}
	_, body := adminCall(t, e, http.MethodGet, "/local-sts/requests", "", "", nil)
	var reqs []requestRecord
	if err := json.Unmarshal([]byte(body), &reqs); err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 3 {
		t.Errorf("%d STS requests recorded, want the 3 sent to STS: %s", len(reqs), body)
	}
}

func TestRecordRedacts(t *testing.T) {
	tests := []struct {
		name  string
		param string
		want  string
	}{
		{name: "MFA code", param: "TokenCode", want: redacted},
		{name: "presigned session token", param: "X-Amz-Security-Token", want: redacted},
		{name: "web identity token", param: "WebIdentityToken", want: redacted},
		{name: "SAML assertion", param: "SAMLAssertion", want: redacted},
		{name: "presigned signature", param: "X-Amz-Signature", want: redacted},
		{name: "presigned credential", param: "X-Amz-Credential", want: "value"},
		{name: "role ARN", param: "RoleArn", want: "value"},
		{name: "serial number", param: "SerialNumber", want: "value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := record(fakests.Request{Params: url.Values{tt.param: {"value"}}})
			if diff := cmp.Diff(tt.want, r.Params[tt.param]); diff != "" {
				t.Errorf("value mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
