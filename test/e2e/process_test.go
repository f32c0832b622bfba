package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

const (
	procSecret = "procSecretKeyThatMustNotShow0123456789ab"
	procToken  = "procSessionTokenThatMustNotShowEither"
)

// procAnswer is a credential_process answer holding a secret key and a
// token, with the given Version and Expiration (JSON values).
func procAnswer(version, expiration string) string {
	return `{"Version": ` + version + `, "AccessKeyId": "AKIAPROCESSEXAMPLE01", "SecretAccessKey": "` + procSecret +
		`", "SessionToken": "` + procToken + `", "Expiration": ` + expiration + `}`
}

// processRun runs sts_assume_role with the short client settings (a 5 s
// deadline) and a shared config file holding config, in which $DIR is a
// directory for the command's files and $URL the endpoint's URL. It
// returns the run and the directory.
func processRun(t *testing.T, config, url string, extra map[string]any, files map[string]string) (run, string, time.Duration) {
	t.Helper()
	home := newHome(t)
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	home.Write(t, home.Config, strings.NewReplacer("$DIR", dir, "$URL", url).Replace(config))
	args := merge(ansibleKeys("sts_assume_role"), role(nil), map[string]any{"region": "us-east-1", "ec2_url": url, "aws_config": short}, extra)
	closed := testenv.ClosedURL(t)
	env := home.Environ("HTTPS_PROXY="+closed, "HTTP_PROXY="+closed, "AWS_ENDPOINT_URL_STS="+url)
	start := time.Now()
	r := runModule(t, "sts_assume_role", args, env)
	took := time.Since(start)
	assertNoSecrets(t, r, []string{procSecret, procToken})
	return r, dir, took
}

// assertGroupGone checks that no live process is left in the process
// group whose leader's pid the command wrote to pidFile (zombies, which
// the machine's init may be slow to reap, are dead).
func assertGroupGone(t *testing.T, pidFile string) {
	t.Helper()
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the command wrote no pid: %v", err)
	}
	pgid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		left = liveInGroup(t, pgid)
		if len(left) == 0 || time.Now().After(deadline) {
			break
		}
	}
	if len(left) > 0 {
		t.Errorf("processes of the credential_process's group %d outlived the module: %v", pgid, left)
	}
}

// liveInGroup lists the processes of group pgid that are not zombies.
func liveInGroup(t *testing.T, pgid int) []string {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatalf("cannot list processes: %v", err)
	}
	var live []string
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue // gone meanwhile
		}
		// pid (comm) state ppid pgrp ...; comm may hold spaces.
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) > 2 && fields[2] == strconv.Itoa(pgid) && fields[0] != "Z" {
			live = append(live, e.Name()+" "+string(stat[:strings.LastIndexByte(string(stat), ')')+1]))
		}
	}
	return live
}

// TestCredentialProcessHangs: a credential_process that never answers is
// killed, with its process group, before the module's deadline, and the
// module answers by then, directly or through a role_arn profile.
func TestCredentialProcessHangs(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: waits out hanging credential processes")
	}
	const hang = "sh -c 'echo $$ > $DIR/pid; sleep 600 & sleep 600'"
	tests := map[string]struct {
		config string
		extra  map[string]any
		want   string
	}{
		"default profile": {config: "[default]\ncredential_process = " + hang + "\n",
			want: "the credential_process of profile default did not finish within "},
		"source of a role_arn profile": {
			config: "[profile chain]\nrole_arn = " + roleARN + "\nsource_profile = proc\n[profile proc]\ncredential_process = " + hang + "\n",
			extra:  map[string]any{"profile": "chain"},
			want:   "the credential_process of profile proc did not finish within "},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r, dir, took := processRun(t, tc.config, testenv.ClosedURL(t), tc.extra, nil)
			// The deadline is 5 s, less 1.5 s, from the module's start.
			assertMsg(t, r, badInput{MsgPrefix: tc.want})
			msg, _ := r.Result["msg"].(string)
			if !regexp.MustCompile(`within 3\.[0-5]s, so it was stopped, with every process it started$`).MatchString(msg) {
				t.Errorf("msg %q, want within 3.0s to 3.5s", msg)
			}
			if took > shortWorstCase+processSlack {
				t.Errorf("the run took %v; the module's deadline is %v", took, shortWorstCase)
			}
			assertGroupGone(t, filepath.Join(dir, "pid"))
		})
	}
}

// processSlack covers starting the processes; the deadline itself is
// checked to the tenth of a second by the message.
const processSlack = 5 * time.Second

