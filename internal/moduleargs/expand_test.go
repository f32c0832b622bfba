package moduleargs_test

import (
	"testing"

	"ansible-sts/internal/moduleargs"
)

// TestPathExpandsWithTheGivenEnvironment: a path option expands ~ and
// variables with the environment Parse is given, not the process's.
func TestPathExpandsWithTheGivenEnvironment(t *testing.T) {
	t.Setenv("HOME", "/process/home")
	t.Setenv("CADIR", "/process/ca")
	env := map[string]string{"HOME": "/given/home", "CADIR": "/given/ca"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	spec := moduleargs.Spec{{Name: "a", Type: moduleargs.Path}, {Name: "b", Type: moduleargs.Path}, {Name: "c", Type: moduleargs.Path}}
	args, err := moduleargs.Parse([]byte(`{"a": "~/ca.pem", "b": "${CADIR}/ca.pem", "c": "$UNSET/x"}`), spec, "test", lookup)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"a": "/given/home/ca.pem", "b": "/given/ca/ca.pem", "c": "$UNSET/x"} {
		if got, _ := args.Str(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}
