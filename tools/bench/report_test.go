package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

// twoControllers is a report of one SSH case on this machine's controller
// and two on a root's, one of which both ran.
func twoControllers() *report {
	play := func(ref, library, cold, warm time.Duration) map[string][]sshRun {
		return map[string][]sshRun{
			"reference":                    {{Wall: ref}},
			"ours, library/":               {{Wall: library}},
			"ours, collection, cold cache": {{Wall: cold}},
			"ours, collection, warm cache": {{Wall: warm}},
		}
	}
	s := time.Second
	return &report{
		Machine: machine{Suite: "bookworm", Python: "Python 3.11.2", Boto3: "boto3 1.26.27 botocore 1.29.27"},
		Controllers: []*sshController{
			{Suite: "bookworm", Root: "/", Core: "2.14.18", Reference: "community.aws.sts_assume_role", RefCollection: "community.aws 5.5.0"},
			{Suite: "trixie", Root: "/roots/trixie", Core: "2.19.11", Reference: "amazon.aws.sts_assume_role", RefCollection: "amazon.aws 10.1.1",
				Python: "3.13", Boto3: "1.37.9", Botocore: "1.37.9",
				Warnings: map[string][]string{"reference": {"botocore < 1.34.0 is not supported or tested."}}},
		},
		SSH: []*sshCase{
			{Controller: "bookworm", Link: "loopback", Hosts: 10, Tasks: 1, Subjects: play(4*s, 5*s, 3*s, 2*s)},
			{Controller: "trixie", Link: "loopback", Hosts: 10, Tasks: 1, Subjects: play(5*s, 5*s, 4*s, 1*s)},
			{Controller: "trixie", Link: "100mbit, 10ms RTT", Hosts: 1, Tasks: 1, Subjects: play(2*s, 2*s, 2*s, 1*s)},
		},
	}
}

// TestSSHReportPerController checks that the page gives each controller
// its own table, puts the cases they share side by side, and says where
// a root's reference really ran.
func TestSSHReportPerController(t *testing.T) {
	page := twoControllers().markdown()
	for name, want := range map[string]string{
		"this machine's table": "### Controller: ansible-core 2.14.18 (this machine, bookworm); reference community.aws.sts_assume_role from community.aws 5.5.0\n",
		"the root's table":     "### Controller: ansible-core 2.19.11 (trixie root); reference amazon.aws.sts_assume_role from amazon.aws 10.1.1\n",
		"the root's row":       "| 100mbit, 10ms RTT | 1 | 1 | ours, collection, warm cache | 1 | 1000.0 ms | 0.50× |",
		// library/, cold, warm (each ÷ its own reference), then the references.
		"the shared case": "| loopback | 10 | 1 | 1.25× | 1.00× | 0.75× | 0.80× | 0.50× | 0.20× | 4000.0 ms | 5000.0 ms |\n",
		"the hosts":       "these figures are ansible-core 2.19.11 managing bookworm hosts",
		"the warning":     `It warns: "botocore < 1.34.0 is not supported or tested."`,
		"a trixie host":   "not a trixie host, though: there the reference would start Python 3.13 and import botocore 1.37.9",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("%s: the page lacks %q", name, want)
		}
	}
	// The root-only case has no partner: only the shared one is side by side.
	_, side, _ := strings.Cut(page, "### Controllers side by side")
	if side, _, _ = strings.Cut(side, "## Binary sizes"); strings.Contains(side, "100mbit") {
		t.Errorf("a case only one controller ran is side by side:\n%s", side)
	}
}

