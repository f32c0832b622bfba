package testenv

import (
	"crypto/tls"
	"fmt"
	"net"
	"testing"

	"ansible-sts/internal/fakests"
)

// STS is a fake STS (see package fakests) served on 127.0.0.1 at a free
// port, at URL. Its Handler holds the request log (Requests, Reset).
type STS struct{ *fakests.Server }

// StartSTS serves a fake STS of cfg for the duration of t. It stops the
// test with t.Fatal if the server cannot start.
func StartSTS(t testing.TB, cfg fakests.Config) *STS {
	t.Helper()
	return startSTS(t, cfg, nil)
}

// StartSTSWithTLS is StartSTS serving HTTPS with cert.
func StartSTSWithTLS(t testing.TB, cfg fakests.Config, cert tls.Certificate) *STS {
	t.Helper()
	return startSTS(t, cfg, &cert)
}

// StartSelfSignedSTS is StartSTSWithTLS with a new self-signed certificate
// for 127.0.0.1 (fakests.SelfSignedCert), whose PEM it returns, for a CA
// bundle.
func StartSelfSignedSTS(t testing.TB, cfg fakests.Config) (*STS, []byte) {
	t.Helper()
	cert, pem, err := fakests.SelfSignedCert()
	if err != nil {
		t.Fatal(err)
	}
	return startSTS(t, cfg, &cert), pem
}

func startSTS(t testing.TB, cfg fakests.Config, cert *tls.Certificate) *STS {
	t.Helper()
	s, err := NewSTS(cfg, cert)
	if err != nil {
		t.Fatalf("start sts server: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close sts server: %v", err)
		}
	})
	return s
}

// NewSTS serves a fake STS of cfg, over HTTPS with cert unless it is nil,
// until Close.
func NewSTS(cfg fakests.Config, cert *tls.Certificate) (*STS, error) {
	h, err := fakests.New(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	return &STS{h.Serve(ln, h, cert)}, nil
}
