package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"ansible-sts/test/testenv"
)

// fileBound is how long a run that is given a file it must refuse may
// take: it refuses at once, so this only allows for a loaded machine.
const fileBound = 10 * time.Second

// badFiles are the things that may stand where a file is expected and must
// be refused without reading them: a named pipe with no writer (a plain
// open blocks for ever), endless devices (a plain read runs out of
// memory), and a sparse file above the limit.
func badFiles(t *testing.T, limit int64) map[string]string {
	t.Helper()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	large := filepath.Join(dir, "large")
	f, err := os.Create(large)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(limit + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return map[string]string{"named pipe": fifo, "/dev/zero": "/dev/zero", "/dev/urandom": "/dev/urandom", "too large": large}
}

// refusal is the cause a message gives for each of badFiles.
func refusal(kind string, limit string) string {
	switch kind {
	case "named pipe":
		return "is a named pipe, not a regular file"
	case "too large":
		return "larger than " + limit
	}
	return "is a character device, not a regular file"
}

// TestFilesNotRegular points every path the modules read at each of
// badFiles: one JSON failure naming the path and the cause, exit status 1,
// at once, and no secret in the output.
func TestFilesNotRegular(t *testing.T) {
	type where struct {
		env  func(path string) []string // variables that point at the file
		args map[string]any             // beyond a role and a closed endpoint
		msg  string                     // with PATH and CAUSE
	}
	https := "https" + strings.TrimPrefix(testenv.ClosedURL(t), "http")
	configDir := t.TempDir()
	wheres := map[string]where{
		"AWS_CONFIG_FILE": {env: func(p string) []string { return []string{"AWS_CONFIG_FILE=" + p} },
			msg: "cannot read the shared config file PATH (from env AWS_CONFIG_FILE): read PATH: CAUSE"},
		"AWS_SHARED_CREDENTIALS_FILE": {env: func(p string) []string { return []string{"AWS_SHARED_CREDENTIALS_FILE=" + p} },
			msg: "cannot read the shared credentials file PATH (from env AWS_SHARED_CREDENTIALS_FILE): read PATH: CAUSE"},
		"AWS_CONFIG_FILE with a profile": {env: func(p string) []string { return []string{"AWS_CONFIG_FILE=" + p} },
			args: map[string]any{"profile": "deploy"},
			msg:  "cannot read the shared config file PATH (from env AWS_CONFIG_FILE): read PATH: CAUSE"},
		"BOTO_CONFIG": {env: func(p string) []string { return []string{"BOTO_CONFIG=" + p} },
			msg: "cannot read the boto config file PATH: read PATH: CAUSE"},
		"AWS_CA_BUNDLE": {env: func(p string) []string { return []string{"AWS_CA_BUNDLE=" + p} },
			args: map[string]any{"aws_access_key": testenv.AliceKey, "aws_secret_key": testenv.AliceSecret, "ec2_url": https},
			msg:  "cannot read the CA bundle PATH (from env AWS_CA_BUNDLE): read PATH: CAUSE"},
		"aws_ca_bundle": {env: func(string) []string { return nil },
			args: map[string]any{"aws_access_key": testenv.AliceKey, "aws_secret_key": testenv.AliceSecret, "ec2_url": https, "aws_ca_bundle": "PATH"},
			msg:  "cannot read the CA bundle PATH (from option aws_ca_bundle): read PATH: CAUSE"},
		"ca_bundle in the shared config": {env: func(p string) []string {
			config := filepath.Join(configDir, filepath.Base(p))
			if err := os.WriteFile(config, []byte("[default]\nca_bundle = "+p+"\n"), 0o600); err != nil {
				return nil // the message check fails
			}
			return []string{"AWS_CONFIG_FILE=" + config}
		}, msg: "cannot read the CA bundle PATH (from shared config [default]): read PATH: CAUSE"},
		"ca_bundle in the shared config, a profile": {env: func(p string) []string {
			config := filepath.Join(configDir, "profile-"+filepath.Base(p))
			if err := os.WriteFile(config, []byte("[profile deploy]\nca_bundle = "+p+"\n"), 0o600); err != nil {
				return nil
			}
			return []string{"AWS_CONFIG_FILE=" + config, "AWS_PROFILE=deploy"}
		}, msg: "cannot read the CA bundle PATH (from shared config [profile deploy]): read PATH: CAUSE"},
		"AWS_WEB_IDENTITY_TOKEN_FILE": {env: func(p string) []string {
			return []string{"AWS_WEB_IDENTITY_TOKEN_FILE=" + p, "AWS_ROLE_ARN=" + roleARN, "AWS_ROLE_SESSION_NAME=web"}
		}, msg: "cannot read the web identity token file: read PATH: CAUSE"},
	}
	for name, w := range wheres {
		for kind, path := range badFiles(t, 8<<20) {
			t.Run(name+"/"+kind, func(t *testing.T) {
				args := merge(ansibleKeys("sts_assume_role"), role(nil), map[string]any{"region": "us-east-1", "ec2_url": testenv.ClosedURL(t)})
				for k, v := range w.args {
					if v == "PATH" {
						v = path
					}
					args[k] = v
				}
				env := append(badInputEnv(t), w.env(path)...)
				start := time.Now()
				r := runModule(t, "sts_assume_role", args, env)
				if d := time.Since(start); d > fileBound {
					t.Errorf("the run took %v", d)
				}
				want := strings.NewReplacer("PATH", path, "CAUSE", refusal(kind, "8 MiB")).Replace(w.msg)
				assertMsg(t, r, badInput{Msg: want})
				assertNoSecrets(t, r, []string{testenv.AliceSecret})
			})
		}
	}
}

// TestArgsFileNotRegular gives each module one of badFiles as its
// arguments file.
func TestArgsFileNotRegular(t *testing.T) {
	env := badInputEnv(t)
	for kind, path := range badFiles(t, 64<<20) {
		for _, module := range []string{"sts_assume_role", "sts_session_token"} {
			t.Run(module+"/"+kind, func(t *testing.T) {
				start := time.Now()
				r := runRaw(t, module, env, path)
				if d := time.Since(start); d > fileBound {
					t.Errorf("the run took %v", d)
				}
				assertMsg(t, r, badInput{Msg: "cannot read the arguments file: read " + path + ": " + refusal(kind, "64 MiB")})
			})
		}
	}
}

// TestLocalSTSConfigNotRegular gives local-sts one of badFiles as -config.
func TestLocalSTSConfigNotRegular(t *testing.T) {
	for kind, path := range badFiles(t, 8<<20) {
		t.Run(kind, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, filepath.Join(binDir, "local-sts"), "-config", path, "--", "true")
			cmd.Env = newHome(t).Environ()
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			start := time.Now()
			err := cmd.Run()
			if d := time.Since(start); d > fileBound {
				t.Errorf("local-sts took %v", d)
			}
			want := "local-sts: read config: read " + path + ": " + refusal(kind, "8 MiB") + "\n"
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || stdout.Len() != 0 || stderr.String() != want {
				t.Errorf("%v, stdout %q, stderr %q; want exit status 1 and %q", err, stdout.String(), stderr.String(), want)
			}
		})
	}
}
