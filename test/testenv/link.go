package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Link is the network between the controller and the SSH hosts: loopback
// when Rate is empty, else a veth pair into a network namespace, shaped to
// Rate (tc tbf syntax, e.g. "100mbit") each way, with RTT added by the
// hosts' proxies.
type Link struct {
	Rate string
	RTT  time.Duration

	netns, controller string
}

// linkAddrs are the addresses of the two ends of the nth pair: a /30 of
// its own in TEST-NET-2 (RFC 5737), which no network uses, so the pair's
// own route is the only one.
func linkAddrs(n int) (controller, host string) {
	return fmt.Sprintf("198.51.100.%d", 4*n+1), fmt.Sprintf("198.51.100.%d", 4*n+2)
}

var linkSeq int

// setUp creates the namespace, the veth pair and the shaping, removed when
// the test ends, and returns the host's address.
func (l *Link) setUp(t T) string {
	t.Helper()
	RequireTool(t, "ip")
	RequireTool(t, "tc")
	linkSeq++
	l.netns = fmt.Sprintf("stsgo-%d-%d", os.Getpid(), linkSeq)
	if linkSeq > 60 {
		t.Fatal("too many shaped links in one run")
	}
	var linkHost string
	l.controller, linkHost = linkAddrs(linkSeq)
	out, in := fmt.Sprintf("stsc%d", linkSeq), fmt.Sprintf("stsh%d", linkSeq)
	// The rate's bucket holds a few milliseconds of traffic, and at least
	// one full-size packet.
	burst := "64kb"
	run := func(argv ...string) {
		t.Helper()
		if b, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, b)
		}
	}
	run("ip", "netns", "add", l.netns)
	t.Cleanup(func() {
		exec.Command("ip", "link", "del", out).Run()
		exec.Command("ip", "netns", "del", l.netns).Run()
	})
	run("ip", "link", "add", out, "type", "veth", "peer", "name", in)
	run("ip", "link", "set", in, "netns", l.netns)
	run("ip", "addr", "add", l.controller+"/30", "dev", out)
	run("ip", "link", "set", out, "up")
	run("ip", "netns", "exec", l.netns, "ip", "addr", "add", linkHost+"/30", "dev", in)
	run("ip", "netns", "exec", l.netns, "ip", "link", "set", in, "up")
	run("ip", "netns", "exec", l.netns, "ip", "link", "set", "lo", "up")
	// Nothing for the host's address may leave by another way.
	if b, err := exec.Command("ip", "route", "get", linkHost).CombinedOutput(); err != nil || !strings.Contains(string(b), " dev "+out+" ") {
		t.Fatalf("the link's route to %s is not through %s: %s", linkHost, out, b)
	}
	run("tc", "qdisc", "add", "dev", out, "root", "tbf", "rate", l.Rate, "burst", burst, "latency", "100ms")
	run("ip", "netns", "exec", l.netns, "tc", "qdisc", "add", "dev", in, "root", "tbf", "rate", l.Rate, "burst", burst, "latency", "100ms")
	return linkHost
}

// inside runs argv in the link's namespace.
func (l *Link) inside(argv []string) []string {
	return append([]string{"ip", "netns", "exec", l.netns}, argv...)
}

// String names the link, e.g. "100mbit, 10ms RTT" or "loopback".
func (l Link) String() string {
	if l.Rate == "" {
		return "loopback"
	}
	return fmt.Sprintf("%s, %s RTT", l.Rate, l.RTT)
}
