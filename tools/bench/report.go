package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// report is everything one benchmark run found.
type report struct {
	Date    time.Time
	Command string
	Elapsed time.Duration
	Machine machine
	Sizes   []binary
	Groups  []*group
	// Controllers are the ansible-cores the SSH cases ran on, in the
	// order of -ssh-controllers.
	Controllers []*sshController
	SSH         []*sshCase
	// SSHRaw are the floor's cases over SSH, a warm task against raw:
	// true, at most one per controller.
	SSHRaw []*sshCase `json:",omitempty"`
	// GNUTime says how peak RSS was measured: GNU time, or else the
	// rusage of the benchmark's own children.
	GNUTime bool
}

// write writes BENCHMARKS.md, benchmarks.svg and the raw figures,
// benchmarks.json, into dir.
func (r *report) write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "benchmarks.json"), append(data, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "benchmarks.svg"), []byte(r.chart()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "BENCHMARKS.md"), []byte(r.markdown()), 0o644)
}

// text is what the run prints: the results without the prose.
func (r *report) text() string {
	var b strings.Builder
	r.results(&b)
	return b.String()
}

// markdown is BENCHMARKS.md.
func (r *report) markdown() string {
	var b strings.Builder
	m := r.Machine
	fmt.Fprintf(&b, "# Benchmarks\n\nMeasured on %s with `%s` after `make build`; the run took %s.\n\n",
		r.Date.UTC().Format("2006-01-02 15:04 MST"), r.Command, r.Elapsed.Round(time.Second))
	b.WriteString("![Median wall time, peak RSS and size of each command, ours against the reference and the floor](benchmarks.svg)\n\n")
	b.WriteString("Where a module call's time, memory and bytes go, and what was tried: [STARTUP.md](STARTUP.md). " +
		"The raw figures are in benchmarks.json; `-replot docs/benchmarks.json -out docs` rewrites this page from them.\n\n")
	b.WriteString("## Machine\n\n| | |\n|---|---|\n")
	py := orUnknown(m.Boto3)
	if m.Python != "" {
		py = m.Python + ", " + py
	}
	fmt.Fprintf(&b, "| CPU | %s, %d cores |\n| kernel | %s |\n| load average (1, 5, 15 min) at the start; at the end | %s; %s |\n| Go | %s |\n| ansible | %s |\n| python | %s, community.aws %s |\n",
		m.CPU, m.Cores, m.Kernel, orUnknown(m.Load), orUnknown(m.LoadAtEnd), m.Go, orUnknown(m.Ansible), py, orUnknown(m.CommunityAWS))
	for _, c := range r.Controllers {
		where := "this machine's Python"
		if !c.host() {
			where = "in " + c.Root + ", Python"
		}
		fmt.Fprintf(&b, "| SSH controller | %s, reference %s (%s); %s %s, %s |\n",
			c.title(), c.Reference, c.RefCollection, where, orUnknown(c.Python), c.boto())
	}
	b.WriteString("\n")
	b.WriteString(method)
	r.sshMethod(&b)
	if r.GNUTime {
		b.WriteString(rssByTime)
	} else {
		b.WriteString(rssByRusage)
	}
	r.results(&b)
	return b.String()
}

// method says how the figures are obtained.
const method = `## Method

- Every command runs as a fresh process with a clean environment: only PATH, HOME (a temporary
  directory, with AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE inside it, absent),
  AWS_EC2_METADATA_DISABLED=true, and for ansible its temporary directories and
  ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3.
- The STS endpoint is internal/fakests on 127.0.0.1, started in the benchmark process
  (SigV4 verified, real temporary credentials). Every run must exit 0 and make exactly its STS
  calls, each answered 200; the server's request log is checked after each run.
- The commands of a group run interleaved, round-robin (a, b, c, a, b, c, ...), after one untimed
  warm-up round. Wall time is from the start of the process to its end, as the benchmark waits
  for it.
- Module call: our binary, or the reference module run as AnsiballZ runs it
  (test/compat/testdata/reference.py with /usr/bin/python3), on the same arguments file: alice's keys,
  region and endpoint_url as options, role_arn and role_session_name, and every _ansible_* key
  ansible-core 2.14 writes.
- Floor: tools/bench/floor, a static Go program (same build flags) that reads the arguments
  file, makes one SigV4-signed AssumeRole POST (answered 200) and prints one JSON line; both
  modules are compared with it.
`

