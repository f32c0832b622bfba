package modules

import (
	"ansible-sts/internal/result"
	"ansible-sts/internal/stsio"
	"context"
	"errors"
	"testing"
	"time"
)

// TestWithin: a call that ignores its context (a connection no deadline
// watches) cannot hold the module past its deadline and the grace; one
// that ends in time keeps its outcome.
func TestWithin(t *testing.T) {
	const d = 200 * time.Millisecond
	t.Run("stuck call", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		release := make(chan struct{})
		defer close(release)
		start := time.Now()
		_, err := within(ctx, d, func() (result.Result, error) { <-release; return nil, nil })
		if took := time.Since(start); took > d+deadlineGrace+time.Second {
			t.Errorf("returned after %v; the deadline is %v plus %v", took, d, deadlineGrace)
		}
		var de *stsio.DeadlineError
		if !errors.As(err, &de) || de.Deadline != d || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error %v, want a DeadlineError of %v", err, d)
		}
	})
	t.Run("call in time", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		r, err := within(ctx, d, func() (result.Result, error) { return result.Result{"changed": true}, nil })
		if err != nil || r["changed"] != true {
			t.Errorf("got %v, %v", r, err)
		}
	})
	t.Run("call failing at the deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		_, err := within(ctx, d, func() (result.Result, error) { <-ctx.Done(); return nil, ctx.Err() })
		var de *stsio.DeadlineError
		if !errors.As(err, &de) {
			t.Errorf("error %v, want a DeadlineError", err)
		}
	})
}
