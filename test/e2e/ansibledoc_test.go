package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/modules"
	"ansible-sts/test/testenv"
)

// repoRoot is the repository, from this package's directory.
var repoRoot, _ = filepath.Abs(filepath.Join("..", ".."))

// runIn runs a command in dir with env and returns its combined output,
// failing the test if it fails.
func runIn(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	testenv.RequireTool(t, name)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// makeEnv is the environment for make: the isolated home, and Go's caches
// kept where they are so builds stay fast.
func makeEnv(home testenv.Home) []string {
	env := home.Environ()
	for _, k := range []string{"GOPATH", "GOCACHE", "GOMODCACHE", "GOFLAGS", "GOPROXY"} {
		if v := goEnv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

func goEnv(k string) string {
	out, err := exec.Command("go", "env", k).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

var supportedRE = regexp.MustCompile(`Supported parameters include: ([^(]*) \(([^)]*)\)\.`)

// acceptedNames asks a module binary which names it accepts, from its
// unsupported-parameter message: options, then aliases.
func acceptedNames(t *testing.T, module string) ([]string, []string) {
	t.Helper()
	// Required options are given: a missing one is reported before unknown ones.
	args := map[string]any{"no_such_option": 1, "role_arn": "arn:aws:iam::123456789012:role/r", "role_session_name": "s"}
	if module == "sts_session_token" {
		args = map[string]any{"no_such_option": 1}
	}
	r := runModule(t, module, args, newHome(t).Environ())
	m := supportedRE.FindStringSubmatch(r.Result["msg"].(string))
	if m == nil {
		t.Fatalf("no supported list in %q", r.Result["msg"])
	}
	return strings.Split(m[1], ", "), strings.Split(m[2], ", ")
}

// TestAnsibleDoc renders the generated sidecar documentation with
// ansible-doc and checks that it documents exactly the names the binary
// accepts.
func TestAnsibleDoc(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: ansible-doc renders the generated documentation")
	}
	dir := t.TempDir()
	home := testenv.NewHome(t)
	runIn(t, repoRoot, makeEnv(home), "go", "run", "./tools/gendocs", "-out", dir)
	copyModules(t, dir)
	env := home.Environ("ANSIBLE_NOCOLOR=1")
	for _, m := range []string{"sts_assume_role", "sts_session_token"} {
		t.Run(m, func(t *testing.T) {
			text := runIn(t, dir, env, "ansible-doc", "-M", dir, m)
			if !strings.Contains(text, strings.ToUpper(m)) || !strings.Contains(text, "OPTIONS (= is mandatory)") || !strings.Contains(text, "RETURN VALUES") {
				t.Errorf("ansible-doc %s:\n%s", m, text)
			}
			if snippet := runIn(t, dir, env, "ansible-doc", "-M", dir, "-s", m); !strings.Contains(snippet, "  "+m+":") {
				t.Errorf("ansible-doc -s %s:\n%s", m, snippet)
			}
			var doc map[string]struct {
				Doc struct {
					Options map[string]struct {
						Aliases  []string `json:"aliases"`
						Type     string   `json:"type"`
						Elements string   `json:"elements"`
					} `json:"options"`
				} `json:"doc"`
				Examples string         `json:"examples"`
				Return   map[string]any `json:"return"`
			}
			if err := json.Unmarshal([]byte(runIn(t, dir, env, "ansible-doc", "-M", dir, "--json", m)), &doc); err != nil {
				t.Fatal(err)
			}
			var options, aliases []string
			for name, o := range doc[m].Doc.Options {
				options = append(options, name)
				aliases = append(aliases, o.Aliases...)
			}
			sort.Strings(options)
			sort.Strings(aliases)
			wantOptions, wantAliases := acceptedNames(t, m)
			if diff := cmp.Diff(wantOptions, options); diff != "" {
				t.Errorf("documented options (-accepted +documented):\n%s", diff)
			}
			if diff := cmp.Diff(wantAliases, aliases); diff != "" {
				t.Errorf("documented aliases (-accepted +documented):\n%s", diff)
			}
			if doc[m].Examples == "" || doc[m].Return["sts_creds"] == nil {
				t.Errorf("examples or RETURN missing")
			}
			// Each option's type (and a list's elements), and every
			// return value, as the module's table and docs give them.
			for _, mod := range modules.All {
				if mod.Name != m {
					continue
				}
				for _, o := range mod.Spec() {
					want := []string{o.Type.String(), ""}
					if o.Type == moduleargs.List {
						want[1] = o.Elements.String()
					}
					got := doc[m].Doc.Options[o.Name]
					if diff := cmp.Diff(want, []string{got.Type, got.Elements}); diff != "" {
						t.Errorf("%s's type and elements (-table +documented):\n%s", o.Name, diff)
					}
				}
				for _, r := range mod.Doc.Return {
					if doc[m].Return[r.Name] == nil {
						t.Errorf("RETURN lacks %s", r.Name)
					}
				}
			}
			if !strings.Contains(doc[m].Examples, `environment: "{{ `) || !strings.Contains(doc[m].Examples, `.aws_env }}"`) {
				t.Errorf("the examples do not show environment: aws_env:\n%s", doc[m].Examples)
			}
		})
	}
}
