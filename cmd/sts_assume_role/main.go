// Command sts_assume_role is an Ansible binary module that assumes an IAM
// role with AWS STS AssumeRole and returns the temporary credentials, a
// drop-in replacement for the Python sts_assume_role module.
package main

import (
	"ansible-sts/internal/modules"
	"io"
	"os"
)

func main() { os.Exit(run(modules.OS(), os.Args[1:], os.Stdout)) }

func run(sys modules.System, args []string, stdout io.Writer) int {
	return modules.Run(modules.AssumeRole, sys, args, stdout)
}
