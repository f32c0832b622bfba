// Command stsgo-aws carries both STS modules in one binary, the form the
// stsgo.aws collection ships for each platform. Its action plugins run it
// with the module's name and the arguments on standard input; ansible-core's
// own binary-module path runs it with an arguments file, and the module is
// then the one the file's _ansible_module_name names.
package main

import (
	"ansible-sts/internal/modules"
	"io"
	"os"
)

func main() { os.Exit(run(modules.OS(), os.Args[1:], os.Stdin, os.Stdout)) }

func run(sys modules.System, args []string, stdin io.Reader, stdout io.Writer) int {
	return modules.RunMulti("stsgo-aws", modules.All, sys, args, stdin, stdout)
}
