//go:build packaging

package e2e

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"ansible-sts/test/roots"
	"ansible-sts/test/testenv"
)

// TestSanity runs ansible-test sanity on the collection tarball make
// collection built, on each controller (ansible-core 2.14 here, 2.19 on
// trixie, 2.22 on forky), with the controller's default Python only
// (/usr/bin/python3) and offline.
//
// ansible-test fills a virtual environment per sanity test from PyPI; here
// a primer (testdata/sanity/prime.py) makes those environments first, in a
// temporary home, from Debian's linters and libraries (make
// ensure-test-tools and make roots install them), so ansible-test finds
// them ready and installs nothing. Debian has no antsibull-docs-parser,
// which validate-modules imports on ansible-core 2.19 and later: its
// environment gets a stand-in instead. Nor does Debian have
// antsibull-changelog, which the changelog test would run on a fragment
// under changelogs/fragments/: galaxy.yml keeps fragments out of the
// tarball.
func TestSanity(t *testing.T) {
	tarball := collectionTarball(t)
	eachController(t, func(t *testing.T, c *roots.Root) {
		if c.Host() {
			testenv.RequireTool(t, "/usr/bin/ansible-test")
		}
		home := testenv.NewHome(t)
		// ansible-test tests the collection it is run in, which must lie
		// at …/ansible_collections/NAMESPACE/NAME; it writes its results
		// under tests/output there.
		tree := t.TempDir()
		content := filepath.Join(tree, "ansible_collections", "stsgo", "aws")
		if err := os.MkdirAll(content, 0o755); err != nil {
			t.Fatal(err)
		}
		runIn(t, content, home.Environ(), "tar", "-xzf", tarball)
		tools := sanityTools(t)
		tmp := filepath.Join(home.Dir, "tmp")
		if err := os.Mkdir(tmp, 0o700); err != nil {
			t.Fatal(err)
		}
		// Debian's programs only: on this machine the python3 first on
		// PATH may be another one.
		env := home.Environ("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "TMPDIR="+tmp, "ANSIBLE_NOCOLOR=1")
		binds := []string{home.Dir, tree, tools}

		out, err := commandOn(c, binds, content, env, "/usr/bin/python3", filepath.Join(tools, "prime.py"), filepath.Join(tools, "stand-in", "antsibull_docs_parser"))
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 2 && strings.HasPrefix(out, "missing ") {
			unsupported(t, "ansible-test sanity on %s needs Debian's %s (make ensure-test-tools here, make roots for the roots)",
				c.Suite, strings.TrimPrefix(strings.TrimSpace(out), "missing "))
		}
		if err != nil {
			t.Fatalf("making the sanity tests' environments on %s: %v\n%s", c.Suite, err, out)
		}
		python := ""
		for _, line := range strings.Split(out, "\n") {
			if v, ok := strings.CutPrefix(line, "python "); ok {
				python = v
			}
			if p, ok := strings.CutPrefix(line, "stand-in "); ok {
				t.Logf("%s: Debian has no antsibull-docs-parser; validate-modules imports the stand-in at %s", c.Suite, p)
			}
		}
		if python == "" {
			t.Fatalf("making the sanity tests' environments on %s: no Python version in\n%s", c.Suite, out)
		}

		start := time.Now()
		out, err = commandOn(c, binds, content, env, "/usr/bin/ansible-test", "sanity", "--python", python, "--color", "no")
		t.Logf("ansible-test sanity on %s (ansible-core %s, Python %s): %s", c.Suite, c.Versions.AnsibleCore, python, time.Since(start).Round(time.Second/10))
		if err != nil {
			t.Errorf("ansible-test sanity on %s (ansible-core %s, Python %s): %v\n%s", c.Suite, c.Versions.AnsibleCore, python, err, out)
		}
		// A test that ansible-test skips, or for which it sets out to
		// install requirements, had no ready environment.
		if bad := sanityUnready.FindAllString(out, -1); len(bad) > 0 {
			t.Errorf("ansible-test sanity on %s did not run every test with what Debian installed:\n%s\n\n%s", c.Suite, strings.Join(bad, "\n"), out)
		}
	})
}

// sanityUnready matches what ansible-test prints when a sanity test lacks
// its requirements or a tool.
var sanityUnready = regexp.MustCompile(`(?m)^(?:WARNING: Skipping .*|WARNING: Unable to find .*|Installing requirements .*)$`)

// sanityTools is the folder of the primer (prime.py), which makes the
// virtual environments of ansible-test sanity from the Python that runs it
// and that Python's packages, and of the stand-in for antsibull-docs-parser
// (stand-in/antsibull_docs_parser), which Debian does not package: the part
// of its API validate-modules uses (parser.parse, parser.Context, dom),
// parsing Ansible markup as that library documents it, with the same error
// messages. The primer runs with the controller's /usr/bin/python3, in the
// collection's folder, with the stand-in's folder as its argument, and
// installs the stand-in in validate-modules' environment only, and only
// when that Python lacks the real one.
func sanityTools(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "sanity"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
