//go:build packaging

package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"ansible-sts/test/roots"
	"ansible-sts/test/testenv"
)

// These tests install the collection tarball and run playbooks over real
// SSH (Debian's openssh-server on loopback, one address and one user per
// managed host), asserting what crossed the connection and what landed on
// the hosts.

// installCollection installs the tarball into a new collections path,
// with controller c's ansible-galaxy.
func installCollection(t *testing.T, c *roots.Root) (collections string) {
	t.Helper()
	tarball := collectionTarball(t)
	collections = t.TempDir()
	home := testenv.NewHome(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := c.Command(ctx, []string{filepath.Dir(tarball), collections, home.Dir}, "ansible-galaxy", "collection", "install", "-p", collections, tarball)
	cmd.Env = home.Environ()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ansible-galaxy collection install on %s: %v\n%s", c.Suite, err, out)
	}
	return collections
}

// sshFleet is a play's world: the controller's ansible-core, sshd, one
// user per host, the installed collection and the controller's files.
type sshFleet struct {
	controller  *roots.Root
	sshd        *testenv.SSHD
	users       []testenv.SSHUser
	collections string
	dir         string // the controller's playbooks and inventory
	controlDir  string // ssh masters' sockets
}

// eachSSHController runs test on each controller, but not under -short:
// the collection's SSH tests start sshd and run playbooks.
func eachSSHController(t *testing.T, test func(t *testing.T, c *roots.Root)) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: the collection over SSH starts sshd and runs playbooks")
	}
	eachController(t, test)
}

func newFleet(t *testing.T, c *roots.Root, hosts int) *sshFleet {
	t.Helper()
	return newFleetOf(t, c, hosts, func(s *testenv.SSHD, _ int) (testenv.SSHUser, string) {
		return s.AddUser(t, "stsgo"), ""
	})
}

