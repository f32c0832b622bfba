package main

import (
	"os"
	"os/exec"
	"runtime"
	"testing"
	"time"
)

// TestCPUGroup checks that a cgroup counts the CPU time of what runs in
// it, including a process that outlives its parent and is reaped by
// someone else, as sshd's sessions can be, and nothing while it is idle.
func TestCPUGroup(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("counting CPU time with a cgroup needs root")
		}
		t.Skip("counting CPU time with a cgroup needs root")
	}
	g, err := newCPUGroup("test")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		g.close()
		if exists(g.dir) {
			t.Errorf("close left %s", g.dir)
		}
	}()
	usage := func() time.Duration {
		t.Helper()
		d, err := g.usage()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	before := usage()
	// The loop runs in a child the shell leaves behind: it is reparented
	// when the shell exits, and ends later.
	cmd := exec.Command("sh", "-c", `(i=0; while [ $i -lt 300000 ]; do i=$((i + 1)); done) & exit 0`)
	g.wrap(cmd)
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	g.settle()
	wall := time.Since(start)
	if left := g.procs(); len(left) > 0 {
		t.Fatalf("processes %v still in the group %v after they started", left, wall)
	}
	used := usage() - before
	if used < 100*time.Millisecond || used > wall*time.Duration(runtime.NumCPU()) {
		t.Errorf("a loop that ended after %v counted %v of CPU, want at least 100 ms and at most its wall time on each core", wall, used)
	}
	idle := usage()
	time.Sleep(200 * time.Millisecond)
	if d := usage() - idle; d != 0 {
		t.Errorf("an empty group counted %v of CPU in 200 ms", d)
	}
}
