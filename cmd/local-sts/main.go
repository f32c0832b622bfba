// Command local-sts runs an AWS Security Token Service endpoint on
// loopback, for running playbooks and SDK programs without AWS.
//
// Usage:
//
//	local-sts [flags] [-- COMMAND [ARGS...]]
//
// It answers AssumeRole, GetSessionToken and GetCallerIdentity for the
// users and roles of its configuration (-config, by default the demo
// identities of example.json), verifying signatures, trust, external ids
// and MFA as STS does. With a command, it runs the command with the
// endpoint and an identity in its environment and exits with its status;
// without one, it prints that environment as shell export lines and
// serves until interrupted. The command's proxy variables point at an
// egress guard on loopback that refuses every request, so that a client
// which ignores the endpoint variables fails instead of reaching AWS
// (-no-egress-guard turns it off). An admin API under /local-sts/ lists
// the requests received, and the attempts refused, and sets faults at run
// time.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }
