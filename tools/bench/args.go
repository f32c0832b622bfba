package main

import (
	"encoding/json"
	"path/filepath"

	"ansible-sts/test/testenv"
)

// modules are our binaries, by file name.
var modules = []string{"sts_assume_role", "sts_session_token"}

// taskOptions are a typical task's options for module: alice's keys, a
// region and the loopback endpoint, and for sts_assume_role the role and a
// session name.
func (w *workspace) taskOptions(module string) map[string]any {
	opts := map[string]any{
		"access_key":   testenv.AliceKey,
		"secret_key":   testenv.AliceSecret,
		"region":       region,
		"endpoint_url": w.srv.URL,
	}
	if module == "sts_assume_role" {
		opts["role_arn"] = roleARN
		opts["role_session_name"] = "bench"
	}
	return opts
}

// argsFile writes the arguments file of a module call as ansible-core 2.14
// writes it: the task's options and the full set of _ansible_* keys.
func (w *workspace) argsFile(module string) (string, error) {
	args := w.taskOptions(module)
	for k, v := range testenv.AnsibleKeys(module, filepath.Join(w.home, ".ansible", "tmp", "ansible-tmp-bench")+"/") {
		args[k] = v
	}
	data, err := json.Marshal(args)
	if err != nil {
		return "", err
	}
	path := w.path(module + ".args.json")
	return path, writeFile(path, string(data))
}

// adhocArgs is the -a argument of an ad-hoc call, the task's options in JSON.
func (w *workspace) adhocArgs(module string) (string, error) {
	data, err := json.Marshal(w.taskOptions(module))
	return string(data), err
}
