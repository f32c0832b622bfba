// Command changelog keeps the collection's changelog in antsibull-changelog's
// format: collection/changelogs/changelog.yaml holds every release, each
// change first lands as a fragment in collection/changelogs/fragments/, and
// collection/CHANGELOG.md is rendered from changelog.yaml. From the
// repository's root:
//
//	go run ./tools/changelog -release 1.1.0   # fragments into a release, then render
//	go run ./tools/changelog                  # render CHANGELOG.md
//	go run ./tools/changelog -check           # fail if CHANGELOG.md is not the rendering
//
// A release also records the modules it adds: those no earlier release
// names.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"ansible-sts/internal/modules"

	"gopkg.in/yaml.v2"
)

func main() {
	dir := flag.String("dir", "collection", "the collection's source folder")
	release := flag.String("release", "", "make this version's release from the fragments")
	date := flag.String("date", time.Now().UTC().Format(time.DateOnly), "with -release, its date")
	check := flag.Bool("check", false, "only check that CHANGELOG.md is the rendering of changelog.yaml")
	flag.Parse()
	if err := run(*dir, *release, *date, *check); err != nil {
		fmt.Fprintln(os.Stderr, "changelog:", err)
		os.Exit(1)
	}
}

func run(dir, release, date string, check bool) error {
	cl, err := load(dir)
	if err != nil {
		return err
	}
	if release != "" {
		if err := cl.release(release, date); err != nil {
			return err
		}
	}
	text := cl.render()
	path := filepath.Join(dir, "changelogs", cl.config.Template)
	if check {
		have, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !bytes.Equal(have, []byte(text)) {
			return fmt.Errorf("%s is not the rendering of changelog.yaml: run go run ./tools/changelog", path)
		}
		return nil
	}
	return os.WriteFile(path, []byte(text), 0o644)
}

// config is what this tool reads of changelogs/config.yaml.
type config struct {
	Title        string     `yaml:"title"`
	Template     string     `yaml:"changelog_filename_template"`
	ChangesFile  string     `yaml:"changes_file"`
	NotesDir     string     `yaml:"notesdir"`
	Prelude      string     `yaml:"prelude_section_name"`
	PreludeTitle string     `yaml:"prelude_section_title"`
	Trivial      string     `yaml:"trivial_section_name"`
	Sections     [][]string `yaml:"sections"`
}

// changes is changelog.yaml.
type changes struct {
	Ancestor any                 `yaml:"ancestor"`
	Releases map[string]*release `yaml:"releases"`
}

// release is one version's entry.
type release struct {
	Changes     map[string]any `yaml:"changes,omitempty"`
	Fragments   []string       `yaml:"fragments,omitempty"`
	Modules     []plugin       `yaml:"modules,omitempty"`
	ReleaseDate string         `yaml:"release_date"`
}

// plugin is a module a release adds.
type plugin struct {
	Description string `yaml:"description"`
	Name        string `yaml:"name"`
	Namespace   string `yaml:"namespace"`
}

type changelog struct {
	dir     string
	config  config
	changes changes
}

func load(dir string) (*changelog, error) {
	cl := &changelog{dir: dir}
	if err := readYAML(filepath.Join(dir, "changelogs", "config.yaml"), &cl.config, false); err != nil {
		return nil, err
	}
	if err := readYAML(cl.path(cl.config.ChangesFile), &cl.changes, true); err != nil {
		return nil, err
	}
	if cl.changes.Releases == nil {
		cl.changes.Releases = map[string]*release{}
	}
	for v := range cl.changes.Releases {
		if _, err := parseVersion(v); err != nil {
			return nil, err
		}
	}
	return cl, nil
}

func (cl *changelog) path(name string) string { return filepath.Join(cl.dir, "changelogs", name) }

// readYAML decodes the YAML file at path into v; strict, a key v has no
// field for is an error.
func readYAML(path string, v any, strict bool) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	unmarshal := yaml.Unmarshal
	if strict {
		unmarshal = yaml.UnmarshalStrict
	}
	if err := unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// release makes version's entry from the fragments, removes them and
