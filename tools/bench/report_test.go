package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
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