// sshMethod says how the SSH group's controllers and hosts are set up, and
// what that means for the reference on a root's controller.
func (r *report) sshMethod(b *strings.Builder) {
	if len(r.SSH) == 0 {
		return
	}
	m := r.Machine
	fmt.Fprintf(b, `- Over SSH every controller manages the same hosts: users of one sshd on this machine, each with
  a loopback address of its own (so each gets its own ssh master) behind a TCP proxy that counts
  the traffic, or, on a shaped link, in a network namespace the benchmark creates. Whichever
  controller sends a module, it runs here: the reference on /usr/bin/python3 (%s, %s), ours as a
  static binary that needs no Python.
`, orUnknown(m.Python), orUnknown(m.Boto3))
	for _, c := range r.Controllers {
		if c.host() || len(r.casesOn(c)) == 0 {
			continue
		}
		fmt.Fprintf(b, `- %s runs chrooted into %s (test/roots), in a mount namespace of its own
  where the workspace (playbooks, inventory, library/, collections, HOME), the ssh key and the
  ssh masters' directory are bound at the same paths; the root shares this machine's loopback.
  It uses the root's Python, ssh client and ansible-galaxy (which installed the collection), with
  the environment above and LANG=C.UTF-8, as ansible-core 2.19 and later need a UTF-8 locale.
  Entering the root (unshare, a few mounts, chroot) is inside every run's wall time and
  controller CPU, every subject's alike.
- On it the reference is %s from %s, the root's own, with the same options. Its code
  comes from the controller but runs on the hosts, so it imports this machine's %s, not the
  root's %s: these figures are ansible-core %s managing %s hosts.
`, c.title(), c.Root, c.Reference, c.RefCollection, orUnknown(m.Boto3), c.boto(), c.Core, orUnknown(m.Suite))
		if w := c.Warnings["reference"]; len(w) > 0 {
			fmt.Fprintf(b, "  It warns: \"%s\"\n", strings.Join(w, "\"; \""))
		}
		fmt.Fprintf(b, `  That is a real set-up, as a controller is often newer than its hosts, and the fair one for
  comparing controllers: both manage the same hosts, and what changed between them that concerns
  these modules (templating, module transport, the AnsiballZ payload) is on the controller. It is
  not a %s host, though: there the reference would start Python %s and import botocore %s,
  which changes its own cost on the host (the host CPU column) and so its wall time; ours would
  not change.
`, c.Suite, orUnknown(c.Python), orUnknown(c.Botocore))
	}
}

// rssByTime and rssByRusage say how peak RSS was measured.
const (
	rssByTime = `- Peak RSS is measured in separate, untimed runs under /usr/bin/time (GNU time forks the command,
  so its ru_maxrss is the command's own): in the warm-up round, and for the module call after
  every timed round. For ansible it is the largest single process of the tree (controller,
  worker or module), not the sum.

`
	rssByRusage = `- Peak RSS is ru_maxrss of the benchmark's own child (GNU time was not found): Go starts
  children with vfork, so a figure below the benchmark's own RSS only says "at most that much".

`
)

// results writes the goals, the tables, the ratios and the sizes.
func (r *report) results(b *strings.Builder) {
	b.WriteString("## Goals\n\n| goal | measured | status |\n|---|---|---|\n")
	for _, g := range r.goals() {
		status := "not measured"
		if g.Ran && g.Met {
			status = "**met**"
		} else if g.Ran {
			status = "**missed**"
		}
		fmt.Fprintf(b, "| %s | %s | %s |\n", g.Text, g.Measured, status)
	}
	b.WriteString("\n")
	for _, g := range r.Groups {
		fmt.Fprintf(b, "## %s\n\n| command | runs | median | p90 | min | peak RSS (median) | RSS runs |\n|---|--:|--:|--:|--:|--:|--:|\n", g.Title)
		for _, s := range g.Subjects {
			sum := s.summary()
			fmt.Fprintf(b, "| %s | %d | %s | %s | %s | %s | %d |\n", s.Label, sum.N,
				formatDuration(sum.Median), formatDuration(sum.P90), formatDuration(sum.Min), formatKiB(sum.RSS), sum.RSSRuns)
		}
		b.WriteString("\n")
	}
	r.sshResults(b)
	if lines := r.ratios(); len(lines) > 0 {
		b.WriteString("## Ratios\n\n")
		for _, l := range lines {
			fmt.Fprintf(b, "- %s: **%.2f×**\n", l.Text, l.Value)
		}
		b.WriteString("\n")
	}
	b.WriteString("## Binary sizes\n\n| binary | bytes | MiB | platform | static (CGO_ENABLED=0) | -trimpath | stripped (-s -w) | linux/amd64 MiB |\n|---|--:|--:|---|---|---|---|--:|\n")
	for _, s := range r.Sizes {
		amd64 := fmt.Sprintf("%.2f", float64(s.LinuxAMD64)/mib)
		if s.CrossCompiled {
			amd64 += " (cross build)"
		}
		fmt.Fprintf(b, "| %s | %d | %.2f | %s | %s | %s | %s | %s |\n", s.Name, s.Bytes, float64(s.Bytes)/mib,
			s.Platform, yesNo(s.Static), yesNo(s.Trimpath), yesNo(s.Stripped), amd64)
	}
	b.WriteString("\n")
}

// yesNo prints a bool.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// orUnknown prints s, or "unknown" when it is empty.
func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// readReport reads the raw figures that write saved.
func readReport(path string) (*report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := &report{}
	if err := json.Unmarshal(data, r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// Figures saved before there were several controllers ran over SSH
	// on this machine's ansible-core alone, against community.aws.
	if len(r.Controllers) == 0 && len(r.SSH) > 0 {
		m := r.Machine
		c := &sshController{Root: "/", Reference: "community.aws.sts_assume_role", RefCollection: "community.aws " + m.CommunityAWS}
		_, core, _ := strings.Cut(m.Ansible, "core ")
		c.Core, _, _ = strings.Cut(core, "]")
		if f := strings.Fields(m.Boto3); len(f) == 4 {
			c.Boto3, c.Botocore = f[1], f[3]
		}
		r.Controllers = []*sshController{c}
	}
	return r, nil
}
