package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"ansible-sts/test/testenv"
)

// The SSH group runs playbooks over a real sshd on loopback, the way fleets
// run: ansible-core's default ssh_args (-C, ControlMaster=auto,
// ControlPersist=60s), one ssh master per host (each host has its own
// loopback address and user), forks 10. Each run starts with no master.
// Per run it records the wall time, the controller's CPU (ansible-playbook,
// its workers and the ssh masters) and the hosts' CPU (sshd and its
// sessions), each counted by a cgroup of its own, and, per host, the bytes
// each way and the round trips, counted by a TCP proxy in front of each
// host.

// sshSubjects are the ways a task reaches the host, in the order measured.
var sshSubjects = []string{"reference", "ours, library/", "ours, collection, cold cache", "ours, collection, warm cache"}

// The floor's case puts a warm task against the least a task can do on
// the host: a play of rawTasks tasks on one host on loopback, each task
// followed by an assert on its result, once with the collection's module
// and a warm cache and once with raw: true, in the order of rawSubjects.
const (
	warmSubject = "ours, collection, warm cache"
	rawSubject  = "raw: true"
	rawTasks    = 10
	rawHosts    = 1
)

var rawSubjects = []string{warmSubject, rawSubject}

// sessionName is each task's role_session_name: a template, as a fleet's
// plays have, so each host's sessions are told apart. rawCommand passes
// the same template to true, which ignores it, so that the floor's two
// plays have ansible-core template the same string for each task.
const (
	sessionName = "bench-{{ inventory_hostname }}"
	rawCommand  = "true " + sessionName
)

// sshCase is one controller, link, fleet size and play length, with each
// subject's runs.
type sshCase struct {
	// Controller is the controller's Suite; figures saved before there
	// was more than one controller have none (readReport fills it in).
	Controller   string
	Link         string
	Hosts, Tasks int
	// Asserted plays follow each task with an assert on its result.
	Asserted bool `json:",omitempty"`
	Subjects map[string][]sshRun
}

// sshRun is one ansible-playbook run.
type sshRun struct {
	Wall, ControllerCPU, HostCPU time.Duration
	Up, Down, Turns              int64 // all hosts together
}

// benchT runs the test harness outside go test: a failure panics, cleanups
// run at close.
type benchT struct {
	dir      string
	cleanups []func()
}

type benchFailure string

func (b *benchT) Helper()           {}
func (b *benchT) Fatal(args ...any) { panic(benchFailure(fmt.Sprint(args...))) }
func (b *benchT) Fatalf(format string, args ...any) {
	panic(benchFailure(fmt.Sprintf(format, args...)))
}
func (b *benchT) Skip(args ...any)                 { b.Fatal(args...) }
func (b *benchT) Skipf(format string, args ...any) { b.Fatalf(format, args...) }
func (b *benchT) Cleanup(f func())                 { b.cleanups = append(b.cleanups, f) }
func (b *benchT) TempDir() string {
	d, err := os.MkdirTemp(b.dir, "t")
	if err != nil {
		b.Fatal(err)
	}
	return d
}
func (b *benchT) close() {
	for i := len(b.cleanups) - 1; i >= 0; i-- {
		b.cleanups[i]()
	}
}

// sshPlan is what one controller runs: links, and the fleet sizes on
// loopback and on the shaped links.
type sshPlan struct {
	links         []testenv.Link
	hosts, shaped []int
}

// sizes are the plan's fleet sizes on link, none when it does not use it.
func (p sshPlan) sizes(link testenv.Link) []int {
	for _, l := range p.links {
		if l.String() == link.String() {
			if l.Rate != "" {
				return p.shaped
			}
			return p.hosts
		}
	}
	return nil
}

