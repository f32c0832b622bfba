package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// Kinds of subject.
const (
	ours      = "ours"
	reference = "reference"
	floor     = "floor"

	stdinLabel = "sts_assume_role (ours, stsgo-aws with the arguments on stdin)"
)

// group is a set of commands measured together, interleaved.
type group struct {
	Name     string // "module", "adhoc" or "playbook"
	Title    string
	Runs     int
	Subjects []*subject
	// RSSEachRound measures peak RSS after every timed round, not only
	// in the warm-up round.
	RSSEachRound bool
	err          error
}

// subject is one measured command.
type subject struct {
	Label  string // e.g. "sts_assume_role (ours)"
	Short  string // the chart's label when Label is too long
	Kind   string // ours, reference or floor
	Module string
	Argv   []string `json:"-"`
	Env    []string `json:"-"`
	// Stdin is a file to give the command as its standard input; the
	// subjects with one are not the module's main subject of their kind.
	Stdin string `json:"-"`
	// Calls is how many successful STS calls one run makes.
	Calls int             `json:"-"`
	Walls []time.Duration // wall times of the timed runs
	RSS   []int64         // peak RSS of the RSS runs, KiB
}

// groups builds the measured groups.
func groups(w *workspace, o options) []*group {
	return []*group{moduleGroup(w, o), adhocGroup(w, o), playbookGroup(w, o)}
}

// moduleGroup runs each module, ours and the reference, and the floor, on
// the module's arguments file.
func moduleGroup(w *workspace, o options) *group {
	g := &group{Name: "module", Title: "Module call: one process, arguments file to JSON result", Runs: o.runs, RSSEachRound: true}
	files := map[string]string{}
	for _, m := range modules {
		args, err := w.argsFile(m)
		if err != nil {
			g.err = err
		}
		files[m] = args
		g.Subjects = append(g.Subjects,
			&subject{Label: m + " (ours)", Kind: ours, Module: m, Calls: 1,
				Argv: []string{filepath.Join(w.bin, m), args}, Env: w.environ()},
			&subject{Label: m + " (reference)", Kind: reference, Module: m, Calls: 1,
				Argv: []string{python, filepath.Join(w.repo, "test", "compat", "testdata", "reference.py"),
					"ansible_collections.community.aws.plugins.modules." + m, args},
				Env: w.environ()})
	}
	g.Subjects = append(g.Subjects, &subject{Label: "floor", Kind: floor, Module: "sts_assume_role", Calls: 1,
		Argv: []string{w.floor, files["sts_assume_role"]}, Env: w.environ()})
	// The collection's way: the multi-call binary, the arguments on stdin.
	g.Subjects = append(g.Subjects, &subject{Label: stdinLabel, Short: "stsgo-aws, stdin", Kind: ours, Module: "sts_assume_role", Calls: 1,
		Argv: []string{filepath.Join(w.bin, "stsgo-aws"), "sts_assume_role", "-"}, Stdin: files["sts_assume_role"], Env: w.environ()})
	return g
}

// adhocGroup runs one ad-hoc ansible call with each implementation.
func adhocGroup(w *workspace, o options) *group {
	g := &group{Name: "adhoc", Title: "Ad-hoc call: ansible localhost -c local -m sts_assume_role", Runs: o.adhocRuns}
	opts, err := w.adhocArgs("sts_assume_role")
	g.err = err
	for _, kind := range []string{ours, reference} {
		name := moduleName("sts_assume_role", kind)
		g.Subjects = append(g.Subjects, &subject{
			Label: "ansible -m " + name + " (" + kind + ")", Short: "ansible, " + kind, Kind: kind, Module: "sts_assume_role", Calls: 1,
			Argv: []string{"ansible", "localhost", "-i", "localhost,", "-c", "local", "-M", w.lib, "-m", name, "-a", opts},
			Env:  w.ansibleEnviron(),
		})
	}
	return g
}

// playbookGroup runs one playbook over o.hosts local hosts with each
// implementation.
func playbookGroup(w *workspace, o options) *group {
	g := &group{Name: "playbook", Runs: o.playbookRuns,
		Title: fmt.Sprintf("Playbook: %d local hosts, forks %d, one sts_assume_role task each", o.hosts, o.forks)}
	inventory := w.path("inventory.ini")
	g.err = writeFile(inventory, fmt.Sprintf("host[01:%02d] ansible_connection=local\n", o.hosts))
	for _, kind := range []string{ours, reference} {
		name := moduleName("sts_assume_role", kind)
		book := w.path("playbook-" + kind + ".yml")
		if err := writeFile(book, playbook(w, name)); err != nil {
			g.err = err
		}
		g.Subjects = append(g.Subjects, &subject{
			Label: "ansible-playbook, " + name + " (" + kind + ")", Short: "ansible-playbook, " + kind, Kind: kind, Module: "sts_assume_role", Calls: o.hosts,
			Argv: []string{"ansible-playbook", "-i", inventory, "-f", fmt.Sprint(o.forks), "-M", w.lib, book},
			Env:  w.ansibleEnviron(),
		})
	}
	return g
}

// moduleName is the name a task uses for module: ours by file name from
// the library directory, the reference by its collection name.
func moduleName(module, kind string) string {
	if kind == reference {
		return "community.aws." + module
	}
	return module
}

// playbook is one play over all hosts with one STS task.
func playbook(w *workspace, module string) string {
	var b strings.Builder
	b.WriteString("- name: One STS call per host\n  hosts: all\n  gather_facts: false\n  tasks:\n")
	b.WriteString("    - name: Assume the role\n      " + module + ":\n")
	opts := w.taskOptions("sts_assume_role")
	opts["role_session_name"] = sessionName
	for _, k := range []string{"access_key", "secret_key", "region", "endpoint_url", "role_arn", "role_session_name"} {
		fmt.Fprintf(&b, "        %s: %q\n", k, opts[k])
	}
	return b.String()
}

// summary summarizes s's runs.
func (s *subject) summary() summary {
	return summarize(s.Walls, s.RSS)
}
