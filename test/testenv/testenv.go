// Package testenv makes tests hermetic: no inherited AWS or EC2 settings, a
// temporary HOME with the shared AWS files and the boto config file inside
// it, and the instance metadata service disabled. No test can reach AWS.
//
// It is also the one home of what the tests share: the fake STS served on
// loopback (StartSTS), the test identities (Alice, Bob) and an SDK client
// signing as them (NewClient, SDKError), a closed URL, a movable clock,
// and the helpers that look for secrets in output (StringValues,
// Checkable, Recorder). Only tests, their harnesses and tools import it:
// the shipped commands link none of it.
package testenv

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// T is what the helpers here need of a test: testing.TB has it, and so
// can a benchmark that runs the same harness outside go test.
type T interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Skip(args ...any)
	Skipf(format string, args ...any)
	Cleanup(func())
	TempDir() string
}

// Home is the temporary home of one test and the files in it that the
// modules read. The files do not exist until a test writes them.
type Home struct {
	Dir         string
	Config      string // AWS_CONFIG_FILE
	Credentials string // AWS_SHARED_CREDENTIALS_FILE
	Boto        string // BOTO_CONFIG
}

// Write creates the file at path with content.
func (h Home) Write(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Files are the contents of a home's AWS and boto files; an empty one is
// not written.
type Files struct{ Config, Credentials, Boto string }

// WriteFiles writes the files of f that are not empty.
func (h Home) WriteFiles(t testing.TB, f Files) {
	t.Helper()
	for path, content := range map[string]string{h.Config: f.Config, h.Credentials: f.Credentials, h.Boto: f.Boto} {
		if content != "" {
			h.Write(t, path, content)
		}
	}
}

// cleared reports whether an inherited variable must not reach a test.
func cleared(name string) bool {
	for _, p := range []string{"AWS_", "EC2_", "BOTO_", "S3_", "ANSIBLE_DEBUG_BOTOCORE"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// Isolate blanks every AWS_*, EC2_*, BOTO_* and S3_* variable of the test
// process (t.Setenv then unset, so they are restored afterwards), sets HOME
// to a temporary directory, points AWS_CONFIG_FILE,
// AWS_SHARED_CREDENTIALS_FILE and BOTO_CONFIG into it and disables the
// instance metadata service.
func Isolate(t testing.TB) Home {
	t.Helper()
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if cleared(name) {
			t.Setenv(name, "")
			os.Unsetenv(name)
		}
	}
	h := newHome(t)
	for k, v := range h.Vars() {
		t.Setenv(k, v)
	}
	return h
}

func newHome(t testing.TB) Home {
	dir := t.TempDir()
	return Home{
		Dir:         dir,
		Config:      filepath.Join(dir, ".aws", "config"),
		Credentials: filepath.Join(dir, ".aws", "credentials"),
		Boto:        filepath.Join(dir, ".boto"),
	}
}

// Vars are the variables that point a run into the isolated home: HOME,
// the shared files, the boto config file, and the instance metadata
// service turned off.
func (h Home) Vars() map[string]string {
	return map[string]string{
		"HOME":                        h.Dir,
		"AWS_CONFIG_FILE":             h.Config,
		"AWS_SHARED_CREDENTIALS_FILE": h.Credentials,
		"BOTO_CONFIG":                 h.Boto,
		"AWS_EC2_METADATA_DISABLED":   "true",
	}
}

// Environ returns a clean environment for a subprocess: PATH, LANG and the
// isolated home's Vars, plus extra ("NAME=value").
func (h Home) Environ(extra ...string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8"}
	vars := h.Vars()
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		env = append(env, k+"="+vars[k])
	}
	return append(env, extra...)
}

// ConnectLoopback is the Connect of a module run's System in a test: it
// allows connections to loopback addresses only.
func ConnectLoopback(_, address string) error {
	host, _, _ := net.SplitHostPort(address)
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("tests connect to loopback only, not %s", address)
	}
	return nil
}

// NewHome returns a temporary home for a subprocess without changing the
// test process's own environment.
func NewHome(t testing.TB) Home { return newHome(t) }

