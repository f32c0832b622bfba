package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/testenv"
)

// repoRoot is the repository, from this package's directory.
var repoRoot, _ = filepath.Abs(filepath.Join("..", ".."))

// runIn runs a command in dir with env and returns its combined output,
// failing the test if it fails.
func runIn(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	testenv.RequireTool(t, name)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// makeEnv is the environment for make: the isolated home, and Go's caches
// kept where they are so builds stay fast.
func makeEnv(home testenv.Home) []string {
	env := home.Environ()
	for _, k := range []string{"GOPATH", "GOCACHE", "GOMODCACHE", "GOFLAGS", "GOPROXY"} {
		if v := goEnv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

func goEnv(k string) string {
	out, err := exec.Command("go", "env", k).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

var supportedRE = regexp.MustCompile(`Supported parameters include: ([^(]*) \(([^)]*)\)\.`)

// acceptedNames asks a module binary which names it accepts, from its
// unsupported-parameter message: options, then aliases.
func acceptedNames(t *testing.T, module string) ([]string, []string) {
	t.Helper()
	// Required options are given: a missing one is reported before unknown ones.
	args := map[string]any{"no_such_option": 1, "role_arn": "arn:aws:iam::123456789012:role/r", "role_session_name": "s"}
	if module == "sts_session_token" {
		args = map[string]any{"no_such_option": 1}
	}
	r := runModule(t, module, args, newHome(t).Environ())
	m := supportedRE.FindStringSubmatch(r.Result["msg"].(string))
	if m == nil {
		t.Fatalf("no supported list in %q", r.Result["msg"])
	}
	return strings.Split(m[1], ", "), strings.Split(m[2], ", ")
}

// TestAnsibleDoc renders the generated sidecar documentation with
// ansible-doc and checks that it documents exactly the names the binary
// accepts.
func TestAnsibleDoc(t *testing.T) {
	dir := t.TempDir()
	home := testenv.NewHome(t)
	runIn(t, repoRoot, makeEnv(home), "go", "run", "./tools/gendocs", "-out", dir)
	copyModules(t, dir)
	env := home.Environ("ANSIBLE_NOCOLOR=1")
	for _, m := range []string{"sts_assume_role", "sts_session_token"} {
		t.Run(m, func(t *testing.T) {
			text := runIn(t, dir, env, "ansible-doc", "-M", dir, m)
			if !strings.Contains(text, strings.ToUpper(m)) || !strings.Contains(text, "OPTIONS (= is mandatory)") || !strings.Contains(text, "RETURN VALUES") {
				t.Errorf("ansible-doc %s:\n%s", m, text)
			}
			if snippet := runIn(t, dir, env, "ansible-doc", "-M", dir, "-s", m); !strings.Contains(snippet, "  "+m+":") {
				t.Errorf("ansible-doc -s %s:\n%s", m, snippet)
			}
			var doc map[string]struct {
				Doc struct {
					Options map[string]struct {
						Aliases []string `json:"aliases"`
					} `json:"options"`
				} `json:"doc"`
				Examples string         `json:"examples"`
				Return   map[string]any `json:"return"`
			}
			if err := json.Unmarshal([]byte(runIn(t, dir, env, "ansible-doc", "-M", dir, "--json", m)), &doc); err != nil {
				t.Fatal(err)
			}
			var options, aliases []string
			for name, o := range doc[m].Doc.Options {
				options = append(options, name)
				aliases = append(aliases, o.Aliases...)
			}
			sort.Strings(options)
			sort.Strings(aliases)
			wantOptions, wantAliases := acceptedNames(t, m)
			if diff := cmp.Diff(wantOptions, options); diff != "" {
				t.Errorf("documented options (-accepted +documented):\n%s", diff)
			}
			if diff := cmp.Diff(wantAliases, aliases); diff != "" {
				t.Errorf("documented aliases (-accepted +documented):\n%s", diff)
			}
			if doc[m].Examples == "" || doc[m].Return["sts_creds"] == nil {
				t.Errorf("examples or RETURN missing")
			}
		})
	}
}

// TestInstall installs with make install into a home and runs a playbook
// that finds the modules by their short names with no configuration.
func TestInstall(t *testing.T) {
	home := testenv.NewHome(t)
	bin := t.TempDir()
	out := runIn(t, repoRoot, makeEnv(home), "make", "install", "BIN="+bin)
	installed := filepath.Join(home.Dir, ".ansible", "plugins", "modules")
	for _, f := range []string{"sts_assume_role", "sts_assume_role.yml", "sts_session_token", "sts_session_token.yml"} {
		if _, err := os.Stat(filepath.Join(installed, f)); err != nil {
			t.Fatalf("make install: %v\n%s", err, out)
		}
	}
	dir := t.TempDir()
	copyFile(t, filepath.Join(repoRoot, "playbooks", "installed.yml"), filepath.Join(dir, "installed.yml"), 0o644)
	env := home.Environ("ANSIBLE_NOCOLOR=1", "ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3")
	play := runIn(t, dir, env, filepath.Join(binDir, "local-sts"), "--", "ansible-playbook", "-i", "localhost,", "installed.yml")
	if !strings.Contains(play, "failed=0") {
		t.Errorf("installed.yml:\n%s", play)
	}
	if doc := runIn(t, dir, env, "ansible-doc", "sts_assume_role"); !strings.Contains(doc, "role_session_name") {
		t.Errorf("ansible-doc finds no installed documentation:\n%s", doc)
	}
}

// TestCollection installs the collection tarball into a temporary
// collections path, runs a playbook with the FQCNs and the action group,
// and checks what ansible-doc and Galaxy see.
func TestCollection(t *testing.T) {
	home := testenv.NewHome(t)
	tarball := buildCollection(t)
	// Galaxy refuses uploads over 20 MB.
	if fi, err := os.Stat(tarball); err != nil || fi.Size() >= 20_000_000 {
		t.Errorf("collection tarball: %v, size %d bytes, want under 20 MB", err, fi.Size())
	}
	files := runIn(t, t.TempDir(), home.Environ(), "tar", "tzf", tarball)
	for _, want := range []string{
		"binaries/stsgo-aws_linux_x86_64.xz", "binaries/stsgo-aws_linux_aarch64.xz", "binaries/stsgo-aws_darwin_x86_64.xz",
		"binaries/stsgo-aws_darwin_arm64.xz", "binaries/stsgo-aws_freebsd_amd64.xz", "binaries/SHA256SUMS",
		"plugins/modules/sts_assume_role.py", "plugins/action/sts_assume_role.py", "plugins/plugin_utils/binary_module.py",
		"meta/runtime.yml", "meta/execution-environment.yml", "LICENSE",
	} {
		if !strings.Contains(files, want+"\n") {
			t.Errorf("the tarball lacks %s:\n%s", want, files)
		}
	}
	collections := t.TempDir()
	env := home.Environ("ANSIBLE_NOCOLOR=1", "ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3", "ANSIBLE_COLLECTIONS_PATH="+collections)
	runIn(t, t.TempDir(), env, "ansible-galaxy", "collection", "install", "-p", collections, tarball)
	// SHA256SUMS holds the decompressed binaries' hashes: their cache names.
	binaries := filepath.Join(collections, "ansible_collections", "stsgo", "aws", "binaries")
	unpacked := t.TempDir()
	xzs, _ := filepath.Glob(filepath.Join(binaries, "stsgo-aws_*.xz"))
	for _, xz := range xzs {
		runIn(t, unpacked, env, "sh", "-c", `xz -dc "$1" > "$2"`, "sh", xz, strings.TrimSuffix(filepath.Base(xz), ".xz"))
	}
	copyFile(t, filepath.Join(binaries, "SHA256SUMS"), filepath.Join(unpacked, "SHA256SUMS"), 0o644)
	if len(xzs) != 5 {
		t.Errorf("binaries: %v, want five .xz files", xzs)
	}
	runIn(t, unpacked, env, "sha256sum", "--check", "--strict", "SHA256SUMS")
	dir := t.TempDir()
	copyFile(t, filepath.Join(repoRoot, "playbooks", "collection.yml"), filepath.Join(dir, "collection.yml"), 0o644)
	play := runIn(t, dir, env, filepath.Join(binDir, "local-sts"), "--", "ansible-playbook", "-i", "localhost,", "collection.yml")
	if !strings.Contains(play, "failed=0") {
		t.Errorf("collection.yml:\n%s", play)
	}
	if doc := runIn(t, dir, env, "ansible-doc", "stsgo.aws.sts_session_token"); !strings.Contains(doc, "mfa_serial_number") {
		t.Errorf("ansible-doc stsgo.aws.sts_session_token:\n%s", doc)
	}
	list := runIn(t, dir, env, "ansible-doc", "-l", "stsgo.aws")
	for _, m := range []string{"stsgo.aws.sts_assume_role", "stsgo.aws.sts_session_token"} {
		if !strings.Contains(list, m+" ") {
			t.Errorf("ansible-doc -l stsgo.aws does not list %s:\n%s", m, list)
		}
	}
	if strings.Contains(list, "WARNING") {
		t.Errorf("ansible-doc -l stsgo.aws warns:\n%s", list)
	}
}

// TestDist cross-builds every platform and checks the names, the
// checksums and the stamped version.
func TestDist(t *testing.T) {
	home := testenv.NewHome(t)
	dist := t.TempDir()
	runIn(t, repoRoot, makeEnv(home), "make", "dist", "DIST="+dist, "VERSION=v9.9.9-test")
	var names []string
	entries, _ := os.ReadDir(dist)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"SHA256SUMS", "sts_assume_role.yml",
		"sts_assume_role_darwin_arm64", "sts_assume_role_darwin_x86_64", "sts_assume_role_linux_aarch64", "sts_assume_role_linux_x86_64",
		"sts_session_token.yml",
		"sts_session_token_darwin_arm64", "sts_session_token_darwin_x86_64", "sts_session_token_linux_aarch64", "sts_session_token_linux_x86_64"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("dist files (-want +got):\n%s", diff)
	}
	runIn(t, dist, home.Environ(), "sha256sum", "--check", "--quiet", "SHA256SUMS")
	if v := runIn(t, dist, home.Environ(), filepath.Join(dist, "sts_assume_role_linux_x86_64"), "--version"); v != "sts_assume_role v9.9.9-test\n" {
		t.Errorf("--version printed %q", v)
	}
}
