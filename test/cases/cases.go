// Package cases reads the module cases: one txtar file per case in
// testdata, each a module run from its arguments to its expected result.
// The end-to-end tests (test/e2e) run every case through our binaries and
// compare with the result the case expects; the differential test
// (test/compat) runs the cases that name the reference through our binary
// and the Python module alike.
//
// A case file starts with its header, "key: value" lines up to the first
// blank line, then prose that opens with one sentence on what the case
// checks and why that matters (TestCorpus holds every case to it):
//
//	module: sts_assume_role | sts_session_token (required)
//	check: true             the task runs in check mode
//	server: NAME            a scenario of Scenarios, set up on the server
//	args: raw               the args section is the arguments file itself,
//	                        without the _ansible_* keys ansible-core adds
//	reference: same         the Python module gives the same result
//	reference: differs: WHY it differs on purpose, and why
//	reference SUITE: same | differs: WHY
//	                        the same for the reference of one test
//	                        environment (test/roots: bookworm, trixie,
//	                        forky), where it is not what reference says
//
// A case without a reference line is not run through the Python module:
// it exercises what only our binaries have (their arguments file reader,
// their result goldens). Its sections:
//
//	args.json    the task's options, a JSON object (with args: raw, the
//	             arguments file; its last newline is the file's)
//	args.quoted  instead of args.json, the arguments file as a Go string
//	             literal, for bytes a text file cannot hold
//	env          KEY=VALUE lines, set on top of the isolated environment
//	credentials, config, boto
//	             the shared credentials file, the shared config file and
//	             ~/.boto of the isolated home
//	want.json    our result: exit status, the normalised result and the
//	             requests the server received (go test ./test/e2e -update
//	             rewrites it)
//
// In args, env and the files, $URL is the server's URL, $CLOSED a URL
// nothing listens on, $HOME the isolated home, and $TEMP_KEY, $TEMP_SECRET
// and $TEMP_TOKEN session credentials the server issued to alice.
package cases

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/txtar"
)

// Dir returns the directory of the case files, found from the working
// directory (a package's, under go test) up to the module's root.
func Dir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "testdata", "cases"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// LoadAll reads every case file of Dir.
func LoadAll() ([]*Case, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	return Load(dir)
}

// A Case is one case file.
type Case struct {
	Name   string // the file's name without .txtar
	Path   string
	Module string
	Check  bool
	Server string // a key of Scenarios, "" for none
	Raw    bool   // Args is the whole arguments file
	// Reference is "" when the Python module does not run the case,
	// "same" when it must give the same outcome, otherwise the reason it
	// differs.
	Reference string
	// ReferenceOn holds the reference lines of single environments,
	// by suite, as Reference holds the one for every environment.
	ReferenceOn map[string]string
	Args        []byte
	Env         []string          // KEY=VALUE
	Files       map[string]string // "credentials", "config", "boto" → content
	Want        []byte            // want.json, nil when missing
	// About is the prose after the header, its lines joined by spaces:
	// a sentence on what the case checks and why it matters, first.
	About string

	archive *txtar.Archive
}

// Differs reports whether the case says our outcome differs from the
// Python module's on purpose.
func (c *Case) Differs() bool { return c.Reference != "" && c.Reference != "same" }

// ReferenceFor is Reference for the Python module of the environment of
// suite: its own line where it has one.
func (c *Case) ReferenceFor(suite string) string {
	if r, ok := c.ReferenceOn[suite]; ok {
		return r
	}
	return c.Reference
}

// DiffersOn is Differs for the Python module of the environment of suite.
func (c *Case) DiffersOn(suite string) bool {
	r := c.ReferenceFor(suite)
	return r != "" && r != "same"
}

// homeFiles are the sections that become files of the isolated home.
var homeFiles = []string{"credentials", "config", "boto"}