// RequireTool returns the path of a command the test needs. In CI
// (CI=true) a missing tool fails the test; elsewhere it skips it.
func RequireTool(t T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required in CI but not found: %v", name, err)
	}
	t.Skipf("%s not found: %v", name, err)
	return ""
}

// BuildCommands builds every command of the module (the two modules and
// local-sts), static as released, into a new temporary directory and
// returns it. For a TestMain: it does not need a testing.TB.
func BuildCommands() (string, error) {
	dir, err := os.MkdirTemp("", "sts-bin")
	if err != nil {
		return "", err
	}
	cmd := exec.Command("go", "build", "-trimpath", "-o", dir+string(os.PathSeparator), "ansible-sts/cmd/...")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("build commands: %v\n%s", err, out)
	}
	return dir, nil
}

// AnsibleVersion is the ansible-core version whose arguments files
// AnsibleKeys writes: this machine's own.
const AnsibleVersion = "2.14.18"

// AnsibleKeys returns the internal keys ansible-core 2.14 writes into every
// arguments file, with its values for a plain task of module; tmpdir is
// the remote temporary directory it names.
func AnsibleKeys(module, tmpdir string) map[string]any {
	return AnsibleKeysOf(AnsibleVersion, module, tmpdir)
}

// AnsibleKeysOf is AnsibleKeys for the controller of ansible-core version
// (major.minor.patch, with any pre-release suffix): 2.19 dropped
// _ansible_string_conversion_action and added _ansible_ignore_unknown_opts,
// _ansible_target_log_info and _ansible_tracebacks_for; 2.22 sends
// _ansible_inject_invocation, false unless configured.
func AnsibleKeysOf(version, module, tmpdir string) map[string]any {
	keys := map[string]any{
		"_ansible_check_mode":         false,
		"_ansible_no_log":             false,
		"_ansible_debug":              false,
		"_ansible_diff":               false,
		"_ansible_verbosity":          0,
		"_ansible_version":            version,
		"_ansible_module_name":        module,
		"_ansible_syslog_facility":    "LOG_USER",
		"_ansible_selinux_special_fs": []string{"fuse", "nfs", "vboxsf", "ramfs", "9p", "vfat"},
		"_ansible_socket":             nil,
		"_ansible_shell_executable":   "/bin/sh",
		"_ansible_keep_remote_files":  false,
		"_ansible_tmpdir":             tmpdir,
		"_ansible_remote_tmp":         "~/.ansible/tmp",
	}
	var major, minor int
	fmt.Sscanf(version, "%d.%d", &major, &minor)
	if major == 2 && minor < 19 {
		keys["_ansible_string_conversion_action"] = "warn"
		return keys
	}
	keys["_ansible_ignore_unknown_opts"] = false
	keys["_ansible_target_log_info"] = nil
	keys["_ansible_tracebacks_for"] = []string{}
	if minor >= 22 {
		keys["_ansible_inject_invocation"] = false
	}
	return keys
}

// ArgsFile returns the arguments file ansible-core writes for args: JSON
// with json.dumps' separators.
func ArgsFile(t testing.TB, args map[string]any) []byte {
	t.Helper()
	data, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	return PythonSeparators(data)
}

// PythonSeparators turns compact JSON into json.dumps' default layout
// (", " and ": "), outside strings.
func PythonSeparators(compact []byte) []byte {
	var out bytes.Buffer
	inString, escaped := false, false
	for _, c := range compact {
		out.WriteByte(c)
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ',' || c == ':'):
			out.WriteByte(' ')
		}
	}
	return out.Bytes()
}

// RunWithCommands is a TestMain body for packages that run the built
// commands: it builds them (BuildCommands), sets *dir, runs the tests and
// removes the build.
func RunWithCommands(m *testing.M, dir *string) int {
	d, err := BuildCommands()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	*dir = d
	defer os.RemoveAll(d)
	return m.Run()
}

// OpenDir returns a new temporary directory that every user may search
// and read (mode 0755), removed when the test ends: for files a test
// process running as root shares with an unprivileged one.
func OpenDir(t T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "stsgo-open-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
