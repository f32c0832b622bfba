package main

import (
	"strings"
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		out := make([]time.Duration, len(ns))
		for i, n := range ns {
			out[i] = time.Duration(n) * time.Millisecond
		}
		return out
	}
	tests := map[string]struct {
		walls []time.Duration
		rss   []int64
		want  summary
	}{
		"odd count, unsorted": {
			walls: ms(30, 10, 50, 20, 40), rss: []int64{300, 100, 200},
			want: summary{N: 5, Median: 30 * time.Millisecond, P90: 50 * time.Millisecond, Min: 10 * time.Millisecond, RSSRuns: 3, RSS: 200, MaxRSS: 300},
		},
		"even count: mean of the middle two": {
			walls: ms(4, 1, 3, 2), rss: []int64{10, 20},
			want: summary{N: 4, Median: 2500 * time.Microsecond, P90: 4 * time.Millisecond, Min: time.Millisecond, RSSRuns: 2, RSS: 15, MaxRSS: 20},
		},
		"ten runs: p90 is the ninth": {
			walls: ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
			want:  summary{N: 10, Median: 5500 * time.Microsecond, P90: 9 * time.Millisecond, Min: time.Millisecond},
		},
		"one run": {
			walls: ms(7), rss: []int64{5},
			want: summary{N: 1, Median: 7 * time.Millisecond, P90: 7 * time.Millisecond, Min: 7 * time.Millisecond, RSSRuns: 1, RSS: 5, MaxRSS: 5},
		},
		"nothing": {},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := summarize(tc.walls, tc.rss); got != tc.want {
				t.Errorf("summarize = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestRatio(t *testing.T) {
	if got := ratio(int64(450), 15); got != 30 {
		t.Errorf("ratio(450, 15) = %v, want 30", got)
	}
	if got := ratio(time.Second, 0); got != 0 {
		t.Errorf("ratio(1s, 0) = %v, want 0", got)
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		12345 * time.Microsecond: "12.3 ms",
		9999 * time.Millisecond:  "9999.0 ms",
		10 * time.Second:         "10.00 s",
		83250 * time.Millisecond: "83.25 s",
	} {
		if got := formatDuration(d); got != want {
			t.Errorf("formatDuration(%v) = %q, want %q", d, got, want)
		}
	}
	if got := formatKiB(9912); got != "9.7 MiB" {
		t.Errorf("formatKiB(9912) = %q", got)
	}
}

func TestGoals(t *testing.T) {
	subj := func(kind, module string, wallMS int, rss int64) *subject {
		return &subject{Kind: kind, Module: module, Walls: []time.Duration{time.Duration(wallMS) * time.Millisecond}, RSS: []int64{rss}}
	}
	r := &report{
		Groups: []*group{{Name: "module", Subjects: []*subject{
			subj(ours, "sts_assume_role", 10, 8000), subj(reference, "sts_assume_role", 450, 48000),
			subj(ours, "sts_session_token", 20, 8000), subj(reference, "sts_session_token", 450, 48000),
			subj(floor, "sts_assume_role", 9, 6000),
			{Label: stdinLabel, Kind: ours, Module: "sts_assume_role", Stdin: "args", Walls: []time.Duration{11 * time.Millisecond}},
		}}},
		Sizes: []binary{{Name: "sts_assume_role", Static: true, LinuxAMD64: 8 * mib}, {Name: "sts_session_token", Static: true, LinuxAMD64: 8*mib + 1}, {Name: "floor", LinuxAMD64: 99 * mib}},
	}
	var got []string
	for _, g := range r.goals() {
		status := "not measured"
		if g.Ran {
			status = map[bool]string{true: "met", false: "missed"}[g.Met]
		}
		got = append(got, status+": "+g.Measured)
	}
	want := []string{
		"missed: sts_assume_role 45.0×, sts_session_token 22.5×", // the worse module decides
		"missed: sts_assume_role 1.11×, sts_session_token 2.22×",
		"missed: sts_assume_role 1.10×", // stdin against the arguments file, not the floor
		"met: sts_assume_role 6.0×, sts_session_token 6.0×",
		"missed: sts_assume_role 8.00 MiB, sts_session_token 8.00 MiB", // 8 MiB + 1 byte
		"not measured: ",
		"not measured: ", "not measured: ", "not measured: ", "not measured: ", "not measured: ", // no SSH group
	}
	if diff := strings.Join(got, "\n"); diff != strings.Join(want, "\n") {
		t.Errorf("goals:\n%s\nwant:\n%s", diff, strings.Join(want, "\n"))
	}
}

// TestSSHGoals checks the goals over SSH, one set per controller, each
// from that controller's cases only.
func TestSSHGoals(t *testing.T) {
	run := func(wall time.Duration, up, turns int64) []sshRun {
		return []sshRun{{Wall: wall, Up: up, Turns: turns}}
	}
	r := &report{
		Controllers: []*sshController{
			{Suite: "bookworm", Root: "/", Core: "2.14.18"},
			{Suite: "trixie", Root: "/roots/trixie", Core: "2.19.11"},
		},
		SSH: []*sshCase{
			{Controller: "bookworm", Link: "loopback", Hosts: 2, Tasks: 1, Subjects: map[string][]sshRun{
				"reference":                    run(4*time.Second, 0, 0),
				"ours, collection, cold cache": run(6*time.Second, 0, 0), // not at 100 Mbit/s: no cold goal
				"ours, collection, warm cache": run(2*time.Second, 2*4000, 2*5),
			}},
			// The other controller's case, run between this one's: it
			// counts for its own controller's goals only.
			{Controller: "trixie", Link: "loopback", Hosts: 2, Tasks: 1, Subjects: map[string][]sshRun{
				"reference":                    run(8*time.Second, 0, 0),
				"ours, collection, cold cache": run(8*time.Second, 0, 0),
				"ours, collection, warm cache": run(2*time.Second, 0, 0),
			}},
			{Controller: "bookworm", Link: "loopback", Hosts: 2, Tasks: 3, Subjects: map[string][]sshRun{
				"reference":                    run(10*time.Second, 0, 0),
				"ours, collection, cold cache": run(20*time.Second, 0, 0),
				"ours, collection, warm cache": run(6*time.Second, 8800, 22), // marginal: 200 B, 3 round trips
			}},
			{Controller: "bookworm", Link: "100mbit, 10ms RTT", Hosts: 2, Tasks: 1, Subjects: map[string][]sshRun{
				"reference":                    run(5*time.Second, 0, 0),
				"ours, collection, cold cache": run(4*time.Second, 0, 0),
				"ours, collection, warm cache": run(2*time.Second, 0, 0),
			}},
		},
		// The floor's case of the root's controller only.
		SSHRaw: []*sshCase{
			{Controller: "trixie", Link: "loopback", Hosts: 1, Tasks: 10, Asserted: true, Subjects: map[string][]sshRun{
				warmSubject: run(1100*time.Millisecond, 0, 40),
				rawSubject:  run(1000*time.Millisecond, 0, 27),
			}},
		},
	}
	var got []string
	for _, g := range r.sshGoals() {
		status := map[bool]string{true: "met", false: "missed"}[g.Met]
		if !g.Ran {
			status = "not measured"
		}
		got = append(got, status+": "+g.Measured)
		if !strings.HasPrefix(g.Text, "Over SSH on ansible-core ") {
			t.Errorf("goal %q names no controller", g.Text)
		}
	}
	want := []string{
		"missed: loopback 2×1 0.50×, loopback 2×3 0.60×, 100mbit, 10ms RTT 2×1 0.40×",
		"met: 2 hosts 0.80×",
		"met: loopback 2 hosts 200 B",
		"missed: loopback 2 hosts 3.0",
		"not measured: ", // no floor's case on this controller
		"met: loopback 2×1 0.25×",
		"not measured: ", // no case at 100 Mbit/s
		"not measured: ", // no play of three tasks: no marginal cost
		"not measured: ",
		"met: 1.10× (1100.0 ms against 1000.0 ms); round trips per task 4.0 against 2.7", // at most 1.1× is met
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("goals:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestRawGoal checks the goal of a warm task against raw: true: a ratio
// of the two subjects' median wall times, not a median of ratios, with
// the round trips per task of the whole play.
func TestRawGoal(t *testing.T) {
	ms := func(ns ...int) []sshRun {
		out := make([]sshRun, len(ns))
		for i, n := range ns {
			out[i] = sshRun{Wall: time.Duration(n) * time.Millisecond, Turns: int64(3*rawTasks + 7 + i)}
		}
		return out
	}
	tests := map[string]struct {
		warm, raw []sshRun
		want      string
	}{
		// Medians 1050 and 1000 ms; the runs' own ratios are 1.0, 1.3 and 0.875.
		"met, odd count": {ms(1000, 1300, 1050), ms(1000, 1000, 1200), "met: 1.05× (1050.0 ms against 1000.0 ms); round trips per task 3.8 against 3.8"},
		// Medians 1200 (mean of the middle two) and 1000 ms.
		"missed, even count": {ms(1300, 1100, 1800, 900), ms(1000, 900, 1100, 1000), "missed: 1.20× (1200.0 ms against 1000.0 ms); round trips per task 3.9 against 3.9"},
		// Only the figures decide: at most 1.1× is met.
		"exactly 1.1×":      {ms(1100), ms(1000), "met: 1.10× (1100.0 ms against 1000.0 ms); round trips per task 3.7 against 3.7"},
		"no raw: true runs": {ms(1000), nil, "missed: 0.00× (1000.0 ms against 0.0 ms); round trips per task 3.7 against 0.0"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			sc := &sshCase{Link: "loopback", Hosts: rawHosts, Tasks: rawTasks, Asserted: true,
				Subjects: map[string][]sshRun{warmSubject: tc.warm, rawSubject: tc.raw}}
			g := rawGoal(" on ansible-core 2.19.11 (trixie root)", sc)
			status := map[bool]string{true: "met", false: "missed"}[g.Met]
			if got := status + ": " + g.Measured; !g.Ran || got != tc.want {
				t.Errorf("goal = %q (ran %v), want %q", got, g.Ran, tc.want)
			}
		})
	}
	if g := rawGoal("", nil); g.Ran || g.Measured != "" {
		t.Errorf("with no case the goal is measured: %+v", g)
	}
	want := "Over SSH on ansible-core 2.19.11 (trixie root), warm cache: at most 1.1× a raw: true task (10 tasks, each followed by an assert, 1 host)"
	if g := rawGoal(" on ansible-core 2.19.11 (trixie root)", nil); g.Text != want {
		t.Errorf("goal text %q, want %q", g.Text, want)
	}
}
