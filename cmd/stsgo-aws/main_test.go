package main

import (
	"ansible-sts/internal/modules"
	"ansible-sts/test/testenv"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun checks how the binary picks its module and where it reads the
// arguments from. Every case fails before any network use: in check mode,
// or on a validation error that names the module.
func TestRun(t *testing.T) {
	testenv.Isolate(t)
	dir := t.TempDir()
	file := func(content string) string {
		path := filepath.Join(dir, "args")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	check := `{"_ansible_check_mode": true, "_ansible_module_name": "stsgo.aws.sts_session_token"}`
	tests := map[string]struct {
		argv  func() []string
		stdin string
		want  map[string]any
	}{
		"module from the arguments file": {
			argv: func() []string { return []string{file(check)} },
			want: map[string]any{"skipped": true, "msg": "remote module (stsgo.aws.sts_session_token) does not support check mode"},
		},
		"module named first, arguments on stdin": {
			argv:  func() []string { return []string{"sts_assume_role", "-"} },
			stdin: `{"_ansible_check_mode": true, "_ansible_module_name": "stsgo.aws.sts_assume_role"}`,
			want:  map[string]any{"failed": true, "msg": "missing required arguments: role_arn, role_session_name"},
		},
		"the named module wins over _ansible_module_name": {
			argv:  func() []string { return []string{"sts_session_token", "-"} },
			stdin: `{"_ansible_check_mode": true, "_ansible_module_name": "stsgo.aws.sts_assume_role"}`,
			want:  map[string]any{"skipped": true, "msg": "remote module (stsgo.aws.sts_assume_role) does not support check mode"},
		},
		"arguments on stdin, module from them": {
			argv:  func() []string { return []string{"-"} },
			stdin: check,
			want:  map[string]any{"skipped": true, "msg": "remote module (stsgo.aws.sts_session_token) does not support check mode"},
		},
		"unknown module": {
			argv:  func() []string { return []string{"-"} },
			stdin: `{"_ansible_module_name": "amazon.aws.s3_bucket"}`,
			want:  map[string]any{"failed": true, "msg": `stsgo-aws cannot tell which module to run: _ansible_module_name is "amazon.aws.s3_bucket"; it runs sts_assume_role and sts_session_token`},
		},
		"not JSON": {
			argv:  func() []string { return []string{"-"} },
			stdin: `{`,
			want:  map[string]any{"failed": true, "msg": "the arguments file is not valid JSON: unexpected end of JSON input"},
		},
		"no arguments": {
			argv: func() []string { return nil },
			want: map[string]any{"failed": true, "msg": "no arguments: run as BINARY [MODULE] ARGS_FILE, or BINARY [MODULE] - with the arguments on standard input"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			code := run(modules.OS(), tc.argv(), strings.NewReader(tc.stdin), &out)
			var got map[string]any
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("not one JSON object: %v\n%s", err, out.String())
			}
			wantCode := 0
			if tc.want["failed"] == true {
				wantCode = 1
			}
			if code != wantCode {
				t.Errorf("exit %d, want %d", code, wantCode)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s = %#v, want %#v", k, got[k], v)
				}
			}
		})
	}
	var out bytes.Buffer
	if run(modules.OS(), []string{"--version"}, nil, &out); !strings.HasPrefix(out.String(), "stsgo-aws ") {
		t.Errorf("--version printed %q", out.String())
	}
}
