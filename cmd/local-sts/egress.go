package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"ansible-sts/internal/fakests"
)

// egressRefused is the error of a refused attempt in the request list and
// the log, as STS's error codes are.
const egressRefused = "EgressRefused"

// maxTarget bounds a recorded target: a DNS name and a port fit.
const maxTarget = 262

// egressAttempt is a request the guard refused.
type egressAttempt struct {
	Time   time.Time
	Method string
	// Target is the host:port the client tried to reach.
	Target string
}

// egressGuard is a proxy on loopback that refuses every request, and
// keeps the last fakests.MaxRecords attempts it refused. With a command,
// local-sts points the command's proxy variables at it (see proxyVars), so
// that a client which ignores AWS_ENDPOINT_URL_STS (the AWS CLI before
// 2.13, boto3 before 1.28) fails with a message saying what to do, instead
// of quietly reaching AWS from an offline run.
type egressGuard struct {
	// URL is the proxy URL the command gets: http://HOST:PORT/local-sts-egress-guard.
	URL string
	// log, unless nil, writes a line to the request log.
	log    func(string)
	srv    *http.Server
	served chan struct{}

	mu       sync.Mutex
	attempts []egressAttempt
	closed   bool
	active   sync.WaitGroup
}

// newGuard returns a guard that is not listening yet; logf, unless nil,
// gets a line for each refused attempt.
func newGuard(logf func(string)) *egressGuard {
	return &egressGuard{log: logf}
}

// listen starts the guard on host (a loopback IP) at a free port.
func (g *egressGuard) listen(host string) error {
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return fmt.Errorf("egress guard: listen: %w", err)
	}
	g.URL = "http://" + ln.Addr().String() + guardPath
	g.served = make(chan struct{})
	g.srv = &http.Server{
		Handler:           g,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		// A client that gives up is not news, and the command's stderr is
		// not the place for it.
		ErrorLog: discardLog,
	}
	go func() {
		defer close(g.served)
		_ = g.srv.Serve(ln)
	}()
	return nil
}

var discardLog = log.New(io.Discard, "", 0)

// close stops the guard and returns once no attempt is being refused, so
// that nothing is logged after it.
func (g *egressGuard) close() error {
	var err error
	if g.srv != nil {
		err = g.srv.Close()
		<-g.served
	}
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	g.active.Wait()
	if err != nil {
		return fmt.Errorf("egress guard: close: %w", err)
	}
	return nil
}

// ServeHTTP refuses a proxy request: CONNECT host:port, or a request for
// an absolute URL. Anything else was not sent through a proxy setting and
// gets a 400.
func (g *egressGuard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := proxyTarget(r)
	if target == "" {
		http.Error(w, "local-sts egress guard: not a proxy request", http.StatusBadRequest)
		return
	}
	if !g.enter() {
		panic(http.ErrAbortHandler) // closing: no answer
	}
	defer g.active.Done()
	a := egressAttempt{Time: time.Now(), Method: printable(r.Method), Target: target}
	g.mu.Lock()
	g.attempts = append(g.attempts, a)
	if n := len(g.attempts) - fakests.MaxRecords; n > 0 {
		g.attempts = append(g.attempts[:0:0], g.attempts[n:]...)
	}
	g.mu.Unlock()
	if g.log != nil {
		g.log(a.logLine())
	}
	refuse(w, r, refusal(target))
}

func (g *egressGuard) enter() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	g.active.Add(1)
	return true
}

// Attempts returns a copy of the refused attempts, oldest first.
func (g *egressGuard) Attempts() []egressAttempt {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]egressAttempt(nil), g.attempts...)
}

// Reset forgets the refused attempts.
func (g *egressGuard) Reset() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.attempts = nil
}

// proxyTarget returns the host:port a proxy request is for, printable and
// bounded, without user information, path or query; "" if r is not a
// proxy request.
func proxyTarget(r *http.Request) string {
	var host, port string
	switch {
	case r.Method == http.MethodConnect:
		host, port = r.URL.Host, "443"
	case r.URL.IsAbs():
		host = r.URL.Host
		port = map[string]string{"http": "80", "https": "443"}[strings.ToLower(r.URL.Scheme)]
	}
	if host == "" {
		return ""
	}
	if _, _, err := net.SplitHostPort(host); err != nil && port != "" {
		host = net.JoinHostPort(strings.Trim(host, "[]"), port)
	}
	host = printable(host)
	if len(host) > maxTarget {
		host = host[:maxTarget] + "..."
	}
	return host
}

// refusal is the guard's one answer, naming the target and the ways to
// pass the endpoint. It carries no part of the request but the target.
func refusal(target string) string {
	return "local-sts refused egress to " + target + `; pass the endpoint explicitly: --endpoint-url "$LOCAL_STS_URL" for the AWS CLI, endpoint_url for boto3 and the Ansible modules`
}

// refuse answers 403 with msg as the body and as the reason phrase too:
// for a refused CONNECT, clients show the status line, not the body
// (Python's http.client: "Tunnel connection failed: 403 <reason>"; Go:
// the reason alone). net/http writes only standard reason phrases, so the
// answer is written on the hijacked connection.
func refuse(w http.ResponseWriter, r *http.Request, msg string) {
	// An unread body would make closing the connection reset it, and the
	// client might lose the answer.
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		w.Header().Set("Connection", "close")
		http.Error(w, msg, http.StatusForbidden)
		return
	}
	defer conn.Close()
	_ = conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	body := msg + "\n"
	fmt.Fprintf(buf, "HTTP/1.1 403 %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", msg, len(body), body)
	_ = buf.Flush()
}

// logLine describes a as "METHOD HOST:PORT -> 403 EgressRefused", beside
// the STS requests' "ACTION CALLER -> STATUS CODE".
func (a egressAttempt) logLine() string {
	return a.Method + " " + a.Target + " -> 403 " + egressRefused
}

// record returns what the admin API shows of a, in the request list.
func (a egressAttempt) record() requestRecord {
	return requestRecord{Time: a.Time, Method: a.Method, Egress: a.Target, Status: http.StatusForbidden, Error: egressRefused, Params: map[string]string{}}
}
