//go:build !unix

package awsauth

import "os/exec"

// inOwnGroup does nothing where there are no process groups: the
// context's end kills the command alone.
func inOwnGroup(*exec.Cmd) {}

// killGroup kills cmd, if it has started.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Kill()
	}
}
