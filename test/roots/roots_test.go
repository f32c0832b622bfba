package roots_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"ansible-sts/test/roots"
	"ansible-sts/test/testenv"
)

// minor returns the major and minor numbers of a version such as
// "2.22.0b2"; Debian testing moves, so tests pin no more than that.
func minor(t testing.TB, version string) [2]int {
	t.Helper()
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		t.Fatalf("version %q: want major.minor", version)
	}
	var mm [2]int
	for i := range mm {
		n, err := strconv.Atoi(parts[i])
		if err != nil {
			t.Fatalf("version %q: %v", version, err)
		}
		mm[i] = n
	}
	return mm
}

func atLeast(got, want [2]int) bool {
	return got[0] > want[0] || got[0] == want[0] && got[1] >= want[1]
}

// TestVersions pins which ansible-core each environment brings: the oldest
// supported (the host's 2.14), Debian stable's 2.19, whose templating and
// module transport changed, and testing's 2.21 or later.
func TestVersions(t *testing.T) {
	testenv.Isolate(t)
	want := map[string]struct {
		core  [2]int
		exact bool
	}{
		"bookworm": {core: [2]int{2, 14}, exact: true},
		"trixie":   {core: [2]int{2, 19}, exact: true},
		"forky":    {core: [2]int{2, 21}},
	}
	var seen []string
	for _, r := range roots.Environments(t) {
		t.Logf("%s (%s): %s", r.Suite, r.Dir, r.Versions)
		seen = append(seen, r.Suite)
		w, ok := want[r.Suite]
		if !ok {
			t.Errorf("%s: an environment this test does not know", r.Suite)
			continue
		}
		got := minor(t, r.Versions.AnsibleCore)
		if w.exact && got != w.core || !atLeast(got, w.core) {
			t.Errorf("%s: ansible-core %s, want %d.%d%s", r.Suite, r.Versions.AnsibleCore,
				w.core[0], w.core[1], map[bool]string{false: " or later"}[w.exact])
		}
		for name, v := range map[string]string{"amazon.aws": r.Versions.AmazonAWS, "community.aws": r.Versions.CommunityAWS,
			"boto3": r.Versions.Boto3, "botocore": r.Versions.Botocore} {
			if v == "" {
				t.Errorf("%s: no %s", r.Suite, name)
			}
		}
	}
	if want := []string{"bookworm", "trixie", "forky"}; !slices.Equal(seen, want) {
		t.Errorf("environments %v, want %v", seen, want)
	}
}

const playbook = `- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - ansible.builtin.command: /bin/true
      changed_when: false
    - ansible.builtin.debug:
        msg: "core={{ ansible_version.full }}"
`

// TestAnsibleRuns runs each environment's ansible-playbook, ansible-doc
// and a small local playbook through Root.Command, with the playbook and
// the isolated home bound in from the host.
func TestAnsibleRuns(t *testing.T) {
	testenv.Isolate(t)
	envs := roots.Environments(t)
	t.Cleanup(func() { noMounts(t) })
	for _, r := range envs {
		t.Run(r.Suite, func(t *testing.T) {
			t.Parallel()
			home := testenv.NewHome(t)
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "site.yml"), []byte(playbook), 0o644); err != nil {
				t.Fatal(err)
			}
			// run returns stdout; stderr only shows when the command fails.
			run := func(name string, args ...string) string {
				t.Helper()
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				defer cancel()
				cmd := r.Command(ctx, []string{home.Dir, dir}, name, args...)
				cmd.Env = home.Environ()
				cmd.Dir = dir
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				out, err := cmd.Output()
				if err != nil {
					t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, &stderr)
				}
				if bytes.Contains(bytes.ToLower(stderr.Bytes()), []byte("locale")) {
					t.Errorf("%s complains of the locale:\n%s", name, &stderr)
				}
				return string(out)
			}

			out := run("ansible-playbook", "--version")
			if first, _, _ := strings.Cut(out, "\n"); !strings.Contains(first, "[core "+r.Versions.AnsibleCore+"]") {
				t.Errorf("ansible-playbook --version: %q, want core %s", first, r.Versions.AnsibleCore)
			}

			// sts_assume_role moved from community.aws to amazon.aws in
			// amazon.aws 7.0.0; sts_session_token stayed.
			assumeRole := "amazon.aws.sts_assume_role"
			if minor(t, r.Versions.AmazonAWS)[0] < 7 {
				assumeRole = "community.aws.sts_assume_role"
			}
			for _, module := range []string{assumeRole, "community.aws.sts_session_token"} {
				var doc map[string]struct {
					Doc struct {
						Options map[string]any `json:"options"`
					} `json:"doc"`
				}
				if err := json.Unmarshal([]byte(run("ansible-doc", "-j", "-t", "module", module)), &doc); err != nil {
					t.Fatalf("ansible-doc -j %s: %v", module, err)
				}
				if _, ok := doc[module].Doc.Options["duration_seconds"]; !ok {
					t.Errorf("ansible-doc %s: no module with the option duration_seconds", module)
				}
			}

			out = run("ansible-playbook", "-i", "localhost,", "-e", "ansible_python_interpreter=/usr/bin/python3", filepath.Join(dir, "site.yml"))
			if !strings.Contains(out, "core="+r.Versions.AnsibleCore) {
				t.Errorf("playbook reports another ansible-core than %s:\n%s", r.Versions.AnsibleCore, out)
			}
			if !strings.Contains(out, "ok=2") || !strings.Contains(out, "failed=0") {
				t.Errorf("playbook recap, want ok=2 failed=0:\n%s", out)
			}
		})
	}
}

