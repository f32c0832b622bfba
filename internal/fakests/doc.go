// Package fakests is a fake AWS Security Token Service (STS): an
// http.Handler that answers programs calling STS through an AWS SDK
// (aws-sdk-go-v2, botocore/boto3, ...) as STS would, for the users and
// roles of its configuration. local-sts serves it; the tests serve it
// through package testenv.
//
// The handler speaks the AWS Query protocol (POST form bodies, or GET
// query strings, on any path, API version 2011-06-15) and implements
// AssumeRole, GetSessionToken and GetCallerIdentity. Every request must
// carry a valid AWS Signature Version 4, checked by the handler itself
// against the secret of a configured [User] or of temporary credentials it
// issued earlier. Temporary credentials are accepted only together with
// their session token, and only until they expire, so role chaining works
// as on AWS.
//
// Contract:
//
//   - [New] builds a [Handler] from a [Config] it checks first ([Check]:
//     ARNs, MFA devices and codes, external ids and session durations in
//     IAM's forms and bounds, no key or role twice), or returns its first
//     problem as a [*ConfigError].
//   - The handler does not listen. Its caller serves it, alone or next to
//     routes of its own, with the http.Server of [Handler.HTTPServer],
//     which applies the connection deadlines of [Config.Timeouts]
//     ([DefaultTimeouts]: clients have that long to send their requests
//     and take the answers; injected delays and hangs are not cut short by
//     them). local-sts and package testenv listen on loopback only.
//   - Answers use the HTTP status, error codes, messages and XML shapes that
//     AWS STS uses, including ValidationError messages in the AWS format
//     ("1 validation error detected: Value ... at 'roleSessionName' failed to
//     satisfy constraint: ...").
//   - Every request is recorded, rejected ones included, in a log of
//     bounded size (the last [MaxRecords], each value cut to
//     [MaxRecordedValue]); of a request that fails authentication only the
//     metadata is kept; see [Request] and [Handler.Requests].
//   - Bodies over 1 MiB are refused (413 RequestEntityTooLarge) without
//     being read to their end.
//   - [Faults] injects throttling, server errors and delays by count, and
//     can be changed while the handler serves; [Config.Hook] can replace
//     the answer to any authenticated request (throttling, 5xx, delays,
//     hangs, custom bodies). [Handler.Close] ends pending delays and hangs.
//   - Without [Config.Roles] any caller may assume any well-formed role
//     ARN. With them, AssumeRole follows each [Role]'s trust, external id,
//     MFA requirement and maximum session duration, and MFA serial numbers
//     and codes are checked against the callers' [User] devices, with the
//     AccessDenied messages AWS sends. A role may refuse sts:TagSession
//     and sts:SetSourceIdentity ([Role.DenyTagSession],
//     [Role.DenySetSourceIdentity]).
//   - AssumeRole takes session tags, transitive tag keys, policy ARNs and
//     a source identity within AWS's bounds and rules, returns
//     PackedPolicySize for a policy, policy ARNs or tags and the
//     SourceIdentity, and passes the transitive tags and the source
//     identity on to sessions chained from the new one. Any AssumeRole
//     with temporary credentials is role chaining, limited to an hour.
//   - The package imports neither package testing nor any test support:
//     the commands that ship it link none.
package fakests
