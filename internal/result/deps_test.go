package result_test

import (
	"slices"
	"strings"
	"testing"

	"ansible-sts/test/testenv"
)

// TestDependencies: the result and the arguments stay apart. Package
// result imports nothing of package moduleargs (it is handed the secrets
// as strings), moduleargs nothing of result, pyvalue, which both share,
// neither; and none of them links anything of AWS.
func TestDependencies(t *testing.T) {
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
			for _, d := range testenv.Deps(t, pkg) {
				if slices.Contains(forbidden, d) || strings.HasPrefix(d, "github.com/aws/") {
					t.Errorf("%s imports %s", pkg, d)
				}
			}
		})
	}
}
