package fakests_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

// retained is about what the log keeps of r: its strings and values.
func retained(r fakests.Request) int {
	n := len(r.Method) + len(r.Path) + len(r.Action) + len(r.AccessKeyID) + len(r.Region) +
		len(r.Service) + len(r.SessionToken) + len(r.Caller) + len(r.UserAgent) + len(r.Err)
	for _, m := range []map[string][]string{r.Params, r.Header} {
		for k, vs := range m {
			for _, v := range vs {
				n += len(k) + len(v)
			}
		}
	}
	return n
}

// TestLogKeepsNoUnauthenticatedBodies: 400 unsigned POSTs of 1 MiB leave
// only their metadata in the log.
func TestLogKeepsNoUnauthenticatedBodies(t *testing.T) {
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}})
	body := "Action=GetCallerIdentity&Version=2011-06-15&Junk=" + strings.Repeat("x", fakests.MaxBodySize-49)
	if len(body) != fakests.MaxBodySize {
		t.Fatalf("body of %d bytes", len(body))
	}
	client := &http.Client{Timeout: 10 * time.Second}
	const calls = 400
	for range calls {
		resp, err := client.Post(srv.URL+"/", "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d, want 403", resp.StatusCode)
		}
	}
	reqs := srv.Requests()
	if len(reqs) != calls {
		t.Fatalf("%d requests recorded, want %d", len(reqs), calls)
	}
	total := 0
	for _, r := range reqs {
		if r.Params != nil || r.Header != nil || r.Action != "" || r.UserAgent != "" {
			t.Fatalf("unauthenticated request recorded with what it asked for: %+v", r)
		}
		if r.Method != http.MethodPost || r.Path != "/" || r.Size != fakests.MaxBodySize || r.Err != "MissingAuthenticationToken" {
			t.Fatalf("metadata = %s %s %d %s", r.Method, r.Path, r.Size, r.Err)
		}
		total += retained(r)
	}
	// 400 MiB were sent; what is kept is the metadata, some 50 bytes each.
	if limit := calls * 100; total > limit {
		t.Errorf("the log retains %d bytes, want at most %d", total, limit)
	}
	srv.Reset()
	if n := srv.RequestSlots(); n != 0 {
		t.Errorf("after Reset the log still holds %d slots", n)
	}
}

// TestLogLengthBounded: beyond MaxRecords, the oldest requests are
// forgotten.
func TestLogLengthBounded(t *testing.T) {
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}})
	client := &http.Client{Timeout: 10 * time.Second}
	const extra = 25
	for i := range fakests.MaxRecords + extra {
		resp, err := client.Get(srv.URL + "/" + strconv.Itoa(i))
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	reqs := srv.Requests()
	if len(reqs) != fakests.MaxRecords {
		t.Fatalf("%d requests recorded, want %d", len(reqs), fakests.MaxRecords)
	}
	if first, last := reqs[0].Path, reqs[len(reqs)-1].Path; first != "/"+strconv.Itoa(extra) || last != "/"+strconv.Itoa(fakests.MaxRecords+extra-1) {
		t.Errorf("the log runs from %s to %s, want the last %d", first, last, fakests.MaxRecords)
	}
}

// TestLogCutsValues: an authenticated request's long values are cut with
// a marker, and its many parameters kept within the budget.
func TestLogCutsValues(t *testing.T) {
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}})
	params := form("Action", "GetCallerIdentity", "Version", fakests.APIVersion, "Big", strings.Repeat("b", 100000))
	for i := range 2000 {
		params.Set(fmt.Sprintf("P%04d", i), "v")
	}
	req := signedRequest(t, srv, http.MethodPost, params, testenv.UserKeys(alice), time.Now(), func(r *http.Request) {
		r.Header.Set("X-Long", strings.Repeat("h", 10000))
	})
	if got := do(t, nil, req); got.Status != 200 {
		t.Fatalf("status %d %s", got.Status, got.Code)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if r.Action != "GetCallerIdentity" || r.Caller != alice.ARN || !r.Cut {
		t.Errorf("recorded %s by %s, cut %v; want GetCallerIdentity by alice, cut", r.Action, r.Caller, r.Cut)
	}
	if big := r.Params.Get("Big"); len(big) != fakests.MaxRecordedValue || !strings.HasSuffix(big, fakests.CutMarker) {
		t.Errorf("Big recorded as %d bytes ending %q, want %d ending %q", len(big), big[max(len(big)-10, 0):], fakests.MaxRecordedValue, fakests.CutMarker)
	}
	if long := r.Header.Get("X-Long"); len(long) != fakests.MaxRecordedValue || !strings.HasSuffix(long, fakests.CutMarker) {
		t.Errorf("X-Long recorded as %d bytes, want %d ending %q", len(long), fakests.MaxRecordedValue, fakests.CutMarker)
	}
	if r.Header.Get("Authorization") == "" || r.Params.Get("Action") != "GetCallerIdentity" {
		t.Errorf("the values first in order are left out: %v", r.Params)
	}
	if n, limit := retained(r), fakests.MaxRecordedParams+fakests.MaxRecordedHeader+10*fakests.MaxRecordedValue; n > limit {
		t.Errorf("the request retains %d bytes, want at most %d", n, limit)
	}
}

