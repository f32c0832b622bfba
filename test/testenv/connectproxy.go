package testenv

import (
	"net"
	"net/http"
	"slices"
	"sync"
	"testing"
)

// RefusingProxy is an HTTP proxy on 127.0.0.1 that records where each
// request asked it to connect (the host:port of a tunnel request,
// CONNECT, or of a plain request's URL) and refuses every one with 403.
// A module run with HTTPS_PROXY and HTTP_PROXY pointing at it shows where
// it would have connected, and connects nowhere else: a client hands the
// proxy the host name of a tunnel's target and resolves nothing itself,
// and requests to loopback addresses bypass the proxy.
type RefusingProxy struct {
	URL string

	mu      sync.Mutex
	targets []string
}

// StartRefusingProxy starts a RefusingProxy for the test's duration.
func StartRefusingProxy(t testing.TB) *RefusingProxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &RefusingProxy{URL: "http://" + l.Addr().String()}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target := r.Host // CONNECT's authority
		if r.Method != http.MethodConnect && r.URL.Host != "" {
			target = r.URL.Host
		}
		p.mu.Lock()
		p.targets = append(p.targets, target)
		p.mu.Unlock()
		w.Header().Set("Connection", "close")
		http.Error(w, "refused by the test's proxy", http.StatusForbidden)
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return p
}

// Targets returns the host:port of every request so far, in order.
func (p *RefusingProxy) Targets() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.targets)
}
