package e2e

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// rssLauncher forks, runs the module and writes the module's peak
// resident memory (ru_maxrss, KiB) on fd 3. A child that Go starts
// directly would report the test process's peak instead, when larger:
// Linux records the peak of the address space an exec replaces, and Go
// starts children in its own (CLONE_VM). A small forked Python process
// leaves a floor of about 10 MiB.
const rssLauncher = `import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, ru = os.wait4(pid, 0)
os.write(3, str(ru.ru_maxrss).encode())
sys.exit(os.waitstatus_to_exitcode(status))
`

// measuredCommand returns a command running exe with argv whose peak
// memory, in bytes, the returned function tells once the command ended
// (-1 if unknown).
func measuredCommand(ctx context.Context, t *testing.T, exe string, argv []string) (*exec.Cmd, func() int64) {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		python = "/usr/bin/python3"
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	cmd := exec.CommandContext(ctx, python, append([]string{"-I", "-S", "-c", rssLauncher, exe}, argv...)...)
	cmd.ExtraFiles = []*os.File{w}
	return cmd, func() int64 {
		w.Close()
		var buf [32]byte
		n, _ := r.Read(buf[:])
		kib, err := strconv.ParseInt(strings.TrimSpace(string(buf[:n])), 10, 64)
		if err != nil {
			t.Errorf("no peak memory from the launcher (%q)", buf[:n])
			return -1
		}
		return kib << 10
	}
}
