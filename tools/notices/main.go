// Command notices writes the third-party notices of Go binaries: each
// module they link, as their build information names it, with its licence,
// then every licence text and NOTICE file those licences require to ship
// with the binaries. make collection runs it on the collection's binaries:
//
//	go run ./tools/notices -out binaries/THIRD-PARTY-NOTICES.txt binaries/stsgo-aws_*
//
// The modules' files come from the module cache (go list -m), the standard
// library's from the running Go's GOROOT, which must be the Go that built
// the binaries. A module whose licence is not one it knows, or that has no
// licence file, fails the run: a new dependency's licence needs a look.
package main

import (
	"debug/buildinfo"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	out := flag.String("out", "", "file to write; standard output when empty")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: notices [-out FILE] BINARY...")
		os.Exit(2)
	}
	mods, goVersion, err := linked(flag.Args())
	if err == nil {
		err = locate(mods)
	}
	var text string
	if err == nil {
		text, err = render(mods, goVersion)
	}
	if err == nil {
		if *out == "" {
			_, err = io.WriteString(os.Stdout, text)
		} else {
			err = os.WriteFile(*out, []byte(text), 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "notices:", err)
		os.Exit(1)
	}
}

// module is one module a binary links, and its legal files.
type module struct {
	Path, Version string
	Dir           string
	Licence       string // an SPDX identifier
	Files         []legalFile
}

// legalFile is a licence or NOTICE file of a module.
type legalFile struct {
	Name, Text string
	Notice     bool
}

// linked returns the modules the binaries link, the standard library
// first, and the Go version that built them, which must be one.
func linked(binaries []string) ([]*module, string, error) {
	seen := map[string]bool{}
	var mods []*module
	goVersion := ""
	for _, b := range binaries {
		info, err := buildinfo.ReadFile(b)
		if err != nil {
			return nil, "", err
		}
		if goVersion != "" && info.GoVersion != goVersion {
			return nil, "", fmt.Errorf("%s was built with %s, the others with %s", b, info.GoVersion, goVersion)
		}
		goVersion = info.GoVersion
		for _, d := range info.Deps {
			if d.Replace != nil {
				d = d.Replace
			}
			if key := d.Path + "@" + d.Version; !seen[key] {
				seen[key] = true
				mods = append(mods, &module{Path: d.Path, Version: d.Version})
			}
		}
	}
	env, err := goEnv("GOVERSION", "GOROOT")
	if err != nil {
		return nil, "", err
	}
	if goVersion != env[0] {
		return nil, "", fmt.Errorf("the binaries were built with %s and the go command is %s: its standard library's licence may differ", goVersion, env[0])
	}
	slices.SortFunc(mods, func(a, b *module) int { return strings.Compare(a.Path, b.Path) })
	std := &module{Path: "Go standard library", Version: goVersion, Dir: env[1]}
	return append([]*module{std}, mods...), goVersion, nil
}

// goEnv returns the go command's settings of these names.
func goEnv(names ...string) ([]string, error) {
	out, err := exec.Command("go", append([]string{"env"}, names...)...).Output()
	if err != nil {
		return nil, fmt.Errorf("go env: %w", err)
	}
	values := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(values) != len(names) {
		return nil, fmt.Errorf("go env %s: %q", strings.Join(names, " "), out)
	}
	return values, nil
}

// locate finds each module's folder in the module cache, then its legal
// files and licence.
func locate(mods []*module) error {
	var args []string
	for _, m := range mods {
		if m.Dir == "" {
			args = append(args, m.Path+"@"+m.Version)
		}
	}
	if len(args) > 0 {
		cmd := exec.Command("go", append([]string{"list", "-m", "-json"}, args...)...)
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("go list -m: %w", err)
		}
		dec := json.NewDecoder(strings.NewReader(string(out)))
		for dec.More() {
			var l struct{ Path, Version, Dir string }
			if err := dec.Decode(&l); err != nil {
				return err
			}
			for _, m := range mods {
				if m.Path == l.Path && m.Version == l.Version {
					m.Dir = l.Dir
				}
			}
		}
	}
	var errs []error
	for _, m := range mods {
		if err := m.read(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// read reads m's licence and NOTICE files, at the top of its folder, and
// names its licence.
func (m *module) read() error {
	if m.Dir == "" {
		return fmt.Errorf("%s %s is not in the module cache (go mod download)", m.Path, m.Version)
	}
	entries, err := os.ReadDir(m.Dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		upper := strings.ToUpper(e.Name())
		notice := strings.HasPrefix(upper, "NOTICE")
		if e.IsDir() || !(notice || strings.HasPrefix(upper, "LICENSE") || strings.HasPrefix(upper, "LICENCE") ||
			strings.HasPrefix(upper, "COPYING") || upper == "PATENTS") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(m.Dir, e.Name()))
		if err != nil {
			return err
		}
		text := string(data)
		m.Files = append(m.Files, legalFile{Name: e.Name(), Text: text, Notice: notice})
		if id := identify(text); id != "" && m.Licence == "" {
			m.Licence = id
		}
	}
	if m.Licence == "" {
		return fmt.Errorf("%s %s: no licence file this tool knows (Apache-2.0, BSD-3-Clause, MIT) in %s", m.Path, m.Version, m.Dir)
	}
	return nil
}

// identify names the licence a text is, or "".
func identify(text string) string {
	has := func(s ...string) bool {
		for _, x := range s {
			if !strings.Contains(text, x) {
				return false
			}
		}
		return true
	}
	switch {
	case has("Apache License", "Version 2.0, January 2004"):
		return "Apache-2.0"
	case has("Redistribution and use in source and binary forms", "Neither the name of"):
		return "BSD-3-Clause"
	case has("Permission is hereby granted, free of charge"):
		return "MIT"
	}
	return ""
}

// render writes the notices: the list of modules, then each distinct legal
// text once, with the modules it belongs to.
func render(mods []*module, goVersion string) (string, error) {
	var b strings.Builder
	b.WriteString("Third-party notices of the stsgo-aws binaries\n")
	b.WriteString("=============================================\n\n")
	fmt.Fprintf(&b, "The binaries in binaries/ are built with Go %s from the collection's\n", goVersion)
	b.WriteString("own Go code (Apache-2.0, LICENSES/Apache-2.0.txt) and link the modules\n")
	b.WriteString("below. The licence texts and NOTICE files those licences require follow,\n")
	b.WriteString("each once, with the modules it comes from. The standard library includes\n")
	b.WriteString("the golang.org/x packages it vendors, under its licence.\n\n")
	width := 0
	for _, m := range mods {
		width = max(width, len(m.Path))
	}
	for _, m := range mods {
		fmt.Fprintf(&b, "  %-*s  %-10s  %s\n", width, m.Path, m.Version, m.Licence)
	}
	type text struct {
		name, body string
		from       []string
	}
	var texts []*text
	for _, m := range mods {
		for _, f := range m.Files {
			i := slices.IndexFunc(texts, func(t *text) bool { return t.body == f.Text })
			if i < 0 {
				texts = append(texts, &text{name: f.Name, body: f.Text})
				i = len(texts) - 1
			}
			texts[i].from = append(texts[i].from, m.Path+" "+m.Version)
		}
	}
	for _, t := range texts {
		b.WriteString("\n" + strings.Repeat("-", 72) + "\n")
		fmt.Fprintf(&b, "%s of:\n", t.name)
		for _, f := range t.from {
			b.WriteString("  " + f + "\n")
		}
		b.WriteString("\n" + strings.TrimRight(t.body, "\n") + "\n")
	}
	return b.String(), nil
}
