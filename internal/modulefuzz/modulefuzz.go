// Package modulefuzz runs a module in-process on fuzzed inputs (an
// arguments file, environment variables and the contents of the shared
// config, shared credentials and boto config files, see Input) and checks
// what every run must give, whatever the input: no panic, exactly one JSON
// object on one line, failed with a message and exit status 1, or a result
// (changed or skipped) and exit status 0, and no secret of the input
// (options, variables, files) on stdout or stderr.
//
// The process is isolated first: no AWS setting inherited, the instance
// metadata service disabled, one attempt per call, and every proxy
// variable pointing at a closed loopback port, so that a run that would
// call a real endpoint fails at once without leaving the machine. The
// fuzzed URL variables (endpoints, proxies, container credentials) are
// pinned to that port. PATH names an empty directory, so that a
// credential_process, which the module starts through "sh" looked up on
// PATH, cannot run anything: a fuzzed config file may hold any command,
// and no filter of its text would be as sure (the SDK's parser, key case,
// continuation lines, profiles chained through source_profile). Inputs
// that could still leave the machine or wait (proxies of their own, more
// attempts, a loopback URL something listens on, a CA bundle that is not
// a regular file) are skipped.
package modulefuzz

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"ansible-sts/internal/awsauth"
	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/testenv"
)

// SecretOptions are the no_log options of both modules and their aliases:
// a string given to one of them must never show in the output.
var SecretOptions = []string{
	"aws_secret_key", "secret_key", "aws_secret_access_key", "ec2_secret_key",
	"security_token", "session_token", "aws_session_token", "access_token", "aws_security_token",
	"mfa_token",
}

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
	deadHost string // the closed loopback port, host:port
}

// maxRun bounds one run: every input either fails before the network or
// meets the closed proxy port; one attempt with the default timeouts takes
// 15 s at worst, so a run above this limit waited for something.
const maxRun = 20 * time.Second

// New isolates the process for fuzzing run: call it in the fuzz test
// before f.Fuzz. It fails the test if the process has read the proxy
// variables already (net/http reads them once), as requests could then
// leave the machine.
func New(f *testing.F, run RunFunc) *Harness {
	f.Helper()
	home := testenv.Isolate(f)
	dead, err := deadProxy()
	if err != nil {
		f.Fatal(err)
	}
	for _, k := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"} {
		f.Setenv(k, dead)
	}
	for _, k := range []string{"NO_PROXY", "no_proxy", "REQUEST_METHOD"} {
		f.Setenv(k, "")
	}
	f.Setenv("AWS_MAX_ATTEMPTS", "1")
	f.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	empty := filepath.Join(f.TempDir(), "empty-path")
	if err := os.Mkdir(empty, 0o700); err != nil {
		f.Fatal(err)
	}
	f.Setenv("PATH", empty)
	if p, err := exec.LookPath("sh"); err == nil {
		f.Fatalf("sh is found on the empty PATH, at %s: a credential_process could run", p)
	}
	for _, target := range []string{"https://sts.amazonaws.com/", "http://169.254.169.254/"} {
		u, _ := url.Parse(target)
		p, err := http.ProxyFromEnvironment(&http.Request{URL: u})
		if err != nil || p == nil || "http://"+p.Host != dead {
			f.Fatalf("requests to %s would go through %v, not the closed port %s: the proxy variables were read before the fuzz test set them", target, p, dead)
		}
	}
	dir := f.TempDir()
	return &Harness{
		run:      run,
		argsFile: filepath.Join(dir, "args"),
		stderr:   filepath.Join(dir, "stderr"),
		home:     home,
		deadHost: strings.TrimPrefix(dead, "http://"),
	}
}

// deadProxy returns the URL of a loopback port nothing listens on, the
// same for the life of the process, as net/http reads the proxy variables
// only once.
var deadProxy = sync.OnceValues(func() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return "http://" + l.Addr().String(), nil
})

