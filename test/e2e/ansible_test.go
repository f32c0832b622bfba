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

	"ansible-sts/test/testenv"
)

// ciSecret is the secret key of the local endpoint's default identity.
const ciSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

// ansibleDir copies the playbooks into a temporary directory with the
// module binaries in its library/, where ansible-core finds them by their
// short names.
func ansibleDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	lib := filepath.Join(dir, "library")
	if err := os.Mkdir(lib, 0o755); err != nil {
		t.Fatal(err)
	}
	copyModules(t, lib)
	playbooks, _ := filepath.Glob(filepath.Join("..", "..", "playbooks", "*.yml"))
	for _, p := range playbooks {
		copyFile(t, p, filepath.Join(dir, filepath.Base(p)), 0o644)
	}
	return dir
}

// copyModules copies the built module binaries into dir.
func copyModules(t *testing.T, dir string) {
	t.Helper()
	for _, m := range []string{"sts_assume_role", "sts_session_token"} {
		copyFile(t, filepath.Join(binDir, m), filepath.Join(dir, m), 0o755)
	}
}

// copyFile copies src to dst with mode.
func copyFile(t *testing.T, src, dst string, mode os.FileMode) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, mode); err != nil {
		t.Fatal(err)
	}
}

// withLocalSTS runs command under the local endpoint (bin/local-sts -- …)
// in dir, with a clean environment, and returns its combined output.
func withLocalSTS(t *testing.T, dir string, extraEnv []string, command ...string) (string, int) {
	t.Helper()
	testenv.RequireTool(t, command[0])
	home := testenv.NewHome(t)
	env := home.Environ(append([]string{
		"ANSIBLE_NOCOLOR=1",
		"ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3",
		"ANSIBLE_LOCAL_TEMP=" + filepath.Join(home.Dir, ".ansible", "tmp"),
		"ANSIBLE_REMOTE_TEMP=" + filepath.Join(home.Dir, ".ansible", "tmp"),
	}, extraEnv...)...)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	args := append([]string{"--"}, command...)
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, "local-sts"), args...)
	cmd.Dir, cmd.Env = dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", command, err)
	}
	if strings.Contains(out.String(), ciSecret) {
		t.Errorf("the identity's secret key shows in the output")
	}
	return out.String(), code
}

func TestSmokePlaybook(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the smoke playbook through ansible-core")
	}
	dir := ansibleDir(t)
	out, code := withLocalSTS(t, dir, nil, "ansible-playbook", "-v", "-i", "localhost,", "smoke.yml")
	if code != 0 || !strings.Contains(out, "failed=0") {
		t.Fatalf("smoke.yml: exit %d\n%s", code, out)
	}
	for _, want := range []string{
		"the output has been hidden due to the fact that 'no_log: true' was specified for this result",
		"skipping: [localhost]",
		"...ignoring",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("smoke.yml output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, `"secret_key"`) {
		t.Errorf("a secret key is displayed:\n%s", out)
	}
}

func TestCheckModePlaybook(t *testing.T) {
	dir := ansibleDir(t)
	out, code := withLocalSTS(t, dir, nil, "ansible-playbook", "-i", "localhost,", "--check", "check_mode.yml")
	if code != 0 || !strings.Contains(out, "failed=0") {
		t.Fatalf("check_mode.yml: exit %d\n%s", code, out)
	}
}

func TestDemoPlaybook(t *testing.T) {
	dir := ansibleDir(t)
	out, code := withLocalSTS(t, dir, nil, "ansible-playbook", "-i", "localhost,", "demo.yml")
	if code != 0 || !strings.Contains(out, "failed=0") {
		t.Fatalf("demo.yml: exit %d\n%s", code, out)
	}
	for _, want := range []string{":assumed-role/deploy/demo-deploy", ":assumed-role/audit/demo-audit", "source identity demo-user", ":assumed-role/admin/demo-admin"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
}

// adhoc runs `ansible localhost -m MODULE -a ARGS` with the json callback
// and returns the host's result.
func adhoc(t *testing.T, module, args string, extra ...string) map[string]any {
	t.Helper()
	return adhocEnv(t, nil, module, args, extra...)
}

// adhocEnv is adhoc with env ("NAME=value") added to the environment.
func adhocEnv(t *testing.T, env []string, module, args string, extra ...string) map[string]any {
	t.Helper()
	dir := ansibleDir(t)
	cmd := append([]string{"ansible", "localhost", "-i", "localhost,", "-c", "local", "-M", "library", "-m", module, "-a", args}, extra...)
	out, _ := withLocalSTS(t, dir, append([]string{"ANSIBLE_LOAD_CALLBACK_PLUGINS=1", "ANSIBLE_STDOUT_CALLBACK=json"}, env...), cmd...)
	var doc struct {
		Plays []struct {
			Tasks []struct {
				Hosts map[string]map[string]any `json:"hosts"`
			} `json:"tasks"`
		} `json:"plays"`
	}
	start := strings.Index(out, "{")
	if start < 0 || json.Unmarshal([]byte(out[start:]), &doc) != nil || len(doc.Plays) == 0 || len(doc.Plays[0].Tasks) == 0 {
		t.Fatalf("ansible %s: no JSON result:\n%s", module, out)
	}
	return doc.Plays[0].Tasks[0].Hosts["localhost"]
}

func TestAdHoc(t *testing.T) {
	t.Run("k=v arguments", func(t *testing.T) {
		r := adhoc(t, "sts_assume_role", "role_arn=arn:aws:iam::123456789012:role/deploy role_session_name=adhoc duration_seconds=900")
		user, _ := r["sts_user"].(map[string]any)
		if r["changed"] != true || user["arn"] != "arn:aws:sts::123456789012:assumed-role/deploy/adhoc" {
			t.Errorf("result: %v", r)
		}
		args := r["invocation"].(map[string]any)["module_args"].(map[string]any)
		if args["duration_seconds"] != 900.0 {
			t.Errorf("duration_seconds = %#v, want the int 900", args["duration_seconds"])
		}
	})
	t.Run("JSON arguments", func(t *testing.T) {
		r := adhoc(t, "sts_session_token", `{"duration_seconds": 900}`)
		creds, _ := r["sts_creds"].(map[string]any)
		if r["changed"] != true || creds["access_key"] == nil {
			t.Errorf("result: %v", r)
		}
	})
	t.Run("failure", func(t *testing.T) {
		r := adhoc(t, "sts_assume_role", "role_arn=arn:aws:iam::123456789012:role/deploy role_session_name=x")
		if r["failed"] != true || r["msg"] != "Parameter validation failed:\nInvalid length for parameter RoleSessionName, value: 1, valid min length: 2" {
			t.Errorf("result: %v", r)
		}
	})
	t.Run("check mode", func(t *testing.T) {
		r := adhoc(t, "sts_assume_role", "role_arn=arn:aws:iam::123456789012:role/deploy role_session_name=adhoc", "--check")
		if r["skipped"] != true || r["msg"] != "remote module (sts_assume_role) does not support check mode" {
			t.Errorf("result: %v", r)
		}
	})
}
