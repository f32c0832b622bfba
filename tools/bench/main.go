// Command bench measures the modules against the Python reference modules
// and against a floor program, on one machine in one run: whole-process
// wall time and peak RSS of a module call, of an ad-hoc ansible call and of
// a playbook over many local hosts, plus the binaries' sizes. Each group's
// commands run interleaved, round-robin, against a loopback STS server
// started in this process. It prints the goals, tables and ratios, and
// with -out writes BENCHMARKS.md, the chart benchmarks.svg and the raw
// figures benchmarks.json there. Run it from the repository root after
// make build:
//
//	go run ./tools/bench -out docs
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "bin", "directory of the module binaries (make build)")
	flag.StringVar(&o.out, "out", "", "directory for BENCHMARKS.md, benchmarks.svg and benchmarks.json; empty writes nothing")
	flag.IntVar(&o.runs, "runs", 31, "timed runs of each module call (at least 9)")
	flag.IntVar(&o.adhocRuns, "adhoc-runs", 9, "timed runs of each ad-hoc ansible call")
	flag.IntVar(&o.playbookRuns, "playbook-runs", 3, "timed runs of each playbook")
	flag.IntVar(&o.hosts, "hosts", 50, "local hosts in the playbook's inventory")
	flag.IntVar(&o.forks, "forks", 10, "ansible-playbook forks")
	flag.StringVar(&o.groups, "groups", "module,adhoc,playbook,ssh", "groups to run, comma-separated")
	flag.IntVar(&o.sshRuns, "ssh-runs", 3, "timed runs of each playbook over SSH")
	sshHosts := flag.String("ssh-hosts", "10,50", "fleet sizes over SSH, comma-separated")
	flag.StringVar(&o.replot, "replot", "", "measure nothing: rewrite the report in -out from this benchmarks.json")
	flag.Parse()
	for _, f := range strings.Split(*sshHosts, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 250 {
			fmt.Fprintf(os.Stderr, "bench: -ssh-hosts: %q is not a fleet size from 1 to 250\n", f)
			os.Exit(2)
		}
		o.sshHosts = append(o.sshHosts, n)
	}
	o.command = "go run ./tools/bench " + strings.Join(os.Args[1:], " ")
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// options are the command-line settings.
type options struct {
	bin, out, groups string
	replot           string
	runs, adhocRuns  int
	playbookRuns     int
	hosts, forks     int
	sshRuns          int
	sshHosts         []int
	command          string
}

// wants reports whether -groups names group.
func (o options) wants(group string) bool {
	for _, g := range strings.Split(o.groups, ",") {
		if strings.TrimSpace(g) == group {
			return true
		}
	}
	return false
}

// run measures the groups -groups names (or replots saved figures) and
// writes the report.
func run(o options) error {
	if o.replot != "" {
		rep, err := readReport(o.replot)
		if err != nil {
			return err
		}
		fmt.Print(rep.text())
		if o.out == "" {
			return nil
		}
		return rep.write(o.out)
	}
	if o.wants("module") && o.runs < 9 {
		return fmt.Errorf("-runs must be at least 9, not %d", o.runs)
	}
	started := time.Now()
	w, err := newWorkspace(o)
	if err != nil {
		return err
	}
	defer w.close()

	rep := &report{Date: started, Command: o.command, Machine: describeMachine(w), GNUTime: w.gnuTime}
	if rep.Sizes, err = binarySizes(o.bin, w.floor); err != nil {
		return err
	}
	for _, g := range groups(w, o) {
		if !o.wants(g.Name) {
			continue
		}
		fmt.Fprintf(os.Stderr, "%s: %d subjects × %d runs, round-robin\n", g.Name, len(g.Subjects), g.Runs)
		if err := w.measure(g); err != nil {
			return err
		}
		rep.Groups = append(rep.Groups, g)
	}
	if o.wants("ssh") {
		if rep.SSH, err = w.sshBench(o); err != nil {
			return err
		}
	}
	rep.Elapsed = time.Since(started)
	rep.Machine.LoadAtEnd = loadAverage()
	fmt.Print(rep.text())
	if o.out == "" {
		return nil
	}
	return rep.write(o.out)
}
