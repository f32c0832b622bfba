package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/test/testenv"
)

// TestNoProxy: the endpoint is never proxied, wherever on loopback it
// listens, by the rule botocore applies (urllib's proxy_bypass_environment,
// run by /usr/bin/python3), while AWS is.
func TestNoProxy(t *testing.T) {
	tests := []struct {
		endpoint string
		want     string
	}{
		{endpoint: "http://127.0.0.1:8080", want: "127.0.0.1,localhost,::1,[::1],127.0.0.0/8"},
		{endpoint: "https://127.0.0.1:8443", want: "127.0.0.1,localhost,::1,[::1],127.0.0.0/8"},
		{endpoint: "http://[::1]:8080", want: "127.0.0.1,localhost,::1,[::1],127.0.0.0/8"},
		{endpoint: "http://127.0.0.2:8080", want: "127.0.0.2,127.0.0.1,localhost,::1,[::1],127.0.0.0/8"},
	}
	python := testenv.RequireTool(t, "/usr/bin/python3")
	const bypass = `import sys, urllib.parse, urllib.request
print(" ".join(str(urllib.request.proxy_bypass_environment(urllib.parse.urlparse(u).netloc, {"no": sys.argv[1]})) for u in sys.argv[2:]))`
	for _, tt := range tests {
		t.Run(tt.endpoint, func(t *testing.T) {
			no := noProxy(tt.endpoint)
			if diff := cmp.Diff(tt.want, no); diff != "" {
				t.Fatalf("NO_PROXY mismatch (-want +got):\n%s", diff)
			}
			out, err := exec.Command(python, "-c", bypass, no, tt.endpoint, "https://sts.amazonaws.com", "https://sts.us-east-1.amazonaws.com", "http://169.254.169.254").Output()
			if err != nil {
				t.Fatalf("python: %v", err)
			}
			if got := strings.TrimSpace(string(out)); got != "True False False False" {
				t.Errorf("bypassed (endpoint, AWS, AWS, metadata): %s, want only the endpoint", got)
			}
		})
	}
}
