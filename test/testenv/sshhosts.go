package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Host describes a managed host as its user finds it: login shell, what
// the shell reads at start-up, PATH, and the file system of the home.
// The zero Host is AddUser's: /bin/sh, sshd's PATH, a home on the
// temporary folder's file system.
type Host struct {
	Shell string // login shell; /bin/sh when empty
	// Env is set in each of the user's sessions, read by sshd from
	// ~/.ssh/environment (PermitUserEnvironment): PATH, XDG_RUNTIME_DIR.
	Env map[string]string
	// Files are written into the home, owned by the user, before it is
	// made read-only: .bashrc, .profile.
	Files map[string]string
	// Mount, when set, puts the home on a tmpfs of its own mounted with
	// these options, e.g. "noexec,size=64m" or "size=3m".
	Mount string
	// ReadOnly remounts that tmpfs read-only once the files are written.
	ReadOnly bool
}

// AddHost creates a user as AddUser does, set up as h describes. A home
// of its own is unmounted, and the user's processes stopped, when the
// test ends.
func (s *SSHD) AddHost(t T, prefix string, h Host) SSHUser {
	t.Helper()
	if h.ReadOnly && h.Mount == "" {
		t.Fatal("a read-only home needs a mount of its own")
	}
	shell := h.Shell
	if shell == "" {
		shell = "/bin/sh"
	}
	userSeq++
	name := fmt.Sprintf("%s%d%d", prefix, os.Getpid()%100000, userSeq)
	home := filepath.Join(s.Root, name)
	if out, err := exec.Command("useradd", "-M", "-d", home, "-s", shell, "-p", "*", name).CombinedOutput(); err != nil {
		t.Fatalf("useradd %s: %v\n%s", name, err, out)
	}
	mounted := false
	// One cleanup, in order: the user's processes, its home's mount, the
	// user.
	t.Cleanup(func() {
		removeUser(name, func() {
			if mounted {
				if out, err := exec.Command("umount", home).CombinedOutput(); err != nil {
					exec.Command("umount", "-l", home).Run()
					fmt.Fprintf(os.Stderr, "umount %s: %v: %s (detached instead)\n", home, err, out)
				}
			}
		})
	})
	u, err := user.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	if h.Mount != "" {
		opts := fmt.Sprintf("%s,mode=0700,uid=%d,gid=%d", h.Mount, uid, gid)
		if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "stsgo-home", home).CombinedOutput(); err != nil {
			t.Fatalf("mount a tmpfs (%s) on %s: %v\n%s", opts, home, err, out)
		}
		mounted = true
	}
	if err := os.Chown(home, uid, gid); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for k, v := range h.Files {
		files[k] = v
	}
	if len(h.Env) > 0 {
		var env strings.Builder
		keys := make([]string, 0, len(h.Env))
		for k := range h.Env {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&env, "%s=%s\n", k, h.Env[k])
		}
		files[".ssh/environment"] = env.String()
	}
	for rel, content := range files {
		path := filepath.Join(home, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		for p := path; p != home; p = filepath.Dir(p) {
			if err := os.Lchown(p, uid, gid); err != nil {
				t.Fatal(err)
			}
		}
	}
	if h.ReadOnly {
		if out, err := exec.Command("mount", "-o", "remount,ro", home).CombinedOutput(); err != nil {
			t.Fatalf("remount %s read-only: %v\n%s", home, err, out)
		}
	}
	return SSHUser{Name: name, Home: home, UID: uid}
}

// BusyboxPath returns a folder, readable by every user, holding busybox
// as sh and as each of its applets: the PATH, and the login shell
// (folder/sh), of a host whose userland is busybox alone.
func BusyboxPath(t T) string {
	t.Helper()
	busybox := RequireTool(t, "busybox")
	out, err := exec.Command(busybox, "--list").Output()
	if err != nil {
		t.Fatalf("busybox --list: %v", err)
	}
	dir := OpenDir(t)
	for _, applet := range strings.Fields(string(out)) {
		if err := os.Symlink(busybox, filepath.Join(dir, applet)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// PathWithout returns a folder, readable by every user, holding a link to
// every program in /usr/bin but those named: the PATH of a host that
// lacks them.
func PathWithout(t T, missing ...string) string {
	t.Helper()
	entries, err := os.ReadDir("/usr/bin")
	if err != nil {
		t.Fatal(err)
	}
	dir := OpenDir(t)
	skip := map[string]bool{}
	for _, m := range missing {
		skip[m] = true
	}
	for _, e := range entries {
		if skip[e.Name()] {
			continue
		}
		if err := os.Symlink(filepath.Join("/usr/bin", e.Name()), filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