// Check runs the module on in and checks its output. Inputs that could
// leave the machine or wait are skipped.
func (h *Harness) Check(t *testing.T, in Input) {
	t.Helper()
	env := parseEnv(in.Env, h.deadHost)
	for _, kv := range env {
		t.Setenv(kv[0], kv[1])
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
	if reason := risky(in.Args); reason != "" {
		t.Skip(reason)
	}
	for _, u := range in.fileURLs() {
		if reason := listening(u); reason != "" {
			t.Skip(reason + " (a URL in the files)")
		}
	}
	if err := os.WriteFile(h.argsFile, in.Args, 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	start := time.Now()
	code, stderr := h.runCapturingStderr(t, &stdout)
	if d := time.Since(start); d > maxRun {
		t.Errorf("the run took %v, above the %v every input must fail within here", d.Round(time.Millisecond), maxRun)
	}
	result := CheckOutput(t, code, stdout.Bytes())
	if result != nil {
		CheckSecrets(t, in.Args, result)
	}
	CheckOtherSecrets(t, in, env, result, stderr)
}

// runCapturingStderr runs the module with os.Stderr a file, and returns
// the exit status and what the run wrote there.
func (h *Harness) runCapturingStderr(t *testing.T, stdout io.Writer) (int, []byte) {
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
		return h.run(awsauth.OS(), []string{h.argsFile}, stdout)
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
		if len(s) < MinSecretLen || strings.Contains(s, "*") || strings.Contains(moduleargs.NoLogPlaceholder, s) || slices.Contains(secrets, s) {
			continue
		}
		if !slices.Contains(envSecret, s) && bytes.Contains(rest, []byte(s)) {
			continue // shown elsewhere in the input
		}
		secrets = append(secrets, s)
	}
	outputs := StringValues(result)
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
func CheckSecrets(t testing.TB, data []byte, result map[string]any) {
	t.Helper()
	raw, err := moduleargs.Decode(data)
	input, ok := raw.(*moduleargs.Object)
	if err != nil || !ok {
		return
	}
	secrets := argsSecrets(data)
	for _, s := range StringValues(result) {
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Errorf("input secret %q shows in the output: %q", secret, s)
			}
		}
	}
	inv, _ := result["invocation"].(map[string]any)
	moduleArgs, _ := inv["module_args"].(map[string]any)
	for _, name := range SecretOptions {
		v, ok := input.Get(name)
		s, isString := v.(string)
		shown, isShown := moduleArgs[name]
		if !ok || !isString || s == "" || !isShown {
			continue
		}
		if shown != moduleargs.NoLogPlaceholder {
			t.Errorf("invocation.module_args.%s = %#v, want %s", name, shown, moduleargs.NoLogPlaceholder)
		}
	}
}

// argsSecrets returns the strings given to no_log options in the
// arguments file data that the output is checked for.
func argsSecrets(data []byte) []string {
	raw, err := moduleargs.Decode(data)
	input, ok := raw.(*moduleargs.Object)
	if err != nil || !ok {
		return nil
	}
	var secrets []string
	for _, name := range SecretOptions {
		v, ok := input.Get(name)
		if !ok {
			continue
		}
		for _, s := range StringValues(v) {
			if len(s) >= MinSecretLen && !strings.Contains(s, "*") && !strings.Contains(moduleargs.NoLogPlaceholder, s) && !slices.Contains(secrets, s) {
				secrets = append(secrets, s)
			}
		}
	}
	return secrets
}

// StringValues returns every string value inside a decoded JSON value v
// (from encoding/json or moduleargs.Decode), not the keys: for a no_log
// value, the strings AnsibleModule collects to hide.
func StringValues(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, StringValues(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range x {
			out = append(out, StringValues(e)...)
		}
		return out
	case *moduleargs.Object:
		var out []string
		for _, k := range x.Keys() {
			e, _ := x.Get(k)
			out = append(out, StringValues(e)...)
		}
		return out
	}
	return nil
}

// risky returns why running the module on data could leave the machine or
// wait, "" when it cannot. It resolves the connection settings as the
// module does (validation errors of the module's own options aside, which
// only stop a run earlier).
func risky(data []byte) string {
	raw, err := moduleargs.Decode(data)
	input, ok := raw.(*moduleargs.Object)
	if err != nil || !ok {
		return ""
	}
	spec := append(moduleargs.Spec{}, awsauth.Options...)
	known := map[string]bool{}
	for _, o := range spec {
		known[o.Name] = true
		for _, a := range o.Aliases {
			known[a] = true
		}
	}
	for _, k := range input.Keys() {
		if !known[k] && !strings.HasPrefix(k, "_ansible_") {
			spec = append(spec, moduleargs.Option{Name: k})
		}
	}
	args, _ := moduleargs.Parse(data, spec, "fuzz", os.LookupEnv)
	r, err := awsauth.Preview(awsauth.ConnectionOptions(args), awsauth.OS())
	if err != nil {
		return ""
	}
	switch {
	case r.Client.Proxies != nil:
		return "aws_config.proxies may name any host"
	case r.Client.MaxAttempts > 1:
		return "more than one attempt waits between attempts"
	}
	if e := r.Endpoint.Value; e != "" {
		if reason := listening(e); reason != "" {
			return reason
		}
	}
	if r.CABundle.Value != "" && !strings.HasPrefix(r.Endpoint.Value, "http://") {
		if fi, err := os.Stat(r.CABundle.Value); err == nil && !fi.Mode().IsRegular() {
			return "the CA bundle is not a regular file"
		}
	}
	return ""
}

// listening returns why the endpoint cannot be used: net/http sends
// requests to loopback hosts directly, not through the closed proxy port,
// so one where something listens could answer slowly or never.
func listening(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return ""
	}
	host := u.Hostname()
	loopback := host == "localhost"
	if ip, err := netip.ParseAddr(host); err == nil && net.IP(ip.AsSlice()).IsLoopback() {
		loopback = true
	}
	if !loopback {
		return ""
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	c, err := net.DialTimeout("tcp", net.JoinHostPort(host, port), time.Second)
	if err != nil {
		var opErr *net.OpError
		if errors.As(err, &opErr) && !opErr.Timeout() {
			return "" // refused: the run fails at once
		}
		return "the loopback endpoint does not refuse connections"
	}
	c.Close()
	return "something listens on the loopback endpoint"
}