// TestCommandEnvironment checks that a command inside a root sees exactly
// the caller's environment, PATH and LANG added only when missing, and
// that localhost means loopback there.
func TestCommandEnvironment(t *testing.T) {
	testenv.Isolate(t)
	all := roots.All(t)
	t.Cleanup(func() { noMounts(t) })
	home := testenv.NewHome(t)
	for name, tc := range map[string]struct {
		env  []string
		want []string
	}{
		"isolated": {env: home.Environ("STSGO_MARK=1"), want: home.Environ("STSGO_MARK=1")},
		"bare": {env: []string{"HOME=" + home.Dir},
			want: []string{"HOME=" + home.Dir, "LANG=C.UTF-8", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}},
		"own LANG and PATH": {env: []string{"LANG=C", "PATH=/bin"}, want: []string{"LANG=C", "PATH=/bin"}},
	} {
		for _, r := range all {
			t.Run(name+"/"+r.Suite, func(t *testing.T) {
				cmd := r.Command(context.Background(), []string{home.Dir}, "/usr/bin/env")
				cmd.Env = tc.env
				out, err := cmd.Output()
				if err != nil {
					t.Fatalf("env: %v", err)
				}
				got := lines(out)
				want := slices.Sorted(slices.Values(tc.want))
				if !slices.Equal(got, want) {
					t.Errorf("environment inside %s:\n got %q\nwant %q", r.Suite, got, want)
				}
			})
		}
	}
	for _, r := range all {
		cmd := r.Command(context.Background(), nil, "python3", "-c",
			"import socket; print('\\n'.join({a[4][0] for a in socket.getaddrinfo('localhost', None)}))")
		cmd.Env = home.Environ()
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: resolve localhost: %v", r.Suite, err)
		}
		if got, want := lines(out), []string{"127.0.0.1", "::1"}; !slices.Equal(got, want) {
			t.Errorf("%s: localhost is %v, want %v", r.Suite, got, want)
		}
	}
}

// TestCommandKilled checks that a command's mounts are never seen on the
// host, neither while it runs nor after it is killed.
func TestCommandKilled(t *testing.T) {
	r := roots.Get(t, roots.Suites[0])
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := r.Command(ctx, []string{t.TempDir()}, "sleep", "60")
	cmd.Env = testenv.NewHome(t).Environ()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Once the command is chrooted its mounts are all made; its own view
	// of them is relative to the root.
	proc := filepath.Join("/proc", strconv.Itoa(cmd.Process.Pid))
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		if dir, _ := os.Readlink(filepath.Join(proc, "root")); dir == r.Dir {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("command not inside %s after a minute", r.Suite)
		}
	}
	if data, err := os.ReadFile(filepath.Join(proc, "mountinfo")); err != nil || !bytes.Contains(data, []byte(" /tmp rw")) {
		t.Errorf("no private /tmp inside %s: %v\n%s", r.Suite, err, data)
	}
	noMounts(t)
	cancel()
	if err := cmd.Wait(); err == nil {
		t.Error("killed command: no error")
	}
	noMounts(t)
}

// TestCommandBadBind checks that Start refuses a bind it cannot make
// safely instead of running without it.
func TestCommandBadBind(t *testing.T) {
	r := roots.Get(t, roots.Suites[0])
	for name, bind := range map[string]string{
		"relative": "tmp",
		"missing":  filepath.Join(t.TempDir(), "missing"),
		// Inside the root /var/run points at /run, which mkdir and mount
		// on the host would follow to the host's /run.
		"symlink": "/var/run",
	} {
		if err := r.Command(context.Background(), []string{bind}, "/bin/true").Run(); err == nil {
			t.Errorf("%s bind %q: no error", name, bind)
		}
	}
}

func lines(out []byte) []string {
	var l []string
	for s := bufio.NewScanner(bytes.NewReader(out)); s.Scan(); {
		l = append(l, s.Text())
	}
	slices.Sort(l)
	return l
}

// noMounts fails if a mount is left under the roots: every command's
// mounts must have gone with its mount namespace.
func noMounts(t testing.TB) {
	t.Helper()
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		// The fifth field is the mount point.
		if f := strings.Fields(line); len(f) > 4 && strings.HasPrefix(f[4], roots.Dir()+"/") {
			t.Errorf("mount left behind: %s", f[4])
		}
	}
}
