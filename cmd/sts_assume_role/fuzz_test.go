package main

import (
	"testing"

	"ansible-sts/test/modulefuzz"
)

// FuzzModuleRun runs the whole module in-process on an arguments file,
// environment variables (one NAME=value a line) and the contents of the
// shared config, shared credentials and boto config files (empty: no
// file), see modulefuzz.Input: whatever their bytes, one JSON object on
// one line, exit status 1 exactly when it failed, no panic and no secret
// of the input on stdout or stderr. The seeds are the module's cases of
// test/cases, and testdata/fuzz/FuzzModuleRun: inputs through the
// environment and the shared files, among them credential sources (a
// credential_process, SSO, web identity, container credentials) that only
// the fuzz harness, which connects nowhere and runs nothing, may take; to
// fuzz for a while:
//
//	go test -run '^$' -fuzz '^FuzzModuleRun$' -fuzztime 60s ./cmd/sts_assume_role
func FuzzModuleRun(f *testing.F) {
	h := modulefuzz.New(f, "sts_assume_role", run)
	f.Fuzz(func(t *testing.T, args, env, config, credentials, boto []byte) {
		h.Check(t, modulefuzz.Input{Args: args, Env: env, Config: config, Credentials: credentials, Boto: boto})
	})
}
