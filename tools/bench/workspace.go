package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

const (
	roleARN = "arn:aws:iam::123456789012:role/deploy"
	region  = "us-east-1"
	python  = "/usr/bin/python3" // Debian's, with ansible and boto3
)

// workspace is the temporary world every measured command runs in: a
// HOME of its own, the loopback STS server, the floor binary, an ansible
// library directory with our modules, and the arguments files.
type workspace struct {
	dir   string // temporary root, removed by close
	home  string
	srv   *testenv.STS
	bin   string // absolute directory of our module binaries
	lib   string // ansible library directory holding copies of them
	floor string // the floor binary
	repo  string // the repository root (the working directory)
	// gnuTime is set when GNU time is there to measure peak RSS.
	gnuTime bool
}

// newWorkspace sets up the workspace: it copies our modules from o.bin
// into the library directory, builds the floor program and starts the
// server. Run it from the repository root.
func newWorkspace(o options) (*workspace, error) {
	repo, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	bin, err := filepath.Abs(o.bin)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "ansible-sts-bench-")
	if err != nil {
		return nil, err
	}
	w := &workspace{dir: dir, home: filepath.Join(dir, "home"), bin: bin, lib: filepath.Join(dir, "library"), repo: repo}
	if err := w.setUp(); err != nil {
		w.close()
		return nil, err
	}
	return w, nil
}

// setUp creates the directories, the library, the floor binary and the
// server.
func (w *workspace) setUp() error {
	for _, d := range []string{w.home, w.lib, filepath.Join(w.home, ".aws"), filepath.Join(w.home, ".ansible", "tmp")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	for _, m := range modules {
		if err := copyFile(filepath.Join(w.bin, m), filepath.Join(w.lib, m)); err != nil {
			return fmt.Errorf("the module binaries (run make build first): %w", err)
		}
	}
	w.floor = filepath.Join(w.dir, "floor")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", w.floor, "./tools/bench/floor")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("build the floor program: %v\n%s", err, out)
	}
	srv, err := testenv.NewSTS(fakests.Config{
		Users:              []fakests.User{testenv.Alice()},
		MaxSessionDuration: 12 * time.Hour,
	}, nil)
	if err != nil {
		return err
	}
	w.srv = srv
	if st, err := os.Stat(timeCommand); err == nil && st.Mode()&0o111 != 0 {
		w.gnuTime = true
	}
	return nil
}

// close stops the server and removes the workspace.
func (w *workspace) close() {
	if w.srv != nil {
		w.srv.Close()
	}
	os.RemoveAll(w.dir)
}

// path returns name inside the workspace.
func (w *workspace) path(name string) string { return filepath.Join(w.dir, name) }

// environ is the whole environment of a measured command: PATH, the
// temporary HOME with the shared AWS files inside it (absent), the
// instance metadata service off, and extra.
func (w *workspace) environ(extra ...string) []string {
	return append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + w.home,
		"AWS_CONFIG_FILE=" + filepath.Join(w.home, ".aws", "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(w.home, ".aws", "credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
	}, extra...)
}

// ansibleEnviron adds what ansible-core needs to run quietly inside the
// workspace with Debian's python.
func (w *workspace) ansibleEnviron() []string {
	tmp := filepath.Join(w.home, ".ansible", "tmp")
	return w.environ(
		"ANSIBLE_NOCOLOR=1",
		"ANSIBLE_PYTHON_INTERPRETER="+python,
		"ANSIBLE_LOCAL_TEMP="+tmp,
		"ANSIBLE_REMOTE_TEMP="+tmp,
	)
}

// copyFile copies an executable.
func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o755)
}

// writeFile writes a private file.
func writeFile(path, content string) error {
	return os.WriteFile(path, []byte(content), 0o600)
}
