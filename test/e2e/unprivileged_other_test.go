//go:build !unix

package e2e

import "testing"

// runUnprivileged needs a Unix root; elsewhere no test calls it.
func runUnprivileged(t *testing.T, module string, env []string, argv ...string) run {
	t.Fatal("running as another user needs a Unix system")
	return run{}
}
