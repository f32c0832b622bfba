package main

import (
	"encoding/json"
	"path/filepath"
)

// modules are our binaries, by file name.
var modules = []string{"sts_assume_role", "sts_session_token"}

// taskOptions are a typical task's options for module: alice's keys, a
// region and the loopback endpoint, and for sts_assume_role the role and a
// session name.
func (w *workspace) taskOptions(module string) map[string]any {
	opts := map[string]any{
		"access_key":   aliceKey,
		"secret_key":   aliceSecret,
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
	for k, v := range map[string]any{
		"_ansible_check_mode":               false,
		"_ansible_no_log":                   false,
		"_ansible_debug":                    false,
		"_ansible_diff":                     false,
		"_ansible_verbosity":                0,
		"_ansible_version":                  "2.14.18",
		"_ansible_module_name":              module,
		"_ansible_syslog_facility":          "LOG_USER",
		"_ansible_selinux_special_fs":       []string{"fuse", "nfs", "vboxsf", "ramfs", "9p", "vfat"},
		"_ansible_string_conversion_action": "warn",
		"_ansible_socket":                   nil,
		"_ansible_shell_executable":         "/bin/sh",
		"_ansible_keep_remote_files":        false,
		"_ansible_tmpdir":                   filepath.Join(w.home, ".ansible", "tmp", "ansible-tmp-bench") + "/",
		"_ansible_remote_tmp":               "~/.ansible/tmp",
	} {
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
