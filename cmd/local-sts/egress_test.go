package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

// guardedOptions are the options of a run with a command: the guard on.
func guardedOptions() options {
	o := defaultOptions()
	o.guard = true
	return o
}

// startLogged starts an endpoint with o for the duration of t, in an
// isolated environment, logging to the returned writer.
func startLogged(t *testing.T, o options) (*endpoint, *lockedWriter) {
	t.Helper()
	testenv.Isolate(t)
	log := &lockedWriter{w: new(bytes.Buffer)}
	e, err := start(o, log)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return e, log
}

// logged returns what was written to l.
func logged(l *lockedWriter) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.(*bytes.Buffer).String()
}

// rawRequest sends raw to the guard of e as it is and returns the answer,
// with its body.
func rawRequest(t *testing.T, e *endpoint, raw string) (*http.Response, string) {
	t.Helper()
	u, err := url.Parse(e.guard.URL)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read answer: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return resp, string(body)
}

// listed returns the entries of GET /local-sts/requests, trusting the
// endpoint's certificate with -tls.
func listed(t *testing.T, e *endpoint) []requestRecord {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	if e.caFile != "" {
		pem, err := os.ReadFile(e.caFile)
		if err != nil {
			t.Fatal(err)
		}
		roots := x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			t.Fatalf("no certificate in %s", e.caFile)
		}
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}}
	}
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+"/local-sts/requests", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, b := testenv.Do(t, client, req)
	body := string(b)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET requests: %d %s", resp.StatusCode, body)
	}
	var got []requestRecord
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	return got
}

// The secrets the requests below carry, none of which may come back.
const (
	sigSecret   = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
	tokenSecret = "FQoGZXIvYXdzEXAMPLETOKEN"
	basicSecret = "dXNlcjpwYXNzd29yZA==" // user:password
)