// sshBench measures, on each controller, every case of its plan: each
// fleet size on each link, with plays of 1 and 3 tasks; and, when its plan
// has loopback, the floor's case there (raws). The controllers share one
// sshd per link, started for the largest fleet on it, and run one after
// the other: a case's subjects are interleaved, and its ratios are taken
// within it.
func (w *workspace) sshBench(o options) (controllers []*sshController, cases, raws []*sshCase, err error) {
	t := &benchT{dir: w.dir}
	defer t.close()
	defer func() {
		if p := recover(); p != nil {
			f, ok := p.(benchFailure)
			if !ok {
				panic(p)
			}
			err = fmt.Errorf("ssh: %s", string(f))
		}
	}()
	// ssh masters detach from ansible-playbook; as a subreaper this
	// process reaps them, so that none is left a zombie. Their CPU is
	// counted by the controller's cgroup, whoever reaps them.
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, 36 /* PR_SET_CHILD_SUBREAPER */, 1, 0); e != 0 {
		return nil, nil, nil, fmt.Errorf("prctl(PR_SET_CHILD_SUBREAPER): %v", e)
	}
	if controllers, err = openControllers(o.sshControllers); err != nil {
		return nil, nil, nil, err
	}
	tarball, err := w.buildCollection()
	if err != nil {
		return nil, nil, nil, err
	}
	plans := map[*sshController]sshPlan{}
	var links []testenv.Link
	for _, c := range controllers {
		if err := w.installCollection(c, tarball); err != nil {
			return nil, nil, nil, err
		}
		p := sshPlan{o.sshLinks, o.sshHosts, o.sshShapedHosts}
		if !c.host() {
			p = sshPlan{o.sshRootLinks, o.sshRootHosts, o.sshRootShapedHosts}
		}
		plans[c] = p
		for _, l := range p.links {
			if !slices.ContainsFunc(links, func(m testenv.Link) bool { return m.String() == l.String() }) {
				links = append(links, l)
			}
		}
	}
	// ssh's socket paths are short: the masters' directory is too.
	controlDir, err := os.MkdirTemp("", "cp")
	if err != nil {
		return nil, nil, nil, err
	}
	defer os.RemoveAll(controlDir)
	controllerCPU, err := newCPUGroup("controller")
	if err != nil {
		return nil, nil, nil, err
	}
	defer controllerCPU.close()
	for i, link := range links {
		maxHosts := 0
		for _, c := range controllers {
			for _, n := range plans[c].sizes(link) {
				maxHosts = max(maxHosts, n)
			}
		}
		sshd := testenv.StartSSHDOver(t, link, maxHosts, "AWS_EC2_METADATA_DISABLED=true")
		var users []testenv.SSHUser
		for range maxHosts {
			users = append(users, sshd.AddUser(t, "stsgob"))
		}
		f := &sshFleet{sshd: sshd, users: users, controlDir: controlDir, controllerCPU: controllerCPU,
			endpoint: "http://" + sshd.Reach(t, strings.TrimPrefix(w.srv.URL, "http://"))}
		if f.hostCPU, err = newCPUGroup(fmt.Sprintf("hosts-%d", i)); err != nil {
			return nil, nil, nil, err
		}
		t.Cleanup(f.hostCPU.close)
		if err := f.hostCPU.add(sshd.Pid()); err != nil {
			return nil, nil, nil, fmt.Errorf("cannot count the hosts' CPU: %v", err)
		}
		for _, c := range controllers {
			for _, n := range plans[c].sizes(link) {
				for _, tasks := range []int{1, 3} {
					sc := &sshCase{Controller: c.Suite, Link: link.String(), Hosts: n, Tasks: tasks, Subjects: map[string][]sshRun{}}
					if err := w.runCase(c, f, sc, sshSubjects, o.sshRuns, o.forks); err != nil {
						return nil, nil, nil, err
					}
					cases = append(cases, sc)
				}
			}
			if link.Rate != "" || len(plans[c].sizes(link)) == 0 {
				continue
			}
			sc := &sshCase{Controller: c.Suite, Link: link.String(), Hosts: rawHosts, Tasks: rawTasks, Asserted: true, Subjects: map[string][]sshRun{}}
			if err := w.runCase(c, f, sc, rawSubjects, o.sshRawRuns, o.forks); err != nil {
				return nil, nil, nil, err
			}
			raws = append(raws, sc)
		}
	}
	return controllers, cases, raws, nil
}

