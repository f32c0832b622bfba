package fakests

import (
	"context"
	"crypto/subtle"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxBodySize bounds the request bodies the server reads.
const maxBodySize = 1 << 20

// caller is an authenticated principal.
type caller struct {
	accessKeyID string
	identity    Identity
	// temp is set when the caller used temporary credentials.
	temp *Credentials
}

// chaining reports whether an AssumeRole by c is role chaining, which
// AWS limits to one hour: c signs with temporary credentials, those of a
// role session or of GetSessionToken alike.
func (c caller) chaining() bool { return c.temp != nil }

// ServeHTTP answers one STS request, on any path, and records it.
func (s *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.enter() {
		panic(http.ErrAbortHandler) // closing: no answer
	}
	defer s.handlers.Done()
	now := s.cfg.Now()
	requestID := newRequestID()
	meta := Request{Method: r.Method, Path: r.URL.Path, Size: r.ContentLength, Time: now}
	if r.ContentLength > maxBodySize {
		// Refused unread; the connection closes rather than take the rest.
		p := s.record(meta)
		if s.cfg.Observe != nil {
			defer func() { s.cfg.Observe(s.snapshot(p)) }()
		}
		s.refuseBody(w, requestID, p)
		return
	}
	body, readErr := io.ReadAll(io.LimitReader(r.Body, maxBodySize+1))
	query, queryErr := url.ParseQuery(r.URL.RawQuery)
	auth, authErr := parseSigV4(r, query)
	meta.Size = int64(len(body))
	meta.AccessKeyID, meta.Region, meta.Service = auth.accessKeyID, auth.region, auth.service
	p := s.record(meta)
	if s.cfg.Observe != nil {
		// Deferred so that abandoned answers (Hang, Delay) are seen too.
		defer func() { s.cfg.Observe(s.snapshot(p)) }()
	}

	fail := func(e *apiError) {
		writeError(w, requestID, e)
		s.finish(p, e.status, e.code)
	}
	if readErr != nil {
		panic(http.ErrAbortHandler) // unreadable body: drop the connection
	}
	if len(body) > maxBodySize {
		s.refuseBody(w, requestID, p)
		return
	}
	// The request is in: from here on the time taken is the server's,
	// which faults may make long, and the client is only waited for to
	// see whether it goes away.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	params, paramErr := parseParams(r, body)
	c, apiErr := s.authenticate(r, body, query, auth, authErr, now)
	if apiErr != nil {
		fail(apiErr)
		return
	}
	action := ""
	if paramErr == nil {
		action = params.Get("Action")
	}
	s.authenticated(p, c.identity.ARN, r, params, action, auth.sessionToken)
	if s.cfg.Faults != nil {
		delay, fault := s.cfg.Faults.take()
		if delay > 0 {
			s.delay(r.Context(), rc, delay)
		}
		if fault != nil {
			fail(fault)
			return
		}
	}
	if s.cfg.Hook != nil {
		req := s.snapshot(p)
		if resp := s.cfg.Hook(&req); resp != nil {
			s.finish(p, s.writeResponse(w, r, requestID, resp), "")
			return
		}
	}
	if queryErr != nil || paramErr != nil {
		fail(newError(http.StatusNotFound, "MalformedQueryString", "The query string contains a syntax error."))
		return
	}
	name, version := params.Get("Action"), params.Get("Version")
	act, ok := actions[name]
	switch {
	case name == "":
		fail(newError(http.StatusBadRequest, "MissingAction", "The request is missing an action or a required parameter."))
		return
	case !ok || version != APIVersion:
		fail(errInvalidAction(name, version))
		return
	}
	if apiErr := act.validate(s, c, params); apiErr != nil {
		fail(apiErr)
		return
	}
	if act.authorize != nil {
		if apiErr := act.authorize(s, c, params); apiErr != nil {
			fail(apiErr)
			return
		}
	}
	result := act.run(s, c, params, now)
	writeXML(w, http.StatusOK, requestID, resultDocument(name, requestID, result...))
	s.finish(p, http.StatusOK, "")
}

// refuseBody answers, for the recorded request p, that its body is over
// maxBodySize, and closes the connection after the answer rather than read
// the rest of the body.
func (s *Handler) refuseBody(w http.ResponseWriter, requestID string, p *Request) {
	e := newError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "Request body is too large")
	w.Header().Set("Connection", "close")
	writeError(w, requestID, e)
	s.finish(p, e.status, e.code)
}

