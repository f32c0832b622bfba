// Package result writes a module's one JSON result, the way AnsibleModule's
// exit_json and fail_json write it for the controller that runs the module.
//
// Contract:
//
//   - In go the module's own keys (a [Result]: changed and sts_creds, a
//     [Failure] or [Skipped]) and the [Run] they come from: the invocation
//     and the warnings to add, the secrets to mask, the secrets the result
//     returns in clear, and whether the controller masks secrets itself.
//   - Out comes, from [Write], exactly one JSON object on one line, and the
//     exit status: 0 on success or skip, 1 on failure or when the output
//     cannot be written.
//   - Every value equal to a secret, and every occurrence of one inside a
//     string or a key, as written or percent-encoded or JSON-escaped, is
//     masked ([MaskAs]): as remove_values masks it up to ansible-core 2.21
//     ([RemoveValues]), as the controller shows a secret from 2.22
//     ([Redacted]). A number, boolean or null whose Python str() holds a
//     secret is masked too, except the result's top-level booleans and
//     nulls, which AnsibleModule keeps. Masking copies: nothing it is given
//     changes.
//   - For a controller that masks secrets, and only for one, the result
//     lists the secrets in [NewSecretsKey], added after masking.
//   - The encoding is Python's json.dumps': map keys sorted, a
//     pyvalue.Object's in its order, nothing HTML-escaped, inf, -inf and
//     nan as Infinity, -Infinity and NaN; a value of any other type as
//     encoding/json writes it, else as its text. Writing cannot fail to
//     encode.
//   - [Expiration] writes the expiration of credentials as the Python
//     modules return sts_creds.expiration.
//   - The package knows nothing of the arguments file: the secrets reach it
//     as strings. It imports neither package moduleargs nor anything of AWS.
package result
