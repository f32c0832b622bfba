package testenv

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SSHD is a real OpenSSH server started by a test on loopback addresses,
// with its own host key, configuration and authorized keys, and key-based
// login only. It stops, and its users are removed, when the test ends.
type SSHD struct {
	Port  int      // the managed hosts' port
	Addrs []string // one per managed host: each gets its own ssh master
	// Traffic counts what crossed each host's connections, by address.
	Traffic map[string]*Traffic
	Key     string // the client's private key, authorized for every user
	Root    string // the folder holding the users' homes, 0755
	dir     string
	log     *syncBuffer
	link    Link
	pid     int
}

// Reach returns an address the hosts reach target by, target being a
// listener of the controller's on loopback: target itself, or, behind a
// shaped link, a forwarder on the controller's end of the link.
func (s *SSHD) Reach(t T, target string) string {
	t.Helper()
	if s.link.Rate == "" {
		return target
	}
	l := net.JoinHostPort(s.link.controller, strconv.Itoa(freePort(t)))
	proxy(t, l, target, 0)
	return l
}

var userSeq int

type SSHUser struct {
	Name string
	Home string
	UID  int
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// StartSSHD starts sshd on 127.0.0.1..127.0.0.hosts, one free port, as
// root (sshd must be, to log users in). env is set in every session
// (SetEnv), e.g. AWS_EC2_METADATA_DISABLED=true.
func StartSSHD(t T, hosts int, env ...string) *SSHD {
	t.Helper()
	return StartSSHDOver(t, Link{}, hosts, env...)
}

// StartSSHDOver is StartSSHD with the hosts behind link. A shaped link
// puts sshd in a network namespace of its own, behind a veth pair whose
// two ends tc's tbf limits to the link's rate; the hosts' proxies add
// half the round-trip time each way (the kernel here has no netem).
func StartSSHDOver(t T, link Link, hosts int, env ...string) *SSHD {
	t.Helper()
	sshd := RequireTool(t, "sshd")
	keygen := RequireTool(t, "ssh-keygen")
	RequireTool(t, "useradd")
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("the SSH tests start sshd and create users: they must run as root")
		}
		t.Skip("the SSH tests start sshd and create users: run as root")
	}
	// Homes live outside the test's 0700 temporary directory, where the
	// users could not reach them.
	root := OpenDir(t)
	// sshd reads the authorized keys as the user logging in.
	dir := filepath.Join(root, "sshd")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := &SSHD{Key: filepath.Join(dir, "client"), Root: root, dir: dir, log: &syncBuffer{}}
	for _, k := range []string{"host", "client"} {
		out, err := exec.Command(keygen, "-q", "-t", "ed25519", "-N", "", "-C", "stsgo-test", "-f", filepath.Join(dir, k)).CombinedOutput()
		if err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
	}
	if err := os.MkdirAll("/run/sshd", 0o755); err != nil { // sshd's privilege separation folder
		t.Fatal(err)
	}
	internal, listen, wrap := freePort(t), "127.0.0.1", func(argv []string) []string { return argv }
	if link.Rate != "" {
		listen, wrap = link.setUp(t), link.inside
		s.link = link
	}
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "ListenAddress %s:%d\n", listen, internal)
	fmt.Fprintf(&cfg, `HostKey %s
PidFile %s
AuthorizedKeysFile %s
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitUserEnvironment yes
PermitRootLogin no
MaxSessions 200
MaxStartups 200
Subsystem sftp internal-sftp
LogLevel VERBOSE
`, filepath.Join(dir, "host"), filepath.Join(dir, "sshd.pid"), filepath.Join(dir, "client.pub"))
	if len(env) > 0 {
		fmt.Fprintf(&cfg, "SetEnv %s\n", strings.Join(env, " "))
	}
	config := filepath.Join(dir, "sshd_config")
	if err := os.WriteFile(config, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	argv := wrap([]string{sshd, "-D", "-e", "-f", config})
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = s.log, s.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s.pid = cmd.Process.Pid
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})
	target := net.JoinHostPort(listen, strconv.Itoa(internal))
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		c, err := net.Dial("tcp", target)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("sshd did not listen on %s: %v\n%s", target, err, s.log.String())
		}
	}
	s.Port = freePort(t)
	s.Traffic = map[string]*Traffic{}
	for i := 1; i <= hosts; i++ {
		addr := fmt.Sprintf("127.0.0.%d", i)
		s.Addrs = append(s.Addrs, addr)
		s.Traffic[addr] = proxy(t, net.JoinHostPort(addr, strconv.Itoa(s.Port)), target, link.RTT/2)
	}
	return s
}

// Pid returns sshd's process id: every session's processes descend from it.
func (s *SSHD) Pid() int { return s.pid }

// Log returns what sshd logged so far.
func (s *SSHD) Log() string { return s.log.String() }

// AddUser creates a user with its home in s.Root. Its password is unset
// but the account is not locked, so key login works without PAM. The user
// and its home are removed when the test ends.
func (s *SSHD) AddUser(t T, prefix string) SSHUser {
	t.Helper()
	return s.AddHost(t, prefix, Host{})
}

// removeUser stops the processes of the user name, runs between (when not
// nil), then deletes the user. A killed process takes a moment to go, and
// userdel refuses a user who still has one, so it retries for a while
// before it reports the user it leaves behind.
func removeUser(name string, between func()) {
	exec.Command("pkill", "-KILL", "-u", name).Run()
	if between != nil {
		between()
	}
	var out []byte
	var err error
	for deadline := time.Now().Add(10 * time.Second); ; {
		if out, err = exec.Command("userdel", name).CombinedOutput(); err == nil {
			return
		}
		if time.Now().After(deadline) {
			break
		}
		exec.Command("pkill", "-KILL", "-u", name).Run()
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Fprintf(os.Stderr, "userdel %s: %v: %s\n", name, err, out)
}

func freePort(t T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
