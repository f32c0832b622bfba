// Package modulefuzz runs a module in-process on fuzzed inputs (an
// arguments file, environment variables and the contents of the shared
// config, shared credentials and boto config files, see Input) and checks
// what every run must give, whatever the input: no panic, exactly one JSON
// object on one line, failed with a message and exit status 1, or a result
// (changed or skipped) and exit status 0, and no secret of the input
// (options, variables, files) on stdout or stderr.
//
// The run's System refuses every connection before it is made (the STS
// endpoint, a proxy, a credential source's endpoint, the instance metadata
// service, a DNS server: every dialer of the run asks it), with an error
// the SDK does not retry, so that no input can reach the network or wait
// on it, whatever endpoint, proxy or source it names. Its environment is
// the harness's own: the isolated process environment (no AWS setting
// inherited, a temporary HOME) with the input's variables. The SDK's
// loader reads the process environment itself, so the input's variables
// are set there too. PATH names an empty directory, so that a
// credential_process, which the module starts through "sh" looked up on
// PATH, cannot run anything: a fuzzed config file may hold any command,
// and no filter of its text would be as sure (the SDK's parser, key case,
// continuation lines, profiles chained through source_profile).
package modulefuzz

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"ansible-sts/internal/awsauth"
	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/modules"
	"ansible-sts/internal/pyvalue"
	"ansible-sts/internal/result"
	"ansible-sts/test/cases"
	"ansible-sts/test/testenv"
)

// SecretOptions are the no_log options of both modules (the connection
// options included) and their aliases, each once, in declaration order,
// from the modules' specs: a string given to one of them must never show
// in the output.
var SecretOptions = func() []string {
	var out []string
	for _, m := range modules.All {
		for _, o := range m.Spec() {
			if !o.NoLog {
				continue
			}
			for _, name := range append([]string{o.Name}, o.Aliases...) {
				if !slices.Contains(out, name) {
					out = append(out, name)
				}
			}
		}
	}
	return out
}()

// MinSecretLen is the shortest secret looked for in the output; shorter
// ones are masked too, but also match text that merely resembles them.
const MinSecretLen = 4

// RunFunc is a module's main: it runs on sys and argv and writes its
// result.
type RunFunc func(sys awsauth.System, argv []string, stdout io.Writer) int

// Harness runs one module on fuzzed inputs.
type Harness struct {
	run      RunFunc
	argsFile string
	stderr   string // the file os.Stderr is during a run
	home     testenv.Home
	base     map[string]string // the isolated process environment
}

// maxRun bounds one run: every input fails before the network or at its
// first connection, which is refused at once, so a run above this limit
// waited for something.
const maxRun = 20 * time.Second

// ErrNoConnection is the cause of every dial of a fuzzed run.
var ErrNoConnection = errors.New("no connection is made while fuzzing")

// System returns the system of a fuzzed run with the environment env: no
// connection is allowed, and the proxies are env's.
func System(env map[string]string) awsauth.System {
	lookup := func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}
	return awsauth.System{
		LookupEnv: lookup,
		Proxy:     envProxy(lookup),
		Connect:   func(string, string) error { return ErrNoConnection },
		Now:       time.Now,
	}
}

// envProxy chooses a request's proxy from HTTPS_PROXY and HTTP_PROXY (or
// their lower-case forms), as net/http reads them, exceptions aside; the
// connection to it is refused like any other.
func envProxy(lookup func(string) (string, bool)) func(*http.Request) (*url.URL, error) {
	first := func(names ...string) string {
		for _, n := range names {
			if v, _ := lookup(n); v != "" {
				return v
			}
		}
		return ""
	}
	return func(req *http.Request) (*url.URL, error) {
		raw := first("HTTP_PROXY", "http_proxy")
		if req.URL.Scheme == "https" {
			raw = first("HTTPS_PROXY", "https_proxy")
		}
		if raw == "" {
			return nil, nil
		}
		u, err := url.Parse(raw)
		if err != nil || u.Scheme == "" || u.Host == "" {
			if u, err = url.Parse("http://" + raw); err != nil {
				return nil, fmt.Errorf("invalid proxy address %q: %v", raw, err)
			}
		}
		return u, nil
	}
}

