package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/roots"
	"ansible-sts/test/testenv"
)

// chainPlaybook is a chain of role sessions on one ansible-core: the
// first task assumes deploy with alice's keys, the second assumes audit
// with the first's credentials as its key options, the third with them in
// its environment; then the play shows them. %[1]s is the module, %[2]s
// the fake STS, %[3]s the third task's environment.
//
// The options are named as both our module and the Python one (amazon.aws
// 5 and later) accept them.
const chainPlaybook = `- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: first
      %[1]s:
        access_key: ` + testenv.AliceKey + `
        secret_key: ` + testenv.AliceSecret + `
        endpoint_url: %[2]s
        region: us-east-1
        role_arn: arn:aws:iam::123456789012:role/deploy
        role_session_name: first
      register: r1
    - name: second
      %[1]s:
        access_key: "{{ r1.sts_creds.access_key }}"
        secret_key: "{{ r1.sts_creds.secret_key }}"
        session_token: "{{ r1.sts_creds.session_token }}"
        endpoint_url: %[2]s
        region: us-east-1
        role_arn: arn:aws:iam::123456789012:role/audit
        role_session_name: second
      register: r2
    - name: third
      %[1]s:
        endpoint_url: %[2]s
        region: us-east-1
        role_arn: arn:aws:iam::123456789012:role/audit
        role_session_name: third
      environment: %[3]s
      register: r3
    - ansible.builtin.assert:
        that:
          - r2.sts_user.arn is search(':assumed-role/audit/second$')
          - r3.sts_user.arn is search(':assumed-role/audit/third$')
    - ansible.builtin.debug:
        var: r1.sts_creds.secret_key
    - ansible.builtin.debug:
        var: r1.sts_creds.session_token
    - ansible.builtin.debug:
        msg: "sha256 {{ r1.sts_creds.secret_key | hash('sha256') }}"
    - ansible.builtin.debug:
        var: r2.invocation.module_args.secret_key
`

// The third task's environment: ours returns aws_env for it; the Python
// module returns only sts_creds.
const (
	awsEnv   = `"{{ r1.aws_env }}"`
	credsEnv = `
        AWS_ACCESS_KEY_ID: "{{ r1.sts_creds.access_key }}"
        AWS_SECRET_ACCESS_KEY: "{{ r1.sts_creds.secret_key }}"
        AWS_SESSION_TOKEN: "{{ r1.sts_creds.session_token }}"`
)

// shown is how the play's debug tasks show the first session's secrets,
// as comparable across runs: "$REDACTED$", "clear" for a secret key shown
// in clear (its sha256 is the one the play prints), "clear token" for a
// token shown in clear, or the text shown.
type shown struct{ SecretKey, Token, Invocation string }

var (
	shownKey   = regexp.MustCompile(`"r1\.sts_creds\.secret_key": "([^"]*)"`)
	shownToken = regexp.MustCompile(`"r1\.sts_creds\.session_token": "([^"]*)"`)
	shownHash  = regexp.MustCompile(`"msg": "sha256 ([0-9a-f]{64})"`)
	shownInv   = regexp.MustCompile(`"r2\.invocation\.module_args\.secret_key": ("[^"]*"|\S+)`)
)

// showing reads from the play's output how it shows the first session's
// secrets and the second task's invocation.
func showing(t *testing.T, out string) shown {
	t.Helper()
	get := func(re *regexp.Regexp) string {
		m := re.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("the play shows no %s:\n%s", re, out)
		}
		return m[1]
	}
	s := shown{SecretKey: get(shownKey), Token: get(shownToken), Invocation: get(shownInv)}
	if s.SecretKey != "$REDACTED$" {
		sum := sha256.Sum256([]byte(s.SecretKey))
		if hex.EncodeToString(sum[:]) != get(shownHash) {
			t.Errorf("the secret key shown is not the one registered (its sha256 differs):\n%s", out)
		}
		s.SecretKey = "clear"
	}
	if s.Token != "$REDACTED$" && len(s.Token) > 100 {
		s.Token = "clear token"
	}
	return s
}

