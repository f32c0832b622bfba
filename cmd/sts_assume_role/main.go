// Command sts_assume_role is an Ansible binary module that assumes an IAM
// role with AWS STS AssumeRole and returns the temporary credentials, a
// drop-in replacement for the Python sts_assume_role module.
package main

import (
	"io"
	"os"

	"ansible-sts/internal/module"
	"ansible-sts/internal/modules"
)

func main() { os.Exit(run(module.OS(), os.Args[1:], os.Stdout)) }

func run(sys module.System, args []string, stdout io.Writer) int {
	return module.Run(modules.AssumeRole, sys, args, stdout)
}
