//go:build packaging

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"ansible-sts/test/roots"
	"ansible-sts/test/testenv"
)

// These tests run the collection on the hosts users really have: login
// shells that print at start-up, homes mounted noexec, full or read-only,
// no HOME, and userlands without GNU tools, each a user of its own on the
// real sshd. The Python module runs on the same hosts as a control.

// hostKind is one kind of managed host and what a task finds there.
type hostKind struct {
	name string
	// host is the user's set-up; xdg is a folder of the user's own, for
	// XDG_RUNTIME_DIR.
	host func(xdg string) testenv.Host
	vars string // the host's inventory variables
	// cache is where the binary lands: "" for ~/.ansible/stsgo, "xdg"
	// for $XDG_RUNTIME_DIR/stsgo, "remote_tmp" for remote_tmp/stsgo, with
	// remote_tmp then set to a folder of the user's own in /tmp.
	cache string
	// fails is what our task's message holds, cold and warm, where it
	// cannot run; empty where it succeeds.
	fails []string
	// warns is what our cold task warns of; the warm one warns of nothing.
	warns string
	// python is what the Python module does there: "ok", or "fails"
	// where ansible-core itself cannot run a module on such a host.
	python string
}

const welcome = "Welcome to this host"

// hostKinds are the hosts of TestCollectionSSHHosts. Each login shell also
// runs the remote commands (ansible_shell_executable), as /bin/sh would
// on a host where it is the system's shell.
func hostKinds(t *testing.T) []hostKind {
	busybox := testenv.BusyboxPath(t)
	noSHA256sum := testenv.PathWithout(t, "sha256sum")
	opensslOnly := testenv.PathWithout(t, "sha256sum", "shasum")
	testenv.RequireTool(t, "dash")
	testenv.RequireTool(t, "bash")
	bashrc := func(rc string) func(string) testenv.Host {
		return func(string) testenv.Host {
			return testenv.Host{Shell: "/bin/bash", Files: map[string]string{".bashrc": rc}}
		}
	}
	withPath := func(path string) func(string) testenv.Host {
		return func(string) testenv.Host { return testenv.Host{Env: map[string]string{"PATH": path}} }
	}
	mounted := func(opts string, ro bool) func(string) testenv.Host {
		return func(string) testenv.Host { return testenv.Host{Mount: opts, ReadOnly: ro} }
	}
	return []hostKind{
		{name: "dash", host: func(string) testenv.Host { return testenv.Host{Shell: "/usr/bin/dash"} },
			vars: "ansible_shell_executable=/usr/bin/dash", python: "ok"},
		{name: "bash with a chatty profile", vars: "ansible_shell_executable=/bin/bash", python: "ok",
			host: bashrc("echo '" + welcome + "'\necho 'stdin: is not a tty' >&2\n")},
		// Output after the module's own is junk, which ansible-core warns
		// of for either module.
		{name: "bash printing after each command", vars: "ansible_shell_executable=/bin/bash", python: "ok",
			host: bashrc("echo '" + welcome + "'\ntrap \"echo 'Goodbye from this host'\" EXIT\n")},
		{name: "busybox", vars: "ansible_shell_executable=" + filepath.Join(busybox, "sh"), python: "ok",
			host: func(string) testenv.Host {
				return testenv.Host{Shell: filepath.Join(busybox, "sh"), Env: map[string]string{"PATH": busybox}}
			}},
		{name: "shasum, no sha256sum", python: "ok", host: withPath(noSHA256sum)},
		{name: "openssl, no sha256sum or shasum", python: "ok", host: withPath(opensslOnly)},
		{name: "noexec home", python: "ok", host: mounted("noexec,size=64m", false),
			fails: []string{"mounted noexec", "~/.ansible/stsgo", "/.ansible/tmp/stsgo", "XDG_RUNTIME_DIR",
				"set stsgo_aws_cache_dir to a folder where the remote user may run programs"}},
		{name: "noexec home, XDG_RUNTIME_DIR", python: "ok", cache: "xdg", warns: "mounted noexec",
			host: func(xdg string) testenv.Host {
				return testenv.Host{Mount: "noexec,size=64m", Env: map[string]string{"XDG_RUNTIME_DIR": xdg}}
			}},
		{name: "3 MB home", python: "ok", host: mounted("size=3m", false),
			fails: []string{"~/.ansible/stsgo", "/.ansible/tmp/stsgo", " MB free", "needs 9.", "stsgo_aws_cache_dir"}},
		// ansible-core cannot make its temporary folder in a read-only
		// home either, unless remote_tmp points elsewhere.
		{name: "read-only home", python: "fails", host: mounted("size=16m", true),
			fails: []string{"~/.ansible/stsgo", "read-only file system", "needs 9.", "stsgo_aws_cache_dir"}},
		{name: "read-only home, remote_tmp in /tmp", python: "ok", host: mounted("size=16m", true),
			cache: "remote_tmp", warns: "read-only file system"},
		{name: "no HOME", vars: `task_env='{"HOME": ""}'`, python: "ok", host: func(string) testenv.Host { return testenv.Host{} },
			fails: []string{"HOME is not set", "stsgo_aws_cache_dir"}},
	}
}