// writes changelog.yaml.
func (cl *changelog) release(version, date string) error {
	if _, err := parseVersion(version); err != nil {
		return err
	}
	if _, ok := cl.changes.Releases[version]; ok {
		return fmt.Errorf("%s is already released", version)
	}
	entries, err := os.ReadDir(cl.path(cl.config.NotesDir))
	if err != nil {
		return err
	}
	r := &release{Changes: map[string]any{}, ReleaseDate: date}
	known := map[string]bool{cl.config.Prelude: true, cl.config.Trivial: true}
	for _, s := range cl.config.Sections {
		known[s[0]] = true
	}
	var done []string
	for _, e := range entries {
		if e.IsDir() || !(strings.HasSuffix(e.Name(), ".yml") || strings.HasSuffix(e.Name(), ".yaml")) {
			continue
		}
		var frag map[string]any
		if err := readYAML(cl.path(filepath.Join(cl.config.NotesDir, e.Name())), &frag, false); err != nil {
			return err
		}
		for section, v := range frag {
			if !known[section] {
				return fmt.Errorf("fragment %s: unknown section %q", e.Name(), section)
			}
			if section == cl.config.Prelude {
				s, ok := v.(string)
				if !ok || r.Changes[section] != nil {
					return fmt.Errorf("fragment %s: %s must be one string, in one fragment", e.Name(), section)
				}
				r.Changes[section] = s
				continue
			}
			items, ok := v.([]any)
			if !ok {
				return fmt.Errorf("fragment %s: %s must be a list", e.Name(), section)
			}
			have, _ := r.Changes[section].([]any)
			r.Changes[section] = append(have, items...)
		}
		r.Fragments = append(r.Fragments, e.Name())
		done = append(done, cl.path(filepath.Join(cl.config.NotesDir, e.Name())))
	}
	for _, m := range modules.All {
		if !cl.released(m.Name) {
			r.Modules = append(r.Modules, plugin{Description: m.Doc.Short, Name: m.Name, Namespace: ""})
		}
	}
	if len(r.Fragments) == 0 && len(r.Modules) == 0 {
		return errors.New("no fragments and no new modules: nothing to release")
	}
	cl.changes.Releases[version] = r
	out, err := yaml.Marshal(&cl.changes)
	if err != nil {
		return err
	}
	if err := os.WriteFile(cl.path(cl.config.ChangesFile), out, 0o644); err != nil {
		return err
	}
	for _, f := range done {
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	return nil
}

// released reports whether an earlier release added the module.
func (cl *changelog) released(name string) bool {
	for _, r := range cl.changes.Releases {
		if slices.ContainsFunc(r.Modules, func(p plugin) bool { return p.Name == name }) {
			return true
		}
	}
	return false
}

// render returns CHANGELOG.md: the releases, newest first, each with its
// summary, its sections in the configured order, and the modules it adds.
func (cl *changelog) render() string {
	versions := make([]string, 0, len(cl.changes.Releases))
	for v := range cl.changes.Releases {
		versions = append(versions, v)
	}
	slices.SortFunc(versions, func(a, b string) int { return compareVersions(b, a) })
	var b strings.Builder
	fmt.Fprintf(&b, "# %s Release Notes\n\n", cl.config.Title)
	b.WriteString("**Topics**\n\n")
	for _, v := range versions {
		fmt.Fprintf(&b, "- [v%s](#%s)\n", v, anchor("v"+v))
	}
	for _, v := range versions {
		r := cl.changes.Releases[v]
		fmt.Fprintf(&b, "\n## v%s\n\nReleased %s.\n", v, r.ReleaseDate)
		if s, ok := r.Changes[cl.config.Prelude].(string); ok {
			fmt.Fprintf(&b, "\n### %s\n\n%s\n", cl.config.PreludeTitle, strings.TrimSpace(s))
		}
		for _, s := range cl.config.Sections {
			items, _ := r.Changes[s[0]].([]any)
			if len(items) == 0 {
				continue
			}
			fmt.Fprintf(&b, "\n### %s\n\n", s[1])
			for _, it := range items {
				fmt.Fprintf(&b, "- %s\n", strings.TrimSpace(fmt.Sprint(it)))
			}
		}
		if len(r.Modules) > 0 {
			b.WriteString("\n### New Modules\n\n")
			for _, m := range r.Modules {
				fmt.Fprintf(&b, "- %s.%s - %s\n", cl.config.Title, m.Name, m.Description)
			}
		}
	}
	return b.String()
}

// anchor is GitHub's anchor for a heading.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// parseVersion parses MAJOR.MINOR.PATCH, the versions this collection
// releases.
func parseVersion(v string) ([3]int, error) {
	var out [3]int
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return out, fmt.Errorf("version %q is not MAJOR.MINOR.PATCH", v)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || (len(p) > 1 && p[0] == '0') {
			return out, fmt.Errorf("version %q is not MAJOR.MINOR.PATCH", v)
		}
		out[i] = n
	}
	return out, nil
}

func compareVersions(a, b string) int {
	x, _ := parseVersion(a)
	y, _ := parseVersion(b)
	return slices.Compare(x[:], y[:])
}
