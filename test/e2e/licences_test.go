package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"ansible-sts/test/testenv"
)

// TestLicences checks the repository's licensing: REUSE-compliant (every
// file's licence known, every licence's text in LICENSES/), the Go code's
// Apache-2.0 text at the root, and each of the collection's plugins under
// GPL-3.0-or-later, as the community's collection requirements ask of code
// that runs inside ansible-core.
func TestLicences(t *testing.T) {
	reuse := testenv.RequireTool(t, "reuse")
	cmd := exec.Command(reuse, "lint")
	cmd.Dir = repoRoot
	cmd.Env = testenv.NewHome(t).Environ()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("reuse lint: %v\n%s", err, out)
	}
	root, err := os.ReadFile(filepath.Join(repoRoot, "LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	apache, err := os.ReadFile(filepath.Join(repoRoot, "LICENSES", "Apache-2.0.txt"))
	if err != nil || !bytes.Equal(root, apache) {
		t.Errorf("LICENSE is not LICENSES/Apache-2.0.txt (%v)", err)
	}
	plugins, _ := filepath.Glob(filepath.Join(repoRoot, "collection", "plugins", "*", "*"))
	for _, p := range plugins {
		if strings.Contains(p, "__pycache__") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), "\n# SPDX-License-Identifier: GPL-3.0-or-later\n") {
			t.Errorf("%s has no SPDX-License-Identifier: GPL-3.0-or-later line", p)
		}
	}
	if len(plugins) < 6 {
		t.Errorf("plugins: %v, want the action plugins and plugin_utils", plugins)
	}
}