// hostsPlay runs module once per host and shows, per host, what the task
// returned: whether it failed, its message and warnings, and the role.
const hostsPlay = `- hosts: all
  gather_facts: false
  tasks:
    - name: Assume a role
      %s:
        access_key: "{{ lookup('env', 'AWS_ACCESS_KEY_ID') }}"
        secret_key: "{{ lookup('env', 'AWS_SECRET_ACCESS_KEY') }}"
        endpoint_url: "{{ lookup('env', 'AWS_URL') }}"
        region: "{{ lookup('env', 'AWS_REGION') }}"
        role_arn: arn:aws:iam::123456789012:role/deploy
        role_session_name: "{{ inventory_hostname }}"
      environment: "{{ task_env | default({}) }}"
      register: assumed
      ignore_errors: true

    - name: Show the result
      debug:
        msg: "{{ {'failed': assumed.failed | default(false) | bool, 'msg': assumed.msg | default('') | string,
                  'arn': assumed.sts_user.arn | default(''), 'warnings': assumed.warnings | default([]),
                  'module_stdout': assumed.module_stdout | default('')} | to_json }}"
`

// taskResult is what hostsPlay shows of one host's task.
type taskResult struct {
	Failed       bool     `json:"failed"`
	Msg          string   `json:"msg"`
	ARN          string   `json:"arn"`
	Warnings     []string `json:"warnings"`
	ModuleStdout string   `json:"module_stdout"`
}

func (r taskResult) String() string {
	if !r.Failed {
		if len(r.Warnings) > 0 {
			return fmt.Sprintf("ok, warning %q", r.Warnings)
		}
		return "ok"
	}
	msg := r.Msg
	if r.ModuleStdout != "" {
		msg += " module_stdout: " + r.ModuleStdout
	}
	if len(msg) > 400 {
		msg = msg[:400] + "…"
	}
	return "failed: " + strings.ReplaceAll(msg, "\n", `\n`)
}

var (
	shownResult = regexp.MustCompile(`(?m)^ok: \[(h\d+)\] => `)
	unreachable = regexp.MustCompile(`(?m)^fatal: \[(h\d+)\]: UNREACHABLE! => `)
)

// results reads each host's taskResult from hostsPlay's output (-v). The
// debug task shows it as JSON text, or as the object itself where
// ansible-core turns text that reads as a literal back into one. A host
// ansible-core found unreachable shows none: its task failed with the
// message ansible-core gave.
func results(t *testing.T, out string) map[string]taskResult {
	t.Helper()
	got := map[string]taskResult{}
	next := func(m []int) json.RawMessage {
		var shown struct{ Msg json.RawMessage }
		if err := json.NewDecoder(strings.NewReader(out[m[1]:])).Decode(&shown); err != nil {
			t.Fatalf("the result of %s: %v\n%s", out[m[2]:m[3]], err, out)
		}
		return shown.Msg
	}
	for _, m := range unreachable.FindAllStringSubmatchIndex(out, -1) {
		var msg string
		json.Unmarshal(next(m), &msg)
		got[out[m[2]:m[3]]] = taskResult{Failed: true, Msg: "unreachable: " + msg}
	}
	for _, m := range shownResult.FindAllStringSubmatchIndex(out, -1) {
		host, raw := out[m[2]:m[3]], next(m)
		var text string
		if json.Unmarshal(raw, &text) == nil {
			raw = json.RawMessage(text)
		}
		var r taskResult
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatalf("the result of %s: %v: %s", host, err, raw)
		}
		got[host] = r
	}
	return got
}

