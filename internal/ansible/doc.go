// Package ansible is the Ansible side of a module run: it reads the
// module's arguments file and applies ansible-core 2.14's AnsibleModule
// argument semantics to it (args, spec, masking), and writes the module's
// one JSON result the way exit_json and fail_json do (result.go) for the
// controller's ansible-core (controller.go).
//
// A module declares its options once, as a Spec (name, aliases, type,
// required, default, no_log, environment fallback). Validate then behaves as
// AnsibleModule does, in the same order and with the same message texts:
//
//  1. environment fallbacks, for options the task did not set;
//  2. aliases: each alias present overwrites its option, in the order the
//     aliases are declared, warning when the option was already set;
//  3. the no_log values (secrets) are collected from the raw values;
//  4. unknown keys are collected (every _ansible_* key is internal, never unknown);
//  5. defaults that are not None;
//  6. required options;
//  7. type conversion (str, int, bool, path, dict), in declaration order;
//  8. the remaining defaults (None);
//  9. unsupported parameters, reported last.
//
// Only the first error is reported, as AnsibleModule does. The values are kept
// as decoded from JSON (string, Int, Float, bool, nil, []any, *Object) so that
// Python's str() of a non-string can be reproduced exactly.
package ansible