// TestReplotBeforeControllers checks that figures saved before there were
// several controllers still show, as this machine's.
func TestReplotBeforeControllers(t *testing.T) {
	r := twoControllers()
	r.Machine.Ansible, r.Machine.CommunityAWS = "ansible [core 2.14.18]", "5.5.0"
	r.Controllers, r.SSH = nil, r.SSH[:1]
	r.SSH[0].Controller = ""
	dir := t.TempDir()
	if err := r.write(dir); err != nil {
		t.Fatal(err)
	}
	got, err := readReport(filepath.Join(dir, "benchmarks.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := "### Controller: ansible-core 2.14.18 (this machine); reference community.aws.sts_assume_role from community.aws 5.5.0\n"
	if page := got.markdown(); !strings.Contains(page, want) {
		t.Errorf("the replotted page lacks %q:\n%s", want, page)
	}
}

// TestSSHReportAgainstRaw checks the goal rows and the table of a warm
// task against raw: true, one per controller, and that the floor's cases
// stay out of the other SSH tables.
func TestSSHReportAgainstRaw(t *testing.T) {
	r := twoControllers()
	play := func(warm, raw time.Duration, warmTurns, rawTurns int64) map[string][]sshRun {
		return map[string][]sshRun{
			warmSubject: {{Wall: warm, Turns: warmTurns}, {Wall: warm + 400*time.Millisecond, Turns: warmTurns}, {Wall: warm - 100*time.Millisecond, Turns: warmTurns}},
			rawSubject:  {{Wall: raw, Turns: rawTurns}, {Wall: raw, Turns: rawTurns}, {Wall: raw + time.Second, Turns: rawTurns}},
		}
	}
	r.SSHRaw = []*sshCase{
		{Controller: "bookworm", Link: "loopback", Hosts: 1, Tasks: 10, Asserted: true, Subjects: play(1050*time.Millisecond, 1000*time.Millisecond, 37, 27)},
		{Controller: "trixie", Link: "loopback", Hosts: 1, Tasks: 10, Asserted: true, Subjects: play(1500*time.Millisecond, 1000*time.Millisecond, 40, 27)},
	}
	page := r.markdown()
	for name, want := range map[string]string{
		"this machine's goal": "| Over SSH on ansible-core 2.14.18 (this machine, bookworm), warm cache: at most 1.1× a raw: true task (10 tasks, each followed by an assert, 1 host) | " +
			"1.05× (1050.0 ms against 1000.0 ms); round trips per task 3.7 against 2.7 | **met** |\n",
		"the root's goal": "| Over SSH on ansible-core 2.19.11 (trixie root), warm cache: at most 1.1× a raw: true task (10 tasks, each followed by an assert, 1 host) | " +
			"1.50× (1500.0 ms against 1000.0 ms); round trips per task 4.0 against 2.7 | **missed** |\n",
		"the heading":        "### A warm task against `raw: true`: 1 host on loopback, 10 tasks, each followed by an assert\n",
		"this machine's row": "| ansible-core 2.14.18 (this machine, bookworm) | 3 | 1050.0 ms | 1000.0 ms | 1.05× | 3.7 | 2.7 |\n",
		"the root's row":     "| ansible-core 2.19.11 (trixie root) | 3 | 1500.0 ms | 1000.0 ms | 1.50× | 4.0 | 2.7 |\n",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("%s: the page lacks %q", name, want)
		}
	}
	// Each controller's new goal follows its others.
	_, goals, _ := strings.Cut(page, "## Goals")
	goals, _, _ = strings.Cut(goals, "\n\n## ")
	if i, j := strings.Index(goals, "(this machine, bookworm), warm cache: at most 1.1×"), strings.Index(goals, "Over SSH on ansible-core 2.19.11"); i < 0 || j < 0 || i > j {
		t.Errorf("this machine's goal against raw: true is not among its goals:\n%s", goals)
	}
	// The floor's cases are in no other table, and not side by side.
	if strings.Contains(page, "| loopback | 1 | 10 |") || strings.Contains(page, "| 10 | raw: true |") || strings.Contains(page, "| 10 | ours, collection, warm cache |") {
		t.Errorf("a floor's case is in a table of the other cases:\n%s", page)
	}
	// Without the floor's cases (figures saved before them), the goals are not measured and there is no table.
	r.SSHRaw = nil
	page = r.markdown()
	if strings.Contains(page, "A warm task against") || strings.Count(page, "1 host) |  | not measured |") != 2 {
		t.Errorf("figures without the floor's cases:\n%s", page)
	}
}

// TestRawPlaybook checks the plays of the floor's case: the same tasks,
// the module's or raw: true, each followed by an assert on its result.
func TestRawPlaybook(t *testing.T) {
	w := &workspace{srv: &testenv.STS{Server: &fakests.Server{URL: "http://127.0.0.1:1"}}}
	c := &sshController{Suite: "bookworm", Root: "/", Reference: "community.aws.sts_assume_role"}
	for kind, task := range map[string]string{
		warmSubject: "      stsgo.aws.sts_assume_role:\n",
		rawSubject:  "      ansible.builtin.raw: \"true bench-{{ inventory_hostname }}\"\n",
	} {
		book := w.sshPlaybook(c, kind, "http://127.0.0.1:2", rawTasks, true)
		for name, n := range map[string]int{
			task: rawTasks, "      register: result\n": rawTasks,
			"      ansible.builtin.assert:\n        that: [result is not failed]\n": rawTasks,
			"    - name: ": 2 * rawTasks,
		} {
			if got := strings.Count(book, name); got != n {
				t.Errorf("%s: %q %d times, want %d:\n%s", kind, name, got, n, book)
			}
		}
		if !strings.HasSuffix(book, "quiet: true\n") {
			t.Errorf("%s: the play does not end with an assert:\n%s", kind, book)
		}
	}
	// Without asserts the plays are as before.
	if book := w.sshPlaybook(c, warmSubject, "http://127.0.0.1:2", 3, false); strings.Contains(book, "assert") || strings.Contains(book, "register") {
		t.Errorf("a play of the other cases has asserts:\n%s", book)
	}
}