// managedHost is one host of a hosts fleet: its kind, its user, and the
// folder its binary is cached in.
type managedHost struct {
	kind  hostKind
	user  testenv.SSHUser
	cache string
}

// newHostsFleet starts one host of each kind, host i+1 being kinds[i].
func newHostsFleet(t *testing.T, c *roots.Root, kinds []hostKind) (*sshFleet, []managedHost) {
	t.Helper()
	hosts := make([]managedHost, len(kinds))
	f := newFleetOf(t, c, len(kinds), func(s *testenv.SSHD, i int) (testenv.SSHUser, string) {
		k := kinds[i]
		xdg := filepath.Join(s.Root, fmt.Sprintf("run-h%d", i+1))
		u := s.AddHost(t, "stsgoh", k.host(xdg))
		m := managedHost{kind: k, user: u, cache: filepath.Join(u.Home, ".ansible", "stsgo")}
		vars := k.vars
		switch k.cache {
		case "xdg":
			if err := os.Mkdir(xdg, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Chown(xdg, u.UID, -1); err != nil {
				t.Fatal(err)
			}
			m.cache = filepath.Join(xdg, "stsgo")
		case "remote_tmp":
			dir := filepath.Join(os.TempDir(), "stsgo-rt-"+u.Name)
			t.Cleanup(func() { os.RemoveAll(dir) })
			vars += " ansible_remote_tmp=" + dir
			m.cache = filepath.Join(dir, "stsgo")
		}
		hosts[i] = m
		return u, vars
	})
	return f, hosts
}

// TestCollectionSSHHosts runs one task on each kind of host, cold and
// then warm, with our module and then the Python one, on each controller.
func TestCollectionSSHHosts(t *testing.T) {
	eachSSHController(t, testCollectionSSHHosts)
}

func testCollectionSSHHosts(t *testing.T, c *roots.Root) {
	kinds := hostKinds(t)
	f, hosts := newHostsFleet(t, c, kinds)
	sum := f.binarySum(t, hostPlatform(t))
	python := "amazon.aws.sts_assume_role"
	if !versionAtLeast(t, c.Versions.AmazonAWS, 7, 0) {
		python = "community.aws.sts_assume_role" // before amazon.aws 7.0.0
	}
	play := func(module string) string { return strings.ReplaceAll(module, ".", "_") + ".yml" }
	for _, m := range []string{"stsgo.aws.sts_assume_role", python} {
		if err := os.WriteFile(filepath.Join(f.dir, play(m)), fmt.Appendf(nil, hostsPlay, m), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The exit code is not checked: a host that cannot run the task fails
	// it, and ignore_errors keeps the play going.
	run := func(module string, args ...string) map[string]taskResult {
		out := f.playAny(t, append(append([]string{"-v"}, args...), play(module))...)
		got := results(t, out)
		if len(args) == 0 && len(got) != len(hosts) {
			t.Fatalf("results for %d hosts, want %d:\n%s", len(got), len(hosts), out)
		}
		if testing.Verbose() {
			t.Log(out)
		}
		return got
	}
	binary := func(m managedHost) string { return filepath.Join(m.cache, sum, "stsgo-aws") }

	cold := run("stsgo.aws.sts_assume_role")
	ids := map[string]string{}
	for i, m := range hosts {
		got := cold[fmt.Sprintf("h%d", i+1)]
		if !checkHost(t, "cold", m, got) || len(m.kind.fails) > 0 {
			continue
		}
		if m.kind.warns == "" && !ansibleJunk(got.Warnings) {
			t.Errorf("%s, cold: warnings %q, want none", m.kind.name, got.Warnings)
		}
		if m.kind.warns != "" && !strings.Contains(strings.Join(got.Warnings, " "), m.kind.warns) {
			t.Errorf("%s, cold: warnings %q, want one about %q", m.kind.name, got.Warnings, m.kind.warns)
		}
		if _, err := os.Stat(binary(m)); err != nil {
			t.Errorf("%s: the binary is not cached in %s: %v", m.kind.name, m.cache, err)
			continue
		}
		if s := sumOf(t, binary(m)); s != sum {
			t.Errorf("%s: cached binary has SHA-256 %s, want %s", m.kind.name, s, sum)
		}
		ids[m.kind.name] = fileID(t, binary(m))
	}
	warm := run("stsgo.aws.sts_assume_role")
	for i, m := range hosts {
		got := warm[fmt.Sprintf("h%d", i+1)]
		if !checkHost(t, "warm", m, got) || len(m.kind.fails) > 0 {
			continue
		}
		if !ansibleJunk(got.Warnings) {
			t.Errorf("%s, warm: warnings %q, want none", m.kind.name, got.Warnings)
		}
		if id := ids[m.kind.name]; id != "" && fileID(t, binary(m)) != id {
			t.Errorf("%s, warm: the cached binary was replaced", m.kind.name)
		}
	}
	control := run(python)
	var summary strings.Builder
	for i, m := range hosts {
		h := fmt.Sprintf("h%d", i+1)
		got := control[h]
		fmt.Fprintf(&summary, "\n%s (%s)\n    ours, cold: %s\n    ours, warm: %s\n    %s: %s", m.kind.name, h, cold[h], warm[h], python, got)
		switch {
		case m.kind.python == "ok" && (got.Failed || got.ARN != assumedARN(h)):
			t.Errorf("%s: the Python module, the control, did not succeed: %s", m.kind.name, got)
		case m.kind.python == "fails" && !got.Failed:
			t.Errorf("%s: the Python module succeeded where ansible-core was expected to fail: %s", m.kind.name, got)
		}
	}
	t.Logf("ansible-core %s, per host kind:%s", c.Versions.AnsibleCore, summary.String())

	t.Run("a noexec home runs from stsgo_aws_cache_dir", func(t *testing.T) {
		i := kindIndex(t, kinds, "noexec home")
		u, h := hosts[i].user, fmt.Sprintf("h%d", i+1)
		dir := filepath.Join(filepath.Dir(u.Home), "exec-"+u.Name)
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(dir, u.UID, -1); err != nil {
			t.Fatal(err)
		}
		for _, round := range []string{"cold", "warm"} {
			got := run("stsgo.aws.sts_assume_role", "-l", h, "-e", "stsgo_aws_cache_dir="+dir)[h]
			if got.Failed || got.ARN != assumedARN(h) || len(got.Warnings) > 0 {
				t.Errorf("%s: %s", round, got)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, sum, "stsgo-aws")); err != nil {
			t.Errorf("the binary is not cached in %s: %v", dir, err)
		}

		// The folder remounted noexec after the binary was cached there:
		// it cannot run, and no other folder can hold it.
		for _, argv := range [][]string{{"mount", "--bind", dir, dir}, {"mount", "-o", "remount,bind,noexec", dir}} {
			if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
				exec.Command("umount", dir).Run()
				t.Fatalf("%v: %v\n%s", argv, err, out)
			}
		}
		defer func() {
			if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
				t.Errorf("umount %s: %v\n%s", dir, err, out)
			}
		}()
		got := run("stsgo.aws.sts_assume_role", "-l", h, "-e", "stsgo_aws_cache_dir="+dir)[h]
		checkHost(t, "remounted noexec", managedHost{kind: hostKind{name: "noexec cache folder",
			fails: []string{dir + ": programs cannot run there (is it mounted noexec?)", "set stsgo_aws_cache_dir"}}, user: u}, got)
	})
}

func assumedARN(host string) string {
	return "arn:aws:sts::123456789012:assumed-role/deploy/" + host
}

func kindIndex(t *testing.T, kinds []hostKind, name string) int {
	t.Helper()
	for i, k := range kinds {
		if k.name == name {
			return i
		}
	}
	t.Fatalf("no host kind %q", name)
	return -1
}

// checkHost checks one host's task: it succeeds where it can, and
// otherwise fails with the message its kind expects, never a bare
// "Permission denied" or a module failure. It reports whether the task
// did what the kind expects.
func checkHost(t *testing.T, round string, m managedHost, got taskResult) bool {
	t.Helper()
	k := m.kind
	if len(k.fails) == 0 {
		if got.Failed || !strings.HasPrefix(got.ARN, "arn:aws:sts::123456789012:assumed-role/deploy/h") {
			t.Errorf("%s (%s), %s: %s", k.name, m.user.Name, round, got)
			return false
		}
		return true
	}
	if !got.Failed {
		t.Errorf("%s, %s: the task succeeded, want a failure saying %q", k.name, round, k.fails)
		return false
	}
	ok := true
	for _, want := range k.fails {
		if !strings.Contains(got.Msg, want) {
			t.Errorf("%s, %s: message lacks %q: %s", k.name, round, want, got)
			ok = false
		}
	}
	if strings.Contains(got.Msg, "MODULE FAILURE") || got.ModuleStdout != "" {
		t.Errorf("%s, %s: a module failure, want a message: %s", k.name, round, got)
		ok = false
	}
	return ok
}

// ansibleJunk reports whether every warning is ansible-core's own about
// output after a module's JSON, which it gives for any module.
func ansibleJunk(warnings []string) bool {
	for _, w := range warnings {
		if !strings.Contains(w, "junk after the JSON data") {
			return false
		}
	}
	return true
}

// TestCollectionSSHConcurrentInstall runs two plays at once against one
// user whose cache is empty, each with ssh connections of its own: both
// succeed, and the cache holds one good copy of the binary.
func TestCollectionSSHConcurrentInstall(t *testing.T) {
	eachSSHController(t, testCollectionSSHConcurrentInstall)
}

func testCollectionSSHConcurrentInstall(t *testing.T, c *roots.Root) {
	f := newFleet(t, c, 1)
	u := f.users[0]
	sum := f.binarySum(t, hostPlatform(t))
	other, err := os.MkdirTemp("", "cp")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		(&sshFleet{controlDir: other}).closeMasters()
		os.RemoveAll(other)
	})
	for round := 1; round <= 3; round++ {
		if err := os.RemoveAll(filepath.Join(u.Home, ".ansible")); err != nil {
			t.Fatal(err)
		}
		var (
			wg    sync.WaitGroup
			outs  [2]string
			codes [2]int
		)
		for i, dir := range []string{f.controlDir, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				outs[i], codes[i] = f.run(t, dir, "one.yml")
			}()
		}
		wg.Wait()
		sent := 0
		for i, out := range outs {
			if codes[i] != 0 {
				t.Errorf("round %d, play %d: exit %d\n%s", round, i+1, codes[i], out)
			}
			sent += strings.Count(out, "stsgo-aws: sending the")
		}
		entries, err := os.ReadDir(filepath.Dir(cached(u, sum)))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if want := []string{"stsgo-aws", "stsgo-aws.stamp"}; !slices.Equal(names, want) {
			t.Errorf("round %d: the cache folder holds %q, want %q", round, names, want)
		}
		if got := sumOf(t, cached(u, sum)); got != sum {
			t.Errorf("round %d: cached binary has SHA-256 %s, want %s", round, got, sum)
		}
		t.Logf("round %d: %d of the 2 plays sent the binary", round, sent)
	}
}

