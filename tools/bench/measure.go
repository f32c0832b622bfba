package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// runTimeout bounds one measured command.
const runTimeout = 10 * time.Minute

// timeCommand is GNU time, which forks (rather than vforks) the command,
// so that the command's ru_maxrss is its own: a child that Go starts with
// vfork inherits the benchmark's high-water mark at exec.
const timeCommand = "/usr/bin/time"

// measure runs g's subjects round-robin (a, b, c, a, b, c, ...): one
// warm-up round, whose runs measure peak RSS only, then g.Runs rounds of
// timed runs, each followed, when g.RSSEachRound, by a round of RSS runs.
// Every run must exit 0 and make exactly its STS calls, all answered 200.
func (w *workspace) measure(g *group) error {
	if g.err != nil {
		return g.err
	}
	pass := func(timed bool) error {
		for _, s := range g.Subjects {
			wall, rss, err := w.runOnce(s, timed)
			if err != nil {
				return fmt.Errorf("%s: %w", s.Label, err)
			}
			if timed {
				s.Walls = append(s.Walls, wall)
			} else {
				s.RSS = append(s.RSS, rss)
			}
		}
		return nil
	}
	if err := pass(false); err != nil {
		return err
	}
	for round := 0; round < g.Runs; round++ {
		if err := pass(true); err != nil {
			return err
		}
		if g.RSSEachRound {
			if err := pass(false); err != nil {
				return err
			}
		}
		fmt.Fprint(os.Stderr, ".")
	}
	fmt.Fprintln(os.Stderr)
	return nil
}

// runOnce runs s once and returns its wall time and peak RSS (KiB): timed,
// it runs directly, for its wall time; otherwise under GNU time, for its
// peak RSS.
func (w *workspace) runOnce(s *subject, timed bool) (time.Duration, int64, error) {
	w.srv.Reset()
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	argv, rssFile := s.Argv, ""
	if !timed && w.gnuTime {
		rssFile = w.path("maxrss")
		argv = append([]string{timeCommand, "-f", "%M", "-o", rssFile}, argv...)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env, cmd.Dir = s.Env, w.dir
	if s.Stdin != "" {
		in, err := os.Open(s.Stdin)
		if err != nil {
			return 0, 0, err
		}
		defer in.Close()
		cmd.Stdin = in
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return 0, 0, fmt.Errorf("%v\n%s", err, out.Bytes())
	}
	if err := w.checkCalls(s); err != nil {
		return 0, 0, fmt.Errorf("%v\n%s", err, out.Bytes())
	}
	if rssFile == "" {
		return wall, maxRSS(cmd.ProcessState), nil
	}
	data, err := os.ReadFile(rssFile)
	if err != nil {
		return 0, 0, err
	}
	rss, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %q: %v", timeCommand, data, err)
	}
	return wall, rss, nil
}

// checkCalls checks that the server answered exactly s.Calls requests,
// each with 200.
func (w *workspace) checkCalls(s *subject) error {
	reqs := w.srv.Requests()
	ok := 0
	for _, r := range reqs {
		if r.Status == 200 {
			ok++
		}
	}
	if len(reqs) != s.Calls || ok != s.Calls {
		return fmt.Errorf("the STS server answered %d requests (%d with 200), want %d, all 200", len(reqs), ok, s.Calls)
	}
	return nil
}

// maxRSS is ru_maxrss of the waited process in KiB: the largest of its own
// and its waited-for descendants' peak RSS.
func maxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return int64(ru.Maxrss)
	}
	return 0
}
