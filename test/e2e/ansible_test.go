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

	"ansible-sts/test/roots"
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
// in dir, on this machine's ansible-core, with a clean environment, and
// returns its combined output.
func withLocalSTS(t *testing.T, dir string, extraEnv []string, command ...string) (string, int) {
	t.Helper()
	return withLocalSTSOn(t, roots.HostEnvironment(), nil, dir, extraEnv, command...)
}

// withLocalSTSOn is withLocalSTS on the controller c: the command runs
// in c's root, where dir, the temporary home and binds (host paths) show
// at the same paths, while local-sts runs here, on the shared loopback.
func withLocalSTSOn(t *testing.T, c *roots.Root, binds []string, dir string, extraEnv []string, command ...string) (string, int) {
	t.Helper()
	if c.Host() {
		testenv.RequireTool(t, command[0])
	}
	home := testenv.NewHome(t)
	env := home.Environ(append([]string{
		"ANSIBLE_NOCOLOR=1",
		"ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3",
		"ANSIBLE_LOCAL_TEMP=" + filepath.Join(home.Dir, ".ansible", "tmp"),
		"ANSIBLE_REMOTE_TEMP=" + filepath.Join(home.Dir, ".ansible", "tmp"),
	}, extraEnv...)...)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	inner := c.Command(ctx, append([]string{dir, home.Dir}, binds...), command[0], command[1:]...)
	if inner.Err != nil {
		t.Fatal(inner.Err)
	}
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, "local-sts"), append([]string{"--", inner.Path}, inner.Args[1:]...)...)
	cmd.Dir, cmd.Env = dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v on %s: %v", command, c.Suite, err)
	}
	if strings.Contains(out.String(), ciSecret) {
		t.Errorf("the identity's secret key shows in the output")
	}
	return out.String(), code
}

// eachController runs test once per ansible-core the tests know (test/roots):
// this machine's, then each root's.
func eachController(t *testing.T, test func(t *testing.T, c *roots.Root)) {
	t.Helper()
	for _, c := range roots.Environments(t) {
		t.Run(c.Suite, func(t *testing.T) { test(t, c) })
	}
}

func TestSmokePlaybook(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the smoke playbook through ansible-core")
	}
	eachController(t, func(t *testing.T, c *roots.Root) {
		dir := ansibleDir(t)
		out, code := withLocalSTSOn(t, c, nil, dir, nil, "ansible-playbook", "-v", "-i", "localhost,", "smoke.yml")
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
	})
}

func TestCheckModePlaybook(t *testing.T) {
	eachController(t, func(t *testing.T, c *roots.Root) {
		dir := ansibleDir(t)
		out, code := withLocalSTSOn(t, c, nil, dir, nil, "ansible-playbook", "-i", "localhost,", "--check", "check_mode.yml")
		if code != 0 || !strings.Contains(out, "failed=0") {
			t.Fatalf("check_mode.yml: exit %d\n%s", code, out)
		}
	})
}

func TestDemoPlaybook(t *testing.T) {
	eachController(t, func(t *testing.T, c *roots.Root) {
		dir := ansibleDir(t)
		out, code := withLocalSTSOn(t, c, nil, dir, nil, "ansible-playbook", "-i", "localhost,", "demo.yml")
		if code != 0 || !strings.Contains(out, "failed=0") {
			t.Fatalf("demo.yml: exit %d\n%s", code, out)
		}
		for _, want := range []string{":assumed-role/deploy/demo-deploy", ":assumed-role/audit/demo-audit", "source identity demo-user", ":assumed-role/admin/demo-admin"} {
			if !strings.Contains(out, want) {
				t.Errorf("demo output lacks %q:\n%s", want, out)
			}
		}
	})
}

// adhocEnv runs `ansible localhost -m MODULE -a ARGS` on this machine's
// ansible-core with the json callback, env ("NAME=value") added to the
// environment, and returns the host's result.
func adhocEnv(t *testing.T, env []string, module, args string, extra ...string) map[string]any {
	t.Helper()
	return adhocOn(t, roots.HostEnvironment(), env, module, args, extra...)
}

// adhocOn is adhocEnv on the controller c.
func adhocOn(t *testing.T, c *roots.Root, env []string, module, args string, extra ...string) map[string]any {
	t.Helper()
	dir := ansibleDir(t)
	cmd := append([]string{"ansible", "localhost", "-i", "localhost,", "-c", "local", "-M", "library", "-m", module, "-a", args}, extra...)
	out, _ := withLocalSTSOn(t, c, nil, dir, append([]string{"ANSIBLE_LOAD_CALLBACK_PLUGINS=1", "ANSIBLE_STDOUT_CALLBACK=json"}, env...), cmd...)
	var doc struct {
		Plays []struct {
			Tasks []struct {
				Hosts map[string]map[string]any `json:"hosts"`
			} `json:"tasks"`
		} `json:"plays"`
	}
	start := strings.Index(out, "{")
	if start < 0 || json.Unmarshal([]byte(out[start:]), &doc) != nil || len(doc.Plays) == 0 || len(doc.Plays[0].Tasks) == 0 {
		t.Fatalf("ansible %s on %s: no JSON result:\n%s", module, c.Suite, out)
	}
	return doc.Plays[0].Tasks[0].Hosts["localhost"]
}

func TestAdHoc(t *testing.T) {
	eachController(t, func(t *testing.T, c *roots.Root) {
		t.Run("k=v arguments", func(t *testing.T) {
			r := adhocOn(t, c, nil, "sts_assume_role", "role_arn=arn:aws:iam::123456789012:role/deploy role_session_name=adhoc duration_seconds=900")
			user, _ := r["sts_user"].(map[string]any)
			if r["changed"] != true || user["arn"] != "arn:aws:sts::123456789012:assumed-role/deploy/adhoc" {
				t.Errorf("result: %v", r)
			}
			// The invocation shows that the string 900 became the int 900.
			if inv, ok := r["invocation"].(map[string]any); ok {
				args := inv["module_args"].(map[string]any)
				if args["duration_seconds"] != 900.0 {
					t.Errorf("duration_seconds = %#v, want the int 900", args["duration_seconds"])
				}
			}
		})
		t.Run("JSON arguments", func(t *testing.T) {
			r := adhocOn(t, c, nil, "sts_session_token", `{"duration_seconds": 900}`)
			creds, _ := r["sts_creds"].(map[string]any)
			if r["changed"] != true || creds["access_key"] == nil {
				t.Errorf("result: %v", r)
			}
		})
		t.Run("failure", func(t *testing.T) {
			r := adhocOn(t, c, nil, "sts_assume_role", "role_arn=arn:aws:iam::123456789012:role/deploy role_session_name=x")
			if r["failed"] != true || r["msg"] != "Parameter validation failed:\nInvalid length for parameter RoleSessionName, value: 1, valid min length: 2" {
				t.Errorf("result: %v", r)
			}
		})
		t.Run("check mode", func(t *testing.T) {
			r := adhocOn(t, c, nil, "sts_assume_role", "role_arn=arn:aws:iam::123456789012:role/deploy role_session_name=adhoc", "--check")
			if r["skipped"] != true || r["msg"] != "remote module (sts_assume_role) does not support check mode" {
				t.Errorf("result: %v", r)
			}
		})
	})
}
