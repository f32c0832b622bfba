package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"ansible-sts/test/testenv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
)

func TestRunRefuses(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantStatus int
		wantStderr string
	}{
		{name: "all interfaces", args: []string{"-listen", "0.0.0.0:8080"}, wantStatus: 2,
			wantStderr: "local-sts: -listen \"0.0.0.0:8080\": not a loopback address; local-sts listens on loopback only\n"},
		{name: "empty host", args: []string{"-listen", ":8080"}, wantStatus: 2,
			wantStderr: "local-sts: -listen \":8080\": not a loopback address; local-sts listens on loopback only\n"},
		{name: "IPv6 any", args: []string{"-listen", "[::]:0"}, wantStatus: 2,
			wantStderr: "local-sts: -listen \"[::]:0\": not a loopback address; local-sts listens on loopback only\n"},
		{name: "private address", args: []string{"-listen", "192.168.1.10:0"}, wantStatus: 2,
			wantStderr: "local-sts: -listen \"192.168.1.10:0\": not a loopback address; local-sts listens on loopback only\n"},
		{name: "host name", args: []string{"-listen", "example.com:0"}, wantStatus: 2,
			wantStderr: "local-sts: -listen \"example.com:0\": not a loopback address; local-sts listens on loopback only\n"},
		{name: "no port", args: []string{"-listen", "127.0.0.1"}, wantStatus: 2,
			wantStderr: "local-sts: -listen \"127.0.0.1\": address 127.0.0.1: missing port in address\n"},
		{name: "command without --", args: []string{"env"}, wantStatus: 2,
			wantStderr: "local-sts: unexpected argument \"env\"; put the command after --\n"},
		{name: "negative throttle", args: []string{"-throttle", "-1"}, wantStatus: 2, wantStderr: "local-sts: -throttle must not be negative\n"},
		{name: "negative delay", args: []string{"-delay", "-1s"}, wantStatus: 2, wantStderr: "local-sts: -delay must not be negative\n"},
		{name: "unknown user", args: []string{"-as", "nobody"}, wantStatus: 1,
			wantStderr: "local-sts: -as: no user \"nobody\" in the configuration (users: [\"ci\" \"partner\"])\n"},
		{name: "missing config", args: []string{"-config", "/nonexistent/local-sts.json"}, wantStatus: 1,
			wantStderr: "local-sts: read config: open /nonexistent/local-sts.json: no such file or directory\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testenv.Isolate(t)
			var stdout, stderr bytes.Buffer
			status := run(tt.args, &stdout, &stderr)
			got := []any{status, stdout.String(), stderr.String()}
			if diff := cmp.Diff([]any{tt.wantStatus, "", tt.wantStderr}, got); diff != "" {
				t.Errorf("outcome mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if status := run([]string{"-version"}, &stdout, &stderr); status != 0 || !regexp.MustCompile(`^local-sts \S+\n$`).MatchString(stdout.String()) {
		t.Errorf("status %d, stdout %q, stderr %q; want 0 and a version line", status, stdout.String(), stderr.String())
	}
}

// TestStampedVersion: make build stamps local-sts's version as it stamps
// the modules', and --version prints it.
func TestStampedVersion(t *testing.T) {
	makeTool := testenv.RequireTool(t, "make")
	goTool := testenv.RequireTool(t, "go")
	out, err := exec.Command(makeTool, "-C", "../..", "-n", "build", "VERSION=v9.8.7-test").Output()
	if err != nil {
		t.Fatalf("make -n build: %v", err)
	}
	m := regexp.MustCompile(`go build .*-ldflags "([^"]*)"`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no go build -ldflags in make -n build:\n%s", out)
	}
	bin := filepath.Join(t.TempDir(), "local-sts")
	build := exec.Command(goTool, "build", "-ldflags", string(m[1]), "-o", bin, ".")
	// Only what is in the module cache: no network.
	build.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=readonly")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -ldflags %q: %v\n%s", m[1], err, out)
	}
	got, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatalf("local-sts --version: %v", err)
	}
	if string(got) != "local-sts v9.8.7-test\n" {
		t.Errorf("local-sts --version printed %q, want %q", got, "local-sts v9.8.7-test\n")
	}
}

