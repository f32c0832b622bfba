package roots

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// rootPath is the PATH inside a root when the caller sets none: Debian's
// default for root.
const rootPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// enter runs in the new mount namespace, on the host's file system, as
// enter ROOT N BIND1 … BINDN COMMAND [ARG …]. It mounts, then execs chroot,
// so the command keeps the pid the caller started and a kill reaches it.
// Mounts made here die with the namespace, that is when the command and
// its children have exited, however they end.
//
// Every program is named by its full path: the caller's PATH describes the
// root, not the host. The command's environment is the one the caller set,
// read back from /proc/$$/environ because sh exports a PWD of its own; PATH
// and LANG are added only when missing (ansible-core 2.19 and later refuse
// to run without a UTF-8 locale).
const enter = `set -eu
root=$1 n=$2
shift 2
/bin/mount -t proc proc "$root/proc" 2>/dev/null || /bin/mount --rbind /proc "$root/proc"
/bin/mount --rbind /dev "$root/dev"
/bin/mount --rbind /sys "$root/sys"
# A private /tmp: the mount points of binds under /tmp are made there, so
# nothing is left behind in the shared root.
/bin/mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
while [ "$n" -gt 0 ]; do
	if [ -d "$1" ]; then
		/bin/mkdir -p "$root$1"
	else
		/bin/mkdir -p "$root${1%/*}"
		: >>"$root$1"
	fi
	/bin/mount --rbind "$1" "$root$1"
	shift
	n=$((n - 1))
done
had() { /bin/grep -qz "^$1=" /proc/$$/environ; }
unset_pwd="-u PWD"
had PWD && unset_pwd=
had PATH || export PATH=` + rootPath + `
had LANG || export LANG=C.UTF-8
# The command starts in the caller's directory when it is visible inside
# (bound), else in /.
wd=$(pwd)
[ -d "$root$wd" ] || wd=/
exec /usr/sbin/chroot "$root" /usr/bin/env $unset_pwd --chdir="$wd" -- "$@"
`

// Command returns a command that runs name with args inside r, the way
// exec.CommandContext does on the host: set Env, Dir, Stdout and so on as
// usual. Env is the command's whole environment, plus PATH and LANG=C.UTF-8
// when it lacks them; pass the isolated one (testenv.Home.Environ). binds
// are host directories or files to show inside r at the same absolute
// paths, so a test passes host paths unchanged. Dir takes effect inside
// only when it is visible there (bound); else the command starts in /.
//
// On the host (Host) binds are already in place, and Command is
// exec.CommandContext: Env is used as set. A bad bind is reported by
// Start, as exec reports a missing program.
func (r *Root) Command(ctx context.Context, binds []string, name string, args ...string) *exec.Cmd {
	if r.Host() {
		return exec.CommandContext(ctx, name, args...)
	}
	binds, err := r.checkBinds(binds)
	unshare, lookErr := exec.LookPath("unshare")
	if err == nil {
		err = lookErr
	}
	// Each command gets its own mount namespace with private propagation:
	// its mounts are seen by nobody else and undone by the kernel when it
	// ends, so tests run side by side and a killed test leaves none behind.
	argv := append([]string{"--mount", "--propagation", "private", "/bin/sh", "-c", enter, "enter",
		r.Dir, strconv.Itoa(len(binds))}, binds...)
	cmd := exec.CommandContext(ctx, unshare, append(append(argv, name), args...)...)
	if err != nil {
		cmd.Err = fmt.Errorf("run %s in %s: %w", name, r.Suite, err)
	}
	return cmd
}

// checkBinds cleans and sorts binds, parents before children, so a bind
// inside another lands on top of it.
func (r *Root) checkBinds(binds []string) ([]string, error) {
	var clean []string
	for _, b := range binds {
		if !filepath.IsAbs(b) {
			return nil, fmt.Errorf("bind %q: not an absolute path", b)
		}
		b = filepath.Clean(b)
		if _, err := os.Stat(b); err != nil {
			return nil, fmt.Errorf("bind %q: %w", b, err)
		}
		if err := r.noSymlink(b); err != nil {
			return nil, err
		}
		clean = append(clean, b)
	}
	slices.Sort(clean)
	return slices.Compact(clean), nil
}

// noSymlink refuses a bind whose path inside the root passes through a
// symbolic link: mkdir and mount on the host would follow its absolute
// target out of the root and onto the host. /tmp is exempt: each command
// gets a fresh tmpfs there.
func (r *Root) noSymlink(path string) error {
	if path == "/tmp" || strings.HasPrefix(path, "/tmp/") {
		return nil
	}
	p := r.Dir
	for _, part := range strings.Split(strings.TrimPrefix(path, "/"), "/") {
		p = filepath.Join(p, part)
		fi, err := os.Lstat(p)
		if os.IsNotExist(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("bind %q: %w", path, err)
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			return fmt.Errorf("bind %q: %s is a symbolic link inside the root", path, strings.TrimPrefix(p, r.Dir))
		}
	}
	return nil
}
