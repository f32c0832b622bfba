package e2e

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ansible-sts/internal/awsauth"
	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

// The worst case of a call is every attempt using its whole connect and
// read timeouts, plus the longest backoff before each retry (botocore's
// legacy mode, the default: below 2^(n-1) s before retry n). With the
// defaults (5 s, 10 s, 5 attempts) that is 5 × 15 s + 1 s + 2 s + 4 s +
// 8 s = 90 s. Each test below states its own.

// worstCase is the longest a module run may take with these settings: the
// deadline the modules give a call (awsauth.ClientSettings.Deadline).
func worstCase(connect, read time.Duration, attempts int) time.Duration {
	return awsauth.ClientSettings{ConnectTimeout: connect, ReadTimeout: read, MaxAttempts: attempts}.Longest()
}

// slack covers starting the process and a loaded machine; the bounds are
// correctness checks (the run gave up when its settings say), not speed.
const slack = 15 * time.Second

var defaultWorstCase = worstCase(awsauth.DefaultConnectTimeout, awsauth.DefaultReadTimeout, awsauth.DefaultMaxAttempts)

// TestWorstCase checks the modules' deadline against the worst cases
// worked out by hand from the rule above, docs/modules.md's 90 s with the
// defaults among them, and from the SDK's standard mode (below 2^n s
// before retry n, at most 20 s).
func TestWorstCase(t *testing.T) {
	tests := map[string]struct {
		connect, read time.Duration
		attempts      int
		mode          string
		want          time.Duration
	}{
		"defaults, as docs/modules.md says": {awsauth.DefaultConnectTimeout, awsauth.DefaultReadTimeout, awsauth.DefaultMaxAttempts, "", 90 * time.Second},
		"short settings":                    {time.Second, time.Second, 2, "", 5 * time.Second}, // 2 × 2 s + 1 s
		"backoff alone":                     {0, 0, 5, "legacy", 15 * time.Second},              // 1 + 2 + 4 + 8 s
		"one attempt":                       {5 * time.Second, 10 * time.Second, 1, "", 15 * time.Second},
		"legacy, 8 attempts":                {0, 0, 8, "", 127 * time.Second},        // 1 + 2 + ... + 64 s
		"standard mode":                     {0, 0, 3, "standard", 6 * time.Second},  // 2 s + 4 s
		"standard, capped at 20 s":          {0, 0, 7, "adaptive", 70 * time.Second}, // 2 + 4 + 8 + 16 + 20 + 20 s
		"standard, the defaults":            {5 * time.Second, 10 * time.Second, 3, "standard", 51 * time.Second},
	}
	for name, tc := range tests {
		s := awsauth.ClientSettings{ConnectTimeout: tc.connect, ReadTimeout: tc.read, MaxAttempts: tc.attempts, RetryMode: tc.mode}
		if got := s.Longest(); got != tc.want {
			t.Errorf("%s: the deadline of %v, %v, %d attempts is %v, want %v", name, tc.connect, tc.read, tc.attempts, got, tc.want)
		}
	}
}

// short are the settings of the tests that wait for timeouts: 1 s to
// connect, 1 s to read, 2 attempts, so 2 × 2 s + 1 s = 5 s at worst.
var short = map[string]any{"connect_timeout": 1, "read_timeout": 1, "retries": map[string]any{"total_max_attempts": 2}}

var shortWorstCase = worstCase(time.Second, time.Second, 2)

// faultRun runs sts_assume_role against endpoint with alice's keys and
// extra options, and checks that it ended within bound (plus slack).
func faultRun(t *testing.T, endpoint string, extra map[string]any, bound time.Duration) run {
	t.Helper()
	return faultRunWith(t, runModule, endpoint, extra, bound)
}

// faultRunWith is faultRun with another way to run the module.
func faultRunWith(t *testing.T, runner func(*testing.T, string, map[string]any, []string) run, endpoint string, extra map[string]any, bound time.Duration) run {
	t.Helper()
	args := merge(ansibleKeys("sts_assume_role"), role(nil), conn(map[string]any{"ec2_url": endpoint}), extra)
	start := time.Now()
	r := runner(t, "sts_assume_role", args, newHome(t).Environ())
	if d := time.Since(start); d > bound+slack {
		t.Errorf("the run took %v; its worst case is %v", d.Round(time.Millisecond), bound)
	}
	return r
}

