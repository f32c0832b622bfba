// Package compat is the differential test: every case of
// testdata/compat/cases.jsonl runs through our module binary and through
// the Python reference module (Debian's community.aws 5.5 with
// python3-boto3), with the same arguments file, environment and files,
// each against its own loopback STS server configured alike. The results
// and the requests each server received must be equal once what must
// differ is normalised, unless the case names its deliberate difference.
package compat

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/fakests"
	"ansible-sts/internal/golden"
	"ansible-sts/internal/modules"
	"ansible-sts/internal/testenv"
)

var (
	binDir string
	only   = flag.String("case", "", "run only the cases whose name contains this")
)

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(testenv.RunWithCommands(m, &binDir))
}

// compatCase is one line of testdata/compat/cases.jsonl.
type compatCase struct {
	Name   string            `json:"name"`
	Module string            `json:"module"`
	Role   bool              `json:"role"` // add role_arn and role_session_name
	Conn   bool              `json:"conn"` // add alice's keys, a region and the endpoint
	Args   map[string]any    `json:"args"`
	Env    map[string]string `json:"env"`
	Files  map[string]string `json:"files"` // "credentials", "config", "boto"
	Check  bool              `json:"check"`
	Server string            `json:"server"` // a scenario of the scenarios map
	// Differs says why the results differ on purpose; empty means they
	// must be equal.
	Differs string `json:"differs"`
}

func loadCases(t *testing.T) []compatCase {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "compat", "cases.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []compatCase
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "//") {
			continue
		}
		var c compatCase
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			t.Fatalf("cases.jsonl:%d: %v", line, err)
		}
		if c.Name == "" || seen[c.Name] || (c.Module != "sts_assume_role" && c.Module != "sts_session_token") {
			t.Fatalf("cases.jsonl:%d: a case needs a unique name and a module", line)
		}
		if _, ok := scenarios[c.Server]; !ok {
			t.Fatalf("cases.jsonl:%d: unknown server scenario %q", line, c.Server)
		}
		seen[c.Name] = true
		cases = append(cases, c)
	}
	return cases
}

// referencePython returns Debian's python3 if it has the reference
// modules; in CI their absence fails the test.
func referencePython(t *testing.T) string {
	t.Helper()
	py := "/usr/bin/python3"
	err := exec.Command(py, "-c", "import boto3, ansible_collections.community.aws.plugins.modules.sts_session_token").Run()
	if err == nil {
		return py
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("the reference modules are required in CI (Debian packages ansible and python3-boto3): %v", err)
	}
	t.Skipf("the reference modules are not installed (Debian packages ansible and python3-boto3): %v", err)
	return ""
}

// outcome is what one implementation did with a case.
type outcome struct {
	Result   any              `json:"result"`
	Requests []map[string]any `json:"requests"`
}

func TestDifferential(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: every case through both implementations (about a minute)")
	}
	py := referencePython(t)
	cases := loadCases(t)
	var identical, different atomic.Int64
	t.Run("cases", func(t *testing.T) {
		for _, c := range cases {
			if *only != "" && !strings.Contains(c.Name, *only) {
				continue
			}
			t.Run(c.Name, func(t *testing.T) {
				t.Parallel()
				ours := runCase(t, c, func(args string) []string { return []string{filepath.Join(binDir, c.Module), args} })
				ref := runCase(t, c, func(args string) []string {
					return []string{py, filepath.Join("..", "..", "testdata", "compat", "reference.py"),
						"ansible_collections.community.aws.plugins.modules." + c.Module, args}
				})
				diff := cmp.Diff(ref, ours)
				switch {
				case c.Differs == "" && diff != "":
					t.Errorf("results differ (-reference +ours):\n%s", diff)
				case c.Differs != "" && diff == "":
					t.Errorf("the results are equal, but the case says they differ: %s", c.Differs)
				case c.Differs != "":
					different.Add(1)
					t.Logf("differs on purpose: %s\n(-reference +ours):\n%s", c.Differs, diff)
				default:
					identical.Add(1)
				}
			})
		}
	})
	t.Logf("%d cases: %d identical, %d deliberate differences", identical.Load()+different.Load(), identical.Load(), different.Load())
	if *only == "" && !t.Failed() {
		checkReadme(t, int(identical.Load()), int(identical.Load()+different.Load()))
	}
}

// checkReadme keeps the README's compatibility figures true.
func checkReadme(t *testing.T, identical, total int) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%d of the %d cases give identical results", identical, total)
	if !bytes.Contains(data, []byte(want)) {
		t.Errorf("README.md should say %q", want)
	}
}

