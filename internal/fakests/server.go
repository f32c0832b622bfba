package fakests

import (
	"crypto/tls"
	"io"
	"log"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Config configures a Handler.
type Config struct {
	// Users are the IAM users whose long-term keys the handler accepts.
	Users []User
	// Roles are the IAM roles callers may assume. When empty, any caller
	// may assume any well-formed role ARN; when set, AssumeRole follows
	// the roles' trust, external id, MFA and duration rules (see [Role]).
	// MFA serial numbers and codes sent are checked against the caller's
	// device when roles are set, and for users with MFASerial or
	// RequireMFA; otherwise any well-formed ones are accepted.
	Roles []Role
	// Faults, if set, injects throttling, server errors and delays into
	// the answers to authenticated requests, before Hook is consulted; it
	// may be changed while the handler serves.
	Faults *Faults
	// Hook, if set, is called for every request after signature
	// verification (and after the request is recorded). If it returns
	// non-nil, that response is sent instead of the normal one. Used for
	// fault injection (throttling, 5xx, delays, custom errors). It may be
	// called concurrently; r is a copy.
	Hook func(r *Request) *Response
	// FractionalExpiration makes Expiration carry milliseconds, e.g.
	// 2026-11-22T14:00:00.611Z.
	FractionalExpiration bool
	// Now returns the current time (default time.Now); used for
	// Expiration and signature clock checks.
	Now func() time.Time
	// MaxSessionDuration is the MaxSessionDuration of every role without
	// its own: longer AssumeRole DurationSeconds get a ValidationError.
	// Default [DefaultMaxSessionDuration], as for a new IAM role; at most
	// [MaxMaxSessionDuration].
	MaxSessionDuration time.Duration
	// Observe, if set, is called once for every request when its handling
	// ends, with the recorded copy (Status 0 if nothing was sent). It may
	// be called concurrently.
	Observe func(r Request)
	// Timeouts are the connection deadlines the handler is served with
	// (see [Handler.HTTPServer]); zero fields take those of
	// DefaultTimeouts.
	Timeouts Timeouts
}

// Timeouts are the connection deadlines of a served Handler. They bound
// how long a client may take to send its request and to take the answer,
// not how long the handler takes to answer: Faults and Hook delays and
// hangs last as long as they are configured to.
type Timeouts struct {
	// ReadHeader is how long a client may take to send the request
	// line and headers.
	ReadHeader time.Duration
	// Read is how long a client may take to send the whole request,
	// headers and body.
	Read time.Duration
	// Write is how long a client may take to receive the answer, counted
	// from the end of the request, or of an injected delay.
	Write time.Duration
	// Idle is how long a kept-alive connection may wait for its next
	// request.
	Idle time.Duration
}

// DefaultTimeouts are the Timeouts of a Handler whose Config gives none:
// ample for a client on the same machine, short enough that clients which
// stall, or send their request a byte at a time, do not hold connections
// for long.
var DefaultTimeouts = Timeouts{
	ReadHeader: 10 * time.Second,
	Read:       30 * time.Second,
	Write:      30 * time.Second,
	Idle:       2 * time.Minute,
}

// withDefaults returns t with its zero fields set from DefaultTimeouts.
func (t Timeouts) withDefaults() Timeouts {
	or := func(d, def time.Duration) time.Duration {
		if d > 0 {
			return d
		}
		return def
	}
	return Timeouts{
		ReadHeader: or(t.ReadHeader, DefaultTimeouts.ReadHeader),
		Read:       or(t.Read, DefaultTimeouts.Read),
		Write:      or(t.Write, DefaultTimeouts.Write),
		Idle:       or(t.Idle, DefaultTimeouts.Idle),
	}
}

// Request is what the server recorded about one call. Every string in it
// that the client chose is cut to MaxRecordedValue bytes, ending in
// CutMarker when cut. Of a request that failed authentication only the
// metadata is kept (Method, Path, Size, the credential scope, Time, Err and
// Status): Action, Params, SessionToken, UserAgent and Header stay empty.
type Request struct {
	// Method and Path are those of the HTTP request.
	Method, Path string
	// Size is the length of the request body in bytes: as read, or as
	// announced for a body refused as too large.
	Size int64
	// Action is "AssumeRole", ...; empty if the parameters are unparseable.
	Action string
	// Params are the form parameters (including Action and Version), from
	// the query string and the form body; values beyond MaxRecordedParams
	// bytes in all are left out, and Cut is set.
	Params url.Values
	// AccessKeyID is from the SigV4 credential scope.
	AccessKeyID string
	// Region is the signing region from the credential scope.
	Region string
	// Service is the signing service from the credential scope ("sts").
	Service string
	// SessionToken is the X-Amz-Security-Token header, "" if absent.
	SessionToken string
	// Caller is the ARN of the authenticated caller, "" when
	// authentication failed.
	Caller    string
	UserAgent string
	// Header holds the request headers; Go keeps Host out of it. Values
	// beyond MaxRecordedHeader bytes in all are left out, and Cut is set.
	Header http.Header
	// Cut reports that parameters or headers were left out.
	Cut bool
	// Time is the server time of arrival.
	Time time.Time
	// Err is the error code the server itself answered with, "" on success
	// or when Hook supplied the answer.
	Err string
	// Status is the HTTP status sent; 0 while pending, or if nothing was
	// sent (client gone, Hang).
	Status int
}

// clone returns a deep copy of r.
func (r Request) clone() Request {
	r.Params = cloneValues(r.Params)
	r.Header = r.Header.Clone()
	return r
}

// Response is a canned answer returned by Hook.
type Response struct {
	// Status is the HTTP status; default 400 when Code is set, else 200.
	Status int
	// Body is the raw body; when nil and Code != "", an AWS error XML body
	// is built.
	Body []byte
	// Code, Message and Type make the error body; Type defaults to
	// "Sender" below status 500 and "Receiver" from 500 on.
	Code, Message, Type string
	// Header is added to the response headers, replacing defaults.
	Header http.Header
	// Delay is slept before answering; it ends early, without an answer,
	// if the client goes away or the handler closes.
	Delay time.Duration
	// Hang: never answer until the client goes away or the handler closes.
	Hang bool
}

// Handler is a fake STS: an http.Handler that answers STS requests as
// its Config says, and records them. It does not listen: serve it, alone
// or next to other routes, with the http.Server of [Handler.HTTPServer].
type Handler struct {
	cfg     Config
	done    chan struct{}
	closing sync.Once
	// handlers counts running handlers; closed (under mu) stops new ones.
	handlers sync.WaitGroup
	closed   bool

	mu     sync.Mutex
	users  map[string]User
	roles  map[string]Role
	idents map[string]Identity // by long-term access key id
	issued map[string]*Credentials
	order  []string // issued access key ids, oldest first
	// requests holds the last MaxRecords requests, oldest first.
	requests []*Request
}

// Bounds of the request log: whatever clients send, it holds at most
// MaxRecords requests of at most a few times MaxRecordedParams bytes each.
const (
	// MaxRecords is how many requests the server keeps; older ones are
	// forgotten.
	MaxRecords = 1000
	// MaxRecordedValue bounds each recorded string.
	MaxRecordedValue = 4 << 10
	// MaxRecordedParams bounds the parameter values recorded per request.
	MaxRecordedParams = 16 << 10
	// MaxRecordedHeader bounds the header values recorded per request.
	MaxRecordedHeader = 8 << 10
	// CutMarker ends a recorded string that was cut.
	CutMarker = "...[cut]"
)

// New returns a Handler for cfg, or the first problem of cfg, a
// [*ConfigError].
func New(cfg Config) (*Handler, error) {
	cfg, err := checkConfig(cfg)
	if err != nil {
		return nil, err
	}
	s := &Handler{
		cfg:    cfg,
		done:   make(chan struct{}),
		users:  make(map[string]User),
		roles:  make(map[string]Role),
		idents: make(map[string]Identity),
		issued: make(map[string]*Credentials),
	}
	for _, u := range cfg.Users {
		s.users[u.AccessKeyID] = u
		s.idents[u.AccessKeyID] = userIdentityOf(u)
	}
	for _, r := range cfg.Roles {
		s.roles[r.ARN] = r
	}
	return s, nil
}

// HTTPServer returns an http.Server that serves next (s itself, or a
// handler that mounts s next to routes of its own) with the deadlines of
// Config.Timeouts, over TLS with cert when cert is not nil (serve it with
// ServeTLS(ln, "", "")), and without logging the errors of clients that
// give up. The caller listens and serves; to stop, it closes the
// http.Server first, then s, so that released answers cannot be sent.
func (s *Handler) HTTPServer(next http.Handler, cert *tls.Certificate) *http.Server {
	t := s.cfg.Timeouts
	hs := &http.Server{
		Handler:           next,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		// Clients that give up (TLS distrust, timeouts) are not news.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	if cert != nil {
		hs.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12}
	}
	return hs
}

