package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

// TestLoad runs loadProcesses module processes, loadConcurrency at a time,
// against one STS server that throttles every loadThrottleEvery-th request
// (each process at most once, so that its retry gets through), and
// expects every one to succeed. It reports the wall time per process
// (p50, p99, max) and in total; -short skips it.
//
//	go test -run '^TestLoad$' -v ./test/e2e
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 500 module processes")
	}
	const (
		loadProcesses     = 500
		loadConcurrency   = 50
		loadThrottleEvery = 5
	)
	var requests, throttled atomic.Int64
	var seen sync.Map // processes throttled once, by session name or duration
	srv := testenv.StartSTS(t, fakests.Config{Users: users, Hook: func(r *fakests.Request) *fakests.Response {
		if requests.Add(1)%loadThrottleEvery != 0 {
			return nil
		}
		process := r.Params.Get("RoleSessionName") + "/" + r.Params.Get("DurationSeconds")
		if _, again := seen.LoadOrStore(process, true); again {
			return nil
		}
		throttled.Add(1)
		resp := throttling
		return &resp
	}})
	env := newHome(t).Environ()
	dir := t.TempDir()

	type outcome struct {
		wall time.Duration
		err  error
	}
	outcomes := make([]outcome, loadProcesses)
	sem := make(chan struct{}, loadConcurrency)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range loadProcesses {
		// Every fifth process gets a session token; the others assume a
		// role. Each is told apart by its session name or its duration.
		module, args := "sts_assume_role", merge(ansibleKeys("sts_assume_role"), role(map[string]any{"role_session_name": fmt.Sprintf("load-%d", i)}), conn(map[string]any{"ec2_url": srv.URL}))
		if i%5 == 4 {
			module, args = "sts_session_token", merge(ansibleKeys("sts_session_token"), conn(map[string]any{"ec2_url": srv.URL, "duration_seconds": 900 + i}))
		}
		path := filepath.Join(dir, fmt.Sprintf("args-%d", i))
		if err := os.WriteFile(path, testenv.ArgsFile(t, args), 0o600); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			began := time.Now()
			err := runLoaded(module, path, env)
			outcomes[i] = outcome{wall: time.Since(began), err: err}
		}()
	}
	wg.Wait()
	total := time.Since(start)

	walls := make([]time.Duration, 0, loadProcesses)
	failures := 0
	for i, o := range outcomes {
		walls = append(walls, o.wall)
		if o.err != nil {
			failures++
			if failures <= 10 {
				t.Errorf("process %d: %v", i, o.err)
			}
		}
	}
	if failures > 0 {
		t.Errorf("%d of %d processes failed", failures, loadProcesses)
	}
	if got, want := requests.Load(), int64(loadProcesses)+throttled.Load(); got != want {
		t.Errorf("the server saw %d requests, want %d (one per process, one more per throttled call)", got, want)
	}
	slices.Sort(walls)
	pct := func(p int) time.Duration { return walls[(len(walls)*p+99)/100-1] }
	t.Logf("%d processes, %d at a time, %d requests, %d throttled, %d failed", loadProcesses, loadConcurrency, requests.Load(), throttled.Load(), failures)
	t.Logf("wall time per process: p50 %v, p99 %v, max %v; total %v",
		pct(50).Round(time.Millisecond), pct(99).Round(time.Millisecond), walls[len(walls)-1].Round(time.Millisecond), total.Round(time.Millisecond))
}

// runLoaded runs one module process and returns why it did not succeed
// cleanly, nil if it did. Unlike runRaw it does not touch the test, so
// that many can run at once.
func runLoaded(module, argsPath string, env []string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, module), argsPath)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %v: %s%s", module, err, stdout.Bytes(), stderr.Bytes())
	}
	var result map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &result); err != nil {
		return fmt.Errorf("%s: stdout is not a JSON object: %v", module, err)
	}
	if result["changed"] != true || stderr.Len() != 0 {
		return fmt.Errorf("%s: %s%s", module, stdout.Bytes(), stderr.Bytes())
	}
	return nil
}