// assertFailed checks that r failed with a msg starting with prefix (and
// containing each of contains).
func assertFailed(t *testing.T, r run, prefix string, contains ...string) {
	t.Helper()
	msg, _ := r.Result["msg"].(string)
	if r.Code != 1 || !strings.HasPrefix(msg, prefix) {
		t.Errorf("exit status %d, msg %q; want 1 and the prefix %q", r.Code, msg, prefix)
	}
	for _, s := range contains {
		if !strings.Contains(msg, s) {
			t.Errorf("msg %q does not contain %q", msg, s)
		}
	}
}

// TestConnectionRefused: nothing listens. Every attempt fails at once, so
// the worst case is the backoff alone: under 1 + 2 + 4 + 8 s with the
// defaults (90 s if the port dropped packets instead).
func TestConnectionRefused(t *testing.T) {
	closed := testenv.ClosedURL(t)
	r := faultRun(t, closed, nil, worstCase(0, 0, 5))
	assertFailed(t, r, `Could not connect to the endpoint URL: "`+closed+`/": connect: connection refused (5 attempts)`)
}

// rawServer is a loopback TCP server that does what a test says with each
// connection, for faults below HTTP.
type rawServer struct {
	URL   string
	conns atomic.Int64 // connections accepted
}

// startRaw serves handle on a loopback port until the test ends; handle
// owns the connection, and done is closed when the test ends.
func startRaw(t *testing.T, handle func(c *net.TCPConn, done <-chan struct{})) *rawServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{URL: "http://" + l.Addr().String()}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s.conns.Add(1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				handle(c.(*net.TCPConn), done)
			}()
		}
	}()
	t.Cleanup(func() {
		close(done)
		l.Close()
		wg.Wait()
	})
	return s
}

// readRequest reads one HTTP request from c, body included.
func readRequest(c net.Conn) error {
	req, err := http.ReadRequest(bufio.NewReader(c))
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, req.Body)
	return err
}

// reset closes c with a TCP reset rather than a FIN.
func reset(c *net.TCPConn) {
	_ = c.SetLinger(0)
	c.Close()
}

// TestConnectionReset: the endpoint resets the connection, after reading
// the request or halfway through its answer. Each attempt ends at once,
// so the worst case is the backoff: under 15 s with the defaults.
func TestConnectionReset(t *testing.T) {
	t.Run("after the request", func(t *testing.T) {
		t.Parallel()
		srv := startRaw(t, func(c *net.TCPConn, _ <-chan struct{}) {
			if readRequest(c) == nil {
				reset(c)
			}
		})
		r := faultRun(t, srv.URL, nil, worstCase(0, 0, 5))
		assertFailed(t, r, `Could not connect to the endpoint URL: "`+srv.URL+`/": read tcp `, ": read: connection reset by peer (5 attempts)")
		if n := srv.conns.Load(); n != 5 {
			t.Errorf("%d connections, want 5 attempts", n)
		}
	})
	// Whether the client has read the status line when the reset comes
	// decides between a transport error and a body cut short; botocore
	// retries both, and a body that did not parse, which the reset may
	// leave, not.
	t.Run("halfway through the answer", func(t *testing.T) {
		t.Parallel()
		srv := startRaw(t, func(c *net.TCPConn, _ <-chan struct{}) {
			if readRequest(c) != nil {
				return
			}
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 2000\r\n\r\n"+
				`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>`)
			time.Sleep(50 * time.Millisecond)
			reset(c)
		})
		r := faultRun(t, srv.URL, nil, worstCase(0, 0, 5))
		msg, _ := r.Result["msg"].(string)
		unreadable := `Unable to parse the AssumeRole response from "` + srv.URL + `/" (HTTP 200): failed to decode response body, `
		reset := `Could not connect to the endpoint URL: "` + srv.URL + `/": read tcp `
		if r.Code != 1 || !strings.HasPrefix(msg, unreadable) && !strings.HasPrefix(msg, reset) {
			t.Errorf("exit status %d, msg %q; want 1 and the prefix %q or %q", r.Code, msg, unreadable, reset)
		}
		if n := srv.conns.Load(); n < 1 || n > 5 {
			t.Errorf("%d connections, want 1 to 5 attempts", n)
		}
	})
}