// sshFleet is one link's managed hosts: sshd, a user per host, and where
// the controller's ssh masters keep their sockets.
type sshFleet struct {
	sshd       *testenv.SSHD
	users      []testenv.SSHUser
	endpoint   string // the STS server, as the hosts reach it
	controlDir string
	// controllerCPU counts ansible-playbook and every process it starts,
	// the ssh masters among them; hostCPU counts sshd and its sessions.
	controllerCPU, hostCPU *cpuGroup
}

// cpu returns the CPU time the controller's and the hosts' cgroups have
// counted so far.
func (f *sshFleet) cpu() (controller, host time.Duration, err error) {
	if controller, err = f.controllerCPU.usage(); err != nil {
		return 0, 0, err
	}
	host, err = f.hostCPU.usage()
	return controller, host, err
}

// runCase runs subjects round-robin on controller c, runs times each after
// one warm-up round, into sc.
func (w *workspace) runCase(c *sshController, f *sshFleet, sc *sshCase, subjects []string, runs, forks int) error {
	inventory := w.path(fmt.Sprintf("ssh-%d.ini", sc.Hosts))
	var inv strings.Builder
	inv.WriteString("[fleet]\n")
	for i := 0; i < sc.Hosts; i++ {
		fmt.Fprintf(&inv, "h%02d ansible_host=%s ansible_user=%s\n", i+1, f.sshd.Addrs[i], f.users[i].Name)
	}
	fmt.Fprintf(&inv, "[fleet:vars]\nansible_port=%d\nansible_ssh_private_key_file=%s\n"+
		"ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'\n", f.sshd.Port, f.sshd.Key)
	if err := writeFile(inventory, inv.String()); err != nil {
		return err
	}
	shape := ""
	if sc.Asserted {
		shape = ", each followed by an assert"
	}
	fmt.Fprintf(os.Stderr, "ssh, %s, %s: %d hosts, %d task(s)%s: %d subjects × %d runs, round-robin\n",
		c.title(), sc.Link, sc.Hosts, sc.Tasks, shape, len(subjects), runs)
	for round := -1; round < runs; round++ { // round -1 warms up
		for _, kind := range subjects {
			if kind == "ours, collection, cold cache" {
				for _, u := range f.users[:sc.Hosts] {
					os.RemoveAll(filepath.Join(u.Home, ".ansible", "stsgo"))
				}
			}
			r, out, err := w.sshRun(c, f, kind, inventory, sc, forks)
			if err != nil {
				return fmt.Errorf("%s, %s, %d hosts, %d tasks, %s: %w", c.title(), sc.Link, sc.Hosts, sc.Tasks, kind, err)
			}
			c.noteWarnings(kind, out)
			if round >= 0 {
				sc.Subjects[kind] = append(sc.Subjects[kind], r)
			}
		}
		fmt.Fprint(os.Stderr, ".")
	}
	fmt.Fprintln(os.Stderr)
	return nil
}

