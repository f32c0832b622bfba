package main

import (
	"debug/buildinfo"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// binary is one binary's size and how it was built.
type binary struct {
	Name          string
	Bytes         int64
	Platform      string // GOOS/GOARCH
	Static        bool   // CGO_ENABLED=0
	Trimpath      bool
	Stripped      bool  // no symbol table and no DWARF, as -ldflags "-s -w" builds
	LinuxAMD64    int64 // size of a linux/amd64 build: Bytes, or a cross build's
	CrossCompiled bool  // LinuxAMD64 comes from a cross build
}

// binarySizes reads our module binaries in dir and the floor binary; for a
// binary not built for linux/amd64 it also builds one, with the Makefile's
// flags, and reports that size.
func binarySizes(dir, floorPath string) ([]binary, error) {
	var out []binary
	for _, m := range modules {
		b, err := readBinary(m, filepath.Join(dir, m))
		if err != nil {
			return nil, err
		}
		if b.Platform != "linux/amd64" {
			if b.LinuxAMD64, err = crossSize("./cmd/" + m); err != nil {
				return nil, err
			}
			b.CrossCompiled = true
		}
		out = append(out, b)
	}
	b, err := readBinary("floor", floorPath)
	if err != nil {
		return nil, err
	}
	return append(out, b), nil
}

// readBinary reads a binary's size and build settings.
func readBinary(name, path string) (binary, error) {
	st, err := os.Stat(path)
	if err != nil {
		return binary{}, err
	}
	b := binary{Name: name, Bytes: st.Size(), LinuxAMD64: st.Size()}
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		return binary{}, fmt.Errorf("%s: %w", path, err)
	}
	var goos, goarch string
	for _, s := range info.Settings {
		switch s.Key {
		case "GOOS":
			goos = s.Value
		case "GOARCH":
			goarch = s.Value
		case "CGO_ENABLED":
			b.Static = s.Value == "0"
		case "-trimpath":
			b.Trimpath = s.Value == "true"
		}
	}
	b.Platform = goos + "/" + goarch
	b.Stripped = stripped(path)
	return b, nil
}

// crossSize builds pkg for linux/amd64 with the Makefile's flags and
// returns the binary's size.
func crossSize(pkg string) (int64, error) {
	dir, err := os.MkdirTemp("", "ansible-sts-size-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "module")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("linux/amd64 build of %s: %v\n%s", pkg, err, msg)
	}
	st, err := os.Stat(out)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// stripped reports whether the ELF file at path has neither a symbol table
// nor DWARF sections. (With -trimpath the build information does not
// record -ldflags.)
func stripped(path string) bool {
	f, err := elf.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	for _, sec := range f.Sections {
		if sec.Name == ".symtab" || strings.HasPrefix(sec.Name, ".debug_") || strings.HasPrefix(sec.Name, ".zdebug_") {
			return false
		}
	}
	return true
}
