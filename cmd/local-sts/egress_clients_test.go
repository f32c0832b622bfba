package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/test/testenv"
)

// stsHostRE matches the STS endpoints of us-east-1: the AWS CLI v2 calls
// the regional one, boto3 1.26 the global one.
var stsHostRE = regexp.MustCompile(`^sts(\.us-east-1)?\.amazonaws\.com:443$`)

// guardedRun is the outcome of a script run under an endpoint with the
// guard.
type guardedRun struct {
	status         int
	stdout, stderr string
	took           time.Duration
	// listed is GET /local-sts/requests after the script ended.
	listed []requestRecord
	// guard is the proxy URL the script got.
	guard string
}

// runGuarded runs script with /bin/sh under a new endpoint of o, which
// has the guard on, in an isolated environment. The script runs only if its proxy variables are the
// guard's: a client without an endpoint must not reach AWS even if the
// guard is broken. Clients are told to try once (AWS_MAX_ATTEMPTS) and,
// in versions that would honour AWS_ENDPOINT_URL_STS, to ignore it.
func runGuarded(t *testing.T, o options, script string) guardedRun {
	t.Helper()
	e := startEndpoint(t, o)
	if e.guard == nil {
		t.Fatal("no egress guard")
	}
	guard := shellQuote(e.guard.URL)
	prelude := `for v in "$HTTPS_PROXY" "$https_proxy" "$HTTP_PROXY" "$http_proxy"; do
  [ "$v" = ` + guard + ` ] || { echo "the proxy variables are not the guard's" >&2; exit 99; }
done
export AWS_MAX_ATTEMPTS=1 AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true
`
	var stdout, stderr bytes.Buffer
	began := time.Now()
	status := wrap(e, []string{"/bin/sh", "-c", prelude + script}, &stdout, &stderr)
	r := guardedRun{status: status, stdout: stdout.String(), stderr: stderr.String(), took: time.Since(began), listed: listed(t, e), guard: e.guard.URL}
	if strings.Contains(r.stdout+r.stderr, ciKeys.Secret) {
		t.Errorf("the output shows the secret key")
	}
	return r
}

// requireBoto3 returns Debian's python3 with boto3 (python3-boto3),
// failing in CI if it is missing and skipping elsewhere.
func requireBoto3(t *testing.T) string {
	t.Helper()
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import boto3").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("/usr/bin/python3 with boto3 (Debian's python3-boto3) is required in CI: %v", err)
		}
		t.Skipf("/usr/bin/python3 with boto3 (Debian's python3-boto3) not available: %v", err)
	}
	return python
}

// refusedOnce checks that the run listed one attempt, a CONNECT to STS
// in us-east-1, and nothing else, and returns its target.
func refusedOnce(t *testing.T, r guardedRun) string {
	t.Helper()
	if len(r.listed) != 1 || r.listed[0].Method != "CONNECT" || !stsHostRE.MatchString(r.listed[0].Egress) || r.listed[0].Error != "EgressRefused" {
		t.Fatalf("listed %+v, want one CONNECT to STS refused; stderr: %s", r.listed, r.stderr)
	}
	// The client got its answer at once, not after a timeout.
	if r.took > 30*time.Second {
		t.Errorf("the client took %v to fail", r.took)
	}
	return r.listed[0].Egress
}

// TestGuardAWSCLI: Debian's AWS CLI (2.9.19), which ignores
// AWS_ENDPOINT_URL_STS, called without --endpoint-url, is refused by the
// guard instead of reaching AWS. It shows the proxy URL, whose path names
// the guard, and nothing else of the refusal.
func TestGuardAWSCLI(t *testing.T) {
	cli := testenv.RequireTool(t, "/usr/bin/aws")
	r := runGuarded(t, guardedOptions(), `exec `+cli+` sts get-caller-identity`)
	refusedOnce(t, r)
	got := []any{r.status, r.stdout, strings.TrimSpace(r.stderr)}
	want := []any{255, "", `Failed to connect to proxy URL: "` + r.guard + `"`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outcome mismatch (-want +got):\n%s", diff)
	}
	if !strings.HasSuffix(r.guard, guardPath) {
		t.Errorf("proxy URL %s does not name the guard", r.guard)
	}
}

// TestGuardBoto3: boto3 1.26 (Debian's), which ignores
// AWS_ENDPOINT_URL_STS, with no endpoint_url, is refused by the guard;
// its traceback shows the refusal's status line.
func TestGuardBoto3(t *testing.T) {
	python := requireBoto3(t)
	r := runGuarded(t, guardedOptions(), `exec `+python+` -c 'import boto3; print(boto3.client("sts").get_caller_identity()["Arn"])'`)
	target := refusedOnce(t, r)
	if r.status != 1 || r.stdout != "" {
		t.Errorf("status %d, stdout %q; want 1 and nothing", r.status, r.stdout)
	}
	for _, want := range []string{
		"\nOSError: Tunnel connection failed: 403 " + refusal(target) + "\n",
		"\nbotocore.exceptions.ProxyConnectionError: Failed to connect to proxy URL: \"" + r.guard + "\"\n",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

// TestGuardedEndpointClients: under the guard, the AWS CLI and boto3
// reach the endpoint they are given directly, wherever on loopback it
// listens, over HTTP or HTTPS: nothing is refused.
func TestGuardedEndpointClients(t *testing.T) {
	cli := testenv.RequireTool(t, "/usr/bin/aws")
	python := requireBoto3(t)
	awsCLI := `ca=
[ -z "$LOCAL_STS_CA_BUNDLE" ] || ca="--ca-bundle $LOCAL_STS_CA_BUNDLE"
` + cli + ` sts get-caller-identity --endpoint-url "$LOCAL_STS_URL" $ca --query Arn --output text || exit
`
	boto3 := python + ` -c 'import boto3, os
print(boto3.client("sts", endpoint_url=os.environ["LOCAL_STS_URL"], verify=os.environ.get("LOCAL_STS_CA_BUNDLE") or None).get_caller_identity()["Arn"])' || exit
`
	tests := map[string]struct {
		change  func(*options)
		clients []string
	}{
		"HTTP":  {change: func(*options) {}, clients: []string{awsCLI, boto3}},
		"HTTPS": {change: func(o *options) { o.tls = true }, clients: []string{awsCLI, boto3}},
		// The AWS CLI 2.9.19 refuses an IPv6 endpoint URL itself
		// ("Invalid endpoint"); botocore, for Python, needs [::1] in
		// NO_PROXY.
		"IPv6":                     {change: func(o *options) { o.listen = "[::1]:0" }, clients: []string{boto3}},
		"another loopback address": {change: func(o *options) { o.listen = "127.0.0.2:0" }, clients: []string{awsCLI, boto3}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			o := guardedOptions()
			tt.change(&o)
			r := runGuarded(t, o, strings.Join(tt.clients, ""))
			var want []string
			for range tt.clients {
				want = append(want, "GetCallerIdentity 200 ")
			}
			if r.status != 0 || r.stdout != strings.Repeat(ciARN+"\n", len(tt.clients)) {
				t.Errorf("status %d, stdout %q, want 0 and the caller from each client; stderr: %s", r.status, r.stdout, r.stderr)
			}
			var got []string
			for _, l := range r.listed {
				got = append(got, fmt.Sprintf("%s %d %s", l.Action, l.Status, l.Egress))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("listed mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