// TestNoAnswer: the endpoint accepts and reads the request but never
// answers. With the short settings, 2 × 1 s of read timeout + under 1 s
// of backoff: at most 5 s.
func TestNoAnswer(t *testing.T) {
	t.Parallel()
	srv := startRaw(t, func(c *net.TCPConn, done <-chan struct{}) {
		if readRequest(c) == nil {
			<-done
		}
	})
	r := faultRun(t, srv.URL, map[string]any{"aws_config": short}, shortWorstCase)
	assertFailed(t, r, `Read timeout on endpoint URL: "`+srv.URL+`/"`, "(2 attempts)")
	if n := srv.conns.Load(); n != 2 {
		t.Errorf("%d connections, want 2 attempts", n)
	}
}

// TestNoAnswerDefaults: the same with the defaults. The connection is
// made at once, so each attempt ends when the 10 s read timeout passes
// with nothing read: 5 × 10 s plus the backoff (under 1, 2, 4 and 8 s),
// 50 to 65 s, the figure docs/modules.md states.
func TestNoAnswerDefaults(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: waits out the default timeouts (50 to 65 s)")
	}
	t.Parallel()
	srv := startRaw(t, func(c *net.TCPConn, done <-chan struct{}) {
		if readRequest(c) == nil {
			<-done
		}
	})
	start := time.Now()
	r := faultRun(t, srv.URL, nil, 65*time.Second)
	if d := time.Since(start); d < 50*time.Second {
		t.Errorf("the run took %v; 5 read timeouts of 10 s take at least 50 s", d.Round(time.Millisecond))
	}
	assertFailed(t, r, `Read timeout on endpoint URL: "`+srv.URL+`/" (no answer within 10s) (5 attempts)`)
	if n := srv.conns.Load(); n != 5 {
		t.Errorf("%d connections, want 5 attempts", n)
	}
}

// TestSlowAnswer: STS answers, but 3 s after the 1 s read timeout has
// passed. Worst case with the short settings 5 s; with the defaults the
// answer would arrive in time.
func TestSlowAnswer(t *testing.T) {
	t.Parallel()
	srv := testenv.StartSTS(t, fakests.Config{Users: users, Hook: func(*fakests.Request) *fakests.Response {
		return &fakests.Response{Delay: 3 * time.Second}
	}})
	r := faultRun(t, srv.URL, map[string]any{"aws_config": short}, shortWorstCase)
	assertFailed(t, r, `Read timeout on endpoint URL: "`+srv.URL+`/"`, "(2 attempts)")
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("the server saw %d requests, want 2 attempts", n)
	}
}

