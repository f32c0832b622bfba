package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ansible-sts/internal/ststest"
	"ansible-sts/internal/testenv"
)

// TestNonFiniteArgs: Python reads 1e400 as inf. The result still says what
// happened and holds the invocation, with inf written Infinity as Python's
// json.dumps writes it (and ansible-core reads it back).
func TestNonFiniteArgs(t *testing.T) {
	srv := ststest.Start(t, ststest.Config{Users: users})
	base, err := json.Marshal(merge(ansibleKeys("sts_assume_role"), role(nil), conn(map[string]any{"ec2_url": srv.URL})))
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		extra    string
		code     int
		msg      string
		contains string
	}{
		"user_agent_extra": {extra: `"aws_config": {"user_agent_extra": 1e400}`, contains: `"aws_config":{"user_agent_extra":Infinity}`},
		"duration_seconds": {extra: `"duration_seconds": -1e400`, code: 1, contains: `"duration_seconds":-Infinity`,
			msg: "argument 'duration_seconds' is of type <class 'float'> and we were unable to convert to int: <class 'float'> cannot be converted to an int"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			args := append(bytes.TrimSuffix(base, []byte("}")), []byte(", "+tc.extra+"}")...)
			path := filepath.Join(t.TempDir(), "args")
			if err := os.WriteFile(path, args, 0o600); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, filepath.Join(binDir, "sts_assume_role"), path)
			cmd.Env = newHome(t).Environ()
			var stdout bytes.Buffer
			cmd.Stdout = &stdout
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			out := stdout.String()
			if code != tc.code || strings.Count(out, "\n") != 1 || !strings.Contains(out, tc.contains) {
				t.Fatalf("exit status %d, output %s; want %d and one line with %s", code, out, tc.code, tc.contains)
			}
			// Python's JSON, read back as ansible-core reads it.
			var res map[string]any
			if err := json.Unmarshal(testenv.PythonJSON([]byte(out)), &res); err != nil {
				t.Fatalf("not one JSON object: %v\n%s", err, out)
			}
			if tc.code == 0 {
				if creds, _ := res["sts_creds"].(map[string]any); creds["access_key"] == nil {
					t.Errorf("no credentials: %s", out)
				}
			} else if res["msg"] != tc.msg {
				t.Errorf("msg %q, want %q", res["msg"], tc.msg)
			}
			if _, ok := res["invocation"]; !ok {
				t.Errorf("no invocation: %s", out)
			}
		})
	}
}