// Close ends pending Hang and Delay answers, without answering them, and
// returns once no request is being handled, so that Config.Observe is not
// called after it; requests that come later are dropped unanswered. It is
// safe to call more than once.
func (s *Handler) Close() {
	s.closing.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		close(s.done)
		s.handlers.Wait()
	})
}

// enter registers a running handler; false once the handler is closing.
func (s *Handler) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.handlers.Add(1)
	return true
}

// Requests returns a copy of the recorded requests in arrival order.
func (s *Handler) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = r.clone()
	}
	return out
}

// Reset forgets the recorded requests, releasing them. Issued credentials
// stay valid.
func (s *Handler) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// record stores the metadata of r, its strings cut, forgetting the oldest
// request when MaxRecords are stored, and returns the stored copy for
// later updates.
func (s *Handler) record(r Request) *Request {
	r.Method, r.Path = cut(r.Method), cut(r.Path)
	r.AccessKeyID, r.Region, r.Service = cut(r.AccessKeyID), cut(r.Region), cut(r.Service)
	r.Action, r.Params, r.SessionToken, r.UserAgent, r.Header = "", nil, "", "", nil
	s.mu.Lock()
	defer s.mu.Unlock()
	p := &r
	if n := len(s.requests); n >= MaxRecords {
		copy(s.requests, s.requests[n-MaxRecords+1:])
		clear(s.requests[MaxRecords-1:])
		s.requests = s.requests[:MaxRecords-1]
	}
	s.requests = append(s.requests, p)
	return p
}

