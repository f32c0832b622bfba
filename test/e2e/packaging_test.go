//go:build packaging

package e2e

import (
	"bytes"
	"context"
	"debug/buildinfo"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/modules"
	"ansible-sts/test/roots"
	"ansible-sts/test/testenv"
)

// The packaging tests check what make install, make dist and make
// collection produce, and the collection over SSH (ssh_test.go). They run
// with -tags packaging: make test-packaging (part of make test) builds
// those into the folder it names in STSGO_PACKAGING_DIR, then runs them;
// without that variable each test runs make itself, in its own folder.

// testVersion is the version make test-packaging stamps into make dist.
const testVersion = "v9.9.9-test"

// built returns the folder holding what a make target produced: "dist"
// (make dist, version testVersion), "collection" (make collection) or
// "home" (a home that make install installed into).
func built(t *testing.T, what string) string {
	t.Helper()
	if dir := os.Getenv("STSGO_PACKAGING_DIR"); dir != "" {
		out := filepath.Join(dir, what)
		if _, err := os.Stat(out); err != nil {
			t.Fatalf("STSGO_PACKAGING_DIR has no %s (make test-packaging builds it): %v", what, err)
		}
		return out
	}
	dir := t.TempDir()
	out := filepath.Join(dir, what)
	switch what {
	case "dist":
		runIn(t, repoRoot, makeEnv(testenv.NewHome(t)), "make", "dist", "DIST="+out, "VERSION="+testVersion)
	case "collection":
		runIn(t, repoRoot, makeEnv(testenv.NewHome(t)), "make", "collection", "DIST="+out)
	case "home":
		runIn(t, repoRoot, makeEnv(homeAt(out)), "make", "install", "BIN="+filepath.Join(dir, "bin"))
	default:
		t.Fatalf("nothing builds %q", what)
	}
	return out
}

// homeAt is the home in dir, with its AWS and boto files.
func homeAt(dir string) testenv.Home {
	return testenv.Home{
		Dir:         dir,
		Config:      filepath.Join(dir, ".aws", "config"),
		Credentials: filepath.Join(dir, ".aws", "credentials"),
		Boto:        filepath.Join(dir, ".boto"),
	}
}

// collectionTarball is the tarball make collection built.
func collectionTarball(t *testing.T) string {
	t.Helper()
	testenv.RequireTool(t, "ansible-galaxy")
	tarballs, _ := filepath.Glob(filepath.Join(built(t, "collection"), "stsgo-aws-*.tar.gz"))
	if len(tarballs) != 1 {
		t.Fatalf("collection tarballs: %v, want one", tarballs)
	}
	return tarballs[0]
}

// platforms names each GOOS/GOARCH as make dist and make collection name
// its binaries (ansible_system and ansible_architecture, lower case).
var platforms = map[string]string{
	"linux/amd64": "linux_x86_64", "linux/arm64": "linux_aarch64",
	"darwin/amd64": "darwin_x86_64", "darwin/arm64": "darwin_arm64",
	"freebsd/amd64": "freebsd_amd64",
}

// hostPlatform is this machine's name in platforms, for the tests that
// run its binary.
func hostPlatform(t *testing.T) string {
	t.Helper()
	p := runtime.GOOS + "/" + runtime.GOARCH
	name, ok := platforms[p]
	if !ok {
		unsupported(t, "no binary is built for this machine (%s)", p)
	}
	return name
}

