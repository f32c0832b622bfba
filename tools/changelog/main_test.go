package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCollectionChangelog checks the collection's changelog as it is
// committed: CHANGELOG.md is the rendering of changelog.yaml, and the
// version galaxy.yml gives is released there.
func TestCollectionChangelog(t *testing.T) {
	dir := filepath.Join("..", "..", "collection")
	if err := run(dir, "", "", true); err != nil {
		t.Fatal(err)
	}
	galaxy, err := os.ReadFile(filepath.Join(dir, "galaxy.yml"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^version: *(\S+)$`).FindSubmatch(galaxy)
	if m == nil {
		t.Fatal("galaxy.yml has no version")
	}
	cl, err := load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cl.changes.Releases[string(m[1])]; !ok {
		t.Errorf("changelog.yaml has no release %s, the version of galaxy.yml", m[1])
	}
}

// TestPendingFragments releases the fragments waiting in
// collection/changelogs/fragments, in a copy, so that one that would stop
// the next release (an unknown section, an entry that is not a list) fails
// now, next to the change that wrote it.
func TestPendingFragments(t *testing.T) {
	src := filepath.Join("..", "..", "collection", "changelogs")
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "changelogs"), os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	if err := run(dir, "99.0.0", "2026-01-02", false); err != nil {
		t.Fatalf("the pending fragments would not release: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "changelogs", "fragments", "*.y*ml"))
	if len(left) != 0 {
		t.Errorf("fragments left after the release: %v", left)
	}
}

// TestRelease makes two releases from fragments in a copy of the
// changelog's settings.
func TestRelease(t *testing.T) {
	dir := t.TempDir()
	changelogs := filepath.Join(dir, "changelogs")
	if err := os.MkdirAll(filepath.Join(changelogs, "fragments"), 0o755); err != nil {
		t.Fatal(err)
	}
	config, err := os.ReadFile(filepath.Join("..", "..", "collection", "changelogs", "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(changelogs, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("config.yaml", string(config))
	write("changelog.yaml", "ancestor: null\nreleases: {}\n")
	write("fragments/first.yml", "release_summary: The first.\nmajor_changes:\n  - A big one.\n")
	if err := run(dir, "1.0.0", "2026-01-02", false); err != nil {
		t.Fatal(err)
	}
	write("fragments/fix.yml", "bugfixes:\n  - sts_assume_role - a fix.\n")
	write("fragments/more.yaml", "bugfixes:\n  - sts_session_token - another.\n")
	if err := run(dir, "1.0.1", "2026-02-03", false); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(changelogs, "fragments", "*")); len(left) != 0 {
		t.Errorf("fragments left after the release: %v", left)
	}
	text, err := os.ReadFile(filepath.Join(dir, "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"- [v1.0.1](#v101)\n- [v1.0.0](#v100)\n",
		"## v1.0.1\n\nReleased 2026-02-03.\n\n### Bugfixes\n\n- sts_assume_role - a fix.\n- sts_session_token - another.\n\n## v1.0.0",
		"### Release Summary\n\nThe first.\n\n### Major Changes\n\n- A big one.\n\n### New Modules\n\n- stsgo.aws.sts_assume_role - ",
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("CHANGELOG.md lacks %q:\n%s", want, text)
		}
	}
	if strings.Count(string(text), "### New Modules") != 1 {
		t.Errorf("the modules are new in more than one release:\n%s", text)
	}

	for name, tc := range map[string]struct{ version, fragment, want string }{
		"released twice":    {"1.0.1", "bugfixes: [x]\n", "1.0.1 is already released"},
		"not semver":        {"1.1", "bugfixes: [x]\n", `version "1.1" is not MAJOR.MINOR.PATCH`},
		"unknown section":   {"1.1.0", "fixes: [x]\n", `unknown section "fixes"`},
		"section not list":  {"1.1.0", "bugfixes: x\n", "bugfixes must be a list"},
		"nothing to do":     {"1.1.0", "", "nothing to release"},
		"summary not text":  {"1.1.0", "release_summary: [x]\n", "release_summary must be one string"},
		"broken YAML":       {"1.1.0", "bugfixes: [x\n", "fragments/bad.yml"},
		"leading zero part": {"1.01.0", "bugfixes: [x]\n", "is not MAJOR.MINOR.PATCH"},
	} {
		t.Run(name, func(t *testing.T) {
			os.Remove(filepath.Join(changelogs, "fragments", "bad.yml"))
			if tc.fragment != "" {
				write("fragments/bad.yml", tc.fragment)
			}
			err := run(dir, tc.version, "2026-03-04", false)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one with %q", err, tc.want)
			}
		})
	}
}
