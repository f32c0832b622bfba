package testenv

import (
	"os"
	"os/exec"
	"slices"
	"strings"
)

// Deps returns the packages pkg depends on, itself included, as go list
// -deps lists them from the module cache alone (no network).
func Deps(t T, pkg string) []string {
	t.Helper()
	goTool := RequireTool(t, "go")
	cmd := exec.Command(goTool, "list", "-deps", pkg)
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=readonly")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, pkg) {
		t.Fatalf("go list -deps %s does not list the package itself: %q", pkg, deps)
	}
	return deps
}