// TestControllerMasking runs the chain play on each ansible-core, with
// our modules and then with the Python one, and checks what the play
// shows of the first session's credentials: $REDACTED$ from 2.22, which
// masks the secrets a module lists, in clear before, and the same for
// ours as for the Python module. The credentials stay usable from 2.22
// too: the second task signs with them as options and the third through
// its environment. An older controller must never be handed the list (it
// would warn, quoting it).
func TestControllerMasking(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the chain play on every ansible-core")
	}
	envs := roots.Environments(t)
	t.Cleanup(func() { noRootMounts(t) })
	for _, r := range envs {
		t.Run(r.Suite, func(t *testing.T) {
			t.Parallel()
			masks := versionAtLeast(t, r.Versions.AnsibleCore, 2, 22)
			out, firstToken := playChain(t, r, "sts_assume_role", awsEnv)
			got := showing(t, out)
			// Before 2.21 the registered result never holds the
			// invocation; how the play says so differs by version, and
			// is compared with the Python module's below.
			want := shown{SecretKey: "clear", Token: "clear token", Invocation: got.Invocation}
			if masks {
				want = shown{SecretKey: "$REDACTED$", Token: "$REDACTED$", Invocation: `"$REDACTED$"`}
			}
			if got != want {
				t.Errorf("ours on ansible-core %s shows %+v, want %+v:\n%s", r.Versions.AnsibleCore, got, want, out)
			}
			if masks && strings.Contains(out, firstToken) {
				// Ours lists the credentials it returns: not even the
				// first task's own result shows them.
				t.Errorf("ours on ansible-core %s: the first session's token shows:\n%s", r.Versions.AnsibleCore, out)
			}
			for _, leak := range []string{testenv.AliceSecret, "_ansible_new_secrets", "internal key", "reserved key"} {
				if strings.Contains(out, leak) {
					t.Errorf("ours on ansible-core %s: the output holds %q:\n%s", r.Versions.AnsibleCore, leak, out)
				}
			}

			// sts_assume_role moved from community.aws to amazon.aws in
			// amazon.aws 7.0.0.
			python := "amazon.aws.sts_assume_role"
			if !versionAtLeast(t, r.Versions.AmazonAWS, 7, 0) {
				python = "community.aws.sts_assume_role"
			}
			out, _ = playChain(t, r, python, credsEnv)
			if ref := showing(t, out); ref != got {
				t.Errorf("on ansible-core %s ours shows %+v, %s %+v:\n%s", r.Versions.AnsibleCore, got, python, ref, out)
			}
		})
	}
}

// playChain runs chainPlaybook with module in r, against a fake STS of
// its own on loopback, with the variables that ask for the invocation
// (honoured from 2.21), and returns the output (-v) and the first
// session's token, which the second task signed with.
func playChain(t *testing.T, r *roots.Root, module, env string) (string, string) {
	t.Helper()
	const deploy = "arn:aws:iam::123456789012:role/deploy"
	srv := testenv.StartSTS(t, fakests.Config{
		Users: []fakests.User{testenv.Alice()},
		Roles: []fakests.Role{
			{ARN: deploy, Trust: []string{testenv.Alice().ARN}},
			{ARN: "arn:aws:iam::123456789012:role/audit", Trust: []string{deploy}},
		},
	})
	dir := t.TempDir()
	lib := filepath.Join(dir, "library")
	if err := os.Mkdir(lib, 0o755); err != nil {
		t.Fatal(err)
	}
	copyModules(t, lib)
	if err := os.WriteFile(filepath.Join(dir, "chain.yml"), fmt.Appendf(nil, chainPlaybook, module, srv.URL, env), 0o644); err != nil {
		t.Fatal(err)
	}
	home := testenv.NewHome(t)
	tmp := filepath.Join(home.Dir, ".ansible", "tmp")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := r.Command(ctx, []string{home.Dir, dir}, "ansible-playbook", "-v", "-i", "localhost,",
		"-e", "ansible_python_interpreter=/usr/bin/python3", "-e", "ansible_inject_invocation=true", "chain.yml")
	cmd.Env = home.Environ("ANSIBLE_NOCOLOR=1", "ANSIBLE_LOCAL_TEMP="+tmp, "ANSIBLE_REMOTE_TEMP="+tmp)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil || !strings.Contains(out.String(), "failed=0") {
		t.Fatalf("%s on ansible-core %s: %v\n%s", module, r.Versions.AnsibleCore, err, &out)
	}
	var token string
	for _, req := range srv.Requests() {
		if req.Action == "AssumeRole" && req.Params.Get("RoleSessionName") == "second" {
			token = req.SessionToken
		}
	}
	if token == "" {
		t.Fatalf("%s on ansible-core %s: the second task did not sign with a session token", module, r.Versions.AnsibleCore)
	}
	return out.String(), token
}

// versionAtLeast reports whether version (such as "2.22.0b2") is major.minor or
// later.
func versionAtLeast(t *testing.T, version string, major, minor int) bool {
	t.Helper()
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		t.Fatalf("version %q: want major.minor", version)
	}
	ma, err1 := strconv.Atoi(parts[0])
	mi, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		t.Fatalf("version %q: want major.minor", version)
	}
	return ma > major || ma == major && mi >= minor
}

// noRootMounts fails if a mount is left under the roots: each command's
// mounts go with its mount namespace.
func noRootMounts(t *testing.T) {
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
