// Command gendocs writes the ansible-doc files of the modules: for each, a
// YAML file with DOCUMENTATION, EXAMPLES and RETURN, named after the
// module, which ansible-core 2.14+ reads beside the binary (an "adjacent"
// or sidecar documentation file). Everything comes from the modules'
// option tables and Doc values, so the documentation cannot drift from
// what the binaries accept.
//
//	go run ./tools/gendocs -out bin
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"ansible-sts/internal/modules"
)

func main() {
	out := flag.String("out", "bin", "directory to write NAME.yml into")
	flag.Parse()
	for _, m := range modules.All {
		path := filepath.Join(*out, m.Name+".yml")
		if err := os.WriteFile(path, []byte(render(m)), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gendocs:", err)
			os.Exit(1)
		}
	}
}
