package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"ansible-sts/test/roots"
)

// sshController is an ansible-core that runs the SSH group's plays: this
// machine's own, or the one of a Debian root that make roots built
// (test/roots), run chrooted with the workspace bound in. Either way the
// managed hosts are this machine's sshd users, so the modules run on this
// machine's /usr/bin/python3 and boto3.
type sshController struct {
	Suite string // Debian codename: this machine's, or the root's
	Root  string // the root filesystem; "/" for this machine
	Core  string // ansible-core
	// Reference is the reference module's name, and RefCollection the
	// collection and version it comes from on this controller.
	Reference, RefCollection string
	// Python, Boto3 and Botocore are the controller's own versions: the
	// reference's only on this machine, whose python the hosts run.
	Python, Boto3, Botocore string
	// Warnings are the warnings each subject's plays printed, once each.
	Warnings map[string][]string `json:",omitempty"`

	env         *roots.Root
	collections string // the collection, installed by this controller's ansible-galaxy
}

// openControllers finds the controllers -ssh-controllers names.
func openControllers(names []string) ([]*sshController, error) {
	var out []*sshController
	for _, name := range names {
		r, err := roots.Open(name)
		if err != nil {
			return nil, fmt.Errorf("controller %s: %w", name, err)
		}
		v := r.Versions
		c := &sshController{Suite: r.Suite, Root: r.Dir, Core: v.AnsibleCore, env: r, Boto3: v.Boto3, Botocore: v.Botocore}
		// Debian's python3 is a link to the versioned binary.
		if target, err := os.Readlink(filepath.Join(r.Dir, "usr/bin/python3")); err == nil {
			c.Python = strings.TrimPrefix(filepath.Base(target), "python")
		}
		// sts_assume_role moved from community.aws to amazon.aws in
		// amazon.aws 7.0.0.
		if major, _, _ := strings.Cut(v.AmazonAWS, "."); atoi(major) >= 7 {
			c.Reference, c.RefCollection = "amazon.aws.sts_assume_role", "amazon.aws "+v.AmazonAWS
		} else {
			c.Reference, c.RefCollection = "community.aws.sts_assume_role", "community.aws "+v.CommunityAWS
		}
		out = append(out, c)
	}
	return out, nil
}

// noteWarnings keeps the warnings of a play of subject kind that c has
// not seen yet. ansible-core wraps a warning over lines of its own, up to
// the next blank line or the next line of the play's report.
func (c *sshController) noteWarnings(kind string, out []byte) {
	var text []string
	flush := func() {
		if len(text) > 0 {
			msg := strings.Join(strings.Fields(strings.Join(text, " ")), " ")
			if c.Warnings == nil {
				c.Warnings = map[string][]string{}
			}
			if !slices.Contains(c.Warnings[kind], msg) {
				c.Warnings[kind] = append(c.Warnings[kind], msg)
			}
		}
		text = nil
	}
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, "[WARNING]:"); ok {
			flush()
			text = []string{rest}
			continue
		}
		if text == nil {
			continue
		}
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "[") || strings.Contains(line, ": [") ||
			strings.HasPrefix(line, "TASK ") || strings.HasPrefix(line, "PLAY ") {
			flush()
			continue
		}
		text = append(text, line)
	}
	flush()
}

// boto names c's boto3 and botocore.
func (c *sshController) boto() string {
	return fmt.Sprintf("boto3 %s, botocore %s", c.Boto3, c.Botocore)
}

// host reports whether c is this machine's own ansible-core.
func (c *sshController) host() bool { return c.Root == "/" }

// title names c in headings and goals, e.g. "ansible-core 2.19.11 (trixie root)".
func (c *sshController) title() string {
	where := "this machine"
	switch {
	case !c.host():
		where = c.Suite + " root"
	case c.Suite != "":
		where += ", " + c.Suite
	}
	return fmt.Sprintf("ansible-core %s (%s)", c.Core, where)
}

// command runs name on c's ansible-core with env, in dir, with binds
// visible inside a root. A root gets its own PATH (test/roots adds
// Debian's, and LANG=C.UTF-8, which ansible-core 2.19 and later need):
// this machine's may name directories the root does not have.
func (c *sshController) command(ctx context.Context, binds, env []string, dir, name string, args ...string) *exec.Cmd {
	cmd := c.env.Command(ctx, binds, name, args...)
	if !c.host() {
		var kept []string
		for _, kv := range env {
			if !strings.HasPrefix(kv, "PATH=") {
				kept = append(kept, kv)
			}
		}
		env = kept
	}
	cmd.Env, cmd.Dir = env, dir
	return cmd
}

// installCollection installs the collection tarball built in the
// workspace with c's own ansible-galaxy, into a directory of c's.
func (w *workspace) installCollection(c *sshController, tarball string) error {
	c.collections = w.path("collections-" + c.Suite)
	if err := os.MkdirAll(c.collections, 0o755); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := c.command(ctx, []string{w.dir}, w.ansibleEnviron(), w.dir,
		"ansible-galaxy", "collection", "install", "-p", c.collections, tarball)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("ansible-galaxy collection install on %s: %v\n%s", c.Suite, err, out)
	}
	return nil
}

// buildCollection builds the collection tarball into the workspace.
func (w *workspace) buildCollection() (string, error) {
	dist := w.path("dist")
	cmd := exec.Command("make", "collection", "DIST="+dist)
	cmd.Env = append(os.Environ(), "HOME="+w.home)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("make collection: %v\n%s", err, out)
	}
	tarballs, _ := filepath.Glob(filepath.Join(dist, "stsgo-aws-*.tar.gz"))
	if len(tarballs) != 1 {
		return "", fmt.Errorf("make collection: %d tarballs in %s, want 1", len(tarballs), dist)
	}
	return tarballs[0], nil
}

// atoi is the number s spells, or 0.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
