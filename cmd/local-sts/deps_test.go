package main

import (
	"strings"
	"testing"

	"ansible-sts/test/testenv"
)

// TestCommandsLinkNoTests: the shipped commands link neither package
// testing nor any package under test/.
func TestCommandsLinkNoTests(t *testing.T) {
	forbidden := func(pkg string) bool {
		return pkg == "testing" || pkg == "net/http/httptest" || strings.HasPrefix(pkg, "ansible-sts/test/")
	}
	for _, name := range []string{"local-sts", "sts_assume_role", "sts_session_token", "stsgo-aws"} {
		t.Run(name, func(t *testing.T) {
			for _, d := range testenv.Deps(t, "ansible-sts/cmd/"+name) {
				if forbidden(d) {
					t.Errorf("ansible-sts/cmd/%s links %s", name, d)
				}
			}
		})
	}
}
