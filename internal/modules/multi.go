package modules

import (
	"fmt"
	"io"
	"strings"

	"ansible-sts/internal/moduleargs"
)

// RunMulti runs one of mods from a single binary, the form the collection
// ships (one binary per platform, carrying every module):
//
//	BINARY [MODULE] ARGS_FILE   the arguments file, as ansible-core runs a binary module
//	BINARY [MODULE] -           the arguments on standard input, which never touch the disk
//
// Without MODULE the module is the last dotted part of the arguments'
// _ansible_module_name (e.g. stsgo.aws.sts_assume_role), which
// ansible-core always sets. Like Run, it runs on sys and writes exactly
// one JSON result.
func RunMulti(name string, mods []Module, sys System, argv []string, stdin io.Reader, stdout io.Writer) int {
	if len(argv) == 1 && argv[0] == "--version" {
		fmt.Fprintf(stdout, "%s %s\n", name, Version)
		return 0
	}
	var chosen *Module
	if len(argv) > 0 {
		if m := find(mods, argv[0]); m != nil {
			chosen, argv = m, argv[1:]
		}
	}
	data, err := readSource(argv, stdin)
	if chosen == nil {
		moduleName := ""
		if err == nil {
			moduleName = moduleargs.ModuleName(data)
		}
		leaf := moduleName[strings.LastIndex(moduleName, ".")+1:]
		if chosen = find(mods, leaf); chosen == nil {
			if err == nil {
				err = &moduleargs.Error{Msg: fmt.Sprintf("%s cannot tell which module to run: _ansible_module_name is %q; it runs %s", name, moduleName, names(mods))}
				if _, perr := moduleargs.Parse(data, nil, name, sys.Env); perr != nil && moduleName == "" {
					err = perr // not a JSON object: say so, as a single module would
				}
			}
			return run(Module{Name: name}, sys, stdout, func(moduleargs.Spec) (*moduleargs.Args, error) {
				return moduleargs.Unreadable(name, err)
			})
		}
	}
	m := *chosen
	return run(m, sys, stdout, func(spec moduleargs.Spec) (*moduleargs.Args, error) {
		if err != nil {
			return moduleargs.Unreadable(m.Name, err)
		}
		return moduleargs.Parse(data, spec, m.Name, sys.Env)
	})
}

// readSource reads the arguments from the file argv names, or from stdin
// for "-".
func readSource(argv []string, stdin io.Reader) ([]byte, error) {
	switch {
	case len(argv) == 0 || argv[0] == "":
		return nil, &moduleargs.Error{Msg: "no arguments: run as BINARY [MODULE] ARGS_FILE, or BINARY [MODULE] - with the arguments on standard input"}
	case len(argv) > 1:
		return nil, &moduleargs.Error{Msg: fmt.Sprintf("too many arguments: %q; run as BINARY [MODULE] ARGS_FILE or BINARY [MODULE] -", argv)}
	case argv[0] == "-":
		return moduleargs.ReadStdin(stdin)
	}
	return moduleargs.ReadArgsFile(argv[0])
}

func find(mods []Module, name string) *Module {
	for i := range mods {
		if mods[i].Name == name {
			return &mods[i]
		}
	}
	return nil
}

func names(mods []Module) string {
	var s []string
	for _, m := range mods {
		s = append(s, m.Name)
	}
	return strings.Join(s, " and ")
}
