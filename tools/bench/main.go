// Command bench measures the modules against the Python reference modules
// and against a floor program, on one machine in one run: whole-process
// wall time and peak RSS of a module call, of an ad-hoc ansible call and of
// a playbook over many local hosts; wall time, CPU and traffic of plays
// over SSH, driven by this machine's ansible-core and by a Debian root's
// (test/roots); and the binaries' sizes. Each group's commands run interleaved, round-robin,
// against a loopback STS server started in this process. It prints the
// goals, tables and ratios, and with -out writes BENCHMARKS.md, the chart
// benchmarks.svg and the raw figures benchmarks.json there. Run it from the
// repository root after make build (and make roots, for the SSH group):
//
//	go run ./tools/bench -out docs
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"ansible-sts/test/roots"
	"ansible-sts/test/testenv"
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
	flag.IntVar(&o.sshRawRuns, "ssh-raw-runs", 21, "timed runs of each play of warm tasks and of raw: true tasks, 1 host on loopback")
	sshHosts := flag.String("ssh-hosts", "10,50", "fleet sizes over SSH on loopback, comma-separated")
	sshShaped := flag.String("ssh-shaped-hosts", "1,10", "fleet sizes over the shaped SSH links, comma-separated")
	sshLinks := flag.String("ssh-links", "loopback,100mbit/10ms,20mbit/10ms", "SSH links: loopback, or RATE/RTT shaped in a network namespace")
	// This machine's ansible-core is the oldest supported; the roots'
	// are what users run today. A root's plays get fewer cases, so the
	// default run stays under an hour: no 50-host fleet, and no 20 Mbit/s
	// link.
	sshControllers := flag.String("ssh-controllers", roots.HostEnvironment().Suite+",trixie",
		"ansible-cores to run the SSH plays on: this machine's codename, or suites make roots built")
	sshRootHosts := flag.String("ssh-root-hosts", "10", "fleet sizes over SSH on loopback, on a root's ansible-core")
	sshRootShaped := flag.String("ssh-root-shaped-hosts", "1,10", "fleet sizes over the shaped SSH links, on a root's ansible-core")
	sshRootLinks := flag.String("ssh-root-links", "loopback,100mbit/10ms", "SSH links on a root's ansible-core")
	flag.StringVar(&o.replot, "replot", "", "measure nothing: rewrite the report in -out from this benchmarks.json")
	flag.Parse()
	var errs [6]error
	o.sshHosts, errs[0] = fleetSizes(*sshHosts)
	o.sshShapedHosts, errs[1] = fleetSizes(*sshShaped)
	o.sshLinks, errs[2] = links(*sshLinks)
	o.sshRootHosts, errs[3] = fleetSizes(*sshRootHosts)
	o.sshRootShapedHosts, errs[4] = fleetSizes(*sshRootShaped)
	o.sshRootLinks, errs[5] = links(*sshRootLinks)
	o.sshControllers = list(*sshControllers)
	if err := errors.Join(errs[:]...); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
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
	sshRawRuns       int
	sshHosts         []int
	sshShapedHosts   []int
	sshLinks         []testenv.Link
	// sshControllers name the ansible-cores of the SSH group (test/roots
	// suites); a root's runs the sshRoot* cases, this machine's the others.
	sshControllers     []string
	sshRootHosts       []int
	sshRootShapedHosts []int
	sshRootLinks       []testenv.Link
	command            string
}

// list splits a comma-separated list, dropping empty items.
func list(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// fleetSizes parses a comma-separated list of fleet sizes.
func fleetSizes(list string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 250 {
			return nil, fmt.Errorf("%q is not a fleet size from 1 to 250", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// links parses a comma-separated list of SSH links: "loopback", or
// RATE/RTT such as 100mbit/10ms.
func links(list string) ([]testenv.Link, error) {
	var out []testenv.Link
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "loopback" {
			out = append(out, testenv.Link{})
			continue
		}
		rate, rtt, ok := strings.Cut(f, "/")
		d, err := time.ParseDuration(rtt)
		if !ok || err != nil || rate == "" {
			return nil, fmt.Errorf("link %q: want loopback or RATE/RTT, e.g. 100mbit/10ms", f)
		}
		out = append(out, testenv.Link{Rate: rate, RTT: d})
	}
	return out, nil
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
		if rep.Controllers, rep.SSH, rep.SSHRaw, err = w.sshBench(o); err != nil {
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
