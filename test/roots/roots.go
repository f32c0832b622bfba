package roots

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"ansible-sts/test/testenv"
)

// DefaultDir is where make roots keeps the roots when STSGO_ROOTS is unset.
const DefaultDir = "/var/cache/stsgo-test-roots"

// Suites are the Debian suites make roots builds, oldest first: stable,
// then testing.
var Suites = []string{"trixie", "forky"}

// Versions are the versions of the Ansible stack in one environment, as
// versions.py reports them; a missing piece is "".
type Versions struct {
	AnsibleCore  string `json:"ansible_core"`
	AmazonAWS    string `json:"amazon_aws"`
	CommunityAWS string `json:"community_aws"`
	Boto3        string `json:"boto3"`
	Botocore     string `json:"botocore"`
}

// String is one line for a test log.
func (v Versions) String() string {
	return fmt.Sprintf("ansible-core %s, amazon.aws %s, community.aws %s, boto3 %s, botocore %s",
		v.AnsibleCore, v.AmazonAWS, v.CommunityAWS, v.Boto3, v.Botocore)
}

// Root is one environment to run Ansible in: a built root filesystem, or
// the host itself (Dir "/").
type Root struct {
	Suite    string // Debian codename, e.g. "trixie"
	Dir      string // the root filesystem; "/" for the host
	Versions Versions
}

// Host reports whether r is the host itself, where commands run directly.
func (r *Root) Host() bool { return r.Dir == "/" }

// Dir returns where the roots are kept: $STSGO_ROOTS, else DefaultDir.
// make roots reads the same variable.
func Dir() string {
	if d := os.Getenv("STSGO_ROOTS"); d != "" {
		return d
	}
	return DefaultDir
}

// Environments returns the host's stack first, then every root (All): the
// environments a test loops over to cover each supported ansible-core.
func Environments(t testing.TB) []*Root {
	t.Helper()
	return append([]*Root{host(t)}, All(t)...)
}

// All returns the root of every suite in Suites, in that order.
func All(t testing.TB) []*Root {
	t.Helper()
	var all []*Root
	for _, s := range Suites {
		all = append(all, Get(t, s))
	}
	return all
}

// Get returns the root of suite. In CI a missing root fails the test;
// elsewhere it skips it.
func Get(t testing.TB, suite string) *Root {
	t.Helper()
	privileged(t)
	dir := filepath.Join(Dir(), suite)
	// build.sh renames a root into place only when it is complete, so its
	// ansible-playbook being there means the whole root is; RequireTool
	// then applies the tests' one rule for what is missing.
	testenv.RequireTool(hinted{t, "run make roots"}, filepath.Join(dir, "usr/bin/ansible-playbook"))
	r, err := load(suite, dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Open is Get and Environments for a program rather than a test: the
// environment named suite, this machine's own stack when suite is the
// host's codename, else the root of suite; a missing root is an error.
func Open(suite string) (*Root, error) {
	if suite == codename() {
		v, err := hostVersions()
		if err != nil {
			return nil, err
		}
		return &Root{Suite: suite, Dir: "/", Versions: v}, nil
	}
	dir := filepath.Join(Dir(), suite)
	if _, err := os.Stat(filepath.Join(dir, "usr/bin/ansible-playbook")); err != nil {
		return nil, fmt.Errorf("root %s: %w (run make roots)", suite, err)
	}
	return load(suite, dir)
}

// load reads the versions make roots recorded in the root at dir.
func load(suite, dir string) (*Root, error) {
	data, err := os.ReadFile(filepath.Join(dir, "stsgo-versions.json"))
	if err != nil {
		return nil, fmt.Errorf("root %s: %v (run make roots to rebuild it)", suite, err)
	}
	r := &Root{Suite: suite, Dir: dir}
	if err := json.Unmarshal(data, &r.Versions); err != nil {
		return nil, fmt.Errorf("root %s: parse stsgo-versions.json: %v", suite, err)
	}
	return r, nil
}

// privileged stops a test that cannot chroot or mount: a failure in CI,
// where make test runs as root, a skip elsewhere, as go test ./... needs no
// root.
func privileged(t testing.TB) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("the roots need root (chroot, mount): run the tests as root")
	}
	t.Skip("the roots need root (chroot, mount): run the tests as root")
}

// versionsScript is run by make roots inside each root and here by the
// host's python3, so every environment reports its versions alike.
//
//go:embed versions.py
var versionsScript string

// hostVersions runs once per test binary: importing ansible takes a while.
var hostVersions = sync.OnceValues(func() (Versions, error) {
	var v Versions
	var stderr bytes.Buffer
	cmd := exec.Command("/usr/bin/python3", "-c", versionsScript)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8"}
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return v, fmt.Errorf("read the host's versions: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return v, fmt.Errorf("parse the host's versions: %w", err)
	}
	return v, nil
})

// host returns the host's own stack, named by the host's Debian codename.
// HostEnvironment is this machine's own stack, without its versions read:
// a Root whose Command runs on the host.
func HostEnvironment() *Root { return &Root{Suite: codename(), Dir: "/"} }

func host(t testing.TB) *Root {
	t.Helper()
	testenv.RequireTool(t, "ansible-playbook")
	v, err := hostVersions()
	if err != nil {
		t.Fatal(err)
	}
	return &Root{Suite: codename(), Dir: "/", Versions: v}
}

func codename() string {
	data, _ := os.ReadFile("/etc/os-release")
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VERSION_CODENAME="); ok {
			return strings.Trim(v, `"`)
		}
	}
	return "host"
}

// hinted adds a hint to the messages with which testenv.RequireTool
// skips or fails a test.
type hinted struct {
	testing.TB
	hint string
}

func (h hinted) Fatalf(format string, args ...any) {
	h.TB.Helper()
	h.TB.Fatalf(format+" (%s)", append(args, h.hint)...)
}

func (h hinted) Skipf(format string, args ...any) {
	h.TB.Helper()
	h.TB.Skipf(format+" (%s)", append(args, h.hint)...)
}