// TestCredentialProcessOutput: an answer the module cannot use fails with a
// message that names the problem and quotes none of the answer.
func TestCredentialProcessOutput(t *testing.T) {
	const prefix = "the credential_process of profile default "
	tests := map[string]struct {
		command string
		answer  string // the file answer.json, which command may cat
		want    string
	}{
		"Expiration tomorrow": {command: "cat $DIR/answer.json", answer: procAnswer("1", `"tomorrow"`),
			want: prefix + "printed an answer that could not be parsed: its Expiration is not a date and time in RFC 3339 form, such as 2026-11-22T14:00:00Z"},
		"Version a string": {command: "cat $DIR/answer.json", answer: procAnswer(`"1"`, `"2026-11-22T14:00:00Z"`),
			want: prefix + "printed an answer that could not be parsed: its Version is a string; it must be the number 1"},
		"Version 2": {command: "cat $DIR/answer.json", answer: procAnswer("2", `"2026-11-22T14:00:00Z"`),
			want: prefix + "printed an answer that could not be parsed: its Version is 2; it must be 1"},
		"cut short": {command: "head -c 100 $DIR/answer.json", answer: procAnswer("1", `"2026-11-22T14:00:00Z"`),
			want: prefix + "printed an answer that could not be parsed: it is not valid JSON (at byte 100)"},
		"100 MiB of NUL bytes": {command: "head -c 104857600 /dev/zero",
			want: prefix + "printed more than 1 MiB, so it was stopped"},
		"100 MiB of secrets": {command: "yes " + procSecret + " | head -c 104857600",
			want: prefix + "printed more than 1 MiB, so it was stopped"},
		"exit status": {command: "sh -c 'exit 3'", want: prefix + "failed: exit status 3"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			config := "[default]\ncredential_process = " + tc.command + "\n"
			r, _, took := processRun(t, config, testenv.ClosedURL(t), nil, map[string]string{"answer.json": tc.answer})
			assertMsg(t, r, badInput{Msg: tc.want})
			if len(r.Stdout) > 64<<10 {
				t.Errorf("the result is %d bytes", len(r.Stdout))
			}
			if took > fileBound {
				t.Errorf("the run took %v", took)
			}
		})
	}
}

// TestCredentialProcessSucceeds: the answer's keys are used, directly and
// as the source of a role_arn profile, and what the command left running
// in its group is killed once it has answered.
func TestCredentialProcessSucceeds(t *testing.T) {
	answer, err := json.Marshal(map[string]any{"Version": 1, "AccessKeyId": testenv.AliceKey, "SecretAccessKey": testenv.AliceSecret})
	if err != nil {
		t.Fatal(err)
	}
	const command = "sh -c 'echo $$ > $DIR/pid; sleep 600 & cat $DIR/answer.json'"
	tests := map[string]struct {
		config string
		extra  map[string]any
		calls  []string // the access key of each AssumeRole call
	}{
		"default profile": {config: "[default]\ncredential_process = " + command + "\n", calls: []string{testenv.AliceKey}},
		"source of a role_arn profile": {
			config: "[profile chain]\nrole_arn = " + roleARN + "\nsource_profile = proc\n[profile proc]\ncredential_process = " + command + "\n",
			extra:  map[string]any{"profile": "chain"},
			calls:  []string{testenv.AliceKey, "<temporary access key>"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := testenv.StartSTS(t, fakests.Config{Users: users})
			r, dir, took := processRun(t, tc.config, srv.URL, tc.extra, map[string]string{"answer.json": string(answer)})
			if r.Code != 0 {
				t.Fatalf("exit status %d: %v", r.Code, r.Result["msg"])
			}
			if took > fileBound {
				t.Errorf("the run took %v", took)
			}
			var calls []string
			for _, req := range testenv.Summary(srv.Requests()) {
				calls = append(calls, req["access_key"].(string))
			}
			if strings.Join(calls, " ") != strings.Join(tc.calls, " ") {
				t.Errorf("AssumeRole calls with keys %v, want %v", calls, tc.calls)
			}
			assertGroupGone(t, filepath.Join(dir, "pid"))
		})
	}
}

// TestCredentialProcessUnderAnsible: ansible-core waits for the module's
// stdout and stderr to close, so a leftover process holding them would
// hold the task; a hanging credential_process must not.
func TestCredentialProcessUnderAnsible(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: waits out a hanging credential process under ansible-core")
	}
	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	pidFile := filepath.Join(dir, "pid")
	content := "[profile proc]\ncredential_process = sh -c 'echo $$ > " + pidFile + "; sleep 600 & sleep 600'\n"
	if err := os.WriteFile(config, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	args := `{"profile": "proc", "role_arn": "` + roleARN + `", "role_session_name": "hang", "aws_config": {"connect_timeout": 1, "read_timeout": 1, "retries": {"total_max_attempts": 2}}}`
	start := time.Now()
	r := adhocEnv(t, []string{"AWS_CONFIG_FILE=" + config}, "sts_assume_role", args)
	took := time.Since(start)
	if msg, _ := r["msg"].(string); r["failed"] != true || !strings.HasPrefix(msg, "the credential_process of profile proc did not finish within ") {
		t.Errorf("result: %v", r)
	}
	// ansible-core's own start and end take a few seconds.
	if took > shortWorstCase+30*time.Second {
		t.Errorf("the task took %v; the module's deadline is %v", took, shortWorstCase)
	}
	assertGroupGone(t, pidFile)
}
