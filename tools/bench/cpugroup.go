package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// cpuGroup is a cgroup that counts the CPU time of the processes in it,
// and of every process they start, exited or not, in nanoseconds: with
// cgroup v1's cpuacct controller, or cgroup v2's cpu.stat. Unlike a
// process's rusage, it does not depend on who reaps whom: sshd's sessions
// can end after the process that started them, and a subreaper then reaps
// them.
type cpuGroup struct {
	dir  string
	root string // the hierarchy's root, where close moves what is left
	v2   bool
}

// newCPUGroup makes a cgroup named after this process and name.
func newCPUGroup(name string) (*cpuGroup, error) {
	g := &cpuGroup{}
	switch {
	case exists("/sys/fs/cgroup/cpuacct/cpuacct.usage"):
		g.root = "/sys/fs/cgroup/cpuacct"
	case exists("/sys/fs/cgroup/cgroup.controllers"):
		g.root, g.v2 = "/sys/fs/cgroup", true
	case exists("/sys/fs/cgroup/unified/cgroup.controllers"):
		g.root, g.v2 = "/sys/fs/cgroup/unified", true
	default:
		return nil, errors.New("cannot count CPU time: neither cgroup v1's cpuacct nor cgroup v2 is mounted under /sys/fs/cgroup")
	}
	g.dir = filepath.Join(g.root, fmt.Sprintf("stsgo-bench-%d-%s", os.Getpid(), name))
	if err := os.Mkdir(g.dir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot count CPU time: %v", err)
	}
	return g, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// add moves the process pid into g; the processes it starts from then on
// are in g too.
func (g *cpuGroup) add(pid int) error {
	return os.WriteFile(filepath.Join(g.dir, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0o644)
}

// wrap makes cmd join g before it runs: it starts as a shell that moves
// itself into g, then execs what cmd ran.
func (g *cpuGroup) wrap(cmd *exec.Cmd) {
	cmd.Args = append([]string{"/bin/sh", "-c", `echo $$ > "$0" && exec "$@"`, filepath.Join(g.dir, "cgroup.procs"), cmd.Path}, cmd.Args[1:]...)
	cmd.Path = "/bin/sh"
}

// usage returns the CPU time g's processes have used since g was made.
func (g *cpuGroup) usage() (time.Duration, error) {
	if !g.v2 {
		b, err := os.ReadFile(filepath.Join(g.dir, "cpuacct.usage"))
		if err != nil {
			return 0, err
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		return time.Duration(n), err
	}
	b, err := os.ReadFile(filepath.Join(g.dir, "cpu.stat"))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "usage_usec "); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			return time.Duration(n) * time.Microsecond, err
		}
	}
	return 0, fmt.Errorf("%s/cpu.stat has no usage_usec", g.dir)
}

// procs returns the processes in g.
func (g *cpuGroup) procs() []string {
	b, _ := os.ReadFile(filepath.Join(g.dir, "cgroup.procs"))
	return strings.Fields(string(b))
}

// settle waits, up to 2 seconds, until g holds no process but keep's, so
// that usage counts all of the processes that were ending.
func (g *cpuGroup) settle(keep ...int) {
	want := make([]string, len(keep))
	for i, pid := range keep {
		want[i] = strconv.Itoa(pid)
	}
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if strings.Join(g.procs(), " ") == strings.Join(want, " ") {
			return
		}
	}
}

// close moves what is left in g to the hierarchy's root, and removes g.
func (g *cpuGroup) close() {
	for _, pid := range g.procs() {
		os.WriteFile(filepath.Join(g.root, "cgroup.procs"), []byte(pid), 0o644)
	}
	os.Remove(g.dir)
}