// authenticated stores, in the recorded request p, the caller and what the
// request asked for, cut to the log's bounds.
func (s *Handler) authenticated(p *Request, callerARN string, r *http.Request, params url.Values, action, sessionToken string) {
	recParams, cutParams := cutValues(params, MaxRecordedParams)
	recHeader, cutHeader := cutValues(r.Header, MaxRecordedHeader)
	action = cut(action)
	s.mu.Lock()
	defer s.mu.Unlock()
	p.Caller = callerARN
	p.Action, p.Params, p.SessionToken, p.UserAgent = action, recParams, cut(sessionToken), cut(r.UserAgent())
	p.Header, p.Cut = http.Header(recHeader), cutParams || cutHeader
}

// cut returns s cut to MaxRecordedValue bytes, CutMarker included.
func cut(s string) string {
	if len(s) <= MaxRecordedValue {
		return s
	}
	return strings.ToValidUTF8(s[:MaxRecordedValue-len(CutMarker)], "") + CutMarker
}

// valueOverhead is what a recorded value costs beyond its key and value
// bytes, roughly: with it, a budget bounds the memory of many tiny values
// too.
const valueOverhead = 64

// cutValues returns a copy of v with each value cut and, in key order,
// only the values that fit in budget bytes (keys, values and
// valueOverhead each), and whether any was cut or left out.
func cutValues(v map[string][]string, budget int) (url.Values, bool) {
	if v == nil {
		return nil, false
	}
	out := make(url.Values, min(len(v), 64))
	cutAny := false
	for _, k := range slices.Sorted(maps.Keys(v)) {
		for _, val := range v[k] {
			ck, cv := cut(k), cut(val)
			size := len(ck) + len(cv) + valueOverhead
			if size > budget {
				cutAny = true
				continue
			}
			budget -= size
			cutAny = cutAny || ck != k || cv != val
			out[ck] = append(out[ck], cv)
		}
	}
	return out, cutAny
}

// finish stores the outcome of the recorded request p.
func (s *Handler) finish(p *Request, status int, errCode string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p.Status, p.Err = status, errCode
}

// snapshot returns a copy of the recorded request p.
func (s *Handler) snapshot(p *Request) Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return p.clone()
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
