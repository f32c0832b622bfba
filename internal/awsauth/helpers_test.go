package awsauth

import (
	"os"
	"strings"
	"testing"

	"ansible-sts/internal/moduleargs"
)

// mustResolve validates an arguments file's contents against Options and
// resolves them, failing the test on any error.
func mustResolve(t *testing.T, args string) *Resolved {
	t.Helper()
	a, err := moduleargs.Parse([]byte(args), Options, "test", lookupEnv)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Resolve(a)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func lookupEnv(k string) (string, bool) { return os.LookupEnv(k) }

func trimComma(s string) string { return strings.TrimSuffix(strings.TrimSpace(s), ",") }

func replace(s, old, new string) string { return strings.ReplaceAll(s, old, new) }
