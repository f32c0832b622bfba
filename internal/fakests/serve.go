package fakests

import (
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"sync"
)

// Server serves a Handler on a listener its caller opened, until Close.
type Server struct {
	*Handler
	// URL is http://HOST:PORT of the listener, or https://... with TLS.
	URL string

	http     *http.Server
	served   chan struct{}
	closing  sync.Once
	closeErr error
}

// Serve serves next (s itself, or a handler that mounts s beside routes of
// its own) on ln, through HTTPServer, over TLS with cert unless it is nil.
func (s *Handler) Serve(ln net.Listener, next http.Handler, cert *tls.Certificate) *Server {
	scheme := "http"
	if cert != nil {
		scheme = "https"
	}
	srv := &Server{Handler: s, URL: scheme + "://" + ln.Addr().String(), http: s.HTTPServer(next, cert), served: make(chan struct{})}
	go func() {
		defer close(srv.served)
		if cert != nil {
			_ = srv.http.ServeTLS(ln, "", "")
		} else {
			_ = srv.http.Serve(ln)
		}
	}()
	return srv
}

// Close stops the server: its connections first, so that the answers the
// handler then releases cannot be sent, then the handler. It is safe to
// call more than once.
func (s *Server) Close() error {
	s.closing.Do(func() {
		if err := s.http.Close(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.closeErr = err
		}
		<-s.served
		s.Handler.Close()
	})
	return s.closeErr
}
