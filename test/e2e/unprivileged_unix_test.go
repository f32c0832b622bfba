//go:build unix

package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"ansible-sts/test/testenv"
)

// unprivileged is the user and group nobody of Debian: root may run a
// process as any id, named in /etc/passwd or not.
const unprivileged = 65534

// runUnprivileged runs a module binary as an unprivileged user, from a
// copy in a directory that user may search, and checks its output as
// runRaw does. Only root can.
func runUnprivileged(t *testing.T, module string, env []string, argv ...string) run {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(binDir, module))
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(testenv.OpenDir(t), module)
	if err := os.WriteFile(exe, data, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, argv...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: unprivileged, Gid: unprivileged}}
	return finish(t, cmd, env, func() int64 { return -1 })
}