// Load reads every case file of dir, sorted by name.
func Load(dir string) ([]*Case, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.txtar"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no case files in %s", dir)
	}
	var out []*Case
	for _, p := range paths {
		c, err := Read(p)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Read reads one case file.
func Read(path string) (*Case, error) {
	a, err := txtar.ParseFile(path)
	if err != nil {
		return nil, err
	}
	c := &Case{Name: strings.TrimSuffix(filepath.Base(path), ".txtar"), Path: path, Files: map[string]string{}, archive: a}
	if err := c.header(a.Comment); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	seen := map[string]bool{}
	for _, f := range a.Files {
		if seen[f.Name] {
			return nil, fmt.Errorf("%s: two %s sections", path, f.Name)
		}
		seen[f.Name] = true
		switch {
		case f.Name == "args.json":
			c.Args = f.Data
		case f.Name == "args.quoted":
			s, err := strconv.Unquote(strings.TrimSuffix(string(f.Data), "\n"))
			if err != nil {
				return nil, fmt.Errorf("%s: args.quoted: %v", path, err)
			}
			c.Args = []byte(s)
		case f.Name == "env":
			for _, line := range strings.Split(strings.TrimSuffix(string(f.Data), "\n"), "\n") {
				if !strings.Contains(line, "=") {
					return nil, fmt.Errorf("%s: env: %q is not KEY=VALUE", path, line)
				}
				c.Env = append(c.Env, line)
			}
		case slices.Contains(homeFiles, f.Name):
			c.Files[f.Name] = string(f.Data)
		case f.Name == "want.json":
			c.Want = f.Data
		default:
			return nil, fmt.Errorf("%s: unknown section %q", path, f.Name)
		}
	}
	if seen["args.json"] && seen["args.quoted"] {
		return nil, fmt.Errorf("%s: args.json and args.quoted: give one", path)
	}
	if c.Args == nil {
		return nil, fmt.Errorf("%s: no args.json section", path)
	}
	return c, nil
}

// header reads the header lines of comment.
func (c *Case) header(comment []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(comment))
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			var prose []string
			for sc.Scan() {
				prose = append(prose, sc.Text())
			}
			c.About = strings.Join(strings.Fields(strings.Join(prose, " ")), " ")
			break
		}
		key, value, ok := strings.Cut(line, ": ")
		if !ok {
			return fmt.Errorf("header line %q is not key: value", line)
		}
		switch key {
		case "module":
			c.Module = value
		case "check":
			c.Check = value == "true"
			if value != "true" && value != "false" {
				return fmt.Errorf("check: %q is not true or false", value)
			}
		case "server":
			if _, ok := Scenarios[value]; !ok {
				return fmt.Errorf("server: unknown scenario %q", value)
			}
			c.Server = value
		case "args":
			if value != "raw" {
				return fmt.Errorf("args: %q is not raw", value)
			}
			c.Raw = true
		case "reference":
			r, err := parseReference(key, value)
			if err != nil {
				return err
			}
			c.Reference = r
		default:
			suite, ok := strings.CutPrefix(key, "reference ")
			if ok && suite != "" && !strings.Contains(suite, " ") {
				r, err := parseReference(key, value)
				if err != nil {
					return err
				}
				if c.ReferenceOn == nil {
					c.ReferenceOn = map[string]string{}
				}
				c.ReferenceOn[suite] = r
				continue
			}
			return fmt.Errorf("unknown header key %q", key)
		}
	}
	if c.Module != "sts_assume_role" && c.Module != "sts_session_token" {
		return fmt.Errorf("module: %q is not sts_assume_role or sts_session_token", c.Module)
	}
	if c.Raw && c.Reference != "" {
		return fmt.Errorf("a raw arguments file is not run through the Python module")
	}
	if c.Reference == "" && len(c.ReferenceOn) > 0 {
		return fmt.Errorf("a reference line for one environment needs a reference line for all")
	}
	return nil
}

// parseReference reads the value of the reference line key: "same", or
// the reason after "differs: ".
func parseReference(key, value string) (string, error) {
	why, differs := strings.CutPrefix(value, "differs: ")
	if value == "same" {
		return "same", nil
	}
	if !differs || why == "" {
		return "", fmt.Errorf("%s: %q is neither same nor differs: WHY", key, value)
	}
	return why, nil
}

// SetWant replaces the case's want.json section, in memory and in its file.
func (c *Case) SetWant(want []byte) error {
	c.Want = want
	i := slices.IndexFunc(c.archive.Files, func(f txtar.File) bool { return f.Name == "want.json" })
	if i < 0 {
		c.archive.Files = append(c.archive.Files, txtar.File{Name: "want.json"})
		i = len(c.archive.Files) - 1
	}
	c.archive.Files[i].Data = want
	return os.WriteFile(c.Path, txtar.Format(c.archive), 0o644)
}