// unsupported stops a test that cannot run on this machine: in CI
// (CI=true) it fails, elsewhere it is skipped with the reason.
func unsupported(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// TestInstall installs with make install into a home and runs a playbook
// that finds the modules by their short names with no configuration.
func TestInstall(t *testing.T) {
	home := homeAt(built(t, "home"))
	installed := filepath.Join(home.Dir, ".ansible", "plugins", "modules")
	for _, f := range []string{"sts_assume_role", "sts_assume_role.yml", "sts_session_token", "sts_session_token.yml"} {
		if _, err := os.Stat(filepath.Join(installed, f)); err != nil {
			t.Fatalf("make install did not install %s in the home's default folder: %v", f, err)
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
	tarball := collectionTarball(t)
	// Galaxy refuses uploads over 20 MB.
	if fi, err := os.Stat(tarball); err != nil || fi.Size() >= 20_000_000 {
		t.Errorf("collection tarball: %v, size %d bytes, want under 20 MB", err, fi.Size())
	}
	files := runIn(t, t.TempDir(), home.Environ(), "tar", "tzf", tarball)
	for _, want := range []string{
		"binaries/stsgo-aws_linux_x86_64.xz", "binaries/stsgo-aws_linux_aarch64.xz", "binaries/stsgo-aws_darwin_x86_64.xz",
		"binaries/stsgo-aws_darwin_arm64.xz", "binaries/stsgo-aws_freebsd_amd64.xz", "binaries/SHA256SUMS",
		"plugins/modules/sts_assume_role.py", "plugins/action/sts_assume_role.py", "plugins/plugin_utils/binary_module.py",
		"meta/runtime.yml", "meta/execution-environment.yml", "LICENSES/GPL-3.0-or-later.txt", "LICENSES/Apache-2.0.txt",
		"binaries/THIRD-PARTY-NOTICES.txt", "CHANGELOG.md", "changelogs/changelog.yaml", "changelogs/config.yaml",
	} {
		if !strings.Contains(files, want+"\n") {
			t.Errorf("the tarball lacks %s:\n%s", want, files)
		}
	}
	for _, unwanted := range []string{"__pycache__", ".pyc"} {
		if strings.Contains(files, unwanted) {
			t.Errorf("the tarball holds %s:\n%s", unwanted, files)
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
	checkCollectionRelease(t, filepath.Dir(binaries), filepath.Join(unpacked, "stsgo-aws_"+hostPlatform(t)))

	// Installed and used on each controller.
	eachController(t, func(t *testing.T, c *roots.Root) {
		home := testenv.NewHome(t)
		collections := t.TempDir()
		env := home.Environ("ANSIBLE_NOCOLOR=1", "ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3", "ANSIBLE_COLLECTIONS_PATH="+collections)
		binds := []string{home.Dir, collections, filepath.Dir(tarball)}
		runOn(t, c, binds, t.TempDir(), env, "ansible-galaxy", "collection", "install", "-p", collections, tarball)
		dir := t.TempDir()
		copyFile(t, filepath.Join(repoRoot, "playbooks", "collection.yml"), filepath.Join(dir, "collection.yml"), 0o644)
		play, code := withLocalSTSOn(t, c, []string{collections}, dir, []string{"ANSIBLE_COLLECTIONS_PATH=" + collections}, "ansible-playbook", "-i", "localhost,", "collection.yml")
		if code != 0 || !strings.Contains(play, "failed=0") {
			t.Errorf("collection.yml:\n%s", play)
		}
		if doc := runOn(t, c, binds, dir, env, "ansible-doc", "stsgo.aws.sts_session_token"); !strings.Contains(doc, "mfa_serial_number") {
			t.Errorf("ansible-doc stsgo.aws.sts_session_token:\n%s", doc)
		}
		list := runOn(t, c, binds, dir, env, "ansible-doc", "-l", "stsgo.aws")
		for _, m := range []string{"stsgo.aws.sts_assume_role", "stsgo.aws.sts_session_token"} {
			if !strings.Contains(list, m+" ") {
				t.Errorf("ansible-doc -l stsgo.aws does not list %s:\n%s", m, list)
			}
		}
		if strings.Contains(list, "WARNING") {
			t.Errorf("ansible-doc -l stsgo.aws warns:\n%s", list)
		}
	})
}

// checkCollectionRelease checks the installed collection in dir as a
// release: its version is galaxy.yml's and the binary's, the changelog
// has it, and the notices name each module the binary links, with the
// NOTICE files their Apache-2.0 licences require.
func checkCollectionRelease(t *testing.T, dir, binary string) {
	t.Helper()
	var manifest struct {
		CollectionInfo struct {
			Version string   `json:"version"`
			License []string `json:"license"`
			Authors []string `json:"authors"`
		} `json:"collection_info"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "MANIFEST.json"))
	if err == nil {
		err = json.Unmarshal(data, &manifest)
	}
	if err != nil {
		t.Fatal(err)
	}
	info := manifest.CollectionInfo
	galaxy, err := os.ReadFile(filepath.Join(repoRoot, "collection", "galaxy.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(galaxy), "\nversion: "+info.Version+"\n") {
		t.Errorf("MANIFEST.json's version %s is not galaxy.yml's", info.Version)
	}
	if got := strings.Join(info.License, " "); got != "GPL-3.0-or-later Apache-2.0" {
		t.Errorf("licences %q, want GPL-3.0-or-later Apache-2.0", got)
	}
	if len(info.Authors) != 1 || info.Authors[0] != modules.Author {
		t.Errorf("authors %q, want %q", info.Authors, modules.Author)
	}
	if err := os.Chmod(binary, 0o700); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(binary, "--version").Output()
	if err != nil || string(out) != "stsgo-aws "+info.Version+"\n" {
		t.Errorf("%s --version: %q, %v; want the collection's version %s", binary, out, err, info.Version)
	}
	changelog, err := os.ReadFile(filepath.Join(dir, "CHANGELOG.md"))
	if err != nil || !strings.Contains(string(changelog), "\n## v"+info.Version+"\n") {
		t.Errorf("CHANGELOG.md has no v%s: %v", info.Version, err)
	}
	notices, err := os.ReadFile(filepath.Join(dir, "binaries", "THIRD-PARTY-NOTICES.txt"))
	if err != nil {
		t.Fatal(err)
	}
	bi, err := buildinfo.ReadFile(binary)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Go standard library  ", "Copyright 2009 The Go Authors.", "Additional IP Rights Grant (Patents)",
		"Apache License", "AWS SDK for Go", "Copyright Amazon.com, Inc. or its affiliates."}
	for _, d := range bi.Deps {
		want = append(want, fmt.Sprintf("  %s ", d.Path))
	}
	for _, w := range want {
		if !strings.Contains(string(notices), w) {
			t.Errorf("THIRD-PARTY-NOTICES.txt lacks %q", w)
		}
	}
}

// runOn is runIn on controller c: the command runs in c's root, where dir
// and binds (host paths) show at the same paths.
func runOn(t *testing.T, c *roots.Root, binds []string, dir string, env []string, name string, args ...string) string {
	t.Helper()
	if c.Host() {
		return runIn(t, dir, env, name, args...)
	}
	out, err := commandOn(c, binds, dir, env, name, args...)
	if err != nil {
		t.Fatalf("%s %s on %s: %v\n%s", name, strings.Join(args, " "), c.Suite, err, out)
	}
	return out
}

// commandOn runs name with args in dir on controller c, with env, where
// dir and binds (host paths) show at the same paths, and returns its
// combined output.
func commandOn(c *roots.Root, binds []string, dir string, env []string, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := c.Command(ctx, append([]string{dir}, binds...), name, args...)
	cmd.Dir, cmd.Env = dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// TestDist checks what make dist cross-built for every platform: the
// names, the checksums, and the version stamped into this machine's build.
func TestDist(t *testing.T) {
	home := testenv.NewHome(t)
	dist := built(t, "dist")
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
	host := "sts_assume_role_" + hostPlatform(t)
	if !slices.Contains(want, host) {
		unsupported(t, "make dist builds no %s for this machine", host)
	}
	if v := runIn(t, dist, home.Environ(), filepath.Join(dist, host), "--version"); v != "sts_assume_role "+testVersion+"\n" {
		t.Errorf("%s --version printed %q", host, v)
	}
}

// TestCollectionSourceBuild checks that ansible-galaxy refuses to build the
// collection's source folder, which has no binaries and no module docs, and
// says to use make collection.
func TestCollectionSourceBuild(t *testing.T) {
	testenv.RequireTool(t, "ansible-galaxy")
	home := testenv.NewHome(t)
	out := t.TempDir()
	cmd := exec.Command("ansible-galaxy", "collection", "build", "--output-path", out, filepath.Join(repoRoot, "collection"))
	cmd.Env = home.Environ("ANSIBLE_NOCOLOR=1")
	got, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(got), "build-with-make-collection") {
		t.Errorf("ansible-galaxy collection build collection/: %v, want a failure naming make collection:\n%s", err, got)
	}
	if built, _ := filepath.Glob(filepath.Join(out, "*")); len(built) != 0 {
		t.Errorf("it built %v", built)
	}
}
