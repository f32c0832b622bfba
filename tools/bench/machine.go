package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"ansible-sts/test/roots"
)

// machine describes where the benchmark ran.
type machine struct {
	CPU, Kernel, Go string
	Cores           int
	Ansible, Boto3  string
	CommunityAWS    string
	// Suite is this machine's Debian codename and Python the version of
	// its /usr/bin/python3: the managed hosts' over SSH.
	Suite, Python string
	// Load and LoadAtEnd are the 1, 5 and 15 minute load averages when
	// the run started and ended: other work on the machine shows in the
	// spread of the figures.
	Load, LoadAtEnd string
}

// describeMachine collects the machine's description and the versions of
// the reference's software.
func describeMachine(w *workspace) machine {
	m := machine{CPU: cpuModel(), Cores: runtime.NumCPU(), Go: runtime.Version()}
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(data))
	}
	m.Load = loadAverage()
	if out := w.output("ansible", "--version"); out != "" {
		m.Ansible, _, _ = strings.Cut(out, "\n")
	}
	m.Suite = roots.HostEnvironment().Suite
	m.Python = w.output(python, "--version")
	m.Boto3 = w.output(python, "-c", "import boto3, botocore; print('boto3', boto3.__version__, 'botocore', botocore.__version__)")
	m.CommunityAWS = w.output(python, "-c", "import json, ansible_collections.community.aws as c, os; "+
		"print(json.load(open(os.path.join(list(c.__path__)[0], 'MANIFEST.json')))['collection_info']['version'])")
	return m
}

// loadAverage returns the 1, 5 and 15 minute load averages, or "".
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return ""
}

// cpuModel is the first model name in /proc/cpuinfo, else the architecture.
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				return strings.TrimSpace(v)
			}
		}
	}
	return runtime.GOARCH
}

// output runs a command in the workspace's environment and returns its
// trimmed standard output, or "" if it fails.
func (w *workspace) output(name string, args ...string) string {
	cmd := exec.Command(name, args...)
	cmd.Env, cmd.Dir = w.environ(), w.dir
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
