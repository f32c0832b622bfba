package main

import (
	"fmt"
	"strings"
	"time"
)

// mib is a mebibyte.
const mib = 1 << 20

// ratioLine is one computed ratio, e.g. reference / ours.
type ratioLine struct {
	Text  string
	Value float64
}

// goal is one of the performance goals and how it stands.
type goal struct {
	Text     string
	Measured string
	Met      bool
	Ran      bool // its group was measured
}

// summary summarizes the runs of the subject of kind for module; a
// missing subject has an empty summary.
func (g *group) summary(kind, module string) summary {
	for _, s := range g.Subjects {
		if s.Kind == kind && s.Module == module && s.Stdin == "" {
			return s.summary()
		}
	}
	return summary{}
}

// group returns the measured group name, or nil.
func (r *report) group(name string) *group {
	for _, g := range r.Groups {
		if g.Name == name {
			return g
		}
	}
	return nil
}

// moduleRatios are, for each module, reference / ours and ours / floor in
// median wall time, and reference / ours in median peak RSS.
type moduleRatios struct {
	Module                     string
	Speedup, OverFloor, Leaner float64
}

func (r *report) moduleRatios() []moduleRatios {
	g := r.group("module")
	if g == nil {
		return nil
	}
	fl := g.summary(floor, "sts_assume_role")
	var out []moduleRatios
	for _, m := range modules {
		o, ref := g.summary(ours, m), g.summary(reference, m)
		out = append(out, moduleRatios{m, ratio(ref.Median, o.Median), ratio(o.Median, fl.Median), ratio(ref.RSS, o.RSS)})
	}
	return out
}

// ratios are the comparisons the report prints.
func (r *report) ratios() []ratioLine {
	var out []ratioLine
	for _, m := range r.moduleRatios() {
		out = append(out,
			ratioLine{m.Module + ": reference / ours, median wall time", m.Speedup},
			ratioLine{m.Module + ": ours / floor, median wall time", m.OverFloor},
			ratioLine{m.Module + ": reference / ours, median peak RSS", m.Leaner})
	}
	if g := r.group("module"); g != nil {
		out = append(out, ratioLine{"the floor's bound on the first goal: reference sts_assume_role / floor, median wall time",
			ratio(g.summary(reference, "sts_assume_role").Median, g.summary(floor, "sts_assume_role").Median)})
	}
	if g := r.group("adhoc"); g != nil {
		out = append(out, ratioLine{"ad-hoc call: reference / ours, median wall time",
			ratio(g.summary(reference, "sts_assume_role").Median, g.summary(ours, "sts_assume_role").Median)})
	}
	if g := r.group("playbook"); g != nil {
		out = append(out, ratioLine{"playbook: ours / reference, median wall time",
			ratio(g.summary(ours, "sts_assume_role").Median, g.summary(reference, "sts_assume_role").Median)})
	}
	return out
}

// goals evaluates the goals; for the module call the worse module decides.
func (r *report) goals() []goal {
	speed := goal{Text: "Module call at least 30× faster than the reference (median wall time)"}
	nearFloor := goal{Text: "Module call at most 1.25× the floor (median wall time)"}
	memory := goal{Text: "Peak RSS at least 5× below the reference (median)"}
	if mr := r.moduleRatios(); len(mr) > 0 {
		speed.Ran, nearFloor.Ran, memory.Ran = true, true, true
		speed.Met, nearFloor.Met, memory.Met = true, true, true
		var s, f, m []string
		for _, x := range mr {
			s = append(s, fmt.Sprintf("%s %.1f×", x.Module, x.Speedup))
			f = append(f, fmt.Sprintf("%s %.2f×", x.Module, x.OverFloor))
			m = append(m, fmt.Sprintf("%s %.1f×", x.Module, x.Leaner))
			speed.Met = speed.Met && x.Speedup >= 30
			nearFloor.Met = nearFloor.Met && x.OverFloor <= 1.25
			memory.Met = memory.Met && x.Leaner >= 5
		}
		speed.Measured, nearFloor.Measured, memory.Measured = strings.Join(s, ", "), strings.Join(f, ", "), strings.Join(m, ", ")
	}
	stdin := goal{Text: "Module call with the arguments on stdin (the collection's stsgo-aws) at most 1.05× the arguments file (median wall time)"}
	if g := r.group("module"); g != nil {
		for _, s := range g.Subjects {
			if s.Label == stdinLabel {
				x := ratio(s.summary().Median, g.summary(ours, "sts_assume_role").Median)
				stdin.Ran, stdin.Met, stdin.Measured = true, x <= 1.05, fmt.Sprintf("sts_assume_role %.2f×", x)
			}
		}
	}
	size := goal{Text: "Each static linux/amd64 module binary at most 8 MiB", Met: true, Ran: true}
	var sizes []string
	for _, b := range r.Sizes {
		if b.Name == "floor" {
			continue
		}
		sizes = append(sizes, fmt.Sprintf("%s %.2f MiB", b.Name, float64(b.LinuxAMD64)/mib))
		size.Met = size.Met && b.Static && b.LinuxAMD64 <= 8*mib
	}
	size.Measured = strings.Join(sizes, ", ")
	playbook := goal{Text: "Playbook over the local hosts at most 0.6× the reference's time (median)"}
	if g := r.group("playbook"); g != nil {
		o, ref := g.summary(ours, "sts_assume_role"), g.summary(reference, "sts_assume_role")
		x := ratio(o.Median, ref.Median)
		playbook = goal{playbook.Text, fmt.Sprintf("%.2f× (%s against %s)", x, formatDuration(o.Median), formatDuration(ref.Median)), x <= 0.6, true}
	}
	return append([]goal{speed, nearFloor, stdin, memory, size, playbook}, r.sshGoals()...)
}