// TestCollectionSSHStamp counts the times the host hashes the cached
// binary (a sha256sum that logs each call, first on PATH): once at
// install, then only when the binary's stamp (inode, ctime, size) changed,
// or at every task on a host without stat.
func TestCollectionSSHStamp(t *testing.T) {
	eachSSHController(t, testCollectionSSHStamp)
}

func testCollectionSSHStamp(t *testing.T, c *roots.Root) {
	withStat := runLogged(t, hashLogged(t, testenv.PathWithout(t, "sha256sum", "uname", "stat", "id", "ls")), "uname", "stat", "id", "ls")
	noStat := hashLogged(t, testenv.PathWithout(t, "sha256sum", "stat"))
	f := newFleetOf(t, c, 1, func(s *testenv.SSHD, _ int) (testenv.SSHUser, string) {
		return s.AddHost(t, "stsgos", testenv.Host{Env: map[string]string{"PATH": withStat}}), ""
	})
	u := f.users[0]
	sum := f.binarySum(t, hostPlatform(t))
	bin := cached(u, sum)
	hashed, ran := filepath.Join(u.Home, "hashed"), filepath.Join(u.Home, "ran")
	for _, step := range []struct {
		name   string
		change func(t *testing.T)
		args   []string
		play   string // one.yml unless set
		hashes int    // of the binary, by this step's task
		warn   string // the task warns of it
		same   bool   // the binary file stays the same
		ran    string // the commands of runLogged that ran, sorted, if set
	}{
		{name: "cold: hashed once, when installed", hashes: 1},
		{name: "warm: not hashed", hashes: 0, same: true},
		// The first task asks uname; the second has its answer from the
		// controller, and checks the binary with one stat.
		{name: "warm, two tasks: one uname in the run, one stat a task", play: "cache.yml", hashes: 0, same: true,
			ran: "stat stat uname"},
		{name: "after a chmod: hashed again, kept", hashes: 1, same: true,
			change: func(t *testing.T) {
				if err := os.Chmod(bin, 0o700); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "warm again: not hashed", hashes: 0, same: true},
		{name: "a byte changed in place, size and mtime kept: replaced", hashes: 2,
			warn: "did not match its SHA-256; it was replaced",
			change: func(t *testing.T) {
				fi, err := os.Stat(bin)
				if err != nil {
					t.Fatal(err)
				}
				file, err := os.OpenFile(bin, os.O_RDWR, 0)
				if err != nil {
					t.Fatal(err)
				}
				b := make([]byte, 1)
				if _, err := file.ReadAt(b, 4096); err != nil {
					t.Fatal(err)
				}
				b[0] ^= 1
				if _, err := file.WriteAt(b, 4096); err != nil {
					t.Fatal(err)
				}
				file.Close()
				if err := os.Chtimes(bin, fi.ModTime(), fi.ModTime()); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "no stat: hashed at each task", args: []string{"-e", `{"task_env": {"PATH": "` + noStat + `"}}`}, hashes: 1, same: true},
		{name: "no stat, again", args: []string{"-e", `{"task_env": {"PATH": "` + noStat + `"}}`}, hashes: 1, same: true},
	} {
		var before string
		if step.same {
			before = fileID(t, bin)
		}
		if step.change != nil {
			step.change(t)
		}
		os.Remove(hashed)
		os.Remove(ran)
		play := step.play
		if play == "" {
			play = "one.yml"
		}
		out := f.play(t, 0, append(append([]string{"-l", "h1"}, step.args...), play)...)
		data, _ := os.ReadFile(hashed)
		if got := strings.Count(string(data), "\n"); got != step.hashes {
			t.Errorf("%s: the host hashed the binary %d times, want %d:\n%s", step.name, got, step.hashes, data)
		}
		if step.ran != "" {
			data, _ := os.ReadFile(ran)
			names := strings.Fields(string(data))
			slices.Sort(names)
			if got := strings.Join(names, " "); got != step.ran {
				t.Errorf("%s: the host's command ran %q, want %q", step.name, got, step.ran)
			}
		}
		if step.warn != "" && !warned(out, step.warn) {
			t.Errorf("%s: no warning %q:\n%s", step.name, step.warn, out)
		}
		if step.warn == "" && warned(out, "[WARNING]") {
			t.Errorf("%s: a warning, want none:\n%s", step.name, out)
		}
		if step.same && fileID(t, bin) != before {
			t.Errorf("%s: the cached binary was replaced", step.name)
		}
		if got := sumOf(t, bin); got != sum {
			t.Errorf("%s: cached binary has SHA-256 %s, want %s", step.name, got, sum)
		}
		if stamp, err := os.ReadFile(bin + ".stamp"); err != nil || len(strings.Fields(string(stamp))) < 3 {
			t.Errorf("%s: the binary's stamp: %q, %v", step.name, stamp, err)
		}
	}
}

// runLogged adds to the PATH folder dir each named command of /usr/bin,
// logging its name to ~/ran, and returns dir.
func runLogged(t *testing.T, dir string, names ...string) string {
	t.Helper()
	for _, name := range names {
		script := "#!/bin/sh\necho " + name + " >> \"$HOME/ran\"\nexec /usr/bin/" + name + " \"$@\"\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// hashLogged adds to the PATH folder dir a sha256sum that logs each file
// it hashes, but /dev/null, to ~/hashed, and returns dir.
func hashLogged(t *testing.T, dir string) string {
	t.Helper()
	real := testenv.RequireTool(t, "sha256sum")
	script := "#!/bin/sh\ncase $* in /dev/null) ;; *) echo \"$*\" >> \"$HOME/hashed\";; esac\nexec " + real + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "sha256sum"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestCollectionSSHPrune checks that installing a binary removes the
// user's binaries of other versions from that cache folder, and only
// those: folders named by a SHA-256 that pass the cache's checks.
func TestCollectionSSHPrune(t *testing.T) {
	eachSSHController(t, testCollectionSSHPrune)
}

func testCollectionSSHPrune(t *testing.T, c *roots.Root) {
	f := newFleet(t, c, 1)
	u := f.users[0]
	sum := f.binarySum(t, hostPlatform(t))
	cache := filepath.Dir(filepath.Dir(cached(u, sum)))
	// Each folder, its mode, and whether the install leaves it.
	folders := []struct {
		name string
		mode os.FileMode
		kept bool
	}{
		{strings.Repeat("a", 64), 0o700, false},
		{strings.Repeat("0", 64), 0o755, false},
		{strings.Repeat("b", 64), 0o777, true}, // writable by others: not the cache's
		{strings.Repeat("c", 63), 0o700, true}, // not a SHA-256
		{"notes", 0o700, true},
	}
	mkdir := func(path string, mode os.FileMode) {
		t.Helper()
		if err := os.MkdirAll(path, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(path, u.UID, -1); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
	}
	mkdir(filepath.Dir(cache), 0o755)
	mkdir(cache, 0o700)
	for _, d := range folders {
		mkdir(filepath.Join(cache, d.name), d.mode)
		for _, name := range []string{"stsgo-aws", "stsgo-aws.stamp"} {
			p := filepath.Join(cache, d.name, name)
			if err := os.WriteFile(p, []byte("old\n"), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Chown(p, u.UID, -1); err != nil {
				t.Fatal(err)
			}
		}
	}
	out := f.play(t, 0, "-l", "h1", "one.yml")
	if got := sumOf(t, cached(u, sum)); got != sum {
		t.Fatalf("cached binary: SHA-256 %s, want %s\n%s", got, sum, out)
	}
	for _, d := range folders {
		_, err := os.Stat(filepath.Join(cache, d.name))
		if d.kept && err != nil {
			t.Errorf("%s (mode %o) was removed: %v", d.name, d.mode, err)
		}
		if !d.kept && err == nil {
			t.Errorf("%s (mode %o), another version's binary, is still there", d.name, d.mode)
		}
	}
	// A warm task prunes nothing: the kept folders stay as they are.
	f.play(t, 0, "-l", "h1", "one.yml")
	for _, d := range folders {
		if _, err := os.Stat(filepath.Join(cache, d.name, "stsgo-aws")); d.kept && err != nil {
			t.Errorf("warm: %s lost its file: %v", d.name, err)
		}
	}
}