// TestGuardRefuses sends the guard what proxied clients send: each
// proxy request gets the one refusal, in the reason phrase and the body,
// and is logged and listed among the STS requests, with its target only.
func TestGuardRefuses(t *testing.T) {
	e, log := startLogged(t, guardedOptions())
	const auth = "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=" + sigSecret + "\r\n"
	tests := []struct {
		name       string
		raw        string
		wantStatus int
		wantTarget string // "": not a proxy request, not listed
	}{
		{
			name:       "CONNECT",
			raw:        "CONNECT sts.us-east-1.amazonaws.com:443 HTTP/1.1\r\nHost: sts.us-east-1.amazonaws.com:443\r\nProxy-Authorization: Basic " + basicSecret + "\r\n\r\n",
			wantStatus: 403, wantTarget: "sts.us-east-1.amazonaws.com:443",
		},
		{
			name:       "plain GET with a presigned query",
			raw:        "GET http://user:password@sts.amazonaws.com/?Action=GetCallerIdentity&X-Amz-Security-Token=" + tokenSecret + "&X-Amz-Signature=" + sigSecret + " HTTP/1.1\r\nHost: sts.amazonaws.com\r\n\r\n",
			wantStatus: 403, wantTarget: "sts.amazonaws.com:80",
		},
		{
			name:       "plain POST with a signed body",
			raw:        "POST http://sts.eu-west-1.amazonaws.com:8080/ HTTP/1.1\r\nHost: sts.eu-west-1.amazonaws.com:8080\r\n" + auth + "X-Amz-Security-Token: " + tokenSecret + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 43\r\n\r\nAction=GetCallerIdentity&Version=2011-06-15",
			wantStatus: 403, wantTarget: "sts.eu-west-1.amazonaws.com:8080",
		},
		{
			name:       "absolute https URL",
			raw:        "GET https://sts.amazonaws.com/ HTTP/1.1\r\nHost: sts.amazonaws.com\r\n\r\n",
			wantStatus: 403, wantTarget: "sts.amazonaws.com:443",
		},
		{
			name:       "CONNECT to an IPv6 address",
			raw:        "CONNECT [2001:db8::1]:443 HTTP/1.1\r\nHost: [2001:db8::1]:443\r\n\r\n",
			wantStatus: 403, wantTarget: "[2001:db8::1]:443",
		},
		{
			name:       "CONNECT without a port",
			raw:        "CONNECT sts.amazonaws.com HTTP/1.1\r\nHost: sts.amazonaws.com\r\n\r\n",
			wantStatus: 403, wantTarget: "sts.amazonaws.com:443",
		},
		{
			name:       "the instance metadata service",
			raw:        "PUT http://169.254.169.254/latest/api/token HTTP/1.1\r\nHost: 169.254.169.254\r\nX-Aws-Ec2-Metadata-Token-Ttl-Seconds: 21600\r\n\r\n",
			wantStatus: 403, wantTarget: "169.254.169.254:80",
		},
		{
			name:       "not a proxy request",
			raw:        "GET /local-sts/requests HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
			wantStatus: 400,
		},
	}
	var wantListed []requestRecord
	var wantLog strings.Builder
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := rawRequest(t, e, tt.raw)
			answer := resp.Status + "\n" + body
			for _, secret := range []string{sigSecret, tokenSecret, basicSecret, "password", "X-Amz", "Action="} {
				if strings.Contains(answer, secret) {
					t.Errorf("the answer shows %q: %s", secret, answer)
				}
			}
			if tt.wantTarget == "" {
				if resp.StatusCode != tt.wantStatus {
					t.Errorf("answer %q, want %d", resp.Status, tt.wantStatus)
				}
				return
			}
			msg := refusal(tt.wantTarget)
			got := []string{resp.Status, resp.Header.Get("Content-Type"), body}
			want := []string{"403 " + msg, "text/plain; charset=utf-8", msg + "\n"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("answer mismatch (-want +got):\n%s", diff)
			}
			method, _, _ := strings.Cut(tt.raw, " ")
			wantListed = append(wantListed, requestRecord{Method: method, Status: 403, Error: "EgressRefused", Params: map[string]string{}, Egress: tt.wantTarget})
			wantLog.WriteString(method + " " + tt.wantTarget + " -> 403 EgressRefused\n")
		})
	}

	// An STS call among the refusals is listed in its place.
	if _, err := newClient(e, ciKeys).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
	rawRequest(t, e, "CONNECT sts.amazonaws.com:443 HTTP/1.1\r\nHost: sts.amazonaws.com:443\r\n\r\n")
	got := listed(t, e)
	for i := range got {
		if got[i].Time.IsZero() {
			t.Errorf("entry %d has no time", i)
		}
		if i > 0 && got[i].Time.Before(got[i-1].Time) {
			t.Errorf("entry %d is listed before the earlier %d", i-1, i)
		}
		got[i].Time, got[i].Size = time.Time{}, 0
	}
	wantListed = append(wantListed,
		requestRecord{Method: "POST", Path: "/", Action: "GetCallerIdentity", AccessKeyID: ciKeys.ID, Caller: ciARN, Region: "us-east-1", Status: 200,
			Params: map[string]string{"Action": "GetCallerIdentity", "Version": "2011-06-15"}},
		requestRecord{Method: "CONNECT", Status: 403, Error: "EgressRefused", Params: map[string]string{}, Egress: "sts.amazonaws.com:443"})
	if diff := cmp.Diff(wantListed, got); diff != "" {
		t.Errorf("GET /local-sts/requests mismatch (-want +got):\n%s", diff)
	}
	wantLog.WriteString("GetCallerIdentity " + ciARN + " -> 200\nCONNECT sts.amazonaws.com:443 -> 403 EgressRefused\n")
	if diff := cmp.Diff(wantLog.String(), logged(log)); diff != "" {
		t.Errorf("log mismatch (-want +got):\n%s", diff)
	}
	_, body := adminCall(t, e, http.MethodGet, "/local-sts/requests", "", "", nil)
	for _, secret := range []string{sigSecret, tokenSecret, basicSecret, "password", ciKeys.Secret} {
		if strings.Contains(body, secret) || strings.Contains(logged(log), secret) {
			t.Errorf("the list or the log shows %q", secret)
		}
	}

	if status, body := adminCall(t, e, http.MethodDelete, "/local-sts/requests", "", "", nil); status != http.StatusNoContent {
		t.Fatalf("DELETE requests: %d %s", status, body)
	}
	if got := listed(t, e); len(got) != 0 {
		t.Errorf("listed after DELETE: %+v", got)
	}
}