// TestServerErrors: 500 and 503 answers are retried, then reported with
// the number of retries. The answers are immediate, so the worst case is
// the backoff: under 15 s with the defaults (5 attempts), under 1 s with
// total_max_attempts 2.
func TestServerErrors(t *testing.T) {
	tests := map[string]struct {
		resp     fakests.Response
		extra    map[string]any
		attempts int
		want     string
	}{
		"500, default attempts": {
			resp:     fakests.Response{Status: 500, Code: "InternalFailure", Message: fakests.MsgInternalFailure},
			attempts: 5,
			want:     "An error occurred (InternalFailure) when calling the AssumeRole operation (reached max retries: 4): " + fakests.MsgInternalFailure,
		},
		"503, two attempts": {
			resp:     fakests.Response{Status: 503, Code: "ServiceUnavailable", Message: "Service is unavailable"},
			extra:    map[string]any{"aws_config": map[string]any{"retries": map[string]any{"total_max_attempts": 2}}},
			attempts: 2,
			want:     "An error occurred (ServiceUnavailable) when calling the AssumeRole operation (reached max retries: 1): Service is unavailable",
		},
		"503 without a body, default attempts": {
			resp:     fakests.Response{Status: 503},
			attempts: 5,
			want:     "An error occurred (503) when calling the AssumeRole operation (reached max retries: 4): Service Unavailable",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := fakests.Config{Users: users}
			failFirst(100, tc.resp)(&cfg)
			srv := testenv.StartSTS(t, cfg)
			r := faultRun(t, srv.URL, tc.extra, worstCase(0, 0, tc.attempts))
			assertFailed(t, r, tc.want)
			if n := len(srv.Requests()); n != tc.attempts {
				t.Errorf("the server saw %d requests, want %d attempts", n, tc.attempts)
			}
			meta, _ := r.Result["response_metadata"].(map[string]any)
			if got := meta["retry_attempts"]; got != float64(tc.attempts-1) {
				t.Errorf("response_metadata.retry_attempts = %v, want %d", got, tc.attempts-1)
			}
		})
	}
}

// TestThrottlingThenSuccess: two throttled answers, then the credentials.
// Worst case with the defaults: under 1 s + 2 s of backoff.
func TestThrottlingThenSuccess(t *testing.T) {
	t.Parallel()
	cfg := fakests.Config{Users: users}
	failFirst(2, throttling)(&cfg)
	srv := testenv.StartSTS(t, cfg)
	args := merge(ansibleKeys("sts_assume_role"), role(nil), conn(map[string]any{"ec2_url": srv.URL}))
	start := time.Now()
	r := runModule(t, "sts_assume_role", args, newHome(t).Environ())
	if d := time.Since(start); d > worstCase(0, 0, 3)+slack {
		t.Errorf("the run took %v", d)
	}
	if r.Code != 0 || r.Result["changed"] != true {
		t.Fatalf("exit status %d: %v", r.Code, r.Result["msg"])
	}
	if n := len(srv.Requests()); n != 3 {
		t.Errorf("the server saw %d requests, want 3", n)
	}
}

