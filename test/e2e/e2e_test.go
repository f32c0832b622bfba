package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/cases"
	"ansible-sts/test/testenv"
)

const (
	roleARN   = cases.RoleARN
	mfaSerial = testenv.AliceMFASerial
)

var users = []fakests.User{testenv.Alice(), testenv.Bob()}

// conn is the usual connection: alice's keys, a region, the local endpoint.
func conn(extra map[string]any) map[string]any {
	m := map[string]any{"aws_access_key": testenv.AliceKey, "aws_secret_key": testenv.AliceSecret, "region": "us-east-1", "ec2_url": "$URL"}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func role(extra map[string]any) map[string]any {
	m := map[string]any{"role_arn": roleARN, "role_session_name": "s1"}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func merge(ms ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// failFirst answers the first n requests with resp, then normally.
func failFirst(n int64, resp fakests.Response) func(*fakests.Config) {
	return func(c *fakests.Config) {
		var calls atomic.Int64
		c.Hook = func(*fakests.Request) *fakests.Response {
			if calls.Add(1) <= n {
				r := resp
				return &r
			}
			return nil
		}
	}
}

var throttling = fakests.Response{Status: 400, Code: "Throttling", Message: "Rate exceeded", Type: "Sender"}

// TestCases runs every case of test/cases through our binaries and
// compares the outcome with the case's want.json. Each run must also
// write one line of JSON and nothing on stderr, exit as its result says,
// leave its arguments file as it was and show no secret it was given.
func TestCases(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: every case against its expected result")
	}
	all, err := cases.LoadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			r := c.Run(t, func(args string) []string { return []string{filepath.Join(binDir, c.Module), args} })
			checkOutput(t, r.Code, r.Stdout, r.Stderr)
			after, err := os.ReadFile(r.ArgsFile)
			if err != nil || !bytes.Equal(after, r.Content) {
				t.Errorf("the arguments file changed or is gone (%v)", err)
			}
			if fi, err := os.Stat(r.ArgsFile); err == nil && fi.Mode().Perm() != 0o600 {
				t.Errorf("the arguments file's mode changed to %v", fi.Mode())
			}
			assertNoSecretLeak(t, r.Input, r.Env, r.Stdout, r.Stderr)
			assertNotShown(t, []string{testenv.AliceSecret, testenv.BobSecret}, r.Stdout, r.Stderr)
			c.CheckWant(t, r.Outcome(nil), *update)
		})
	}
}
