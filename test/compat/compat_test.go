// Package compat is the differential test: every case of test/cases that
// names the reference runs through our module binary and through the
// Python reference module of each test environment (test/roots: this
// machine's community.aws 5.5, trixie's amazon.aws 10 and community.aws
// 10, forky's amazon.aws 11 and community.aws 11), with the arguments file
// that environment's ansible-core writes, the same environment and files,
// each against its own loopback STS server set up alike. The exit statuses, the results and
// the requests each server received must be equal once what must differ
// is normalised, unless the case says why they differ.
package compat

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/modules"
	"ansible-sts/internal/result"
	"ansible-sts/test/cases"
	"ansible-sts/test/roots"
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

// A reference is the Python module one test environment runs a case
// with: the environment's own ansible-core and collections.
type reference struct {
	env *roots.Root
	// collections names where each module comes from there, for the
	// log: amazon.aws for sts_assume_role from 8.0 on, else community.aws.
	collections map[string]string
}

// references returns the reference of every test environment (this
// machine's first); in CI a missing one fails the test.
func references(t *testing.T) []reference {
	t.Helper()
	var refs []reference
	for _, env := range roots.Environments(t) {
		r := reference{env: env, collections: map[string]string{}}
		for _, m := range []string{"sts_assume_role", "sts_session_token"} {
			for _, ns := range []string{"amazon", "community"} {
				if _, err := os.Stat(filepath.Join(env.Dir, "usr/lib/python3/dist-packages/ansible_collections", ns, "aws/plugins/modules", m+".py")); err == nil {
					r.collections[m] = ns + ".aws"
					break
				}
			}
			if r.collections[m] == "" {
				testenv.RequireTool(t, filepath.Join(env.Dir, "usr/lib/python3/dist-packages/ansible_collections/*/aws/plugins/modules", m+".py"))
			}
		}
		refs = append(refs, r)
	}
	return refs
}

// String names the reference for a log, with its exact versions.
func (r reference) String() string {
	v := r.env.Versions
	return fmt.Sprintf("%s (ansible-core %s, amazon.aws %s, community.aws %s, botocore %s)", r.env.Suite, v.AnsibleCore, v.AmazonAWS, v.CommunityAWS, v.Botocore)
}

// Name names the reference as docs/compatibility.md does, by major versions, which
// a testing suite's updates keep: "amazon.aws 10 and community.aws 10 on
// ansible-core 2.19".
func (r reference) Name() string {
	v := r.env.Versions
	major := func(version string) string { m, _, _ := strings.Cut(version, "."); return m }
	var names []string
	for _, m := range []string{"sts_assume_role", "sts_session_token"} {
		c := r.collections[m]
		n := c + " " + major(map[string]string{"amazon.aws": v.AmazonAWS, "community.aws": v.CommunityAWS}[c])
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	core := strings.Join(strings.SplitN(v.AnsibleCore, ".", 3)[:2], ".")
	return strings.Join(names, " and ") + " on ansible-core " + core
}

// argv runs module in the reference's environment, on its own python3.
func (r reference) argv(t *testing.T, module, argsFile string) []string {
	script, err := filepath.Abs(filepath.Join("testdata", "reference.py"))
	if err != nil {
		t.Fatal(err)
	}
	pkg := "ansible_collections." + r.collections[module] + ".plugins.modules." + module
	// The case's home and arguments file are temporary directories.
	cmd := r.env.Command(context.Background(), []string{os.TempDir(), filepath.Dir(script)}, "/usr/bin/python3", script, pkg, argsFile)
	if cmd.Err != nil {
		t.Fatal(cmd.Err)
	}
	return cmd.Args
}

// tally counts one environment's cases.
type tally struct{ identical, different atomic.Int64 }

func TestDifferential(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: every case through both implementations in every environment (a few minutes)")
	}
	refs := references(t)
	all, err := cases.LoadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		for suite := range c.ReferenceOn {
			if !slices.ContainsFunc(refs, func(r reference) bool { return r.env.Suite == suite }) {
				t.Errorf("%s: no test environment is called %q", c.Name, suite)
			}
		}
	}
	counts := make([]tally, len(refs))
	t.Run("cases", func(t *testing.T) {
		for i, ref := range refs {
			suite, version := ref.env.Suite, ref.env.Versions.AnsibleCore
			for _, c := range all {
				if c.Reference == "" || *only != "" && !strings.Contains(c.Name, *only) {
					continue
				}
				t.Run(suite+"/"+c.Name, func(t *testing.T) {
					t.Parallel()
					ours := c.RunAs(t, version, func(args string) []string { return []string{filepath.Join(binDir, c.Module), args} }).Outcome(canonical)
					theirs := c.RunAs(t, version, func(args string) []string { return ref.argv(t, c.Module, args) }).Outcome(canonical)
					diff := cmp.Diff(theirs, ours)
					why := c.ReferenceFor(suite)
					switch {
					case !c.DiffersOn(suite) && diff != "":
						t.Errorf("results differ from %s (-reference +ours):\n%s", ref, diff)
					case c.DiffersOn(suite) && diff == "":
						t.Errorf("the results are equal to %s, but the case says they differ: %s", ref, why)
					case c.DiffersOn(suite):
						counts[i].different.Add(1)
						t.Logf("differs from %s on purpose: %s\n(-reference +ours):\n%s", ref, why, diff)
					default:
						counts[i].identical.Add(1)
					}
				})
			}
		}
	})
	figures := make([]figure, len(refs))
	for i, ref := range refs {
		same, other := counts[i].identical.Load(), counts[i].different.Load()
		figures[i] = figure{ref, int(same), int(same + other)}
		t.Logf("%s: %d cases, %d identical, %d deliberate differences", ref, same+other, same, other)
	}
	if *only == "" && !t.Failed() {
		checkReadme(t, all, figures)
	}
}

