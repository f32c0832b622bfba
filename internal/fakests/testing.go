package fakests

import "testing"

// Start runs a server for the duration of t: NewServer, then Close at
// cleanup. It stops the test with t.Fatal if the server cannot start.
func Start(t testing.TB, cfg Config) *Server {
	t.Helper()
	s, err := NewServer(cfg)
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