// TestBodyTooLarge: a body over fakests.MaxBodySize is refused, announced or not,
// without being read to its end.
func TestBodyTooLarge(t *testing.T) {
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}})
	t.Run("announced", func(t *testing.T) {
		// Only the headers are sent: the answer must come unread.
		c := dial(t, srv)
		fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: sts\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", 2*fakests.MaxBodySize)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), "<Code>RequestEntityTooLarge</Code>") {
			t.Errorf("got %d %s, want 413 RequestEntityTooLarge", resp.StatusCode, b)
		}
	})
	t.Run("chunked", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/", io.MultiReader(strings.NewReader(strings.Repeat("x", fakests.MaxBodySize+1)), strings.NewReader("")))
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = -1
		if got := do(t, nil, req); got.Status != http.StatusRequestEntityTooLarge || got.Code != "RequestEntityTooLarge" {
			t.Errorf("got %d %s, want 413 RequestEntityTooLarge", got.Status, got.Code)
		}
	})
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests recorded, want 2", len(reqs))
	}
	for _, r := range reqs {
		if r.Err != "RequestEntityTooLarge" || r.Params != nil || r.Status != 413 {
			t.Errorf("recorded %+v", r)
		}
	}
}

func dial(t *testing.T, srv *testenv.STS) net.Conn {
	t.Helper()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// trickle writes s a byte every step until the server closes the
// connection, and returns how long that took; it fails after limit.
func trickle(t *testing.T, c net.Conn, s string, step, limit time.Duration) time.Duration {
	t.Helper()
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		_, _ = io.Copy(io.Discard, c) // EOF or reset: the server is done
	}()
	start := time.Now()
	for i := 0; time.Since(start) < limit; i = (i + 1) % len(s) {
		select {
		case <-closed:
			return time.Since(start)
		case <-time.After(step):
		}
		if _, err := c.Write([]byte{s[i]}); err != nil && !errors.Is(err, net.ErrClosed) {
			<-closed
			return time.Since(start)
		}
	}
	t.Fatalf("the connection is still open after %v", limit)
	return 0
}

// TestSlowClientsCutOff: a client that sends its headers, or its body, a
// byte at a time is cut off at the deadline.
func TestSlowClientsCutOff(t *testing.T) {
	t.Parallel()
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}, Timeouts: fakests.Timeouts{ReadHeader: 300 * time.Millisecond, Read: 600 * time.Millisecond}})
	t.Run("headers", func(t *testing.T) {
		c := dial(t, srv)
		if _, err := io.WriteString(c, "POST / HTTP/1.1\r\nHost: sts\r\n"); err != nil {
			t.Fatal(err)
		}
		if took := trickle(t, c, "X-Slow: a\r\n", 20*time.Millisecond, 5*time.Second); took > 2*time.Second {
			t.Errorf("cut off after %v, want about 300ms", took)
		}
	})
	t.Run("body", func(t *testing.T) {
		c := dial(t, srv)
		if _, err := io.WriteString(c, "POST / HTTP/1.1\r\nHost: sts\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		if took := trickle(t, c, "Action=x&", 20*time.Millisecond, 5*time.Second); took > 2*time.Second {
			t.Errorf("cut off after %v, want about 600ms", took)
		}
	})
}

// TestFaultsOutlastTimeouts: delays and hangs that the server is told to
// inject last longer than the connection deadlines.
func TestFaultsOutlastTimeouts(t *testing.T) {
	t.Parallel()
	short := fakests.Timeouts{ReadHeader: 200 * time.Millisecond, Read: 300 * time.Millisecond, Write: 300 * time.Millisecond, Idle: 300 * time.Millisecond}
	gci := form("Action", "GetCallerIdentity", "Version", fakests.APIVersion)
	t.Run("Faults delay", func(t *testing.T) {
		t.Parallel()
		faults := new(fakests.Faults)
		faults.Set(fakests.FaultSettings{Delay: time.Second})
		srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}, Faults: faults, Timeouts: short})
		start := time.Now()
		got := do(t, nil, signedRequest(t, srv, http.MethodPost, gci, testenv.UserKeys(alice), time.Now(), nil))
		if took := time.Since(start); got.Status != 200 || took < time.Second {
			t.Errorf("status %d %s after %v, want 200 after 1s", got.Status, got.Code, took)
		}
	})
	t.Run("Hook delay", func(t *testing.T) {
		t.Parallel()
		srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}, Timeouts: short, Hook: func(*fakests.Request) *fakests.Response {
			return &fakests.Response{Delay: time.Second, Status: 500, Code: "InternalFailure"}
		}})
		got := do(t, nil, signedRequest(t, srv, http.MethodPost, gci, testenv.UserKeys(alice), time.Now(), nil))
		if got.Status != 500 || got.Code != "InternalFailure" {
			t.Errorf("got %d %s, want the delayed 500", got.Status, got.Code)
		}
	})
	t.Run("Hang", func(t *testing.T) {
		t.Parallel()
		srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}, Timeouts: short, Hook: func(*fakests.Request) *fakests.Response { return &fakests.Response{Hang: true} }})
		client := &http.Client{Timeout: 1500 * time.Millisecond}
		_, err := client.Do(signedRequest(t, srv, http.MethodPost, gci, testenv.UserKeys(alice), time.Now(), nil))
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("err = %v, want the client's own timeout: the server must not end a hang", err)
		}
	})
}
