// Package fakests runs a loopback AWS Security Token Service (STS) endpoint
// over real HTTP or HTTPS, for end-to-end tests of programs that call STS
// through an AWS SDK (aws-sdk-go-v2, botocore/boto3, ...).
//
// The server speaks the AWS Query protocol (POST form bodies, or GET query
// strings, on path "/", API version 2011-06-15) and implements AssumeRole,
// GetSessionToken and GetCallerIdentity. Every request must carry a valid
// AWS Signature Version 4, checked by the server itself against the secret of
// a configured [User] or of temporary credentials the server issued earlier.
// Temporary credentials are accepted only together with their session token,
// and only until they expire, so role chaining works as on AWS.
//
// Contract:
//
//   - The server only ever listens on a loopback address.
//   - Answers use the HTTP status, error codes, messages and XML shapes that
//     AWS STS uses, including ValidationError messages in the AWS format
//     ("1 validation error detected: Value ... at 'roleSessionName' failed to
//     satisfy constraint: ...").
//   - Every request is recorded, rejected ones included, in a log of
//     bounded size (the last [MaxRecords], each value cut to
//     [MaxRecordedValue]); of a request that fails authentication only the
//     metadata is kept; see [Request] and [Server.Requests].
//   - Bodies over 1 MiB are refused (413 RequestEntityTooLarge) without
//     being read to their end, and clients have [DefaultTimeouts] to send
//     their requests and take the answers; injected delays and hangs are
//     not cut short by them.
//   - [Config.Hook] can replace the answer to any authenticated request, for
//     fault injection (throttling, 5xx, delays, hangs, custom bodies);
//     [Faults] injects throttling, server errors and delays by count, and
//     can be changed while the server runs.
//   - Without [Config.Roles] any caller may assume any well-formed role
//     ARN. With them, AssumeRole follows each [Role]'s trust, external id,
//     MFA requirement and maximum session duration, and MFA serial numbers
//     and codes are checked against the callers' [User] devices, with the
//     AccessDenied messages AWS sends.
//   - The core of the package does not import package testing; [Start] is a
//     thin helper for tests.
package fakests
