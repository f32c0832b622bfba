// Command sts_session_token is an Ansible binary module that gets a session
// token with AWS STS GetSessionToken (optionally with MFA) and returns the
// temporary credentials, a drop-in replacement for the Python
// sts_session_token module.
package main

import (
	"io"
	"os"

	"ansible-sts/internal/module"
	"ansible-sts/internal/modules"
)

func main() { os.Exit(run(module.OS(), os.Args[1:], os.Stdout)) }

func run(sys module.System, args []string, stdout io.Writer) int {
	return module.Run(modules.SessionToken, sys, args, stdout)
}