func TestShellQuote(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "URL", in: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080"},
		{name: "secret", in: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", want: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
		{name: "empty", in: "", want: "''"},
		{name: "space and dollar", in: "a b$HOME", want: "'a b$HOME'"},
		{name: "single quote", in: "it's", want: `'it'\''s'`},
		{name: "newline and backtick", in: "a\n`b`", want: "'a\n`b`'"},
	}
	sh := testenv.RequireTool(t, "sh")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shellQuote(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("quoting mismatch (-want +got):\n%s", diff)
			}
			out, err := exec.Command(sh, "-c", "export V="+got+"; printf %s \"$V\"").Output()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.in, string(out)); diff != "" {
				t.Errorf("value after eval mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// startMain runs the test binary as local-sts with args in a clean
// environment and returns it with its stdout.
func startMain(t *testing.T, args ...string) (*exec.Cmd, *bufio.Reader, *bytes.Buffer) {
	t.Helper()
	home := testenv.NewHome(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = home.Environ(mainEnv + "=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewReader(stdout), &stderr
}

// exitCode waits for cmd and returns its exit status.
func exitCode(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0
}

func TestServe(t *testing.T) {
	testenv.Isolate(t)
	cmd, stdout, stderr := startMain(t, "-as", "partner", "-region", "eu-west-1")
	exports := map[string]string{}
	var names []string
	exportRE := regexp.MustCompile(`^export ([A-Z0-9_]+)=(\S+)$`)
	for len(names) < 8 {
		line, err := stdout.ReadString('\n')
		if err != nil {
			t.Fatalf("read exports: %v; stderr: %s", err, stderr.String())
		}
		m := exportRE.FindStringSubmatch(strings.TrimSuffix(line, "\n"))
		if m == nil {
			t.Fatalf("not an export line: %q", line)
		}
		names = append(names, m[1])
		exports[m[1]] = m[2]
	}
	wantNames := []string{"AWS_URL", "AWS_ENDPOINT_URL_STS", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EC2_METADATA_DISABLED", "LOCAL_STS_URL"}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("exported names mismatch (-want +got):\n%s", diff)
	}
	url := exports["AWS_URL"]
	if !urlRE.MatchString(url) || exports["LOCAL_STS_URL"] != url || exports["AWS_REGION"] != "eu-west-1" || exports["AWS_DEFAULT_REGION"] != "eu-west-1" || exports["AWS_ACCESS_KEY_ID"] != partnerKeys.ID {
		t.Errorf("exports = %v", exports)
	}
	client := sts.New(sts.Options{
		Region: "eu-west-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: exports["AWS_ACCESS_KEY_ID"], SecretAccessKey: exports["AWS_SECRET_ACCESS_KEY"]}, nil
		}),
	})
	out, err := client.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out.Arn); got != partnerARN {
		t.Errorf("caller = %q, want %q", got, partnerARN)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := exitCode(t, cmd); code != 0 {
		t.Errorf("exit status after SIGTERM = %d, want 0; stderr: %s", code, stderr.String())
	}
	if rest, _ := io.ReadAll(stdout); len(rest) != 0 {
		t.Errorf("more on stdout: %q", rest)
	}
	wantStderr := regexp.MustCompile(`^local-sts: serving STS at ` + regexp.QuoteMeta(url) + ` as ` + regexp.QuoteMeta(partnerARN) +
		`; admin API at ` + regexp.QuoteMeta(url) + `/local-sts/; stop with Ctrl-C\nGetCallerIdentity ` + regexp.QuoteMeta(partnerARN) + ` -> 200\n$`)
	if !wantStderr.MatchString(stderr.String()) {
		t.Errorf("stderr = %q, want a match for %s", stderr.String(), wantStderr)
	}
}

func TestSignalsForwarded(t *testing.T) {
	tests := []struct {
		name       string
		sig        syscall.Signal
		wantStatus int
	}{
		{name: "SIGTERM ends the command", sig: syscall.SIGTERM, wantStatus: 128 + int(syscall.SIGTERM)},
		{name: "SIGINT handled by the command", sig: syscall.SIGINT, wantStatus: 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd, stdout, stderr := startMain(t, "--", os.Args[0], commandArg, "sleep")
			if line, err := stdout.ReadString('\n'); err != nil || line != "ready\n" {
				t.Fatalf("read %q, %v; want ready; stderr: %s", line, err, stderr.String())
			}
			start := time.Now()
			if err := cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			if code := exitCode(t, cmd); code != tt.wantStatus {
				t.Errorf("exit status = %d, want %d; stderr: %s", code, tt.wantStatus, stderr.String())
			}
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %v to stop", d)
			}
		})
	}
}
