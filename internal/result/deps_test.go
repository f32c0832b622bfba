package result_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"ansible-sts/test/testenv"
)

// TestDependencies: the result and the arguments stay apart. Package
// result imports nothing of package moduleargs (it is handed the secrets
// as strings), moduleargs nothing of result, pyvalue, which both share,
// neither; and none of them links anything of AWS.
func TestDependencies(t *testing.T) {
	goTool := testenv.RequireTool(t, "go")
	const (
		result     = "ansible-sts/internal/result"
		moduleargs = "ansible-sts/internal/moduleargs"
		pyvalue    = "ansible-sts/internal/pyvalue"
	)
	for pkg, forbidden := range map[string][]string{
		result:     {moduleargs},
		moduleargs: {result},
		pyvalue:    {result, moduleargs},
	} {
		t.Run(pkg[strings.LastIndex(pkg, "/")+1:], func(t *testing.T) {
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
				for _, f := range forbidden {
					if d == f {
						t.Errorf("%s imports %s", pkg, d)
					}
				}
				if strings.HasPrefix(d, "github.com/aws/") {
					t.Errorf("%s imports %s", pkg, d)
				}
			}
			if !found {
				t.Errorf("go list -deps %s does not list the package itself: %q", pkg, deps)
			}
		})
	}
}
