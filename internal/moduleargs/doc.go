// Package moduleargs reads a module's arguments file into typed arguments,
// with the semantics of ansible-core's AnsibleModule.
//
// Contract:
//
//   - In go the arguments file ansible-core writes ([ReadFile]: a regular
//     file of at most boundedfile.ArgsLimit bytes; [Parse]: its contents,
//     which [ReadStdin] bounds the same), the module's [Spec] (each
//     [Option]'s name, aliases, [Type], required, default, no_log and
//     environment fallback, in declaration order) and the environment its
//     fallbacks and paths read.
//   - Out come [Args]: the params as AnsibleModule's params (every option
//     under its own name, converted, or nil when unset, plus each alias the
//     task used), its warnings, the no_log values (the secrets the result
//     is to be masked of; [Args.AddSecrets] adds those the module finds
//     elsewhere), where each option came from, and the controller's
//     _ansible_* keys ([Internal]: check mode, module name, ansible-core
//     version, inject_invocation; every other _ansible_* key is accepted
//     and ignored).
//   - A problem is an [*Error] with the text AnsibleModule reports, the
//     first one found, returned with the Args built so far (never nil), so
//     that the failure can still carry the masked invocation.
//   - [Decode] reads JSON as Python's json.loads does, into the values of
//     package pyvalue; the params keep them as decoded, so that Python's
//     str() of a non-string is reproduced exactly.
//   - The package writes no result and masks nothing: the secrets leave it
//     as strings (NoLogValues), and what the controller asks of the result
//     as answers ([Internal.MasksSecrets], [Internal.IncludesInvocation]).
//     It imports neither package result nor anything of AWS.
//
// Validation behaves as AnsibleModule's, in the same order and with the
// same message texts:
//
//  1. environment fallbacks, for options the task did not set;
//  2. aliases: each alias present overwrites its option, in the order the
//     aliases are declared, warning when the option was already set;
//  3. the no_log values (secrets) are collected from the raw values;
//  4. unknown keys are collected (every _ansible_* key is internal, never unknown);
//  5. defaults that are not None;
//  6. required options;
//  7. type conversion (str, int, bool, path, dict, list), in declaration
//     order: as ansible-core 2.14 converts, or as 2.19 and 2.22 do where
//     the controller's _ansible_version is one of those or later;
//  8. the remaining defaults (None);
//  9. unsupported parameters, reported last.
package moduleargs
