package awsauth

import (
	"errors"
	"net"
	"slices"
	"testing"
	"time"

	"ansible-sts/test/testenv"
	"github.com/aws/aws-sdk-go-v2/aws"
)

// TestSystemEnvironment: every variable the modules read themselves, and
// the clock the deadline starts from, are the System's, not the
// process's.
func TestSystemEnvironment(t *testing.T) {
	testenv.Isolate(t)
	env := map[string]string{
		"AWS_REGION": "eu-west-3", "AWS_ACCESS_KEY_ID": "AKIDSYSTEM", "AWS_SECRET_ACCESS_KEY": "systemSecret1",
		"AWS_MAX_ATTEMPTS": "7", "EC2_SECRET_KEY": "unusedSecret1",
	}
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	sys := System{LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }, Now: func() time.Time { return start }}
	conn := connection(t, `{}`)
	s, cfg, err := Load(conn, sys)
	if err != nil {
		t.Fatal(err)
	}
	if s.Region != (Value{"eu-west-3", "env AWS_REGION"}) || s.AccessKeyID != (Value{"AKIDSYSTEM", "env AWS_ACCESS_KEY_ID"}) || cfg.Region != "eu-west-3" {
		t.Errorf("region %v, key %v, config region %q; want the System's", s.Region, s.AccessKeyID, cfg.Region)
	}
	if s.Client.MaxAttempts != 7 || !s.Deadline.Equal(start.Add(s.Client.Longest())) {
		t.Errorf("attempts %d, deadline %v; want 7, from %v", s.Client.MaxAttempts, s.Deadline, start)
	}
	secrets := EnvSecrets(sys)
	if !slices.Contains(secrets, "systemSecret1") || !slices.Contains(secrets, "unusedSecret1") {
		t.Errorf("the environment's secrets %q lack the System's", secrets)
	}
}

// TestGuard: a connection Connect refuses is never made, fails with its
// error, and is not retried, a name lookup whose DNS server it refused
// included; without Connect the dialer is left as it is.
func TestGuard(t *testing.T) {
	refuse := errors.New("refused here")
	g := System{Connect: func(string, string) error { return refuse }}.newGuard()
	d := &net.Dialer{}
	g.dialer(d)
	for _, addr := range []string{"127.0.0.1:1", "sts.example.com:443"} {
		_, err := d.Dial("tcp", addr)
		if err == nil {
			t.Fatalf("%s: dialled", addr)
		}
		if got := g.refused(err); got != aws.FalseTernary {
			t.Errorf("%s: %v is retryable (%v)", addr, err, got)
		}
	}
	if _, err := d.Dial("tcp", "127.0.0.1:1"); !errors.Is(err, refuse) {
		t.Errorf("error %v, want Connect's", err)
	}
	if g := OS().newGuard(); g != nil {
		t.Errorf("OS has a guard")
	}
	var plain net.Dialer
	(*guard)(nil).dialer(&plain)
	if plain.ControlContext != nil || plain.Resolver != nil {
		t.Errorf("a nil guard changed the dialer")
	}
}
