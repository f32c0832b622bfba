//go:build !linux

package e2e

import (
	"context"
	"os/exec"
	"testing"
)

// measuredCommand runs exe; its peak memory is unknown here.
func measuredCommand(ctx context.Context, _ *testing.T, exe string, argv []string) (*exec.Cmd, func() int64) {
	return exec.CommandContext(ctx, exe, argv...), func() int64 { return -1 }
}
