package main

import (
	"testing"

	"ansible-sts/test/testenv"

	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// The keys of example.json's users.
var (
	ciKeys      = testenv.Keys{ID: "AKIAIOSFODNN7EXAMPLE", Secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	partnerKeys = testenv.Keys{ID: "AKIAI44QH8DHBEXAMPLE", Secret: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"}
)

const (
	ciARN      = "arn:aws:iam::123456789012:user/ci"
	partnerARN = "arn:aws:iam::210987654321:user/partner"
)

// defaultOptions are the options of a run without flags.
func defaultOptions() options {
	return options{listen: "127.0.0.1:0", region: "us-east-1"}
}

// startEndpoint starts an endpoint for the duration of t, in an isolated
// environment.
func startEndpoint(t *testing.T, o options) *endpoint {
	t.Helper()
	testenv.Isolate(t)
	e, err := start(o, nil)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return e
}

// newClient returns an STS client of e signing with k, without retries.
func newClient(e *endpoint, k testenv.Keys) *sts.Client { return testenv.NewClient(e.srv.URL, k) }
