package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
// its workers and the ssh masters), the hosts' CPU (the machine's CPU less
// the controller's and the benchmark's own), and, per host, the bytes each
// way and the round trips, counted by a TCP proxy in front of each host.

// sshSubjects are the ways a task reaches the host, in the order measured.
var sshSubjects = []string{"reference", "ours, library/", "ours, collection, cold cache", "ours, collection, warm cache"}

// sshCase is one fleet size and play length, with each subject's runs.
type sshCase struct {
	Link         string
	Hosts, Tasks int
	Subjects     map[string][]sshRun
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

// sshBench measures every case of o.sshHosts × {1, 3} tasks.
func (w *workspace) sshBench(o options) (cases []*sshCase, err error) {
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
	// process reaps them, so their CPU counts as the controller's.
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, 36 /* PR_SET_CHILD_SUBREAPER */, 1, 0); e != 0 {
		return nil, fmt.Errorf("prctl(PR_SET_CHILD_SUBREAPER): %v", e)
	}
	collections, err := w.installCollection()
	if err != nil {
		return nil, err
	}
	controlDir, err := os.MkdirTemp("", "cp")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(controlDir)
	for _, link := range o.sshLinks {
		sizes := o.sshHosts
		if link.Rate != "" {
			sizes = o.sshShapedHosts
		}
		maxHosts := 0
		for _, n := range sizes {
			maxHosts = max(maxHosts, n)
		}
		sshd := testenv.StartSSHDOver(t, link, maxHosts, "AWS_EC2_METADATA_DISABLED=true")
		var users []testenv.SSHUser
		for range maxHosts {
			users = append(users, sshd.AddUser(t, "stsgob"))
		}
		endpoint := "http://" + sshd.Reach(t, strings.TrimPrefix(w.srv.URL, "http://"))
		for _, n := range sizes {
			for _, tasks := range []int{1, 3} {
				c := &sshCase{Link: link.String(), Hosts: n, Tasks: tasks, Subjects: map[string][]sshRun{}}
				inventory := w.path(fmt.Sprintf("ssh-%d.ini", n))
				var inv strings.Builder
				inv.WriteString("[fleet]\n")
				for i := 0; i < n; i++ {
					fmt.Fprintf(&inv, "h%02d ansible_host=%s ansible_user=%s\n", i+1, sshd.Addrs[i], users[i].Name)
				}
				fmt.Fprintf(&inv, "[fleet:vars]\nansible_port=%d\nansible_ssh_private_key_file=%s\n"+
					"ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'\n", sshd.Port, sshd.Key)
				if err := writeFile(inventory, inv.String()); err != nil {
					return nil, err
				}
				fmt.Fprintf(os.Stderr, "ssh, %s: %d hosts, %d task(s): %d subjects × %d runs, round-robin\n", link, n, tasks, len(sshSubjects), o.sshRuns)
				for round := -1; round < o.sshRuns; round++ { // round -1 warms up
					for _, kind := range sshSubjects {
						if kind == "ours, collection, cold cache" {
							for _, u := range users[:n] {
								os.RemoveAll(filepath.Join(u.Home, ".ansible", "stsgo"))
							}
						}
						r, err := w.sshRun(kind, inventory, endpoint, n, tasks, o.forks, collections, controlDir, sshd)
						if err != nil {
							return nil, fmt.Errorf("%s, %d hosts, %d tasks, %s: %w", link, n, tasks, kind, err)
						}
						if round >= 0 {
							c.Subjects[kind] = append(c.Subjects[kind], r)
						}
					}
					fmt.Fprint(os.Stderr, ".")
				}
				fmt.Fprintln(os.Stderr)
				cases = append(cases, c)
			}
		}
	}
	return cases, nil
}

// installCollection builds the collection tarball and installs it in the
// workspace.
func (w *workspace) installCollection() (string, error) {
	dist, collections := w.path("dist"), w.path("collections")
	for _, argv := range [][]string{
		{"make", "collection", "DIST=" + dist},
		{"sh", "-c", "ansible-galaxy collection install -p " + collections + " " + dist + "/stsgo-aws-*.tar.gz"},
	} {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Env = append(os.Environ(), "HOME="+w.home)
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("%v: %v\n%s", argv, err, out)
		}
	}
	return collections, nil
}

