package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ansible-sts/test/testenv"
)

// badInput is what a bad input must get: exit status 1 and the message,
// or msg_prefix for messages that go on to list every option. The bad
// arguments files are cases of test/cases (bad_*.txtar).
type badInput struct {
	Msg       string
	MsgPrefix string
}

// TestBadInputGenerated covers inputs too large to keep in testdata.
func TestBadInputGenerated(t *testing.T) {
	role := `"role_arn": "arn:aws:iam::123456789012:role/demo", "role_session_name": "s1"`
	huge := strings.Repeat("a", 10<<20)
	tests := map[string]struct {
		content string
		want    badInput
	}{
		"nested 2000 deep": {
			content: `{` + role + `, "aws_config": ` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + `}`,
			want:    badInput{Msg: "the arguments file is not valid JSON: nested deeper than 1000 levels"},
		},
		"nested 2000 deep at the top": {
			content: strings.Repeat(`{"a": `, 2000) + `1` + strings.Repeat("}", 2000),
			want:    badInput{Msg: "the arguments file is not valid JSON: nested deeper than 1000 levels"},
		},
		"10 MB string value": {
			content: `{"role_arn": "` + huge + `"}`,
			want:    badInput{Msg: "missing required arguments: role_session_name"},
		},
		"10 MB secret": {
			content: `{"role_arn": "arn:aws:iam::123456789012:role/demo", "mfa_token": "` + huge + `"}`,
			want:    badInput{Msg: "missing required arguments: role_session_name"},
		},
		"10 MB option name": {
			content: `{` + role + `, "` + huge + `": 1}`,
			want:    badInput{MsgPrefix: "Unsupported parameters for (sts_assume_role) module: " + huge + ". Supported parameters include: "},
		},
	}
	env := badInputEnv(t)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := runBadInput(t, "sts_assume_role", []byte(tc.content), env)
			assertMsg(t, r, tc.want)
		})
	}
}

// TestBadInvocation runs the modules with an arguments path that cannot be
// read.
func TestBadInvocation(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "args")
	if err := os.WriteFile(file, []byte(`{}`), 0o600); err != nil {
		t.Fatal(err)
	}
	loop := filepath.Join(dir, "loop")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	// The unreadable file sits in a directory anyone may search, so that
	// an unprivileged user meets the file's own mode and no other.
	open := testenv.OpenDir(t)
	unreadable := filepath.Join(open, "unreadable")
	if err := os.WriteFile(unreadable, []byte(`{}`), 0o000); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		argv []string
		// unprivileged: root reads a file whatever its mode, so a root
		// test process runs the case as an unprivileged user.
		unprivileged bool
		want         string
	}{
		"no argument":            {argv: nil, want: "no arguments file: run as MODULE ARGS_FILE, where ARGS_FILE is the JSON file ansible-core writes"},
		"empty path":             {argv: []string{""}, want: "no arguments file: run as MODULE ARGS_FILE, where ARGS_FILE is the JSON file ansible-core writes"},
		"directory":              {argv: []string{dir}, want: "cannot read the arguments file: read " + dir + ": is a directory"},
		"missing file":           {argv: []string{filepath.Join(dir, "missing")}, want: "cannot read the arguments file: open " + filepath.Join(dir, "missing") + ": no such file or directory"},
		"file as a directory":    {argv: []string{filepath.Join(file, "args")}, want: "cannot read the arguments file: open " + filepath.Join(file, "args") + ": not a directory"},
		"symbolic link loop":     {argv: []string{loop}, want: "cannot read the arguments file: open " + loop + ": too many levels of symbolic links"},
		"no read permission":     {argv: []string{unreadable}, unprivileged: true, want: "cannot read the arguments file: open " + unreadable + ": permission denied"},
		"directory, then a file": {argv: []string{dir, file}, want: "cannot read the arguments file: read " + dir + ": is a directory"},
	}
	env := badInputEnv(t)
	for name, tc := range tests {
		for _, module := range []string{"sts_assume_role", "sts_session_token"} {
			t.Run(module+"/"+name, func(t *testing.T) {
				var r run
				if tc.unprivileged && os.Geteuid() == 0 {
					r = runUnprivileged(t, module, env, tc.argv...)
				} else {
					r = runRaw(t, module, env, tc.argv...)
				}
				assertMsg(t, r, badInput{Msg: tc.want})
			})
		}
	}
}

// badInputEnv is a clean environment in which a run that got past
// validation would fail at once, on a closed proxy port, rather than call
// AWS.
func badInputEnv(t *testing.T) []string {
	t.Helper()
	closed := testenv.ClosedURL(t)
	return newHome(t).Environ("HTTPS_PROXY="+closed, "HTTP_PROXY="+closed, "AWS_MAX_ATTEMPTS=1")
}

// runBadInput writes content to an arguments file, runs module on it and
// checks that the file is left as it was, content and mode.
func runBadInput(t *testing.T, module string, content []byte, env []string) run {
	t.Helper()
	path := filepath.Join(t.TempDir(), "args")
	if err := os.WriteFile(path, content, 0o640); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	r := runRaw(t, module, env, path)
	after, err := os.Stat(path)
	if err != nil {
		t.Fatalf("the arguments file is gone: %v", err)
	}
	if before.Mode() != after.Mode() {
		t.Errorf("the arguments file's mode changed from %v to %v", before.Mode(), after.Mode())
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, content) {
		t.Errorf("the arguments file changed")
	}
	var input map[string]any
	if json.Unmarshal(content, &input) == nil {
		assertNoSecretLeak(t, input, env, r.Stdout, r.Stderr)
	}
	return r
}

// assertMsg checks that r failed with the message of want.
func assertMsg(t *testing.T, r run, want badInput) {
	t.Helper()
	if r.Code != 1 || r.Result["failed"] != true {
		t.Errorf("exit status %d, failed %v; want 1, true", r.Code, r.Result["failed"])
	}
	msg, _ := r.Result["msg"].(string)
	switch {
	case want.MsgPrefix != "":
		if !strings.HasPrefix(msg, want.MsgPrefix) {
			t.Errorf("msg = %.300q, want the prefix %.300q", msg, want.MsgPrefix)
		}
	case msg != want.Msg:
		t.Errorf("msg = %.300q, want %.300q", msg, want.Msg)
	}
}