// sshRun runs the play of kind in sc's shape once on controller c and
// measures it; it also returns the play's output. On a root, the workspace
// (playbooks, inventory, library/, collections, HOME), the ssh key and the
// masters' directory are bound in at the same paths.
func (w *workspace) sshRun(c *sshController, f *sshFleet, kind, inventory string, sc *sshCase, forks int) (sshRun, []byte, error) {
	hosts, tasks := sc.Hosts, sc.Tasks
	name := fmt.Sprintf("ssh-%s-%s-%d", c.Suite, strings.NewReplacer(" ", "", ",", "-", "/", "", ":", "").Replace(kind), tasks)
	if sc.Asserted {
		name += "-asserted"
	}
	book := w.path(name + ".yml")
	if err := writeFile(book, w.sshPlaybook(c, kind, f.endpoint, tasks, sc.Asserted)); err != nil {
		return sshRun{}, nil, err
	}
	env := append(w.ansibleEnviron(),
		"ANSIBLE_COLLECTIONS_PATH="+c.collections,
		"ANSIBLE_LIBRARY="+w.lib,
		"ANSIBLE_SSH_CONTROL_PATH_DIR="+f.controlDir,
		"ANSIBLE_HOST_KEY_CHECKING=False",
		"ANSIBLE_REMOTE_TEMP=~/.ansible/tmp",
	)
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	binds := []string{w.dir, f.controlDir, filepath.Dir(f.sshd.Key)}
	cmd := c.command(ctx, binds, env, w.dir, "ansible-playbook", "-i", inventory, "-f", strconv.Itoa(forks), book)
	w.srv.Reset()
	before := counters(f.sshd, hosts)
	f.controllerCPU.wrap(cmd)
	controller0, host0, err := f.cpu()
	if err != nil {
		return sshRun{}, nil, err
	}
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if err != nil {
		return sshRun{}, out, fmt.Errorf("%v\n%s", err, out)
	}
	closeMasters(f.controlDir)
	f.controllerCPU.settle()
	f.hostCPU.settle(f.sshd.Pid())
	after := counters(f.sshd, hosts)
	controller1, host1, err := f.cpu()
	if err != nil {
		return sshRun{}, out, err
	}
	calls := hosts * tasks
	if kind == rawSubject {
		calls = 0
	}
	if err := w.checkCalls(&subject{Calls: calls}); err != nil {
		return sshRun{}, out, fmt.Errorf("%v\n%s", err, out)
	}
	return sshRun{Wall: wall, ControllerCPU: controller1 - controller0, HostCPU: host1 - host0,
		Up: after[0] - before[0], Down: after[1] - before[1], Turns: after[2] - before[2]}, out, nil
}

// sshPlaybook is one play over every host with tasks sts_assume_role
// tasks: the reference's options are the same on both collections. The
// floor's subject runs raw: true instead. Asserted, each task registers
// its result and an assert task that needs it follows.
func (w *workspace) sshPlaybook(c *sshController, kind, endpoint string, tasks int, asserted bool) string {
	module := "sts_assume_role"
	switch {
	case kind == "reference":
		module = c.Reference
	case strings.Contains(kind, "collection"):
		module = "stsgo.aws.sts_assume_role"
	}
	var b strings.Builder
	b.WriteString("- name: STS calls over SSH\n  hosts: all\n  gather_facts: false\n  tasks:\n")
	opts := w.taskOptions("sts_assume_role")
	opts["role_session_name"] = sessionName
	opts["endpoint_url"] = endpoint
	for i := 0; i < tasks; i++ {
		if kind == rawSubject {
			fmt.Fprintf(&b, "    - name: Run true (%d)\n      ansible.builtin.raw: %q\n", i+1, rawCommand)
		} else {
			fmt.Fprintf(&b, "    - name: Assume the role (%d)\n      %s:\n", i+1, module)
			for _, k := range []string{"access_key", "secret_key", "region", "endpoint_url", "role_arn", "role_session_name"} {
				fmt.Fprintf(&b, "        %s: %q\n", k, opts[k])
			}
		}
		if asserted {
			fmt.Fprintf(&b, "      register: result\n    - name: Check the result (%d)\n      ansible.builtin.assert:\n"+
				"        that: [result is not failed]\n        quiet: true\n", i+1)
		}
	}
	return b.String()
}

// counters adds up the first hosts' traffic: bytes up, down, round trips.
func counters(sshd *testenv.SSHD, hosts int) [3]int64 {
	var c [3]int64
	for _, addr := range sshd.Addrs[:hosts] {
		up, down, turns := sshd.Traffic[addr].Counts()
		c[0], c[1], c[2] = c[0]+up, c[1]+down, c[2]+turns
	}
	return c
}