// TestBadAnswers: a 200 whose body is not the answer. Not retried, so one
// round trip: the worst case is one attempt's timeouts, 15 s with the
// defaults, a few milliseconds here.
func TestBadAnswers(t *testing.T) {
	const cut = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIA`
	tests := map[string]struct {
		body []byte
		want string // after `Unable to parse the AssumeRole response from "URL/" (HTTP 200): `
	}{
		"cut XML":        {body: []byte(cut), want: "failed to decode response body, XML syntax error on line 1: unexpected EOF"},
		"other document": {body: []byte(`<html><body>captive portal</body></html>`), want: "failed to decode response body, AssumeRoleResult node not found"},
		"not XML":        {body: []byte("hello, world"), want: "the answer holds no credentials"},
		"empty":          {body: []byte{}, want: "the answer holds no credentials"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.StartSTS(t, fakests.Config{Users: users, Hook: func(*fakests.Request) *fakests.Response {
				return &fakests.Response{Status: 200, Body: tc.body}
			}})
			r := faultRun(t, srv.URL, nil, worstCase(5*time.Second, 10*time.Second, 1))
			assertFailed(t, r, `Unable to parse the AssumeRole response from "`+srv.URL+`/" (HTTP 200): `+tc.want)
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("the server saw %d requests, want 1", n)
			}
		})
	}
}

// TestTruncatedAnswer: a 200 that declares a longer body than it sends,
// then closes the connection. botocore retries it (urllib3's
// IncompleteRead is its ConnectionClosedError), and so does ours: every
// attempt ends at once, so the worst case is the backoff, under 15 s.
func TestTruncatedAnswer(t *testing.T) {
	t.Parallel()
	srv := startRaw(t, func(c *net.TCPConn, _ <-chan struct{}) {
		if readRequest(c) != nil {
			return
		}
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 5000\r\n\r\n"+
			`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>`)
	})
	r := faultRun(t, srv.URL, nil, worstCase(0, 0, 5))
	assertFailed(t, r, `Unable to parse the AssumeRole response from "`+srv.URL+`/" (HTTP 200): failed to decode response body, unexpected EOF (5 attempts)`)
	if n := srv.conns.Load(); n != 5 {
		t.Errorf("%d connections, want 5 attempts", n)
	}
}

// TestSessionTokens: temporary credentials the server issued, used after
// they expired (its clock moved on) or with the wrong token. STS's 403 is
// not retried: one round trip, 15 s at worst with the defaults.
func TestSessionTokens(t *testing.T) {
	var offset atomic.Int64
	srv := testenv.StartSTS(t, fakests.Config{Users: users, Now: func() time.Time {
		return time.Now().Add(time.Duration(offset.Load()))
	}})
	home := newHome(t)
	r := runModule(t, "sts_session_token", merge(ansibleKeys("sts_session_token"), conn(map[string]any{"ec2_url": srv.URL, "duration_seconds": 900})), home.Environ())
	creds, _ := r.Result["sts_creds"].(map[string]any)
	key, _ := creds["access_key"].(string)
	secret, _ := creds["secret_key"].(string)
	token, _ := creds["session_token"].(string)
	if r.Code != 0 || key == "" || secret == "" || token == "" {
		t.Fatalf("no session credentials: %v", r.Result["msg"])
	}
	tests := []struct {
		name    string
		key     string
		token   string
		advance time.Duration
		want    string
	}{
		{name: "valid", key: key, token: token},
		{name: "wrong token", key: key, token: token + "A",
			want: "An error occurred (InvalidClientTokenId) when calling the AssumeRole operation: " + fakests.MsgInvalidClientTokenID},
		{name: "token with long-term keys", key: testenv.AliceKey, token: token,
			want: "An error occurred (InvalidClientTokenId) when calling the AssumeRole operation: " + fakests.MsgInvalidClientTokenID},
		{name: "expired", key: key, token: token, advance: time.Hour,
			want: "An error occurred (ExpiredToken) when calling the AssumeRole operation: " + fakests.MsgExpiredToken},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			offset.Add(int64(tc.advance))
			s := secret
			if tc.key == testenv.AliceKey {
				s = testenv.AliceSecret
			}
			srv.Reset()
			args := merge(ansibleKeys("sts_assume_role"), role(nil), map[string]any{
				"aws_access_key": tc.key, "aws_secret_key": s, "security_token": tc.token, "region": "us-east-1", "ec2_url": srv.URL,
			})
			start := time.Now()
			r := runModule(t, "sts_assume_role", args, home.Environ())
			if d := time.Since(start); d > worstCase(5*time.Second, 10*time.Second, 1)+slack {
				t.Errorf("the run took %v", d)
			}
			if tc.want == "" {
				if r.Code != 0 {
					t.Fatalf("failed: %v", r.Result["msg"])
				}
				return
			}
			assertFailed(t, r, tc.want)
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("the server saw %d requests, want 1 (not retried)", n)
			}
		})
	}
}

// TestErrorShapes: every error document shape botocore reads gives the
// code, the message and the request id; a Throttling code is retried in
// any shape. Immediate answers: the worst case is the backoff, under
// 15 s with the defaults.
func TestErrorShapes(t *testing.T) {
	const requestID = "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE"
	tests := map[string]struct {
		status    int
		body      []byte
		attempts  int
		want      string
		code      string
		requestID string // response_metadata.request_id
		topID     string // request_id, as fail_json_aws reports an EC2-style RequestID
	}{
		"Errors/Error SignatureDoesNotMatch": {
			status: 403, body: testenv.NestedErrorBody("SignatureDoesNotMatch", fakests.MsgSignatureDoesNotMatch), attempts: 1,
			want: "An error occurred (SignatureDoesNotMatch) when calling the AssumeRole operation: " + fakests.MsgSignatureDoesNotMatch,
			code: "SignatureDoesNotMatch", requestID: requestID,
		},
		"Errors/Error InvalidClientTokenId": {
			status: 403, body: testenv.NestedErrorBody("InvalidClientTokenId", fakests.MsgInvalidClientTokenID), attempts: 1,
			want: "An error occurred (InvalidClientTokenId) when calling the AssumeRole operation: " + fakests.MsgInvalidClientTokenID,
			code: "InvalidClientTokenId", requestID: requestID,
		},
		"Errors/Error AccessDenied": {
			status: 403, body: testenv.NestedErrorBody("AccessDenied", "User is not authorized to perform: sts:AssumeRole"), attempts: 1,
			want: "An error occurred (AccessDenied) when calling the AssumeRole operation: User is not authorized to perform: sts:AssumeRole",
			code: "AccessDenied", requestID: requestID,
		},
		"Errors/Error Throttling, every time": {
			status: 400, body: testenv.NestedErrorBody("Throttling", "Rate exceeded"), attempts: 5,
			want: "An error occurred (Throttling) when calling the AssumeRole operation (reached max retries: 4): Rate exceeded",
			code: "Throttling", requestID: requestID,
		},
		"EC2-style Response/Errors/Error": {
			status: 400, body: []byte(`<Response><Errors><Error><Code>ValidationError</Code><Message>bad</Message></Error></Errors><RequestID>ec2-1</RequestID></Response>`), attempts: 1,
			want: "An error occurred (ValidationError) when calling the AssumeRole operation: bad",
			code: "ValidationError", topID: "ec2-1",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := fakests.Config{Users: users}
			failFirst(100, fakests.Response{Status: tc.status, Body: tc.body})(&cfg)
			srv := testenv.StartSTS(t, cfg)
			r := faultRun(t, srv.URL, nil, worstCase(0, 0, tc.attempts))
			assertFailed(t, r, tc.want)
			if n := len(srv.Requests()); n != tc.attempts {
				t.Errorf("the server saw %d requests, want %d attempts", n, tc.attempts)
			}
			errInfo, _ := r.Result["error"].(map[string]any)
			meta, _ := r.Result["response_metadata"].(map[string]any)
			if errInfo["code"] != tc.code {
				t.Errorf("error.code %v, want %s", errInfo["code"], tc.code)
			}
			if got, _ := meta["request_id"].(string); got != tc.requestID {
				t.Errorf("response_metadata.request_id %q, want %q", got, tc.requestID)
			}
			if got, _ := r.Result["request_id"].(string); got != tc.topID {
				t.Errorf("request_id %q, want %q", got, tc.topID)
			}
		})
	}
	t.Run("Errors/Error Throttling, then an answer", func(t *testing.T) {
		t.Parallel()
		cfg := fakests.Config{Users: users}
		failFirst(2, fakests.Response{Status: 400, Body: testenv.NestedErrorBody("Throttling", "Rate exceeded")})(&cfg)
		srv := testenv.StartSTS(t, cfg)
		r := faultRun(t, srv.URL, nil, worstCase(0, 0, 3))
		if r.Code != 0 || r.Result["changed"] != true {
			t.Fatalf("exit status %d: %v", r.Code, r.Result["msg"])
		}
		if n := len(srv.Requests()); n != 3 {
			t.Errorf("the server saw %d requests, want 3", n)
		}
	})
}

// drip writes one byte every interval to c until done or a write fails.
func drip(c net.Conn, interval time.Duration, done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case <-time.After(interval):
			if _, err := c.Write([]byte("x")); err != nil {
				return
			}
		}
	}
}

const switching = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"

// TestSwitchingProtocols: a 101 answer, from the endpoint or from a proxy,
// then one byte every 5 s, or nothing. The HTTP stack hands such a
// connection over and no timeout watches it any more, so it is refused at
// once, not retried: one attempt, well under its 15 s.
func TestSwitchingProtocols(t *testing.T) {
	answer101 := func(after func(c net.Conn, done <-chan struct{})) func(c *net.TCPConn, done <-chan struct{}) {
		return func(c *net.TCPConn, done <-chan struct{}) {
			if readRequest(c) != nil {
				return
			}
			if _, err := io.WriteString(c, switching); err == nil {
				after(c, done)
			}
		}
	}
	dripping := func(c net.Conn, done <-chan struct{}) { drip(c, 5*time.Second, done) }
	silent := func(_ net.Conn, done <-chan struct{}) { <-done }
	refused := "the endpoint answered 101 Switching Protocols, which is not an STS answer"
	for name, after := range map[string]func(net.Conn, <-chan struct{}){"then a byte every 5 s": dripping, "then silence": silent} {
		t.Run("endpoint, "+name, func(t *testing.T) {
			t.Parallel()
			srv := startRaw(t, answer101(after))
			r := faultRun(t, srv.URL, nil, worstCase(5*time.Second, 10*time.Second, 1))
			assertFailed(t, r, `Unable to parse the AssumeRole response from "`+srv.URL+`/" (HTTP 101): `+refused)
			if n := srv.conns.Load(); n != 1 {
				t.Errorf("%d connections, want 1 (not retried)", n)
			}
		})
		t.Run("proxy, "+name, func(t *testing.T) {
			t.Parallel()
			proxy := startRaw(t, answer101(after))
			endpoint := testenv.ClosedURL(t)
			r := faultRun(t, endpoint, map[string]any{"aws_config": map[string]any{"proxies": map[string]any{"http": proxy.URL}}}, worstCase(5*time.Second, 10*time.Second, 1))
			assertFailed(t, r, `Unable to parse the AssumeRole response from "`+endpoint+`/" (HTTP 101): `+refused)
			if n := proxy.conns.Load(); n != 1 {
				t.Errorf("%d connections to the proxy, want 1 (not retried)", n)
			}
		})
	}
	// An https endpoint through a proxy: the proxy answers the CONNECT
	// with 101, which opens no tunnel.
	t.Run("proxy CONNECT, then a byte every 5 s", func(t *testing.T) {
		t.Parallel()
		proxy := startRaw(t, answer101(dripping))
		endpoint := "https" + strings.TrimPrefix(testenv.ClosedURL(t), "http")
		r := faultRun(t, endpoint, map[string]any{"aws_config": map[string]any{"proxies": map[string]any{"https": proxy.URL}}}, defaultWorstCase)
		assertFailed(t, r, `Could not connect to the endpoint URL: "`+endpoint+`/": the proxy `+proxy.URL+` answered the tunnel request (CONNECT) with 101 Switching Protocols (5 attempts)`)
	})
}

// gzipBomb returns a gzip stream of about 2 MiB that inflates to 2 GiB:
// 2048 members of 1 MiB of zeros each.
func gzipBomb(t *testing.T) []byte {
	t.Helper()
	var member bytes.Buffer
	zw, err := gzip.NewWriterLevel(&member, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return bytes.Repeat(member.Bytes(), 2048)
}

// maxRSSAllowed is the peak memory a module run may take whatever the
// answer: a normal run takes about 20 MiB.
const maxRSSAllowed = 64 << 20

// TestHugeAnswers: answers far larger than STS's few KB, or that would
// inflate to that. The body is read up to 1 MiB, nothing is inflated, and
// none of it is retried: one round trip, 15 s at worst with the defaults,
// and memory stays under maxRSSAllowed.
func TestHugeAnswers(t *testing.T) {
	const head = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>`
	tooLarge := "the answer is larger than 1 MiB, and an STS answer is a few KB: not read further"
	// stream answers with header and then n bytes of filler after prefix,
	// written as fast as the client reads them.
	stream := func(header, prefix string, n int64) func(c *net.TCPConn, done <-chan struct{}) {
		return func(c *net.TCPConn, done <-chan struct{}) {
			if readRequest(c) != nil {
				return
			}
			if _, err := io.WriteString(c, header+prefix); err != nil {
				return
			}
			chunk := bytes.Repeat([]byte("A"), 64<<10)
			for sent := int64(0); sent < n; sent += int64(len(chunk)) {
				select {
				case <-done:
					return
				default:
				}
				if _, err := c.Write(chunk); err != nil {
					return
				}
			}
		}
	}
	bomb := gzipBomb(t)
	var acceptEncoding atomic.Value
	tests := map[string]struct {
		handle func(c *net.TCPConn, done <-chan struct{})
		want   string // after `Unable to parse the AssumeRole response from "URL/" `
	}{
		"a 200 with a 1 GiB element, streamed": {
			handle: stream("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nConnection: close\r\n\r\n", head, 1<<30),
			want:   "(HTTP 200): failed to decode response body, " + tooLarge,
		},
		"a 200 declaring 2 GiB": {
			handle: stream("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 2147483648\r\n\r\n", head, 1<<30),
			want:   "(HTTP 200): " + tooLarge,
		},
		"a 403 with a 1 GiB body, chunked": {
			handle: stream("HTTP/1.1 403 Forbidden\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n", "40000000\r\n", 1<<30),
			want:   "(HTTP 403): " + tooLarge,
		},
		"a 2 MiB gzip body that inflates to 2 GiB": {
			handle: func(c *net.TCPConn, _ <-chan struct{}) {
				req, err := http.ReadRequest(bufio.NewReader(c))
				if err != nil {
					return
				}
				acceptEncoding.Store(req.Header.Get("Accept-Encoding"))
				_, _ = io.WriteString(c, fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n", len(bomb)))
				_, _ = c.Write(bomb)
			},
			want: "(HTTP 200): the answer is encoded (Content-Encoding: gzip), which the client did not ask for",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := startRaw(t, tc.handle)
			r := faultRunWith(t, runMeasured, srv.URL, nil, worstCase(5*time.Second, 10*time.Second, 1))
			assertFailed(t, r, `Unable to parse the AssumeRole response from "`+srv.URL+`/" `+tc.want)
			if n := srv.conns.Load(); n != 1 {
				t.Errorf("%d connections, want 1 (not retried)", n)
			}
			if r.MaxRSS < 0 || r.MaxRSS > maxRSSAllowed {
				t.Errorf("peak memory %d MiB, want under %d MiB", r.MaxRSS>>20, maxRSSAllowed>>20)
			}
			t.Logf("peak memory %.1f MiB", float64(r.MaxRSS)/(1<<20))
		})
	}
	t.Run("no compressed answer asked for", func(t *testing.T) {
		t.Parallel()
		srv := testenv.StartSTS(t, fakests.Config{Users: users})
		r := faultRun(t, srv.URL, nil, worstCase(0, 0, 1))
		if r.Code != 0 {
			t.Fatalf("exit status %d: %v", r.Code, r.Result["msg"])
		}
		reqs := srv.Requests()
		if len(reqs) != 1 || reqs[0].Header.Get("Accept-Encoding") != "" {
			t.Errorf("requests %d, Accept-Encoding %q; want 1 and none", len(reqs), reqs[0].Header.Get("Accept-Encoding"))
		}
	})
}

// TestTricklingAnswer: a 200 whose body comes a byte every 300 ms, so
// that no read waits the read timeout; each attempt ends at its deadline
// (connect_timeout + read_timeout), then the call is retried. With the
// short settings: 2 × 2 s + under 1 s of backoff, 5 s; with the
// defaults, 90 s.
func TestTricklingAnswer(t *testing.T) {
	t.Parallel()
	srv := startRaw(t, func(c *net.TCPConn, done <-chan struct{}) {
		if readRequest(c) != nil {
			return
		}
		if _, err := io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n"); err == nil {
			drip(c, 300*time.Millisecond, done)
		}
	})
	r := faultRun(t, srv.URL, map[string]any{"aws_config": short}, shortWorstCase)
	// The second attempt may end at its own limit or, on a loaded
	// machine, at the module's deadline.
	assertFailed(t, r, `Read timeout on endpoint URL: "`+srv.URL+`/" (no complete answer within `)
	if n := srv.conns.Load(); n != 2 {
		t.Errorf("%d connections, want 2 attempts", n)
	}
}
