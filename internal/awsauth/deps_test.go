package awsauth_test

import (
	"slices"
	"strings"
	"testing"

	"ansible-sts/test/testenv"
)

// TestDependencies: the auth package takes typed settings and knows
// nothing of Ansible's values: it imports neither the arguments, nor the
// result, nor the Python value model they share, nor the modules.
func TestDependencies(t *testing.T) {
	forbidden := []string{"ansible-sts/internal/moduleargs", "ansible-sts/internal/result",
		"ansible-sts/internal/pyvalue", "ansible-sts/internal/modules", "ansible-sts/internal/stsio"}
	deps := testenv.Deps(t, "ansible-sts/internal/awsauth")
	for _, d := range deps {
		if slices.Contains(forbidden, d) || strings.HasPrefix(d, "ansible-sts/test/") {
			t.Errorf("internal/awsauth imports %s", d)
		}
	}
	if !slices.Contains(deps, "github.com/aws/aws-sdk-go-v2/config") {
		t.Errorf("the dependencies read %v, without the SDK's config package", deps)
	}
}