// A figure is what one environment's reference gave.
type figure struct {
	ref              reference
	identical, total int
}

// checkReadme keeps docs/compatibility.md's figures true, one line per
// reference, and its table of deliberate differences: one row per case
// that differs from any reference, naming the environments it differs in
// when that is not all of them.
func checkReadme(t *testing.T, all []*cases.Case, figures []figure) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "compatibility.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figures {
		want := fmt.Sprintf("%s: **%d of the %d cases give identical results**", f.ref.Name(), f.identical, f.total)
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("docs/compatibility.md should say %q", want)
		}
	}
	var rows []string // the table's rows
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "| `") {
			rows = append(rows, line)
		}
	}
	for _, c := range all {
		var differs []string
		for _, f := range figures {
			if c.DiffersOn(f.ref.env.Suite) {
				differs = append(differs, f.ref.env.Suite)
			}
		}
		i := slices.IndexFunc(rows, func(row string) bool {
			names, _, _ := strings.Cut(row, " | ")
			return strings.Contains(names, "`"+c.Name+"`")
		})
		switch {
		case len(differs) == 0 && i >= 0:
			t.Errorf("docs/compatibility.md's table of differences lists %s, which differs from no reference", c.Name)
		case len(differs) > 0 && i < 0:
			t.Errorf("docs/compatibility.md's table of differences lacks %s, which differs from %v", c.Name, differs)
		case len(differs) > 0 && len(differs) < len(figures):
			cells := strings.Split(rows[i], " | ")
			if len(cells) < 3 || cells[1] != strings.Join(differs, ", ") {
				t.Errorf("docs/compatibility.md's row of %s should name where it differs, %q, in its second column", c.Name, strings.Join(differs, ", "))
			}
		case len(differs) > 0:
			cells := strings.Split(rows[i], " | ")
			if len(cells) < 3 || cells[1] != "all" {
				t.Errorf("docs/compatibility.md's row of %s should say all in its second column", c.Name)
			}
		}
	}
}

var booleansRE = regexp.MustCompile(`Valid booleans include: .*`)

// extensionOptions and extensionResults are what ours has beyond the
// reference, each name once: the options marked Extension in the modules'
// tables and the result keys marked so in their documentation.
var extensionOptions, extensionResults = func() (options, results []string) {
	for _, m := range modules.All {
		for _, o := range m.Options {
			if o.Extension && !slices.Contains(options, o.Name) {
				options = append(options, o.Name)
			}
		}
		for _, r := range m.Doc.Return {
			if r.Extension && !slices.Contains(results, r.Name) {
				results = append(results, r.Name)
			}
		}
	}
	return options, results
}()

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
	// Ours registers the credentials it returns too (docs/modules.md's
	// Secrets section says why); the rest of the list must agree.
	if list, ok := r[result.NewSecretsKey].([]any); ok {
		creds, _ := r["sts_creds"].(map[string]any)
		keep := []any{}
		for _, s := range list {
			if creds == nil || s != creds["secret_key"] && s != creds["session_token"] {
				keep = append(keep, s)
			}
		}
		r[result.NewSecretsKey] = keep
	}
	// ansible-core 2.19's AnsibleModule sends a warning as a summary
	// object; every controller takes the text alike and shows the same.
	if ws, ok := r["warnings"].([]any); ok {
		for i, w := range ws {
			if m, ok := w.(map[string]any); ok && m["__ansible_type"] == "WarningSummary" {
				if ev, ok := m["event"].(map[string]any); ok {
					ws[i] = ev["msg"]
				}
			}
		}
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
// and cases.Normalise recognises.
var optionGroups = func() map[string]string {
	m := map[string]string{}
	for _, mod := range modules.All {
		for _, o := range mod.Spec() {
			for _, n := range append([]string{o.Name}, o.Aliases...) {
				if len(o.Aliases) > 0 {
					m[n] = o.Aliases[0]
				}
			}
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

// TestOptionGroups checks the alias groups the comparison folds: each name
// of ec2_url to its first alias, and no group for an option without one.
func TestOptionGroups(t *testing.T) {
	for _, name := range []string{"ec2_url", "endpoint_url", "aws_endpoint_url", "s3_url"} {
		if got := optionGroups[name]; got != "endpoint_url" {
			t.Errorf("optionGroups[%s] = %q, want endpoint_url", name, got)
		}
	}
	if got, ok := optionGroups["role_arn"]; ok {
		t.Errorf("optionGroups[role_arn] = %q, but role_arn has no alias", got)
	}
}