// newFleetOf starts a fleet of hosts whose users addUser creates, host i
// with the inventory variables it returns.
func newFleetOf(t *testing.T, c *roots.Root, hosts int, addUser func(s *testenv.SSHD, i int) (testenv.SSHUser, string)) *sshFleet {
	t.Helper()
	f := &sshFleet{
		controller:  c,
		sshd:        testenv.StartSSHD(t, hosts, "AWS_EC2_METADATA_DISABLED=true"),
		collections: installCollection(t, c),
		dir:         t.TempDir(),
	}
	// ssh's socket paths are short: keep the masters' folder short too.
	cp, err := os.MkdirTemp("", "cp")
	if err != nil {
		t.Fatal(err)
	}
	f.controlDir = cp
	t.Cleanup(func() {
		f.closeMasters()
		os.RemoveAll(cp)
	})
	vars := make([]string, hosts)
	for i := 0; i < hosts; i++ {
		u, v := addUser(f.sshd, i)
		f.users, vars[i] = append(f.users, u), v
	}
	plays, _ := filepath.Glob(filepath.Join("testdata", "ssh", "*.yml"))
	for _, p := range plays {
		copyFile(t, p, filepath.Join(f.dir, filepath.Base(p)), 0o644)
	}
	var inv strings.Builder
	inv.WriteString("[fleet]\n")
	for i, u := range f.users {
		fmt.Fprintf(&inv, "h%d ansible_host=%s ansible_user=%s %s\n", i+1, f.sshd.Addrs[i], u.Name, vars[i])
	}
	fmt.Fprintf(&inv, "[fleet:vars]\nansible_port=%d\nansible_ssh_private_key_file=%s\n", f.sshd.Port, f.sshd.Key)
	inv.WriteString("ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'\n")
	if err := os.WriteFile(filepath.Join(f.dir, "hosts"), []byte(inv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// play runs ansible-playbook (-vvv unless args start with another -v
// flag) on the fleet's controller under the local endpoint and returns its
// output, failing the test unless it exits with want.
func (f *sshFleet) play(t *testing.T, want int, args ...string) string {
	t.Helper()
	out, code := f.run(t, f.controlDir, args...)
	if code != want {
		t.Fatalf("ansible-playbook %v on %s: exit %d, want %d\n%s", args, f.controller.Suite, code, want, out)
	}
	return out
}

// playAny is play for a play whose exit code tells nothing: its tasks
// ignore their errors, or some hosts are meant to fail.
func (f *sshFleet) playAny(t *testing.T, args ...string) string {
	t.Helper()
	out, _ := f.run(t, f.controlDir, args...)
	return out
}

// run runs ansible-playbook as play does, with the ssh masters' sockets
// in controlDir, and returns its output and exit code.
func (f *sshFleet) run(t *testing.T, controlDir string, args ...string) (string, int) {
	t.Helper()
	env := []string{
		"ANSIBLE_COLLECTIONS_PATH=" + f.collections,
		"ANSIBLE_SSH_CONTROL_PATH_DIR=" + controlDir,
		"ANSIBLE_HOST_KEY_CHECKING=False",
		"ANSIBLE_FORKS=" + strconv.Itoa(max(10, len(f.users))),
		"ANSIBLE_REMOTE_TEMP=~/.ansible/tmp",
	}
	if len(args) == 0 || !strings.HasPrefix(args[0], "-v") {
		args = append([]string{"-vvv"}, args...)
	}
	cmd := append([]string{"ansible-playbook", "-i", "hosts"}, args...)
	binds := []string{f.collections, controlDir, filepath.Dir(f.sshd.Key)}
	return withLocalSTSOn(t, f.controller, binds, f.dir, env, cmd...)
}

// closeMasters stops the fleet's ssh masters: the next play logs in anew.
func (f *sshFleet) closeMasters() {
	socks, _ := filepath.Glob(filepath.Join(f.controlDir, "*"))
	for _, s := range socks {
		exec.Command("ssh", "-o", "ControlPath="+s, "-O", "exit", "stsgo-test").Run()
	}
}

// binarySum returns the SHA-256 of the collection's decompressed binary
// for platform, from its binaries/SHA256SUMS.
func (f *sshFleet) binarySum(t *testing.T, platform string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(f.collections, "ansible_collections", "stsgo", "aws", "binaries", "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^([0-9a-f]{64}) [ *]stsgo-aws_` + platform + `$`).FindSubmatch(data)
	if m == nil {
		t.Fatalf("binaries/SHA256SUMS has no stsgo-aws_%s:\n%s", platform, data)
	}
	return string(m[1])
}

// cached returns the path of a user's cached binary of the given hash.
func cached(u testenv.SSHUser, sum string) string {
	return filepath.Join(u.Home, ".ansible", "stsgo", sum, "stsgo-aws")
}

// uploads counts the binaries ansible-core put (sftp) on each host, from
// its -vvv log: "<ADDR> PUT LOCAL TO REMOTE".
func uploads(out string) map[string]int {
	n := map[string]int{}
	for _, m := range regexp.MustCompile(`(?m)^<([0-9.]+|localhost)> PUT \S*/stsgo-aws_\w+_[0-9a-f]{64} TO (\S+)`).FindAllStringSubmatch(out, -1) {
		n[m[1]]++
	}
	return n
}

// traffic runs play and returns, per host address, the bytes sent to the
// host and the round trips, as the hosts' connections counted them.
func (f *sshFleet) traffic(play func()) map[string][2]int64 {
	before := map[string][2]int64{}
	for addr, c := range f.sshd.Traffic {
		up, _, turns := c.Counts()
		before[addr] = [2]int64{up, turns}
	}
	play()
	got := map[string][2]int64{}
	for addr, c := range f.sshd.Traffic {
		up, _, turns := c.Counts()
		got[addr] = [2]int64{up - before[addr][0], turns - before[addr][1]}
	}
	return got
}

// warned reports whether ansible-core displayed a warning holding text,
// which it wraps at 80 columns.
func warned(out, text string) bool {
	return strings.Contains(strings.Join(strings.Fields(out), " "), text)
}

func fileID(t *testing.T, path string) string {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	return fmt.Sprintf("inode %d mtime %v", st.Ino, fi.ModTime())
}

func sumOf(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// scanForSecret looks, until ctx ends, through every file the users own in
// their homes and the temporary folders for secret, and reports where it
// found it.
func scanForSecret(ctx context.Context, users []testenv.SSHUser, secret string) <-chan []string {
	found := make(chan []string, 1)
	uids := map[uint32]bool{}
	roots := []string{os.TempDir(), "/var/tmp"}
	for _, u := range users {
		uids[uint32(u.UID)] = true
		roots = append(roots, u.Home)
	}
	go func() {
		seen := map[string]bool{}
		var hits []string
		for {
			for _, root := range roots {
				filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
					if err != nil || d.IsDir() || !d.Type().IsRegular() {
						return nil
					}
					fi, err := d.Info()
					if err != nil || !uids[fi.Sys().(*syscall.Stat_t).Uid] || fi.Size() > 1<<20 {
						return nil
					}
					if data, err := os.ReadFile(path); err == nil && bytes.Contains(data, []byte(secret)) && !seen[path] {
						seen[path] = true
						hits = append(hits, path)
					}
					return nil
				})
			}
			select {
			case <-ctx.Done():
				found <- hits
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return found
}

func TestCollectionSSH(t *testing.T) {
	eachSSHController(t, testCollectionSSH)
}

func testCollectionSSH(t *testing.T, c *roots.Root) {
	f := newFleet(t, c, 3)
	host := hostPlatform(t)
	sum := f.binarySum(t, host)

	t.Run("the binary crosses once per host, the arguments never land", func(t *testing.T) {
		ctx, stop := context.WithCancel(context.Background())
		hits := scanForSecret(ctx, f.users, ciSecret)
		// The compressed binary is over 3 MB; a warm task a few KB.
		var first, second string
		cold := f.traffic(func() { first = f.play(t, 0, "cache.yml") })
		ids := map[string]string{}
		for i, u := range f.users {
			if got := cold[f.sshd.Addrs[i]][0]; got < 2<<20 {
				t.Errorf("first play: %d bytes to %s, want the binary (over 2 MiB)", got, u.Name)
			}
			if got := sumOf(t, cached(u, sum)); got != sum {
				t.Errorf("%s: cached binary has SHA-256 %s, want %s", u.Name, got, sum)
			}
			ids[u.Name] = fileID(t, cached(u, sum))
		}
		if n := strings.Count(first, "stsgo-aws: sending the "+host+" binary"); n != len(f.users) || n != strings.Count(first, "bytes, xz)") {
			t.Errorf("first play: want the compressed binary sent to each of %d hosts once, the host having xz:\n%s", len(f.users), first)
		}
		if got := uploads(first); len(got) != 0 {
			t.Errorf("first play: sftp uploads %v, want none (the binary goes on stdin)", got)
		}
		warm := f.traffic(func() { second = f.play(t, 0, "cache.yml") })
		for i, u := range f.users {
			if got := warm[f.sshd.Addrs[i]][0]; got > 64<<10 {
				t.Errorf("second play: %d bytes to %s, want no binary (under 64 KiB)", got, u.Name)
			}
			if got := fileID(t, cached(u, sum)); got != ids[u.Name] {
				t.Errorf("%s: the cached binary changed: %s, then %s", u.Name, ids[u.Name], got)
			}
		}
		// A warm task is one remote command, with the arguments on stdin.
		if n := strings.Count(second, "<127.0.0.2> SSH: EXEC"); n != 2 {
			t.Errorf("second play: %d remote commands on one host for two tasks, want 2", n)
		}
		t.Logf("per host, cold play: %v; warm play: %v (bytes to the host, round trips)", cold, warm)
		stop()
		if h := <-hits; len(h) > 0 {
			t.Errorf("the secret key given as an option landed on the host: %v", h)
		}
	})

	t.Run("a tampered binary is replaced, never run", func(t *testing.T) {
		u := f.users[0]
		marker := filepath.Join(u.Home, "tampered-binary-ran")
		script := "#!/bin/sh\ntouch " + marker + "\necho '{\"changed\": false}'\n"
		if err := os.WriteFile(cached(u, sum), []byte(script), 0o700); err != nil {
			t.Fatal(err)
		}
		out := f.play(t, 0, "-l", "h1", "one.yml")
		if _, err := os.Stat(marker); err == nil {
			t.Errorf("the tampered binary ran")
		}
		if !warned(out, "did not match its SHA-256; it was replaced") {
			t.Errorf("no warning about the tampered binary:\n%s", out)
		}
		if got := sumOf(t, cached(u, sum)); got != sum {
			t.Errorf("cached binary not replaced: SHA-256 %s", got)
		}
	})

	t.Run("a cache folder writable by others is refused", func(t *testing.T) {
		// The binary goes to the next folder, remote_tmp/stsgo, and runs
		// from there; the refused one is left alone, and warned of at
		// each task.
		u := f.users[1]
		folder := filepath.Dir(cached(u, sum))
		if err := os.Chmod(folder, 0o777); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(folder, 0o700)
		before := fileID(t, cached(u, sum))
		next := filepath.Join(u.Home, ".ansible", "tmp", "stsgo", sum, "stsgo-aws")
		for _, round := range []string{"cold", "warm"} {
			out := f.play(t, 0, "-l", "h2", "one.yml")
			if !warned(out, "is not owned by the remote user or is writable by others; it was not used") {
				t.Errorf("%s: no warning about the unsafe folder:\n%s", round, out)
			}
			if got := uploads(out); len(got) != 0 {
				t.Errorf("%s: sftp uploads %v, want none\n%s", round, got, out)
			}
		}
		if got := sumOf(t, next); got != sum {
			t.Errorf("the binary in %s: SHA-256 %s, want %s", next, got, sum)
		}
		if got := fileID(t, cached(u, sum)); got != before {
			t.Errorf("the refused folder was used")
		}
	})

	t.Run("fallbacks", func(t *testing.T) {
		for name, tc := range map[string]struct {
			args []string
			want string // in the -vvv log
		}{
			"cache off":             {[]string{"-e", "stsgo_aws_cache=false", "one.yml"}, "/ansible-tmp-"},
			"cache folder unusable": {[]string{"-e", "stsgo_aws_cache_dir=/proc/stsgo", "one.yml"}, "the first folder it could use; it tried /proc/stsgo: cannot create it"},
			"paramiko":              {[]string{"-c", "paramiko", "one.yml"}, "the paramiko connection cannot pass standard input"},
			"async":                 {[]string{"async.yml"}, "stsgo-aws: async; using ansible-core's binary module path"},
		} {
			if name == "paramiko" && !hasParamiko(c) {
				// Removed from ansible-core after 2.19; async takes the same path.
				t.Logf("%s: ansible-core %s has no paramiko connection", name, c.Versions.AnsibleCore)
				continue
			}
			t.Run(name, func(t *testing.T) {
				out := f.play(t, 0, append([]string{"-l", "h3"}, tc.args...)...)
				if !warned(out, tc.want) {
					t.Errorf("log lacks %q:\n%s", tc.want, out)
				}
				if strings.Contains(name, "paramiko") || name == "async" {
					if !regexp.MustCompile(`Using module file /\S+/stsgo-aws_` + host + `_` + sum + "\n").MatchString(out) {
						t.Errorf("the host's binary was not used:\n%s", out)
					}
				}
			})
		}
	})

	t.Run("task keywords", func(t *testing.T) {
		out := f.play(t, 0, "-v", "features.yml")
		if !strings.Contains(out, "the output has been hidden due to the fact that 'no_log: true' was specified") {
			t.Errorf("no_log did not hide a result:\n%s", out)
		}
		if strings.Contains(out, `"secret_key"`) {
			t.Errorf("a secret key is displayed")
		}
	})
}

// hasParamiko reports whether controller c's ansible-core has the
// paramiko connection, which ansible-core removed after 2.19.
func hasParamiko(c *roots.Root) bool {
	_, err := os.Stat(filepath.Join(c.Dir, "usr/lib/python3/dist-packages/ansible/plugins/connection/paramiko_ssh.py"))
	return err == nil
}

// TestCollectionSSHPlatforms makes a host report another platform through
// the task's environment (a uname that prints it, first on PATH) and checks
// that it gets that platform's binary, run for real under qemu-user-static,
// or a clear failure when the collection has none.
func TestCollectionSSHPlatforms(t *testing.T) {
	eachSSHController(t, testCollectionSSHPlatforms)
}

func testCollectionSSHPlatforms(t *testing.T, c *roots.Root) {
	other := foreignLinux(t)
	f := newFleet(t, c, 1)
	u := f.users[0]
	fakeUname := func(t *testing.T, text string) string {
		bin := filepath.Join(u.Home, "fake-"+strings.ReplaceAll(text, " ", "-"))
		if err := os.MkdirAll(bin, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(bin, "uname"), []byte("#!/bin/sh\necho '"+text+"'\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf(`{"task_env": {"PATH": "%s:/usr/bin:/bin"}}`, bin)
	}

	t.Run(other.uname+" gets the "+other.platform+" binary", func(t *testing.T) {
		registerQemu(t, other)
		sum := f.binarySum(t, other.platform)
		out := f.play(t, 0, "-e", fakeUname(t, other.uname), "one.yml")
		if !strings.Contains(out, "stsgo-aws: cache absent ("+other.platform+")") {
			t.Errorf("the %s binary was not chosen:\n%s", other.platform, out)
		}
		if got := sumOf(t, cached(u, sum)); got != sum {
			t.Errorf("cached %s binary: SHA-256 %s, want %s", other.platform, got, sum)
		}
	})

	t.Run("a host without xz gets the binary uncompressed", func(t *testing.T) {
		// Every tool the remote commands use, but xz, on PATH.
		bin := filepath.Join(u.Home, "no-xz")
		if err := os.MkdirAll(bin, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, tool := range []string{"sh", "uname", "ls", "id", "mkdir", "sha256sum", "cat", "chmod", "mv", "rm"} {
			path, err := exec.LookPath(tool)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(path, filepath.Join(bin, tool)); err != nil && !os.IsExist(err) {
				t.Fatal(err)
			}
		}
		sum := f.binarySum(t, hostPlatform(t))
		out := f.play(t, 0, "-e", fmt.Sprintf(`{"task_env": {"PATH": "%s"}}`, bin), "one.yml")
		if !regexp.MustCompile(`stsgo-aws: sending the ` + hostPlatform(t) + ` binary \([0-9]+ bytes\)`).MatchString(out) {
			t.Errorf("the binary was not sent uncompressed:\n%s", out)
		}
		if got := sumOf(t, cached(u, sum)); got != sum {
			t.Errorf("cached binary: SHA-256 %s, want %s", got, sum)
		}
	})

	t.Run("an unknown platform fails clearly", func(t *testing.T) {
		out := f.play(t, 2, "-e", fakeUname(t, "Plan9 mips"), "one.yml")
		want := `stsgo.aws has no sts_assume_role binary for this host: it reports \"Plan9 mips\"; the collection has darwin_arm64, darwin_x86_64, freebsd_amd64, linux_aarch64, linux_x86_64`
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	})
}

// foreign is a Linux platform other than the host's that the collection
// has a binary for, and what runs that binary here.
type foreign struct {
	uname    string // what uname -sm prints there
	platform string // the collection's name for it
	arch     string // qemu's name for it
	machine  string // its ELF e_machine, as a binfmt_misc magic
}

// foreignLinux is the other Linux architecture of the collection: aarch64
// on an x86_64 host, x86_64 on an aarch64 one.
func foreignLinux(t *testing.T) foreign {
	t.Helper()
	switch p := runtime.GOOS + "/" + runtime.GOARCH; p {
	case "linux/amd64":
		return foreign{"Linux aarch64", "linux_aarch64", "aarch64", `\xb7\x00`}
	case "linux/arm64":
		return foreign{"Linux x86_64", "linux_x86_64", "x86_64", `\x3e\x00`}
	default:
		unsupported(t, "the collection's SSH tests run on Linux x86_64 or aarch64, not %s", p)
		return foreign{}
	}
}

// registerQemu makes the kernel run the foreign platform's ELF binaries
// under qemu-user-static, unless it already does, and undoes it at the end.
func registerQemu(t *testing.T, f foreign) {
	t.Helper()
	qemu := testenv.RequireTool(t, "qemu-"+f.arch+"-static")
	const dir = "/proc/sys/fs/binfmt_misc"
	if _, err := os.Stat(filepath.Join(dir, "qemu-"+f.arch)); err == nil {
		return
	}
	if _, err := os.Stat(filepath.Join(dir, "register")); err != nil {
		if err := exec.Command("mount", "-t", "binfmt_misc", "binfmt_misc", dir).Run(); err != nil {
			t.Fatalf("binfmt_misc is not available to run %s binaries: %v", f.arch, err)
		}
	}
	name := fmt.Sprintf("stsgo-test-%s-%d", f.arch, os.Getpid())
	rule := ":" + name + `:M::\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00` + f.machine + `:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:` + qemu + ":F"
	if err := os.WriteFile(filepath.Join(dir, "register"), []byte(rule), 0o200); err != nil {
		t.Fatalf("register %s with binfmt_misc: %v", qemu, err)
	}
	t.Cleanup(func() { os.WriteFile(filepath.Join(dir, name), []byte("-1"), 0o200) })
}

// TestCollectionSSHBecome logs in as one user and becomes another with
// sudo: the binary runs as the become user, from a cache in its home.
func TestCollectionSSHBecome(t *testing.T) {
	eachSSHController(t, testCollectionSSHBecome)
}

func testCollectionSSHBecome(t *testing.T, c *roots.Root) {
	testenv.RequireTool(t, "sudo")
	f := newFleet(t, c, 1)
	login, target := f.users[0], f.sshd.AddUser(t, "stsgob")
	rule := fmt.Sprintf("%s ALL=(%s) NOPASSWD: ALL\n", login.Name, target.Name)
	sudoers := fmt.Sprintf("/etc/sudoers.d/stsgo-test-%d", os.Getpid())
	if err := os.WriteFile(sudoers, []byte(rule), 0o440); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(sudoers) })
	sum := f.binarySum(t, hostPlatform(t))
	for _, round := range []string{"cold", "warm"} {
		var out string
		sent := f.traffic(func() { out = f.play(t, 0, "-e", "become_to="+target.Name, "become.yml") })
		if up := sent[f.sshd.Addrs[0]][0]; (round == "cold") != (up > 2<<20) {
			t.Errorf("%s: %d bytes sent\n%s", round, up, out)
		}
	}
	if got := sumOf(t, cached(target, sum)); got != sum {
		t.Errorf("the become user's cache: SHA-256 %s, want %s", got, sum)
	}
	if _, err := os.Stat(cached(login, sum)); err == nil {
		t.Errorf("the binary was cached in the login user's home")
	}

	t.Run("su falls back to ansible-core's binary module path", func(t *testing.T) {
		// su reads the password from a tty, so the arguments cannot go on
		// standard input. ansible-core's path shares its temporary files
		// with the become user through a group both are in.
		const password = "stsgo-su-test-password"
		group := fmt.Sprintf("stsgo%d", os.Getpid()%100000)
		for _, argv := range [][]string{
			{"groupadd", group},
			{"usermod", "-aG", group, login.Name},
			{"usermod", "-aG", group, target.Name},
		} {
			if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
				t.Fatalf("%v: %v\n%s", argv, err, out)
			}
			if argv[0] == "groupadd" {
				t.Cleanup(func() { exec.Command("groupdel", group).Run() })
			}
		}
		f.closeMasters() // a login from before has not joined the group
		chpasswd := exec.Command("chpasswd")
		chpasswd.Stdin = strings.NewReader(target.Name + ":" + password + "\n")
		if out, err := chpasswd.CombinedOutput(); err != nil {
			t.Fatalf("chpasswd: %v\n%s", err, out)
		}
		out := f.play(t, 0, "-e", "become_to="+target.Name, "-e", "ansible_become_method=su",
			"-e", "ansible_become_password="+password, "-e", "ansible_common_remote_group="+group, "become.yml")
		if !strings.Contains(out, "stsgo-aws: become with su cannot pass standard input; using ansible-core's binary module path") {
			t.Errorf("su did not take the fallback:\n%s", out)
		}
		if !regexp.MustCompile(`Using module file /\S+/stsgo-aws_` + hostPlatform(t) + `_` + sum + "\n").MatchString(out) {
			t.Errorf("the host's binary was not used:\n%s", out)
		}
		if !regexp.MustCompile(`su +-s /bin/sh -c|su +`+target.Name).MatchString(out) || strings.Contains(out, password) {
			t.Errorf("the module did not run through su, or the log shows the password:\n%s", out)
		}
	})
}