// New isolates the process for fuzzing run, the main of module, and adds
// every case of test/cases for module to the seed corpus (see
// cases.Case.Seed): call it in the fuzz test before f.Fuzz.
func New(f *testing.F, module string, run RunFunc) *Harness {
	f.Helper()
	home := testenv.Isolate(f)
	all, err := cases.LoadAll()
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range all {
		if c.Module != module {
			continue
		}
		args, env, config, credentials, boto, err := c.Seed(home.Dir)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(args, env, config, credentials, boto)
	}
	empty := filepath.Join(f.TempDir(), "empty-path")
	if err := os.Mkdir(empty, 0o700); err != nil {
		f.Fatal(err)
	}
	f.Setenv("PATH", empty)
	if p, err := exec.LookPath("sh"); err == nil {
		f.Fatalf("sh is found on the empty PATH, at %s: a credential_process could run", p)
	}
	base := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		base[k] = v
	}
	dir := f.TempDir()
	return &Harness{
		run:      run,
		argsFile: filepath.Join(dir, "args"),
		stderr:   filepath.Join(dir, "stderr"),
		home:     home,
		base:     base,
	}
}

// Check runs the module on in and checks its output.
func (h *Harness) Check(t *testing.T, in Input) {
	t.Helper()
	env := parseEnv(in.Env)
	runEnv := maps.Clone(h.base)
	for _, kv := range env {
		t.Setenv(kv[0], kv[1]) // for the SDK's loader
		runEnv[kv[0]] = kv[1]
	}
	files := []struct {
		path string
		data []byte
	}{{h.home.Config, in.Config}, {h.home.Credentials, in.Credentials}, {h.home.Boto, in.Boto}}
	for _, f := range files {
		if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		if len(f.data) > 0 {
			h.home.Write(t, f.path, string(f.data))
		}
	}
	if err := os.WriteFile(h.argsFile, in.Args, 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	start := time.Now()
	code, stderr := h.runCapturingStderr(t, System(runEnv), &stdout)
	if d := time.Since(start); d > maxRun {
		t.Errorf("the run took %v, above the %v every input must fail within here", d.Round(time.Millisecond), maxRun)
	}
	result := CheckOutput(t, code, stdout.Bytes())
	if result != nil {
		CheckSecrets(t, in.Args, result)
	}
	CheckOtherSecrets(t, in, env, result, stderr)
}

// runCapturingStderr runs the module on sys with os.Stderr a file, and
// returns the exit status and what the run wrote there.
func (h *Harness) runCapturingStderr(t *testing.T, sys awsauth.System, stdout io.Writer) (int, []byte) {
	t.Helper()
	f, err := os.Create(h.stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	saved := os.Stderr
	os.Stderr = f
	code := func() int {
		defer func() { os.Stderr = saved }()
		return h.run(sys, []string{h.argsFile}, stdout)
	}()
	stderr, err := os.ReadFile(h.stderr)
	if err != nil {
		t.Fatal(err)
	}
	return code, stderr
}

// CheckOtherSecrets checks that no secret of in's environment env (as
// parseEnv gives it) or files shows in the result's string values or on
// stderr: the secret variables, the URL variables' passwords, the token
// files' contents, every secret key and token written in the files. The
// module hides the variables' secrets wherever they show, used or not;
// those of the files it hides only when it uses them (the profile in use,
// the profiles it chains through, the boto config file when the chain
// reaches it), so a file's secret that also shows elsewhere in the input,
// where the output may show it unmasked, is not looked for.
func CheckOtherSecrets(t testing.TB, in Input, env [][2]string, result map[string]any, stderr []byte) {
	t.Helper()
	envSecret, tokens, envRest := envSecrets(env)
	fileSecret, fileRest := in.fileSecrets()
	rest := slices.Concat(in.Args, envRest, fileRest)
	var secrets []string
	for _, s := range argsSecrets(in.Args) {
		if bytes.Contains(stderr, []byte(s)) {
			t.Errorf("input secret %q shows on stderr: %q", s, stderr)
		}
	}
	for _, s := range slices.Concat(envSecret, tokens, fileSecret) {
		if len(s) < MinSecretLen || !testenv.Checkable(s) || slices.Contains(secrets, s) {
			continue
		}
		if !slices.Contains(envSecret, s) && bytes.Contains(rest, []byte(s)) {
			continue // shown elsewhere in the input
		}
		secrets = append(secrets, s)
	}
	outputs := testenv.StringValues(result)
	for _, secret := range secrets {
		for _, s := range outputs {
			if strings.Contains(s, secret) {
				t.Errorf("secret %q of the environment or files shows in the output: %q", secret, s)
			}
		}
		if bytes.Contains(stderr, []byte(secret)) {
			t.Errorf("secret %q of the environment or files shows on stderr: %q", secret, stderr)
		}
	}
}

// CheckOutput checks one run's exit status and stdout and returns the
// decoded result, nil if stdout is not one JSON object.
func CheckOutput(t testing.TB, code int, stdout []byte) map[string]any {
	t.Helper()
	if !bytes.HasSuffix(stdout, []byte("\n")) || bytes.Count(stdout, []byte("\n")) != 1 {
		t.Errorf("stdout is not one line:\n%s", stdout)
	}
	// Python's JSON: an argument 1e400 is inf, written Infinity.
	dec := json.NewDecoder(bytes.NewReader(testenv.PythonJSON(stdout)))
	dec.UseNumber()
	var result map[string]any
	if err := dec.Decode(&result); err != nil || result == nil {
		t.Errorf("stdout is not a JSON object (%v):\n%s", err, stdout)
		return nil
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Errorf("stdout holds more than one JSON value:\n%s", stdout)
	}
	failed, _ := result["failed"].(bool)
	msg, _ := result["msg"].(string)
	switch {
	case failed:
		if code != 1 {
			t.Errorf("failed with exit status %d, want 1: %s", code, msg)
		}
		if msg == "" {
			t.Errorf("failed without a msg: %s", stdout)
		}
		if strings.HasPrefix(msg, "internal error in ") {
			t.Errorf("the module panicked: %s", msg)
		}
	default:
		if code != 0 {
			t.Errorf("exit status %d without failed: %s", code, stdout)
		}
		if result["changed"] != true && result["skipped"] != true {
			t.Errorf("neither failed, changed nor skipped: %s", stdout)
		}
	}
	return result
}

// CheckSecrets checks that no secret of the arguments file data shows in
// the result: no string value in it contains one, and
// invocation.module_args shows each no_log option given a non-empty string
// as VALUE_SPECIFIED_IN_NO_LOG_PARAMETER.
//
// Masking itself writes "********" and VALUE_SPECIFIED_IN_NO_LOG_PARAMETER,
// so secrets with a '*' or inside the placeholder are not looked for; nor
// are keys, which AnsibleModule keeps. Every name of a no_log option is
// looked for, the one another name overrides included (secret_key and
// then ec2_secret_key, say): AnsibleModule masks only the value that wins,
// but the modules mask the value of every name given, since the invocation
// shows the losing alias with its value.
func CheckSecrets(t testing.TB, data []byte, res map[string]any) {
	t.Helper()
	raw, err := moduleargs.Decode(data)
	input, ok := raw.(*pyvalue.Object)
	if err != nil || !ok {
		return
	}
	secrets := argsSecrets(data)
	// A controller of 2.22 or later (a fuzzed _ansible_version) is handed
	// the secrets to mask in this one key, and takes it out of the result.
	shown := res
	if _, ok := res[result.NewSecretsKey]; ok {
		shown = maps.Clone(res)
		delete(shown, result.NewSecretsKey)
	}
	for _, s := range testenv.StringValues(shown) {
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Errorf("input secret %q shows in the output: %q", secret, s)
			}
		}
	}
	inv, _ := res["invocation"].(map[string]any)
	moduleArgs, _ := inv["module_args"].(map[string]any)
	for _, name := range SecretOptions {
		v, ok := input.Get(name)
		s, isString := v.(string)
		masked, isShown := moduleArgs[name]
		if !ok || !isString || s == "" || !isShown {
			continue
		}
		if masked != result.NoLogPlaceholder && masked != result.RedactedPlaceholder {
			t.Errorf("invocation.module_args.%s = %#v, want %s (or %s for 2.22 and later)", name, masked, result.NoLogPlaceholder, result.RedactedPlaceholder)
		}
	}
}

// argsSecrets returns the strings given to no_log options in the
// arguments file data that the output is checked for.
func argsSecrets(data []byte) []string {
	raw, err := moduleargs.Decode(data)
	input, ok := raw.(*pyvalue.Object)
	if err != nil || !ok {
		return nil
	}
	var secrets []string
	for _, name := range SecretOptions {
		v, ok := input.Get(name)
		if !ok {
			continue
		}
		for _, s := range testenv.StringValues(v) {
			if len(s) >= MinSecretLen && testenv.Checkable(s) && !slices.Contains(secrets, s) {
				secrets = append(secrets, s)
			}
		}
	}
	return secrets
}
