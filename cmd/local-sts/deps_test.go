package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"ansible-sts/test/testenv"
)

// TestCommandsLinkNoTests: the shipped commands link neither package
// testing nor any package under test/.
func TestCommandsLinkNoTests(t *testing.T) {
	goTool := testenv.RequireTool(t, "go")
	forbidden := func(pkg string) bool {
		return pkg == "testing" || pkg == "net/http/httptest" || strings.HasPrefix(pkg, "ansible-sts/test/")
	}
	for _, name := range []string{"local-sts", "sts_assume_role", "sts_session_token", "stsgo-aws"} {
		t.Run(name, func(t *testing.T) {
			pkg := "ansible-sts/cmd/" + name
			cmd := exec.Command(goTool, "list", "-deps", pkg)
			// Only what is in the module cache: no network.
			cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=readonly")
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("go list -deps %s: %v", pkg, err)
			}
			deps := strings.Fields(string(out))
			found := false
			for _, d := range deps {
				found = found || d == pkg
				if forbidden(d) {
					t.Errorf("%s links %s", pkg, d)
				}
			}
			if !found {
				t.Errorf("go list -deps %s does not list the command itself: %q", pkg, deps)
			}
		})
	}
}