// runCase runs one implementation (argv for an arguments file) on c
// against a fresh server, and returns its normalised outcome.
func runCase(t *testing.T, c compatCase, argv func(argsFile string) []string) outcome {
	t.Helper()
	clock := &testenv.Clock{} // the server's clock, moved on to expire credentials
	cfg := fakests.Config{Users: users, Roles: roles, MaxSessionDuration: 12 * time.Hour, Now: clock.Now}
	var armed atomic.Bool
	scenarios[c.Server](&cfg, &armed)
	srv := testenv.StartSTS(t, cfg)
	home := testenv.NewHome(t)
	closed := testenv.ClosedURL(t)
	temp := issueTemporary(t, srv)
	srv.Reset()
	armed.Store(true)
	if c.Server == "expired" {
		clock.Add(13 * time.Hour)
	}
	subst := strings.NewReplacer("$URL", srv.URL, "$CLOSED", closed, "$HOME", home.Dir,
		"$TEMP_KEY", temp[0], "$TEMP_SECRET", temp[1], "$TEMP_TOKEN", temp[2])

	args := testenv.AnsibleKeys(c.Module, home.Dir+"/.ansible/tmp/ansible-tmp-1/")
	args["_ansible_check_mode"] = c.Check
	if c.Role {
		args["role_arn"], args["role_session_name"] = "arn:aws:iam::123456789012:role/deploy", "compat"
	}
	if c.Conn {
		args["access_key"], args["secret_key"], args["region"], args["endpoint_url"] = testenv.AliceKey, testenv.AliceSecret, "us-east-1", srv.URL
	}
	for k, v := range c.Args {
		if s, ok := v.(string); ok {
			v = subst.Replace(s)
		}
		args[k] = v
	}
	for kind, content := range c.Files {
		path := map[string]string{"credentials": home.Credentials, "config": home.Config, "boto": home.Boto}[kind]
		home.Write(t, path, subst.Replace(content))
	}
	data, _ := json.Marshal(args)
	// "$1e400" stands for the number, which Python reads as inf.
	data = bytes.ReplaceAll(data, []byte(`"$1e400"`), []byte("1e400"))
	argsFile := filepath.Join(t.TempDir(), "args")
	if err := os.WriteFile(argsFile, data, 0o600); err != nil {
		t.Fatal(err)
	}

	// A dead proxy for anything but loopback: no run can reach AWS.
	env := []string{"HTTPS_PROXY=" + closed, "HTTP_PROXY=" + closed, "NO_PROXY=127.0.0.1,localhost", "PYTHONDONTWRITEBYTECODE=1"}
	for k, v := range c.Env {
		env = append(env, k+"="+subst.Replace(v))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	a := argv(argsFile)
	cmd := exec.CommandContext(ctx, a[0], a[1:]...)
	cmd.Env = home.Environ(env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	_ = cmd.Run()

	var result any
	if err := json.Unmarshal(testenv.PythonJSON(bytes.TrimSpace(stdout.Bytes())), &result); err != nil {
		result = map[string]any{"crash": lastLine(stderr.String())}
	}
	urls := strings.NewReplacer(srv.URL, "http://127.0.0.1:PORT", closed, "http://127.0.0.1:CLOSED", home.Dir, "$HOME")
	return outcome{
		Result:   golden.Normalise(t, canonical(result), urls),
		Requests: testenv.Summary(srv.Requests()),
	}
}

var booleansRE = regexp.MustCompile(`Valid booleans include: .*`)

// extensionOptions and extensionResults are what ours has beyond the
// reference (modules.Extensions).
var extensionOptions, extensionResults = modules.Extensions()

// canonical removes what only the Python implementation can have
// (exception, boto3_version, botocore_version; deprecations, since ours
// deprecates nothing) and what only ours has (the result keys the
// reference does not return, and the options it lacks when they are
// null, as AnsibleModule lists every option of its spec), the order of
// Python's set of valid booleans, and maps option names in
// invocation.module_args to one name per option.
func canonical(v any) any {
	r, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for _, k := range append([]string{"exception", "boto3_version", "botocore_version", "deprecations"}, extensionResults...) {
		delete(r, k)
	}
	if msg, ok := r["msg"].(string); ok {
		r["msg"] = booleansRE.ReplaceAllString(msg, "Valid booleans include: <Python's set>")
	}
	if inv, ok := r["invocation"].(map[string]any); ok {
		if args, ok := inv["module_args"].(map[string]any); ok {
			inv["module_args"] = canonicalArgs(args)
		}
	}
	return r
}

// optionGroups maps every name of an option with aliases, from the
// modules' tables, to one name, so that both implementations show one
// name per option: its first alias, which for the keys and the token is
// the name the collections use (access_key, secret_key, session_token)
// and golden.Normalise recognises.
var optionGroups = func() map[string]string {
	m := map[string]string{}
	for name, aliases := range modules.Aliases() {
		for _, n := range append([]string{name}, aliases...) {
			m[n] = aliases[0]
		}
	}
	return m
}()

func canonicalArgs(args map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range args {
		if v == nil && slices.Contains(extensionOptions, k) {
			continue
		}
		name := k
		if g, ok := optionGroups[k]; ok {
			name = g
		}
		if prev, seen := out[name]; seen && !cmp.Equal(prev, v) {
			if prev == nil {
				out[name] = v
			} else if v != nil {
				out[name] = fmt.Sprintf("<conflict: %v / %v>", prev, v)
			}
			continue
		}
		out[name] = v
	}
	return out
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
