//go:build packaging

package e2e

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v2"

	"ansible-sts/test/roots"
	"ansible-sts/test/testenv"
)

// TestAnsibleLint runs ansible-lint, with the repository's .ansible-lint,
// on each controller (Debian's ansible-lint: 6.13 on bookworm, 25.2 on
// trixie, 26.4 on forky; one without it fails in CI, is skipped
// elsewhere), in two runs:
//
//   - the playbooks of playbooks/ and the YAML snippets of README.md, with
//     the modules in a library directory (ANSIBLE_LIBRARY), as the playbook
//     tests and the README's users run them;
//   - the EXAMPLES of the built collection's module docs and the YAML
//     snippets of collection/README.md, with only the collection installed:
//     what a user of the collection copies.
//
// ansible-lint runs offline (.ansible-lint says so too): it installs
// nothing and fetches nothing. The linted files are copies in a temporary
// project, so nothing ansible-lint writes lands in the work tree.
func TestAnsibleLint(t *testing.T) {
	tarball := collectionTarball(t)
	examples := lintModuleExamples(t, tarball)
	readme := lintSnippets(t, "README.md")
	docs, _ := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	for _, d := range docs {
		if snippets, ok := lintSnippetsOf(t, filepath.Join("docs", filepath.Base(d))); ok {
			maps.Copy(readme, snippets)
		}
	}
	collectionReadme := lintSnippets(t, filepath.Join("collection", "README.md"))
	lib := t.TempDir()
	copyModules(t, lib)

	eachController(t, func(t *testing.T, c *roots.Root) {
		lintRequire(t, c)
		collections := installCollection(t, c)
		t.Run("playbooks, README.md and docs", func(t *testing.T) {
			files := map[string][]byte{}
			playbooks, _ := filepath.Glob(filepath.Join(repoRoot, "playbooks", "*.yml"))
			if len(playbooks) == 0 {
				t.Fatal("no playbooks in playbooks/")
			}
			for _, p := range playbooks {
				data, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				files["playbooks/"+filepath.Base(p)] = data
			}
			for name, data := range readme {
				files[name] = data
			}
			lintRun(t, c, files, collections, "ANSIBLE_LIBRARY="+lib)
		})
		t.Run("collection examples and collection/README.md", func(t *testing.T) {
			files := map[string][]byte{}
			for name, data := range examples {
				files[name] = data
			}
			for name, data := range collectionReadme {
				files[name] = data
			}
			lintRun(t, c, files, collections)
		})
	})
}

// lintRequire stops a test on a controller without ansible-lint: a
// failure in CI, a skip elsewhere.
func lintRequire(t *testing.T, c *roots.Root) {
	t.Helper()
	if c.Host() {
		testenv.RequireTool(t, "ansible-lint")
		return
	}
	testenv.RequireTool(t, filepath.Join(c.Dir, "usr", "bin", "ansible-lint"))
}

// lintFiles matches the files count of ansible-lint's closing line:
// "on 7 files" (6.x, 25.x) or "in 7 files processed" (26.x).
var lintFiles = regexp.MustCompile(`(?:on|in) (\d+) files`)

