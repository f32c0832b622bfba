// Package compat is the differential test: every case of test/cases that
// names the reference runs through our module binary and through the
// Python reference module (Debian's community.aws 5.5 with python3-boto3),
// with the same arguments file, environment and files, each against its
// own loopback STS server set up alike. The exit statuses, the results and
// the requests each server received must be equal once what must differ
// is normalised, unless the case says why they differ.
package compat

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/modules"
	"ansible-sts/test/cases"
	"ansible-sts/test/testenv"
)

var (
	binDir string
	only   = flag.String("case", "", "run only the cases whose name contains this")
)

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(testenv.RunWithCommands(m, &binDir))
}

// referencePython returns Debian's python3 if it has the reference
// modules; in CI their absence fails the test.
func referencePython(t *testing.T) string {
	t.Helper()
	py := "/usr/bin/python3"
	err := exec.Command(py, "-c", "import boto3, ansible_collections.community.aws.plugins.modules.sts_session_token").Run()
	if err == nil {
		return py
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("the reference modules are required in CI (Debian packages ansible and python3-boto3): %v", err)
	}
	t.Skipf("the reference modules are not installed (Debian packages ansible and python3-boto3): %v", err)
	return ""
}

func TestDifferential(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: every case through both implementations (about a minute)")
	}
	py := referencePython(t)
	all, err := cases.LoadAll()
	if err != nil {
		t.Fatal(err)
	}
	var identical, different atomic.Int64
	t.Run("cases", func(t *testing.T) {
		for _, c := range all {
			if c.Reference == "" || *only != "" && !strings.Contains(c.Name, *only) {
				continue
			}
			t.Run(c.Name, func(t *testing.T) {
				t.Parallel()
				ours := c.Run(t, func(args string) []string { return []string{filepath.Join(binDir, c.Module), args} }).Outcome(canonical)
				ref := c.Run(t, func(args string) []string {
					return []string{py, filepath.Join("testdata", "reference.py"),
						"ansible_collections.community.aws.plugins.modules." + c.Module, args}
				}).Outcome(canonical)
				diff := cmp.Diff(ref, ours)
				switch {
				case !c.Differs() && diff != "":
					t.Errorf("results differ (-reference +ours):\n%s", diff)
				case c.Differs() && diff == "":
					t.Errorf("the results are equal, but the case says they differ: %s", c.Reference)
				case c.Differs():
					different.Add(1)
					t.Logf("differs on purpose: %s\n(-reference +ours):\n%s", c.Reference, diff)
				default:
					identical.Add(1)
				}
			})
		}
	})
	t.Logf("%d cases: %d identical, %d deliberate differences", identical.Load()+different.Load(), identical.Load(), different.Load())
	if *only == "" && !t.Failed() {
		checkReadme(t, all, int(identical.Load()), int(identical.Load()+different.Load()))
	}
}

// checkReadme keeps the README's compatibility figures true, and its
// table of deliberate differences: one row per case that differs.
func checkReadme(t *testing.T, all []*cases.Case, identical, total int) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%d of the %d cases give identical results", identical, total)
	if !bytes.Contains(data, []byte(want)) {
		t.Errorf("README.md should say %q", want)
	}
	var rows []string // the table's rows
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "| `") {
			rows = append(rows, line)
		}
	}
	for _, c := range all {
		listed := slices.ContainsFunc(rows, func(row string) bool {
			names, _, _ := strings.Cut(row, " | ")
			return strings.Contains(names, "`"+c.Name+"`")
		})
		if c.Differs() != listed {
			t.Errorf("README.md's table of differences and the case %s disagree (differs: %v)", c.Name, c.Differs())
		}
	}
}

var booleansRE = regexp.MustCompile(`Valid booleans include: .*`)

// extensionOptions and extensionResults are what ours has beyond the
// reference (modules.Extensions).
var extensionOptions, extensionResults = modules.Extensions()

// canonical removes what only the Python implementation can have
// (exception, boto3_version, botocore_version; deprecations, since ours
// deprecates nothing) and what only ours has (the result keys the
// reference does not return, and the options it lacks when they are
// null, as AnsibleModule lists every option of its spec), the order of
// Python's set of valid booleans, and maps option names in
// invocation.module_args to one name per option.
func canonical(v any) any {
	r, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for _, k := range append([]string{"exception", "boto3_version", "botocore_version", "deprecations"}, extensionResults...) {
		delete(r, k)
	}
	if msg, ok := r["msg"].(string); ok {
		r["msg"] = booleansRE.ReplaceAllString(msg, "Valid booleans include: <Python's set>")
	}
	if inv, ok := r["invocation"].(map[string]any); ok {
		if args, ok := inv["module_args"].(map[string]any); ok {
			inv["module_args"] = canonicalArgs(args)
		}
	}
	return r
}

// optionGroups maps every name of an option with aliases, from the
// modules' tables, to one name, so that both implementations show one
// name per option: its first alias, which for the keys and the token is
// the name the collections use (access_key, secret_key, session_token)
// and golden.Normalise recognises.
var optionGroups = func() map[string]string {
	m := map[string]string{}
	for name, aliases := range modules.Aliases() {
		for _, n := range append([]string{name}, aliases...) {
			m[n] = aliases[0]
		}
	}
	return m
}()

func canonicalArgs(args map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range args {
		if v == nil && slices.Contains(extensionOptions, k) {
			continue
		}
		name := k
		if g, ok := optionGroups[k]; ok {
			name = g
		}
		if prev, seen := out[name]; seen && !cmp.Equal(prev, v) {
			if prev == nil {
				out[name] = v
			} else if v != nil {
				out[name] = fmt.Sprintf("<conflict: %v / %v>", prev, v)
			}
			continue
		}
		out[name] = v
	}
	return out
}
