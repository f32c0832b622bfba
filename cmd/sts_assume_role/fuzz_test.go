package main

import (
	"testing"

	"ansible-sts/internal/modulefuzz"
)

// FuzzModuleRun runs the whole module in-process on an arguments file:
// whatever its bytes, one JSON object on one line, exit status 1 exactly
// when it failed, no panic and no input secret in the output. The seeds
// are in testdata/fuzz/FuzzModuleRun; to fuzz for a while:
//
//	go test -run '^$' -fuzz '^FuzzModuleRun$' -fuzztime 60s ./cmd/sts_assume_role
func FuzzModuleRun(f *testing.F) {
	h := modulefuzz.New(f, run)
	f.Fuzz(func(t *testing.T, data []byte) { h.Check(t, data) })
}