// sshRun runs the play of kind once and measures it.
func (w *workspace) sshRun(kind, inventory, endpoint string, hosts, tasks, forks int, collections, controlDir string, sshd *testenv.SSHD) (sshRun, error) {
	book := w.path(fmt.Sprintf("ssh-%s-%d.yml", strings.NewReplacer(" ", "", ",", "-", "/", "").Replace(kind), tasks))
	if err := writeFile(book, w.sshPlaybook(kind, endpoint, tasks)); err != nil {
		return sshRun{}, err
	}
	env := append(w.ansibleEnviron(),
		"ANSIBLE_COLLECTIONS_PATH="+collections,
		"ANSIBLE_LIBRARY="+w.lib,
		"ANSIBLE_SSH_CONTROL_PATH_DIR="+controlDir,
		"ANSIBLE_HOST_KEY_CHECKING=False",
		"ANSIBLE_REMOTE_TEMP=~/.ansible/tmp",
	)
	w.srv.Reset()
	before := counters(sshd, hosts)
	self0, children0, machine0 := cpu(syscall.RUSAGE_SELF), cpu(syscall.RUSAGE_CHILDREN), machineCPU()
	start := time.Now()
	cmd := exec.Command("ansible-playbook", "-i", inventory, "-f", strconv.Itoa(forks), book)
	cmd.Env, cmd.Dir = env, w.dir
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if err != nil {
		return sshRun{}, fmt.Errorf("%v\n%s", err, out)
	}
	closeMasters(controlDir)
	after := counters(sshd, hosts)
	controller := cpu(syscall.RUSAGE_CHILDREN) - children0
	host := machineCPU() - machine0 - controller - (cpu(syscall.RUSAGE_SELF) - self0)
	if err := w.checkCalls(&subject{Calls: hosts * tasks}); err != nil {
		return sshRun{}, fmt.Errorf("%v\n%s", err, out)
	}
	return sshRun{Wall: wall, ControllerCPU: controller, HostCPU: max(host, 0),
		Up: after[0] - before[0], Down: after[1] - before[1], Turns: after[2] - before[2]}, nil
}

// sshPlaybook is one play over every host with tasks sts_assume_role tasks.
func (w *workspace) sshPlaybook(kind, endpoint string, tasks int) string {
	module := "sts_assume_role"
	switch {
	case kind == "reference":
		module = "community.aws.sts_assume_role"
	case strings.Contains(kind, "collection"):
		module = "stsgo.aws.sts_assume_role"
	}
	var b strings.Builder
	b.WriteString("- name: STS calls over SSH\n  hosts: all\n  gather_facts: false\n  tasks:\n")
	opts := w.taskOptions("sts_assume_role")
	opts["role_session_name"] = "bench-{{ inventory_hostname }}"
	opts["endpoint_url"] = endpoint
	for i := 0; i < tasks; i++ {
		fmt.Fprintf(&b, "    - name: Assume the role (%d)\n      %s:\n", i+1, module)
		for _, k := range []string{"access_key", "secret_key", "region", "endpoint_url", "role_arn", "role_session_name"} {
			fmt.Fprintf(&b, "        %s: %q\n", k, opts[k])
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

func cpu(who int) time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(who, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// machineCPU is the CPU time every core spent busy since boot, from
// /proc/stat, in clock ticks of 10 ms.
func machineCPU() time.Duration {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	fields := strings.Fields(strings.SplitN(string(data), "\n", 2)[0])
	var ticks int64
	for i, f := range fields[1:] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		n, _ := strconv.ParseInt(f, 10, 64)
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond
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

// sshResults writes the SSH tables.
func sshResults(b *strings.Builder, cases []*sshCase) {
	if len(cases) == 0 {
		return
	}
	b.WriteString("## Over SSH: a real sshd, one ssh master per host, forks 10\n\n")
	b.WriteString("Wall time is the whole `ansible-playbook` run (median); the rest is per host per task: controller CPU " +
		"(ansible-playbook, its workers, the ssh masters), host CPU (sshd sessions, shells and modules), bytes to and from " +
		"the host and round trips (the times the controller spoke again after the host answered), as the host's TCP proxy counted them. " +
		"A warm task is one remote command, and over OpenSSH a command that reads standard input takes three round trips at the least: " +
		"open the channel; send the command, which sshd answers by opening the channel's window (it opens session channels with a window " +
		"of zero); send the input, answered by the output. Fewer would need the arguments on the command line, where every user of the host can read them with ps.\n\n")
	b.WriteString("| link | hosts | tasks | subject | runs | wall | ÷ reference | controller CPU | host CPU | bytes to host | bytes from host | round trips |\n|---|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, c := range cases {
		ref := c.summary("reference")
		for _, kind := range sshSubjects {
			s := c.summary(kind)
			fmt.Fprintf(b, "| %s | %d | %d | %s | %d | %s | %.2f× | %s | %s | %.0f | %.0f | %.1f |\n", c.Link, c.Hosts, c.Tasks, kind, len(c.Subjects[kind]),
				formatDuration(s.Wall), float64(s.Wall)/float64(ref.Wall), formatDuration(s.ControllerCPU), formatDuration(s.HostCPU), s.Up, s.Down, s.Turns)
		}
	}
	b.WriteString("\n")
}
