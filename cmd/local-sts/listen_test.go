package main

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestListenAddr(t *testing.T) {
	tests := []struct {
		addr    string
		want    string
		wantErr error // nil: any error, with want ""
	}{
		{addr: "127.0.0.1:0", want: "127.0.0.1:0"},
		{addr: "127.0.0.2:8080", want: "127.0.0.2:8080"},
		{addr: "[::1]:0", want: "[::1]:0"},
		{addr: "localhost:0", want: "127.0.0.1:0"},
		{addr: "LocalHost:0", want: "127.0.0.1:0"},
		{addr: "0.0.0.0:0", wantErr: errNotLoopback},
		{addr: ":0", wantErr: errNotLoopback},
		{addr: "[::]:0", wantErr: errNotLoopback},
		{addr: "192.168.1.1:0", wantErr: errNotLoopback},
		{addr: "example.com:0", wantErr: errNotLoopback},
		{addr: "localhost.example.com:0", wantErr: errNotLoopback},
		{addr: "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			got, err := listenAddr(tt.addr)
			switch {
			case tt.want != "" && err != nil:
				t.Fatalf("listenAddr(%q) = %v, want %q", tt.addr, err, tt.want)
			case tt.want == "" && err == nil:
				t.Fatalf("listenAddr(%q) = %q, want an error", tt.addr, got)
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Fatalf("listenAddr(%q) error = %v, want %v", tt.addr, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("address mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIsLoopback(t *testing.T) {
	tests := map[string]bool{
		"127.0.0.1:1234": true, "127.0.0.1": true, "127.9.9.9:80": true, "[::1]:80": true, "::1": true, "[::1]": true,
		"localhost": true, "localhost:80": true, "LOCALHOST:80": true,
		"10.0.0.1:80": false, "[::]:80": false, "rebound.example:80": false, "": false, "localhost.example": false,
	}
	for host, want := range tests {
		if got := isLoopback(host); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

// TestListenLocalhost: localhost is 127.0.0.1, whatever the resolver says.
func TestListenLocalhost(t *testing.T) {
	o := defaultOptions()
	o.listen = "localhost:0"
	e := startEndpoint(t, o)
	if !urlRE.MatchString(e.srv.URL) {
		t.Errorf("URL = %q, want http://127.0.0.1:PORT", e.srv.URL)
	}
}