// parseParams returns the parameters of a form body followed by those of
// the query string.
func parseParams(r *http.Request, body []byte) (url.Values, error) {
	params := url.Values{}
	var errs []error
	if len(body) > 0 && isForm(r.Header.Get("Content-Type")) {
		form, err := url.ParseQuery(string(body))
		errs = append(errs, err)
		for k, vs := range form {
			params[k] = append(params[k], vs...)
		}
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	errs = append(errs, err)
	for k, vs := range query {
		params[k] = append(params[k], vs...)
	}
	return params, errors.Join(errs...)
}

// isForm reports whether a body of contentType holds form parameters; a
// missing Content-Type is taken as a form.
func isForm(contentType string) bool {
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// authenticate finds the credentials a claims, checks their session token
// and expiration (both carried by the token on AWS, so checked first), then
// the signature and the clock, and returns the caller.
func (s *Handler) authenticate(r *http.Request, body []byte, query url.Values, a sigV4, parseErr *apiError, now time.Time) (caller, *apiError) {
	if parseErr != nil {
		return caller{}, parseErr
	}
	s.mu.Lock()
	user, isUser := s.users[a.accessKeyID]
	identity := s.idents[a.accessKeyID]
	var temp *Credentials
	if t, ok := s.issued[a.accessKeyID]; ok {
		c := *t
		temp = &c
	}
	s.mu.Unlock()

	var secret string
	switch {
	case isUser:
		if a.sessionToken != "" {
			return caller{}, errInvalidToken()
		}
		secret = user.SecretAccessKey
	case temp != nil:
		if subtle.ConstantTimeCompare([]byte(a.sessionToken), []byte(temp.SessionToken)) != 1 {
			return caller{}, errInvalidToken()
		}
		secret, identity = temp.SecretAccessKey, temp.Identity
	default:
		return caller{}, errInvalidToken()
	}
	if temp != nil && !now.Before(temp.Expiration) {
		return caller{}, errExpiredToken()
	}
	if apiErr := verifySigV4(r, body, query, a, secret, now); apiErr != nil {
		return caller{}, apiErr
	}
	return caller{accessKeyID: a.accessKeyID, identity: identity, temp: temp}, nil
}

// writeXML sends an XML body the way STS does.
func writeXML(w http.ResponseWriter, status int, requestID string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h["x-amzn-RequestId"] = []string{requestID}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeError(w http.ResponseWriter, requestID string, e *apiError) {
	writeXML(w, e.status, requestID, errorDocument(faultType(e.status), e.code, e.message, requestID))
}

// writeResponse sends resp and returns the status sent. When a wait that
// resp asks for ends because the client went away or the handler closed, it
// aborts the handler so that no answer at all is sent.
func (s *Handler) writeResponse(w http.ResponseWriter, r *http.Request, requestID string, resp *Response) int {
	switch {
	case resp.Hang:
		s.wait(r.Context(), nil)
		panic(http.ErrAbortHandler)
	case resp.Delay > 0:
		s.delay(r.Context(), http.NewResponseController(w), resp.Delay)
	}
	status := resp.Status
	if status == 0 {
		status = http.StatusOK
		if resp.Code != "" {
			status = http.StatusBadRequest
		}
	}
	body := resp.Body
	if body == nil && resp.Code != "" {
		typ := resp.Type
		if typ == "" {
			typ = faultType(status)
		}
		body = errorDocument(typ, resp.Code, resp.Message, requestID)
	}
	h := w.Header()
	for k, vs := range resp.Header {
		h[k] = append([]string(nil), vs...)
	}
	if len(body) > 0 && !hasHeader(h, "Content-Type") {
		h.Set("Content-Type", "text/xml")
	}
	if !hasHeader(h, "x-amzn-RequestId") {
		h["x-amzn-RequestId"] = []string{requestID}
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return status
}

// delay waits for d, then gives the answer the write deadline; or aborts the handler so that no answer is sent if
// the client goes away or the handler closes first.
func (s *Handler) delay(ctx context.Context, rc *http.ResponseController, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	if !s.wait(ctx, t.C) {
		panic(http.ErrAbortHandler)
	}
	// The client has the usual time to take the answer, however long
	// the delay was.
	_ = rc.SetWriteDeadline(time.Now().Add(s.cfg.Timeouts.Write))
}

// wait blocks until ready fires (true), or the client goes away or the
// handler closes (false). A nil ready never fires.
func (s *Handler) wait(ctx context.Context, ready <-chan time.Time) bool {
	select {
	case <-ready:
		return true
	case <-ctx.Done():
		return false
	case <-s.done:
		return false
	}
}

func hasHeader(h http.Header, name string) bool {
	for k := range h {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}
