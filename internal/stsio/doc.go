// Package stsio is what goes into a module's STS call and what comes out
// of it, shaped as botocore and amazon.aws shape them; the call itself is
// each module's Call (internal/modules). In: the botocore-style checks of
// the parameters, run before any request (Check, with a module's table of
// Param), and the accessors that read the options into the SDK input's
// fields (Str, Int32, Strings, PolicyARNs, Tags). Through: the Recorder the
// client carries, which keeps what the endpoint answered (status, headers,
// error body, attempts) and bounds the answer. Out: the answer's
// credentials and user as result keys, and every failure in amazon.aws's
// fail_json_aws shape.
package stsio
