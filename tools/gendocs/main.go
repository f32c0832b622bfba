// Command gendocs writes the ansible-doc files of the modules: for each, a
// YAML file with DOCUMENTATION, EXAMPLES and RETURN, named after the
// module, which ansible-core 2.14+ reads beside the binary (an "adjacent"
// or sidecar documentation file). Everything comes from the modules'
// option tables and Doc values, so the documentation cannot drift from
// what the binaries accept.
//
//	go run ./tools/gendocs -out bin
//
// With -stub it writes NAME.py instead: the doc-only Python files of the
// collection's plugins/modules/.
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
	stub := flag.Bool("stub", false, "write the collection's doc-only NAME.py instead")
	version := flag.String("version", "", "with -stub, the collection's version (version_added)")
	flag.Parse()
	if *stub && *version == "" {
		fmt.Fprintln(os.Stderr, "gendocs: -stub needs -version")
		os.Exit(2)
	}
	for _, m := range modules.All {
		path, text := filepath.Join(*out, m.Name+".yml"), render(m)
		if *stub {
			path, text = filepath.Join(*out, m.Name+".py"), renderStub(m, *version)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gendocs:", err)
			os.Exit(1)
		}
	}
}
