// Command sts_session_token is an Ansible binary module that gets a session
// token with AWS STS GetSessionToken (optionally with MFA) and returns the
// temporary credentials, a drop-in replacement for the Python
// sts_session_token module.
package main

import (
	"ansible-sts/internal/modules"
	"io"
	"os"
)

func main() { os.Exit(run(modules.OS(), os.Args[1:], os.Stdout)) }

func run(sys modules.System, args []string, stdout io.Writer) int {
	return modules.Run(modules.SessionToken, sys, args, stdout)
}
