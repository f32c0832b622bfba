//go:build unix

package awsauth

import (
	"os/exec"
	"syscall"
)

// inOwnGroup starts cmd as the leader of a new process group, which
// killGroup kills, and makes the context's end kill the group rather than
// the shell alone.
func inOwnGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { killGroup(cmd); return nil }
}

// killGroup kills cmd's process group, if it has started.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
