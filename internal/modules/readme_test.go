package modules

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/pyvalue"
)

// readmeRow is what the option tables of docs/modules.md say of one option.
type readmeRow struct {
	Name    string
	Aliases string
	Type    string
	NoLog   bool
}

// readmeTables returns the rows of the option tables of docs/modules.md's
// Options section, one slice per table, in order.
func readmeTables(t *testing.T) [][]readmeRow {
	t.Helper()
	data, err := os.ReadFile("../../docs/modules.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## Options\n")
	if !ok {
		t.Fatal("docs/modules.md has no Options section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var tables [][]readmeRow
	var header []string
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "|") {
			header = nil
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		switch {
		case header == nil:
			header = cells
			tables = append(tables, nil)
			continue
		case strings.HasPrefix(cells[0], "---"):
			continue
		}
		cell := map[string]string{}
		for i, h := range header {
			cell[h] = cells[i]
		}
		row := readmeRow{
			Name:    strings.Trim(cell["option"], "`"),
			Aliases: strings.ReplaceAll(cell["aliases"], "`", ""),
			Type:    cell["type"],
			NoLog:   strings.Contains(cell["notes"], "no_log"),
		}
		tables[len(tables)-1] = append(tables[len(tables)-1], row)
	}
	return tables
}

// rowsOf returns the rows docs/modules.md should show for spec.
func rowsOf(spec moduleargs.Spec, aliases bool) []readmeRow {
	var out []readmeRow
	for _, o := range spec {
		typ := o.Type.String()
		if o.Type == moduleargs.List {
			typ += " of " + o.Elements.String()
		}
		if o.Required {
			typ += ", required"
		}
		if o.Default != nil {
			typ += ", default " + "`" + strings.ToLower(pyvalue.Str(o.Default)) + "`"
		}
		r := readmeRow{Name: o.Name, Type: typ, NoLog: o.NoLog}
		if aliases {
			r.Aliases = strings.Join(o.Aliases, ", ")
		}
		out = append(out, r)
	}
	return out
}

// TestReadmeOptions checks the option tables of docs/modules.md against the
// tables: the connection options (names, aliases, types, defaults,
// no_log) in any order, and sts_assume_role's own in declaration order.
func TestReadmeOptions(t *testing.T) {
	tables := readmeTables(t)
	if len(tables) < 2 {
		t.Fatalf("docs/modules.md's Options section has %d tables, want the connection options' and sts_assume_role's", len(tables))
	}
	conn := AssumeRole.Spec()[:len(AssumeRole.Spec())-len(AssumeRole.Options)]
	byName := map[string]readmeRow{}
	for _, r := range tables[0] {
		byName[r.Name] = r
	}
	for _, want := range rowsOf(conn, true) {
		if diff := cmp.Diff(want, byName[want.Name]); diff != "" {
			t.Errorf("docs/modules.md's row of %s (-table +docs):\n%s", want.Name, diff)
		}
	}
	if len(tables[0]) != len(conn) {
		t.Errorf("docs/modules.md lists %d connection options, the table has %d", len(tables[0]), len(conn))
	}
	if diff := cmp.Diff(rowsOf(spec(AssumeRole.Options), false), tables[1]); diff != "" {
		t.Errorf("docs/modules.md's sts_assume_role options (-table +docs):\n%s", diff)
	}
}

// TestReadmeAtAGlance checks that README.md stays short and that its
// options at a glance name every option of both modules.
func TestReadmeAtAGlance(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "\n"); n > 200 {
		t.Errorf("README.md has %d lines, want at most 200: the details belong in docs/", n)
	}
	_, section, ok := strings.Cut(string(data), "\n## Options at a glance\n")
	if !ok {
		t.Fatal("README.md has no Options at a glance section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	for _, m := range All {
		for _, o := range m.Spec() {
			if !strings.Contains(section, "`"+o.Name+"`") {
				t.Errorf("README.md's options at a glance lack %s's %s", m.Name, o.Name)
			}
		}
	}
}

// TestDocLinks checks that the README's and the docs' relative links name
// files that exist, read from the folder of the page that holds them.
func TestDocLinks(t *testing.T) {
	pages, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	pages = append(pages, "../../README.md", "../../collection/README.md")
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, page := range pages {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(data), -1) {
			target, _, _ := strings.Cut(m[1], "#")
			if target == "" || strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(page), target)); err != nil {
				t.Errorf("%s links to %s, which is not there", strings.TrimPrefix(page, "../../"), m[1])
			}
		}
	}
}
