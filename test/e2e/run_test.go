// Package e2e runs the built module binaries the way ansible-core runs
// them (an arguments file with the _ansible_* keys, a clean environment)
// against the loopback STS server: every case of test/cases against the
// result it expects, and the faults, files, playbooks, SSH and packaging
// end to end.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"ansible-sts/test/testenv"
)

var update = flag.Bool("update", false, "rewrite the want.json sections of the case files")

// binDir holds the module binaries built once for the package's tests.
var binDir string

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(testenv.RunWithCommands(m, &binDir))
}

// ansibleKeys are the internal keys ansible-core writes for a plain task.
func ansibleKeys(module string) map[string]any {
	return testenv.AnsibleKeys(module, "/tmp/ansible-tmp-1/")
}

// run is one module process's outcome.
type run struct {
	Code   int
	Stdout []byte
	Stderr []byte
	Result map[string]any
	MaxRSS int64 // peak resident memory of the module, in bytes (-1 if not measured)
}

// runModule writes args as ansible-core does (json.dumps separators) into a
// file in dir, runs the module on it with env and checks that no input
// secret shows in the output.
func runModule(t *testing.T, module string, args map[string]any, env []string) run {
	t.Helper()
	r := runExe(t, module, env, false, writeArgs(t, args))
	assertNoSecretLeak(t, args, env, r.Stdout, r.Stderr)
	return r
}

// runMeasured is runModule, also measuring the run's peak memory.
func runMeasured(t *testing.T, module string, args map[string]any, env []string) run {
	t.Helper()
	r := runExe(t, module, env, true, writeArgs(t, args))
	assertNoSecretLeak(t, args, env, r.Stdout, r.Stderr)
	return r
}

// writeArgs writes args into a new arguments file as ansible-core does
// (json.dumps separators) and returns its path.
func writeArgs(t *testing.T, args map[string]any) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "args")
	if err := os.WriteFile(path, testenv.ArgsFile(t, args), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runRaw runs a module binary with argv and env and decodes its stdout.
func runRaw(t *testing.T, module string, env []string, argv ...string) run {
	t.Helper()
	return runExe(t, module, env, false, argv...)
}

// runExe runs a module binary, measuring its peak memory if measure.
func runExe(t *testing.T, module string, env []string, measure bool, argv ...string) run {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	exe := filepath.Join(binDir, module)
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	cmd, peak := exec.CommandContext(ctx, exe, argv...), func() int64 { return -1 }
	if measure {
		cmd, peak = measuredCommand(ctx, t, exe, argv)
	}
	return finish(t, cmd, env, peak)
}

// finish runs cmd, a module's command, with env, and checks its output
// (see checkOutput); peak gives its peak memory once it ran.
func finish(t *testing.T, cmd *exec.Cmd, env []string, peak func() int64) run {
	t.Helper()
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := run{Stdout: stdout.Bytes(), Stderr: stderr.Bytes(), MaxRSS: peak()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.Code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %s: %v", cmd.Path, err)
	}
	r.Result = checkOutput(t, r.Code, r.Stdout, r.Stderr)
	return r
}

// checkOutput checks what a module run wrote, and returns its result:
// one line of JSON on stdout, a JSON object, nothing on stderr, and an
// exit status that agrees with the result's failed.
func checkOutput(t testing.TB, code int, stdout, stderr []byte) map[string]any {
	t.Helper()
	if bytes.Count(bytes.TrimSpace(stdout), []byte("\n")) != 0 {
		t.Errorf("stdout is not one line of JSON:\n%s", stdout)
	}
	var result map[string]any
	if err := json.Unmarshal(testenv.PythonJSON(stdout), &result); err != nil {
		t.Fatalf("stdout is not a JSON object: %v\n%s\nstderr: %s", err, stdout, stderr)
	}
	if len(stderr) != 0 {
		t.Errorf("stderr is not empty:\n%s", stderr)
	}
	failed, _ := result["failed"].(bool)
	if want := map[bool]int{true: 1, false: 0}[failed]; code != want {
		t.Errorf("exit status %d with failed=%v", code, failed)
	}
	return result
}

// assertNoSecrets fails if any of secrets, input secrets the run's input
// does not name as such, shows in its output (see assertNotShown).
func assertNoSecrets(t *testing.T, r run, secrets []string) {
	t.Helper()
	assertNotShown(t, secrets, r.Stdout, r.Stderr)
}

func newHome(t *testing.T) testenv.Home { return testenv.NewHome(t) }
