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

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

// TestInvalidRegion: a region that is not a host label (it would become
// part of the endpoint's host name) fails with botocore's message before
// any request, whether it came from the option, the environment or the
// shared config file.
func TestInvalidRegion(t *testing.T) {
	srv := testenv.StartSTS(t, fakests.Config{Users: users})
	const msg = "Couldn't connect to AWS: Provided region_name '%s' doesn't match a supported format."
	tests := map[string]struct {
		region string // option
		env    []string
		config string
		bad    string
	}{
		"option":         {region: "us-east-1.evil", bad: "us-east-1.evil"},
		"AWS_REGION":     {env: []string{"AWS_REGION=eu-west-1.example.com"}, bad: "eu-west-1.example.com"},
		"EC2_REGION":     {env: []string{"EC2_REGION=us-east-1/x"}, bad: "us-east-1/x"},
		"shared config":  {config: "[default]\nregion = ap-south-1.evil\n", bad: "ap-south-1.evil"},
		"without an URL": {region: "sts.us-east-1", bad: "sts.us-east-1"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv.Reset()
			home := newHome(t)
			if tc.config != "" {
				home.Write(t, home.Config, tc.config)
			}
			args := merge(ansibleKeys("sts_assume_role"), role(nil), map[string]any{"aws_access_key": testenv.AliceKey, "aws_secret_key": testenv.AliceSecret, "ec2_url": srv.URL})
			if name == "without an URL" {
				delete(args, "ec2_url")
			}
			if tc.region != "" {
				args["region"] = tc.region
			}
			// A dead proxy: were the region accepted, nothing could reach AWS.
			dead := testenv.ClosedURL(t)
			env := append([]string{"HTTPS_PROXY=" + dead, "HTTP_PROXY=" + dead}, tc.env...)
			r := runModule(t, "sts_assume_role", args, home.Environ(env...))
			assertFailed(t, r, strings.Replace(msg, "%s", tc.bad, 1))
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("the server saw %d requests, want none", n)
			}
		})
	}
}

// TestUnsendableCredentials: a session token or access key with a newline
// cannot be put in a header. The run fails once, at once, naming where the
// value came from and never the value; nothing is sent.
func TestUnsendableCredentials(t *testing.T) {
	srv := testenv.StartSTS(t, fakests.Config{Users: users})
	tests := map[string]struct {
		args map[string]any
		env  []string
		want string
	}{
		"token option": {args: map[string]any{"security_token": "FwoGZXIvYXdzE\nPASTED"},
			want: "the session token from option security_token holds a control character"},
		"token alias": {args: map[string]any{"aws_session_token": "FwoGZXIvYXdzE\r\n"},
			want: "the session token from option aws_session_token holds a control character"},
		"token variable": {env: []string{"AWS_SESSION_TOKEN=FwoGZXIvYXdzE\nPASTED"},
			want: "the session token from env AWS_SESSION_TOKEN holds a control character"},
		"access key option": {args: map[string]any{"aws_access_key": testenv.AliceKey + "\n"},
			want: "the access key id from option aws_access_key holds a control character"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv.Reset()
			args := merge(ansibleKeys("sts_assume_role"), role(nil), conn(map[string]any{"ec2_url": srv.URL}), tc.args)
			start := time.Now()
			r := runModule(t, "sts_assume_role", args, newHome(t).Environ(tc.env...))
			if d := time.Since(start); d > slack {
				t.Errorf("the run took %v", d)
			}
			assertFailed(t, r, tc.want, "nothing was sent")
			if strings.Contains(string(r.Stdout), "PASTED") || strings.Contains(string(r.Stdout), "FwoGZXIvYXdzE") {
				t.Errorf("the output shows the value: %s", r.Stdout)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("the server saw %d requests, want none", n)
			}
		})
	}
}

// TestTinyTimeout: a timeout below a millisecond would be no timeout at
// all; it fails before any request, naming the setting.
func TestTinyTimeout(t *testing.T) {
	srv := testenv.StartSTS(t, fakests.Config{Users: users})
	args := merge(ansibleKeys("sts_assume_role"), role(nil), conn(map[string]any{"ec2_url": srv.URL, "aws_config": map[string]any{"connect_timeout": 1e-300}}))
	r := runModule(t, "sts_assume_role", args, newHome(t).Environ())
	assertFailed(t, r, "aws_config: the connect timeout must be a number of seconds from 0.001 to 3600, not 1e-300")
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("the server saw %d requests, want none", n)
	}
}

// TestNonFiniteArgs: Python reads 1e400 as inf. The result still says what
// happened and holds the invocation, with inf written Infinity as Python's
// json.dumps writes it (and ansible-core reads it back).
func TestNonFiniteArgs(t *testing.T) {
	srv := testenv.StartSTS(t, fakests.Config{Users: users})
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
