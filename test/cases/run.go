package cases

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

// A Run is what one implementation did with a case.
type Run struct {
	Code           int
	Stdout, Stderr []byte
	// Input is the arguments file, as written and decoded (nil if it is
	// not a JSON object); ArgsFile is its path, left for checking that
	// the run did not change it.
	Input    map[string]any
	Content  []byte
	ArgsFile string
	Env      []string
	// Result is stdout decoded, or {"crash": the last line of stderr}.
	Result   any
	Requests []map[string]any // what the server received, see testenv.Summary

	normalise func(any) any
}

// Outcome is a run's result with what differs from run to run replaced
// (see Normalise), beside its exit status and the requests made.
type Outcome struct {
	ExitStatus int              `json:"exit_status"`
	Result     any              `json:"result"`
	Requests   []map[string]any `json:"requests"`
}

// Outcome returns the run's outcome, its result passed through
// transform first (nil for none).
func (r *Run) Outcome(transform func(any) any) Outcome {
	result := r.Result
	if transform != nil {
		result = transform(result)
	}
	result = r.normalise(result)
	// The controller reads the secrets a module registers as a set.
	if m, ok := result.(map[string]any); ok {
		if list, ok := m["_ansible_new_secrets"].([]any); ok {
			slices.SortFunc(list, func(a, b any) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		}
	}
	return Outcome{ExitStatus: r.Code, Result: result, Requests: r.Requests}
}

// Run runs c with the command argv gives for an arguments file, against a
// server of its own set up as the case says, in an isolated home. The
// arguments file is the one this machine's ansible-core writes.
func (c *Case) Run(t testing.TB, argv func(argsFile string) []string) *Run {
	t.Helper()
	return c.RunAs(t, testenv.AnsibleVersion, argv)
}

// RunAs is Run with the arguments file the controller of ansible-core
// version writes (testenv.AnsibleKeysOf).
func (c *Case) RunAs(t testing.TB, version string, argv func(argsFile string) []string) *Run {
	t.Helper()
	cfg := fakests.Config{Users: users(), Roles: roles, MaxSessionDuration: 12 * time.Hour}
	var armed atomic.Bool
	if c.Server != "" {
		Scenarios[c.Server](&cfg, &armed)
	}
	srv := testenv.StartSTS(t, cfg)
	home := testenv.NewHome(t)
	closed := testenv.ClosedURL(t)
	temp := sessionCredentials(t, srv)
	srv.Reset()
	armed.Store(true)
	subst := placeholders(srv.URL, closed, home.Dir, temp)

	content, err := c.argsFile(version, subst, home.Dir)
	if err != nil {
		t.Fatal(err)
	}
	r := &Run{Content: content}
	if json.Unmarshal(r.Content, &r.Input) != nil {
		r.Input = nil
	}
	r.ArgsFile = filepath.Join(t.TempDir(), "args")
	if err := os.WriteFile(r.ArgsFile, r.Content, 0o600); err != nil {
		t.Fatal(err)
	}
	for kind, content := range c.Files {
		path := map[string]string{"credentials": home.Credentials, "config": home.Config, "boto": home.Boto}[kind]
		home.Write(t, path, subst.Replace(content))
	}
	// A dead proxy for anything but loopback: no run can reach AWS.
	extra := []string{"HTTPS_PROXY=" + closed, "HTTP_PROXY=" + closed, "NO_PROXY=127.0.0.1,localhost", "PYTHONDONTWRITEBYTECODE=1"}
	for _, kv := range c.Env {
		extra = append(extra, subst.Replace(kv))
	}
	r.Env = home.Environ(extra...)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	a := argv(r.ArgsFile)
	cmd := exec.CommandContext(ctx, a[0], a[1:]...)
	cmd.Env = r.Env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		r.Code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %s: %v", a[0], err)
	}
	r.Stdout, r.Stderr = stdout.Bytes(), stderr.Bytes()
	if err := json.Unmarshal(testenv.PythonJSON(bytes.TrimSpace(r.Stdout)), &r.Result); err != nil {
		r.Result = map[string]any{"crash": lastLine(r.Stderr)}
	}
	r.Requests = testenv.Summary(srv.Requests())
	urls := strings.NewReplacer(srv.URL, "http://127.0.0.1:PORT", closed, "http://127.0.0.1:CLOSED", home.Dir, "$HOME",
		strings.TrimPrefix(closed, "http://"), "127.0.0.1:CLOSED", // a proxy's address in a dial error
		temp[1], "<temporary secret key>", temp[2], "<temporary session token>") // as given, in _ansible_new_secrets
	r.normalise = func(v any) any { return Normalise(t, v, urls) }
	return r
}

// argsFile returns the case's arguments file: with args: raw, the
// section as it is; otherwise the file ansible-core writes for the task's
// options (a JSON object after subst), its _ansible_* keys naming a
// temporary directory in home, then the options. Numbers keep their
// spelling, so 1e400 reaches the module as written.
func (c *Case) argsFile(version string, subst *strings.Replacer, home string) ([]byte, error) {
	if c.Raw {
		return c.Args, nil
	}
	args := testenv.AnsibleKeysOf(version, c.Module, home+"/.ansible/tmp/ansible-tmp-1/")
	args["_ansible_check_mode"] = c.Check
	dec := json.NewDecoder(strings.NewReader(subst.Replace(string(c.Args))))
	dec.UseNumber()
	var opts map[string]any
	if err := dec.Decode(&opts); err != nil {
		return nil, fmt.Errorf("%s: args.json: %v", c.Path, err)
	}
	for k, v := range opts {
		args[k] = v
	}
	data, err := json.Marshal(args)
	if err != nil {
		return nil, err
	}
	return testenv.PythonSeparators(data), nil
}

// Seed returns the case as a fuzz input: the arguments file, the
// environment (one NAME=value a line) and the three home files, with the
// server's URL and the session credentials standing in as fixed values
// and home as $HOME.
func (c *Case) Seed(home string) (args, env, config, credentials, boto []byte, err error) {
	subst := placeholders("http://127.0.0.1:9", "http://127.0.0.1:9", home,
		[3]string{"ASIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY", "FQoGZXIvYXdzEXAMPLETOKEN"})
	if args, err = c.argsFile(testenv.AnsibleVersion, subst, home); err != nil {
		return
	}
	for _, kv := range c.Env {
		env = append(env, subst.Replace(kv)+"\n"...)
	}
	files := map[string][]byte{}
	for kind, content := range c.Files {
		files[kind] = []byte(subst.Replace(content))
	}
	return args, env, files["config"], files["credentials"], files["boto"], nil
}

// placeholders replaces the placeholders of a case's args, env and files
// (see the package comment) with their values: the server's URL, a closed
// URL, the home and session credentials (key, secret, token).
func placeholders(url, closed, home string, temp [3]string) *strings.Replacer {
	return strings.NewReplacer("$URL", url, "$CLOSED", closed, "$HOME", home,
		"$TEMP_KEY", temp[0], "$TEMP_SECRET", temp[1], "$TEMP_TOKEN", temp[2])
}

// sessionCredentials gets session credentials for alice from srv, for the
// cases that sign with them.
func sessionCredentials(t testing.TB, srv *testenv.STS) [3]string {
	t.Helper()
	client := testenv.NewClient(srv.URL, testenv.UserKeys(testenv.Alice()))
	out, err := client.GetSessionToken(context.Background(), &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatalf("issue session credentials: %v", err)
	}
	k := out.Credentials
	return [3]string{aws.ToString(k.AccessKeyId), aws.ToString(k.SecretAccessKey), aws.ToString(k.SessionToken)}
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