// sshGoals are the goals over SSH, once per controller. With no SSH
// figures they are listed once, not measured.
func (r *report) sshGoals() []goal {
	if len(r.SSH) == 0 && len(r.SSHRaw) == 0 {
		return append(controllerGoals("", nil), rawGoal("", nil))
	}
	var out []goal
	for _, c := range r.Controllers {
		cases, raw := r.casesOn(c), r.rawCase(c)
		if len(cases) > 0 || raw != nil {
			out = append(out, controllerGoals(" on "+c.title(), cases)...)
			out = append(out, rawGoal(" on "+c.title(), raw))
		}
	}
	return out
}

// rawCase is controller c's floor case over SSH, or nil.
func (r *report) rawCase(c *sshController) *sshCase {
	for _, sc := range r.SSHRaw {
		if sc.Controller == c.Suite {
			return sc
		}
	}
	return nil
}

// againstRaw summarizes a floor case's subjects: the warm task's and raw:
// true's, and the ratio of their median wall times.
func (sc *sshCase) againstRaw() (warm, raw sshSummary, x float64) {
	warm, raw = sc.summary(warmSubject), sc.summary(rawSubject)
	return warm, raw, ratio(warm.Wall, raw.Wall)
}

// rawGoal is the goal of a warm task against raw: true, from the floor
// case sc; nil is not measured. on names the controller in its text.
func rawGoal(on string, sc *sshCase) goal {
	g := goal{Text: fmt.Sprintf("Over SSH%s, warm cache: at most 1.1× a raw: true task (%d tasks, each followed by an assert, %d host)", on, rawTasks, rawHosts)}
	if sc == nil {
		return g
	}
	warm, raw, x := sc.againstRaw()
	g.Ran, g.Met = true, raw.Wall > 0 && x <= 1.1
	g.Measured = fmt.Sprintf("%.2f× (%s against %s); round trips per task %.1f against %.1f",
		x, formatDuration(warm.Wall), formatDuration(raw.Wall), warm.Turns, raw.Turns)
	return g
}

// controllerGoals are the goals over SSH for one controller's cases; on
// names the controller in their text. The bytes and round trips of a warm task are its
// marginal cost, where a case has plays of one and of three tasks:
// (three-task play - one-task play) / 2, per host, which leaves out the
// connection's set-up that every play pays once.
func controllerGoals(on string, cases []*sshCase) []goal {
	warm := goal{Text: "Over SSH" + on + ", warm cache: at most 0.5× the reference's wall time, every link, fleet size and play"}
	cold := goal{Text: "Over SSH" + on + ", cold cache, one task: at most 1.0× the reference's wall time at 100 Mbit/s"}
	bytes := goal{Text: "Over SSH" + on + ", warm cache: at most 5 KB to each host per task (marginal)"}
	trips := goal{Text: "Over SSH" + on + ", warm cache: at most 2 round trips per task (marginal)"}
	if len(cases) == 0 {
		return []goal{warm, cold, bytes, trips}
	}
	warm.Ran = true
	warm.Met, cold.Met, bytes.Met, trips.Met = true, true, true, true
	var w, c, by, tr []string
	const hot, chill = "ours, collection, warm cache", "ours, collection, cold cache"
	one := map[string]*sshCase{}
	for _, sc := range cases {
		if sc.Tasks == 1 {
			one[fmt.Sprintf("%s/%d", sc.Link, sc.Hosts)] = sc
		}
	}
	for _, sc := range cases {
		name := fmt.Sprintf("%s %d×%d", sc.Link, sc.Hosts, sc.Tasks)
		ref := sc.summary("reference").Wall
		x := ratio(sc.summary(hot).Wall, ref)
		w = append(w, fmt.Sprintf("%s %.2f×", name, x))
		warm.Met = warm.Met && x <= 0.5
		if sc.Tasks == 1 && strings.HasPrefix(sc.Link, "100mbit") {
			y := ratio(sc.summary(chill).Wall, ref)
			c = append(c, fmt.Sprintf("%d hosts %.2f×", sc.Hosts, y))
			cold.Ran = true
			cold.Met = cold.Met && y <= 1.0
		}
		base, ok := one[fmt.Sprintf("%s/%d", sc.Link, sc.Hosts)]
		if sc.Tasks != 3 || !ok {
			continue
		}
		s3, s1 := sc.summary(hot), base.summary(hot)
		up, turns := (3*s3.Up-s1.Up)/2, (3*s3.Turns-s1.Turns)/2
		bytes.Ran, trips.Ran = true, true
		by = append(by, fmt.Sprintf("%s %d hosts %.0f B", sc.Link, sc.Hosts, up))
		tr = append(tr, fmt.Sprintf("%s %d hosts %.1f", sc.Link, sc.Hosts, turns))
		bytes.Met = bytes.Met && up <= 5000
		trips.Met = trips.Met && turns <= 2
	}
	warm.Measured, cold.Measured = strings.Join(w, ", "), strings.Join(c, ", ")
	bytes.Measured, trips.Measured = strings.Join(by, ", "), strings.Join(tr, ", ")
	return []goal{warm, cold, bytes, trips}
}

// formatDuration prints milliseconds below 10 s, else seconds.
func formatDuration(d time.Duration) string {
	if d < 10*time.Second {
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// formatKiB prints a size in KiB as MiB.
func formatKiB(kib int64) string { return fmt.Sprintf("%.1f MiB", float64(kib)/1024) }