// lintRun writes files (path in the project: content) into a new
// temporary project with the repository's .ansible-lint, runs ansible-lint
// on all of them on controller c with the collections installed in
// collections and env added, and fails with ansible-lint's output unless
// it passes having linted every file.
func lintRun(t *testing.T, c *roots.Root, files map[string][]byte, collections string, env ...string) {
	t.Helper()
	project := t.TempDir()
	copyFile(t, filepath.Join(repoRoot, ".ansible-lint"), filepath.Join(project, ".ansible-lint"), 0o644)
	args := []string{"-c", ".ansible-lint", "--offline", "--nocolor", "-f", "pep8"}
	names := slices.Sorted(maps.Keys(files))
	for _, name := range names {
		p := filepath.Join(project, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, name)
	}
	home := testenv.NewHome(t)
	binds := []string{project, home.Dir, collections}
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "ANSIBLE_LIBRARY="); ok {
			binds = append(binds, v)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := c.Command(ctx, binds, "ansible-lint", args...)
	cmd.Dir = project
	cmd.Env = home.Environ(append([]string{
		"ANSIBLE_COLLECTIONS_PATH=" + collections,
		"ANSIBLE_LOCAL_TEMP=" + filepath.Join(home.Dir, ".ansible", "tmp"),
		"ANSIBLE_NOCOLOR=1",
		"NO_COLOR=1",
	}, env...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if _, exit := err.(*exec.ExitError); err != nil && !exit {
		t.Fatalf("ansible-lint on %s: %v\n%s", c.Suite, err, out.String())
	}
	legend := "examples/tasks/M.yml is the EXAMPLES of the collection's plugins/modules/M.py; " +
		"readme/*/F-LN.yml is the YAML snippet of F whose first line is line N (its line L is F's line N+L-1)"
	if err != nil {
		t.Fatalf("ansible-lint on %s: %v (%s)\n%s", c.Suite, err, legend, out.String())
	}
	m := lintFiles.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("ansible-lint on %s passed without saying how many files it linted:\n%s", c.Suite, out.String())
	}
	if n, _ := strconv.Atoi(m[1]); n != len(files) {
		t.Errorf("ansible-lint on %s linted %d files, want %d (%s):\n%s", c.Suite, n, len(files), strings.Join(names, ", "), out.String())
	}
}

// examplesBlock is the EXAMPLES string of a module doc file.
var examplesBlock = regexp.MustCompile(`(?ms)^EXAMPLES\s*=\s*[rR]?('''|""")\n?(.*?)('''|""")`)

// lintModuleExamples returns the EXAMPLES of each module doc in the
// collection tarball, as examples/tasks/MODULE.yml: task lists, which
// ansible-lint recognises as such under a tasks directory.
func lintModuleExamples(t *testing.T, tarball string) map[string][]byte {
	t.Helper()
	f, err := os.Open(tarball)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	examples := map[string][]byte{}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("read %s: %v", tarball, err)
		}
		name := path.Clean(h.Name)
		if path.Dir(name) != "plugins/modules" || path.Ext(name) != ".py" || path.Base(name) == "__init__.py" {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		m := examplesBlock.FindSubmatch(data)
		if m == nil || len(bytes.TrimSpace(m[2])) == 0 {
			t.Errorf("%s in %s has no EXAMPLES", name, tarball)
			continue
		}
		examples["examples/tasks/"+strings.TrimSuffix(path.Base(name), ".py")+".yml"] = m[2]
	}
	if len(examples) == 0 {
		t.Fatalf("no module docs in %s", tarball)
	}
	return examples
}

// fence matches a fenced code block of YAML in Markdown: its body.
var fence = regexp.MustCompile("(?ms)^```ya?ml[ \t]*\n(.*?)^```[ \t]*$")

// lintSnippets returns the YAML code blocks of the Markdown file rel (to
// the repository), each as readme/KIND/NAME-LN.yml, N the line of the
// block's first line: KIND playbooks for a list of plays, tasks for a
// list of tasks, yaml for anything else (linted as plain YAML).
func lintSnippets(t *testing.T, rel string) map[string][]byte {
	t.Helper()
	snippets, ok := lintSnippetsOf(t, rel)
	if !ok {
		t.Fatalf("%s has no YAML code block: the test would lint nothing of it", rel)
	}
	return snippets
}

// lintSnippetsOf is lintSnippets, reporting whether rel has any YAML code
// block instead of failing.
func lintSnippetsOf(t *testing.T, rel string) (map[string][]byte, bool) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, rel))
	if err != nil {
		t.Fatal(err)
	}
	name := strings.ReplaceAll(filepath.ToSlash(rel), "/", "-")
	snippets := map[string][]byte{}
	for _, m := range fence.FindAllSubmatchIndex(data, -1) {
		body := data[m[2]:m[3]]
		line := bytes.Count(data[:m[2]], []byte("\n")) + 1
		snippets[fmt.Sprintf("readme/%s/%s-L%d.yml", lintKind(body), name, line)] = body
	}
	return snippets, len(snippets) > 0
}

// lintKind tells what a YAML snippet holds: "playbooks" for a list of
// plays (a host pattern or an imported playbook in any entry), "tasks"
// for any other list, "yaml" for the rest.
func lintKind(body []byte) string {
	var list []map[string]any
	if err := yaml.Unmarshal(body, &list); err != nil || len(list) == 0 {
		return "yaml"
	}
	for _, item := range list {
		for _, key := range []string{"hosts", "import_playbook", "ansible.builtin.import_playbook"} {
			if _, ok := item[key]; ok {
				return "playbooks"
			}
		}
	}
	return "tasks"
}
