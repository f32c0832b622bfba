package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"ansible-sts/internal/fakests"
)

// adminPrefix is the path of the admin API, next to STS at "/".
const adminPrefix = "/local-sts/"

// redacted replaces the values of parameters that carry secrets.
const redacted = "******"

// requestRecord is a recorded STS request, or an attempt the egress guard
// refused, as the admin API shows it.
type requestRecord struct {
	Time        time.Time         `json:"time"`
	Method      string            `json:"method"`
	Path        string            `json:"path"`
	Size        int64             `json:"size"`
	Action      string            `json:"action"`
	AccessKeyID string            `json:"access_key_id"`
	Caller      string            `json:"caller"`
	Region      string            `json:"region"`
	Status      int               `json:"status"`
	Error       string            `json:"error"`
	Params      map[string]string `json:"params"`
	// Egress is the host:port of an attempt the egress guard refused, ""
	// for an STS request: a smoke playbook can assert that no entry has one.
	Egress string `json:"egress"`
}

// faultsState is the admin API's view of the faults.
type faultsState struct {
	Throttle     int    `json:"throttle"`
	ServerErrors int    `json:"server_errors"`
	Delay        string `json:"delay"`
}

// faultsUpdate is a POST /local-sts/faults body; absent fields keep their
// values.
type faultsUpdate struct {
	Throttle     *int    `json:"throttle"`
	ServerErrors *int    `json:"server_errors"`
	Delay        *string `json:"delay"`
}

// admin serves the admin API of one STS handler, and of its egress guard
// unless that is nil.
type admin struct {
	sts    *fakests.Handler
	faults *fakests.Faults
	egress *egressGuard
}

// ServeHTTP routes the admin API's resources by path and method.
func (a *admin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	type route struct {
		path, method string
		serve        func(http.ResponseWriter, *http.Request)
	}
	routes := []route{
		{"health", http.MethodGet, a.health},
		{"requests", http.MethodGet, a.requests},
		{"requests", http.MethodDelete, a.resetRequests},
		{"faults", http.MethodGet, a.getFaults},
		{"faults", http.MethodPost, a.setFaults},
	}
	path := strings.TrimPrefix(r.URL.Path, adminPrefix)
	var allowed []string
	for _, rt := range routes {
		if rt.path != path {
			continue
		}
		if rt.method == r.Method || (rt.method == http.MethodGet && r.Method == http.MethodHead) {
			rt.serve(w, r)
			return
		}
		allowed = append(allowed, rt.method)
	}
	if len(allowed) == 0 {
		writeJSONError(w, http.StatusNotFound, fmt.Sprintf("no admin resource %s", r.URL.Path))
		return
	}
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	writeJSONError(w, http.StatusMethodNotAllowed, fmt.Sprintf("%s %s is not supported", r.Method, r.URL.Path))
}

// localOnly refuses requests from beyond loopback, and requests whose Host
// is not a loopback name, which a web page could send after rebinding a
// DNS name to 127.0.0.1.
func localOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isLoopback(r.RemoteAddr) || !isLoopback(r.Host) {
			writeJSONError(w, http.StatusForbidden, "the admin API answers loopback clients only")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (a *admin) health(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "ok\n")
}

// requests lists the STS requests and the refused egress attempts in one
// list, in the order they came: a playbook that reads the list sees both.
func (a *admin) requests(w http.ResponseWriter, _ *http.Request) {
	reqs := a.sts.Requests()
	var refused []egressAttempt
	if a.egress != nil {
		refused = a.egress.Attempts()
	}
	// A merge, not a sort: each list keeps its own order.
	out := make([]requestRecord, 0, len(reqs)+len(refused))
	for len(reqs) > 0 || len(refused) > 0 {
		if len(refused) > 0 && (len(reqs) == 0 || refused[0].Time.Before(reqs[0].Time)) {
			out = append(out, refused[0].record())
			refused = refused[1:]
			continue
		}
		out = append(out, record(reqs[0]))
		reqs = reqs[1:]
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *admin) resetRequests(w http.ResponseWriter, _ *http.Request) {
	a.sts.Reset()
	if a.egress != nil {
		a.egress.Reset()
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *admin) getFaults(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, stateOf(a.faults.Get()))
}

func (a *admin) setFaults(w http.ResponseWriter, r *http.Request) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeJSONError(w, http.StatusUnsupportedMediaType, "the body must be application/json")
		return
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<16))
	dec.DisallowUnknownFields()
	var u faultsUpdate
	if err := dec.Decode(&u); err != nil {
		writeJSONError(w, http.StatusBadRequest, fmt.Sprintf("decode faults: %v", err))
		return
	}
	next, err := u.apply(a.faults.Get())
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	a.faults.Set(next)
	writeJSON(w, http.StatusOK, stateOf(next))
}

// apply returns cur changed by u.
func (u faultsUpdate) apply(cur fakests.FaultSettings) (fakests.FaultSettings, error) {
	if u.Throttle != nil {
		if *u.Throttle < 0 {
			return cur, errors.New("throttle must not be negative")
		}
		cur.Throttle = *u.Throttle
	}
	if u.ServerErrors != nil {
		if *u.ServerErrors < 0 {
			return cur, errors.New("server_errors must not be negative")
		}
		cur.ServerErrors = *u.ServerErrors
	}
	if u.Delay != nil {
		d, err := time.ParseDuration(*u.Delay)
		if err != nil {
			return cur, fmt.Errorf("delay: %w", err)
		}
		if d < 0 {
			return cur, errors.New("delay must not be negative")
		}
		cur.Delay = d
	}
	return cur, nil
}

func stateOf(s fakests.FaultSettings) faultsState {
	return faultsState{Throttle: s.Throttle, ServerErrors: s.ServerErrors, Delay: s.Delay.String()}
}

// record returns what the admin API shows of r: no session token, no
// headers, and secret parameters redacted. The server keeps no parameters
// of a request that failed authentication.
func record(r fakests.Request) requestRecord {
	params := make(map[string]string, len(r.Params))
	for k, vs := range r.Params {
		switch {
		case secretParam(k):
			params[k] = redacted
		case len(vs) > 0:
			params[k] = vs[0]
		default:
			params[k] = ""
		}
	}
	return requestRecord{
		Time: r.Time, Method: r.Method, Path: r.Path, Size: r.Size, Action: r.Action, AccessKeyID: r.AccessKeyID, Caller: r.Caller,
		Region: r.Region, Status: r.Status, Error: r.Err, Params: params,
	}
}

// secretParam reports whether the parameter called name carries a secret:
// the MFA code, a token (web identity, or a presigned URL's session
// token), a SAML assertion, a password, a secret key, or a presigned URL's
// signature, with which the URL could be replayed.
func secretParam(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"token", "saml", "password", "secret", "signature"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		http.Error(w, "encode: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
