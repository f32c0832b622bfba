package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"ansible-sts/test/testenv"
)

// TestCommandsLinkNoTests: the shipped commands link neither package
// testing nor the test support packages.
func TestCommandsLinkNoTests(t *testing.T) {
	goTool := testenv.RequireTool(t, "go")
	forbidden := map[string]bool{"testing": true, "net/http/httptest": true, "ansible-sts/test/testenv": true, "ansible-sts/test/golden": true}
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
				if forbidden[d] {
					t.Errorf("%s links %s", pkg, d)
				}
			}
			if !found {
				t.Errorf("go list -deps %s does not list the command itself: %q", pkg, deps)
			}
		})
	}
}