// closeMasters stops the ssh masters of the run and reaps them.
func closeMasters(dir string) {
	socks, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, s := range socks {
		exec.Command("ssh", "-o", "ControlPath="+s, "-O", "exit", "bench").Run()
	}
	deadline := time.Now().Add(10 * time.Second)
	for reaped := 0; reaped < len(socks) && time.Now().Before(deadline); {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if err != nil {
			break
		}
		if pid > 0 {
			reaped++
			continue
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// sshSummary is a subject's medians, per host and task where it says so.
type sshSummary struct {
	Wall, ControllerCPU, HostCPU time.Duration // per run; CPU per host per task
	Up, Down, Turns              float64       // per host per task
}

func (c *sshCase) summary(kind string) sshSummary {
	runs := c.Subjects[kind]
	per := float64(c.Hosts * c.Tasks)
	med := func(f func(sshRun) float64) float64 {
		v := make([]float64, len(runs))
		for i, r := range runs {
			v[i] = f(r)
		}
		sort.Float64s(v)
		if len(v) == 0 {
			return 0
		}
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return sshSummary{
		Wall:          time.Duration(med(func(r sshRun) float64 { return float64(r.Wall) })),
		ControllerCPU: time.Duration(med(func(r sshRun) float64 { return float64(r.ControllerCPU) }) / per),
		HostCPU:       time.Duration(med(func(r sshRun) float64 { return float64(r.HostCPU) }) / per),
		Up:            med(func(r sshRun) float64 { return float64(r.Up) }) / per,
		Down:          med(func(r sshRun) float64 { return float64(r.Down) }) / per,
		Turns:         med(func(r sshRun) float64 { return float64(r.Turns) }) / per,
	}
}

// casesOn are the cases measured on controller c, in the order run.
func (r *report) casesOn(c *sshController) []*sshCase {
	var out []*sshCase
	for _, sc := range r.SSH {
		if sc.Controller == c.Suite {
			out = append(out, sc)
		}
	}
	return out
}

// sshResults writes the SSH tables: one per controller, then, when there
// are several, each subject's wall time ÷ the reference's side by side for
// the cases they have in common.
func (r *report) sshResults(b *strings.Builder) {
	if len(r.SSH) == 0 {
		return
	}
	b.WriteString("## Over SSH: a real sshd, one ssh master per host, forks 10\n\n")
	b.WriteString("Wall time is the whole `ansible-playbook` run (median); the rest is per host per task: controller CPU " +
		"(ansible-playbook, its workers, the ssh masters) and host CPU (sshd, its sessions, shells and modules), each counted by a cgroup of its own, " +
		"bytes to and from " +
		"the host and round trips (the times the controller spoke again after the host answered), as the host's TCP proxy counted them. " +
		"A warm task is one remote command, and over OpenSSH a command that reads standard input takes three round trips at the least: " +
		"open the channel; send the command, which sshd answers by opening the channel's window (it opens session channels with a window " +
		"of zero); send the input, answered by the output. Fewer would need the arguments on the command line, where every user of the host can read them with ps.\n\n")
	for _, c := range r.Controllers {
		cases := r.casesOn(c)
		if len(cases) == 0 {
			continue
		}
		fmt.Fprintf(b, "### Controller: %s; reference %s from %s\n\n", c.title(), c.Reference, c.RefCollection)
		b.WriteString("| link | hosts | tasks | subject | runs | wall | ÷ reference | controller CPU | host CPU | bytes to host | bytes from host | round trips |\n|---|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
		for _, sc := range cases {
			ref := sc.summary("reference")
			for _, kind := range sshSubjects {
				s := sc.summary(kind)
				fmt.Fprintf(b, "| %s | %d | %d | %s | %d | %s | %.2f× | %s | %s | %.0f | %.0f | %.1f |\n", sc.Link, sc.Hosts, sc.Tasks, kind, len(sc.Subjects[kind]),
					formatDuration(s.Wall), ratio(s.Wall, ref.Wall), formatDuration(s.ControllerCPU), formatDuration(s.HostCPU), s.Up, s.Down, s.Turns)
			}
		}
		b.WriteString("\n")
	}
	r.rawResults(b)
	r.sshComparison(b)
}

// rawResults writes the floor's cases: on each controller, the warm task
// against raw: true.
func (r *report) rawResults(b *strings.Builder) {
	var ran []*sshController
	for _, c := range r.Controllers {
		if r.rawCase(c) != nil {
			ran = append(ran, c)
		}
	}
	if len(ran) == 0 {
		return
	}
	fmt.Fprintf(b, "### A warm task against `raw: true`: %d host on loopback, %d tasks, each followed by an assert\n\n", rawHosts, rawTasks)
	fmt.Fprintf(b, "The same play of %d tasks, two ways, run interleaved on each controller: each task is the collection's sts_assume_role "+
		"with a warm cache and the options above, or `ansible.builtin.raw: \"%s\"`, one remote command that reads nothing and starts no module, "+
		"its argument the template the module task's session name is, so both plays have ansible-core template the same string; "+
		"after each, an `assert` on its registered result, which runs on the controller. Wall times are medians, and the goal's ratio is theirs; "+
		"round trips per task are the play's ÷ %d, with the connection's set-up, which both plays pay once.\n\n", rawTasks, rawCommand, rawTasks)
	b.WriteString("| controller | runs | warm cache | raw: true | warm cache ÷ raw: true | round trips per task, warm cache | round trips per task, raw: true |\n" +
		"|---|--:|--:|--:|--:|--:|--:|\n")
	for _, c := range ran {
		sc := r.rawCase(c)
		warm, raw, x := sc.againstRaw()
		fmt.Fprintf(b, "| %s | %d | %s | %s | %.2f× | %.1f | %.1f |\n", c.title(), len(sc.Subjects[warmSubject]),
			formatDuration(warm.Wall), formatDuration(raw.Wall), x, warm.Turns, raw.Turns)
	}
	b.WriteString("\n")
}

// sshComparison writes, for the cases every controller ran, each of our
// subjects' wall time ÷ the reference's on each controller, and the
// reference's own wall time.
func (r *report) sshComparison(b *strings.Builder) {
	var ran []*sshController
	for _, c := range r.Controllers {
		if len(r.casesOn(c)) > 0 {
			ran = append(ran, c)
		}
	}
	if len(ran) < 2 {
		return
	}
	key := func(sc *sshCase) string { return fmt.Sprintf("%s/%d/%d", sc.Link, sc.Hosts, sc.Tasks) }
	on := map[string]map[string]*sshCase{} // key, then controller
	for _, sc := range r.SSH {
		if on[key(sc)] == nil {
			on[key(sc)] = map[string]*sshCase{}
		}
		on[key(sc)][sc.Controller] = sc
	}
	b.WriteString("### Controllers side by side: wall time ÷ the reference's on the same controller\n\n")
	b.WriteString("The cases every controller ran, with ansible-core's version over each column. Each ratio is taken within one controller's case, " +
		"whose subjects ran interleaved; the reference's wall times show how the controllers compare, from cases run at different times.\n\n")
	b.WriteString("| link | hosts | tasks |")
	var cols []string
	short := map[string]string{"ours, library/": "library/", "ours, collection, cold cache": "cold cache", "ours, collection, warm cache": "warm cache"}
	for _, kind := range sshSubjects[1:] {
		for _, c := range ran {
			fmt.Fprintf(b, " %s ÷ reference, %s |", short[kind], c.Core)
			cols = append(cols, "--:")
		}
	}
	for _, c := range ran {
		fmt.Fprintf(b, " reference wall, %s |", c.Core)
		cols = append(cols, "--:")
	}
	fmt.Fprintf(b, "\n|---|--:|--:|%s|\n", strings.Join(cols, "|"))
	seen := map[string]bool{}
	for _, first := range r.casesOn(ran[0]) {
		k := key(first)
		if seen[k] || len(on[k]) < len(ran) {
			continue
		}
		seen[k] = true
		fmt.Fprintf(b, "| %s | %d | %d |", first.Link, first.Hosts, first.Tasks)
		for _, kind := range sshSubjects[1:] {
			for _, c := range ran {
				sc := on[k][c.Suite]
				fmt.Fprintf(b, " %.2f× |", ratio(sc.summary(kind).Wall, sc.summary("reference").Wall))
			}
		}
		for _, c := range ran {
			fmt.Fprintf(b, " %s |", formatDuration(on[k][c.Suite].summary("reference").Wall))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}
