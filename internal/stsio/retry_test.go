package stsio_test

import (
	"strings"
	"testing"
	"time"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

// TestLegacyRetryConditions: by default a call is retried as botocore's
// legacy retry mode retries it (retryhandler.py and _retry.json's rules
// for STS), and nothing else is: each row's answer comes every time, with
// two attempts allowed, and the server must see two requests exactly when
// botocore would retry.
func TestLegacyRetryConditions(t *testing.T) {
	const twoAttempts = `, "aws_config": {"retries": {"total_max_attempts": 2}}`
	tests := map[string]struct {
		resp  fakests.Response
		retry bool
	}{
		"500":                           {resp: fakests.Response{Status: 500, Code: "InternalFailure"}, retry: true},
		"502 without a body":            {resp: fakests.Response{Status: 502, Body: []byte{}}, retry: true},
		"503":                           {resp: fakests.Response{Status: 503, Code: "ServiceUnavailable"}, retry: true},
		"504 HTML":                      {resp: fakests.Response{Status: 504, Body: []byte("<html>gateway</html>")}, retry: true},
		"509":                           {resp: fakests.Response{Status: 509, Code: "BandwidthLimitExceeded"}, retry: true},
		"429":                           {resp: fakests.Response{Status: 429, Code: "TooManyRequests"}, retry: true},
		"400 Throttling":                {resp: fakests.Response{Status: 400, Code: "Throttling"}, retry: true},
		"400 ThrottlingException":       {resp: fakests.Response{Status: 400, Code: "ThrottlingException"}, retry: true},
		"400 RequestThrottledException": {resp: fakests.Response{Status: 400, Code: "RequestThrottledException"}, retry: true},
		"400 IDPCommunicationError":     {resp: fakests.Response{Status: 400, Code: "IDPCommunicationError"}, retry: true},
		"400 Throttling, EC2's shape":   {resp: fakests.Response{Status: 400, Body: testenv.NestedErrorBody("Throttling", "Rate exceeded")}, retry: true},
		"403 Throttling":                {resp: fakests.Response{Status: 403, Code: "Throttling"}},
		"400 ValidationError":           {resp: fakests.Response{Status: 400, Code: "ValidationError"}},
		"400 RequestLimitExceeded":      {resp: fakests.Response{Status: 400, Code: "RequestLimitExceeded"}},
		"400 PriorRequestNotComplete":   {resp: fakests.Response{Status: 400, Code: "PriorRequestNotComplete"}},
		"403 AccessDenied":              {resp: fakests.Response{Status: 403, Code: "AccessDenied"}},
		"501":                           {resp: fakests.Response{Status: 501, Code: "NotImplemented"}},
		"200 that is not STS's answer":  {resp: fakests.Response{Status: 200, Body: []byte("<html>portal</html>")}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := answering(t, tc.resp)
			start := time.Now()
			code, r := assumeRole(t, srv.URL, twoAttempts)
			want := 1
			if tc.retry {
				want = 2
			}
			if n := len(srv.Requests()); code != 1 || n != want {
				t.Errorf("exit status %d, %d requests; want 1, %d (%v)", code, n, want, r["msg"])
			}
			// The wait before the first retry is below 1 s.
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("the call took %v", d)
			}
		})
	}
	t.Run("no connection", func(t *testing.T) {
		code, r := assumeRole(t, testenv.ClosedURL(t), twoAttempts)
		if msg, _ := r["msg"].(string); code != 1 || !strings.HasSuffix(msg, "(2 attempts)") {
			t.Errorf("exit status %d, msg %q; want 1 and 2 attempts", code, msg)
		}
	})
	// botocore's SSLError is a ConnectionError, which it retries.
	t.Run("a certificate that fails verification", func(t *testing.T) {
		srv, _ := testenv.StartSelfSignedSTS(t, fakests.Config{})
		code, r := assumeRole(t, srv.URL, twoAttempts)
		if msg, _ := r["msg"].(string); code != 1 || !strings.HasPrefix(msg, "SSL validation failed") || !strings.HasSuffix(msg, "(2 attempts)") {
			t.Errorf("exit status %d, msg %q; want 1, SSL validation failed, 2 attempts", code, msg)
		}
	})
	t.Run("the default: 5 attempts", func(t *testing.T) {
		if testing.Short() {
			t.Skip("-short: waits out four backoffs (under 15 s)")
		}
		srv := answering(t, fakests.Response{Status: 400, Code: "Throttling", Message: "Rate exceeded"})
		code, r := assumeRole(t, srv.URL, "")
		meta, _ := r["response_metadata"].(map[string]any)
		if n := len(srv.Requests()); code != 1 || n != 5 || meta["retry_attempts"] != float64(4) ||
			r["msg"] != "An error occurred (Throttling) when calling the AssumeRole operation (reached max retries: 4): Rate exceeded" {
			t.Errorf("exit status %d, %d requests, response_metadata %v, msg %q; want 1, 5, retry_attempts 4", code, n, meta, r["msg"])
		}
	})
}