// TestGuardListBounded: the guard keeps the last fakests.MaxRecords
// attempts, as STS keeps its requests.
func TestGuardListBounded(t *testing.T) {
	g := newGuard(nil)
	if err := g.listen("127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := g.close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	u, _ := url.Parse(g.URL)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: http.ProxyURL(u)}}
	// Each attempt to a port of its own, from 1000 on.
	const extra = 3
	for i := range fakests.MaxRecords + extra {
		resp, err := client.Get("http://sts.amazonaws.com:" + strconv.Itoa(1000+i) + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	got := g.Attempts()
	if len(got) != fakests.MaxRecords {
		t.Fatalf("%d attempts kept, want %d", len(got), fakests.MaxRecords)
	}
	if first, want := got[0].Target, "sts.amazonaws.com:"+strconv.Itoa(1000+extra); first != want {
		t.Errorf("the kept attempts start at %s, want %s", first, want)
	}
}

// TestWrapNoEgressGuard: with -no-egress-guard the command gets the
// inherited proxy variables as they are, and nothing of a guard.
func TestWrapNoEgressGuard(t *testing.T) {
	testenv.Isolate(t)
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); proxyVar(name) {
			t.Setenv(name, "")
			os.Unsetenv(name)
		}
	}
	inherited := map[string]string{"HTTPS_PROXY": "http://proxy.example:3128", "http_proxy": "http://proxy.example:3128", "no_proxy": ".internal"}
	for k, v := range inherited {
		t.Setenv(k, v)
	}
	var stdout, stderr bytes.Buffer
	if status := run([]string{"-no-egress-guard", "--", os.Args[0], commandArg, "env", "0"}, &stdout, &stderr); status != 0 {
		t.Fatalf("status = %d; stderr: %s", status, stderr.String())
	}
	var env map[string]string
	if err := json.Unmarshal(stdout.Bytes(), &env); err != nil {
		t.Fatalf("decode environment %q: %v", stdout.String(), err)
	}
	got := map[string]string{}
	for k, v := range env {
		if proxyVar(k) {
			got[k] = v
		}
	}
	if diff := cmp.Diff(inherited, got); diff != "" {
		t.Errorf("proxy variables mismatch (-want +got):\n%s", diff)
	}
}

// TestGuardOption: the guard is for a command, unless -no-egress-guard.
func TestGuardOption(t *testing.T) {
	tests := map[string]struct {
		args []string
		want bool
	}{
		"a command":                   {args: []string{"--", "true"}, want: true},
		"a command, -no-egress-guard": {args: []string{"-no-egress-guard", "--", "true"}},
		"serving":                     {},
		"serving, -no-egress-guard":   {args: []string{"-no-egress-guard"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			o, err := parseFlags(tt.args, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if o.guard != tt.want {
				t.Errorf("guard = %v, want %v", o.guard, tt.want)
			}
		})
	}
}

// TestServeExportsNoGuard: without a command local-sts exports no proxy
// variables, which an eval in the user's shell would make its own.
func TestServeExportsNoGuard(t *testing.T) {
	e := startEndpoint(t, defaultOptions())
	for _, kv := range e.exports() {
		if name, _, _ := strings.Cut(kv, "="); proxyVar(name) {
			t.Errorf("exports %s without a command", kv)
		}
	}
}
