package awsauth

import (
	"os"
	"strings"
	"testing"

	"ansible-sts/internal/moduleargs"
)

// connection validates an arguments file's contents against Options and
// returns its connection options, failing the test on a validation error.
func connection(t testing.TB, args string) Connection {
	t.Helper()
	a, err := moduleargs.Parse([]byte(args), Options, "test", lookupEnv)
	if err != nil {
		t.Fatal(err)
	}
	return ConnectionOptions(a)
}

// mustPreview returns the settings of args that need no file, failing the
// test on any error.
func mustPreview(t *testing.T, args string) Settings {
	t.Helper()
	s, err := Preview(connection(t, args), OS())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func lookupEnv(k string) (string, bool) { return os.LookupEnv(k) }

func trimComma(s string) string { return strings.TrimSuffix(strings.TrimSpace(s), ",") }

func replace(s, old, new string) string { return strings.ReplaceAll(s, old, new) }
