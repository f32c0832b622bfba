// Package stscall holds what surrounds a module run's one STS call, which
// is not made here: each module's Call (internal/modules) makes it, with
// the client internal/modules builds. Here are the botocore-style parameter
// checks the module runs before it and the accessors Call reads the
// parameters with, the recorder the client carries, which keeps what the
// endpoint answered (status, headers, error body, attempts) and bounds the
// answer, the failures in amazon.aws's fail_json_aws shape, and the
// conversion of the answer's credentials and user into result keys.
package stscall
