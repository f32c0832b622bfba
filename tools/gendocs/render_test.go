package main

import (
	"strings"
	"testing"

	"ansible-sts/internal/modules"

	"gopkg.in/yaml.v2"
)

// TestFold checks that a folded scalar reads back as the same string, and
// that lines stay within width where a lone space allows a break.
func TestFold(t *testing.T) {
	for _, tc := range []struct {
		s    string
		fits bool // every line can be within width
	}{
		{"short", true},
		{strings.Repeat("word ", 60), true},
		{"two  spaces " + strings.Repeat("x", 95) + "  and more " + strings.Repeat("y ", 50), false},
		{"quotes \" and \\ backslashes " + strings.Repeat("and \"more\" ", 20), true},
		{strings.Repeat("z", 150), false},
	} {
		var b strings.Builder
		writeYAML(&b, ymap{{"key", []string{tc.s}}, {"one", tc.s}}, 1)
		var got struct {
			Key []string
			One string
		}
		if err := yaml.Unmarshal([]byte(b.String()), &got); err != nil {
			t.Fatalf("%v:\n%s", err, b.String())
		}
		if len(got.Key) != 1 || got.Key[0] != tc.s || got.One != tc.s {
			t.Errorf("folded %q reads back as %q and %q:\n%s", tc.s, got.Key, got.One, b.String())
		}
		for _, line := range strings.Split(b.String(), "\n") {
			if tc.fits && len(line) > width {
				t.Errorf("line of %d columns: %q", len(line), line)
			}
		}
	}
}

// TestStub checks what the collection's stubs add to the modules' docs.
func TestStub(t *testing.T) {
	for _, m := range modules.All {
		stub, sidecar := renderStub(m, "1.2.3"), render(m)
		for _, want := range []string{
			"# SPDX-License-Identifier: GPL-3.0-or-later\n",
			"\nversion_added: \"1.2.3\"\n",
			"\n  - \"" + modules.Author + "\"\n",
			"\n  platform:\n", "\n      - \"stsgo.aws.aws\"\n",
			"\n  stsgo.aws." + m.Name + ":\n",
			"~/.ansible/stsgo",
		} {
			if !strings.Contains(stub, want) {
				t.Errorf("%s's stub lacks %q", m.Name, want)
			}
		}
		if strings.Contains(stub, "\n  "+m.Name+":\n") {
			t.Errorf("%s's stub examples call the module by its short name", m.Name)
		}
		if !strings.Contains(sidecar, "\n    "+m.Name+":\n") || strings.Contains(sidecar, "stsgo.aws.") {
			t.Errorf("%s's library/ docs should call it by its short name:\n%s", m.Name, sidecar)
		}
		for _, line := range strings.Split(stub, "\n") {
			if len(line) > 160 {
				t.Errorf("%s's stub has a line of %d characters: %q", m.Name, len(line), line)
			}
		}
	}
}
