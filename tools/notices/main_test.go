package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestIdentify(t *testing.T) {
	env, err := goEnv("GOROOT")
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		filepath.Join(env[0], "LICENSE"):                              "BSD-3-Clause",
		filepath.Join("..", "..", "LICENSES", "Apache-2.0.txt"):       "Apache-2.0",
		filepath.Join("..", "..", "LICENSES", "GPL-3.0-or-later.txt"): "",
	} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if got := identify(string(data)); got != want {
			t.Errorf("%s: %q, want %q", file, got, want)
		}
	}
	if got := identify("Permission is hereby granted, free of charge, to any person"); got != "MIT" {
		t.Errorf("MIT: %q", got)
	}
}

// TestModuleWithoutLicence checks that a module with no licence file the
// tool knows fails the run, naming it.
func TestModuleWithoutLicence(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "LICENSE"), []byte("All rights reserved.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m := &module{Path: "example.com/closed", Version: "v1.0.0", Dir: dir}
	if err := m.read(); err == nil || !strings.Contains(err.Error(), "example.com/closed v1.0.0: no licence file") {
		t.Errorf("read: %v", err)
	}
}

// TestNotices runs the tool on its own test binary, which links the
// standard library only.
func TestNotices(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	mods, goVersion, err := linked([]string{self})
	if err == nil {
		err = locate(mods)
	}
	if err != nil {
		t.Fatal(err)
	}
	text, err := render(mods, goVersion)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"  Go standard library  " + runtime.Version() + "  ", "BSD-3-Clause\n",
		"LICENSE of:\n  Go standard library " + runtime.Version() + "\n\nCopyright 2009 The Go Authors.", "PATENTS of:"} {
		if !strings.Contains(text, want) {
			t.Errorf("notices lack %q:\n%s", want, text)
		}
	}
}
