package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	"ansible-sts/internal/fakests"
)

// listen serves sts, and api, its admin API, on addr, a loopback
// address (see listenAddr), over TLS with cert unless it is nil.
func listen(addr string, sts *fakests.Handler, api *admin, cert *tls.Certificate) (*fakests.Server, error) {
	hostPort, err := listenAddr(addr)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", hostPort)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	return sts.Serve(ln, routes(sts, localOnly(api)), cert), nil
}

// routes sends every path under adminPrefix to api and all others to sts,
// as they are: STS answers, and records, whatever path a client uses.
func routes(sts, api http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, adminPrefix) {
			api.ServeHTTP(w, r)
			return
		}
		sts.ServeHTTP(w, r)
	})
}

// errNotLoopback refuses a -listen address beyond loopback.
var errNotLoopback = errors.New("not a loopback address; local-sts listens on loopback only")

// listenAddr returns the host:port to listen on for addr, which must be a
// loopback host:port; localhost means 127.0.0.1, whatever the resolver
// says.
func listenAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", err
	}
	if !isLoopback(host) {
		return "", errNotLoopback
	}
	if strings.EqualFold(host, "localhost") {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

// isLoopback reports whether hostport, or a bare host, names a loopback
// address: localhost, 127.0.0.0/8 or ::1.
func isLoopback(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
