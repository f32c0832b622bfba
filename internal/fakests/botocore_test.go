package fakests_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

// botocoreScript calls the server through botocore: AssumeRole with user
// keys, GetCallerIdentity with the returned keys, and a call with a wrong
// secret. It prints the outcomes as JSON.
const botocoreScript = `
import json, sys
import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

url, key, secret, role = sys.argv[1:5]
session = botocore.session.get_session()
cfg = Config(retries={"total_max_attempts": 1})

def client(k, s, t=None):
    return session.create_client("sts", region_name="us-east-1", endpoint_url=url,
        aws_access_key_id=k, aws_secret_access_key=s, aws_session_token=t, config=cfg)

out = {}
r = client(key, secret).assume_role(RoleArn=role, RoleSessionName="boto-session", DurationSeconds=900)
c = r["Credentials"]
out["arn"] = r["AssumedRoleUser"]["Arn"]
out["caller"] = client(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]).get_caller_identity()["Arn"]
try:
    client(key, "wrong" + secret).get_caller_identity()
except ClientError as e:
    out["error"] = "%s %d %s" % (e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Message"])
print(json.dumps(out))
`

// requireBotocore returns Debian's Python interpreter, which the test
// needs with boto3 and botocore: without them the test fails in CI and is
// skipped elsewhere.
func requireBotocore(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Debian's python3-boto3, the botocore ansible-core's modules use.
	out, err := exec.CommandContext(ctx, "/usr/bin/python3", "-c", "import sys, boto3, botocore; print(sys.executable)").Output()
	if err == nil {
		return strings.TrimSpace(string(out))
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("/usr/bin/python3 with boto3 and botocore (Debian's python3-boto3) is required in CI: %v", err)
	}
	t.Skipf("/usr/bin/python3 with boto3 and botocore (Debian's python3-boto3) not available: %v", err)
	return ""
}

func TestBotocoreCompatibility(t *testing.T) {
	python := requireBotocore(t) // before the environment is isolated
	testenv.Isolate(t)
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}})

	stdout := runScript(t, python, botocoreScript, srv.URL, alice.AccessKeyID, alice.SecretAccessKey, roleA)
	var got map[string]string
	if err := json.Unmarshal(stdout, &got); err != nil {
		t.Fatalf("decode %q: %v", stdout, err)
	}
	want := map[string]string{
		"arn":    "arn:aws:sts::210987654321:assumed-role/deploy/boto-session",
		"caller": "arn:aws:sts::210987654321:assumed-role/deploy/boto-session",
		"error":  "SignatureDoesNotMatch 403 " + fakests.MsgSignatureDoesNotMatch,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("botocore outcomes mismatch (-want +got):\n%s", diff)
	}

	signed := regexp.MustCompile(`SignedHeaders=([^,]*)`)
	var headers []string
	for _, r := range srv.Requests() {
		if r.Caller == "" {
			// The forged call: only its metadata is kept.
			if r.Header != nil || r.Err != "SignatureDoesNotMatch" {
				t.Errorf("unauthenticated call recorded as %+v, want no headers", r)
			}
			continue
		}
		m := signed.FindStringSubmatch(r.Header.Get("Authorization"))
		if m == nil {
			t.Fatalf("no SignedHeaders in %q", r.Header.Get("Authorization"))
		}
		headers = append(headers, m[1])
	}
	wantHeaders := []string{
		"content-type;host;x-amz-date",
		"content-type;host;x-amz-date;x-amz-security-token",
	}
	if diff := cmp.Diff(wantHeaders, headers); diff != "" {
		t.Errorf("botocore signed headers mismatch (-want +got):\n%s", diff)
	}
}

// boto3SessionScript chains two AssumeRole calls through boto3 with
// session tags, policy ARNs and a source identity, and provokes refusals
// of each. It prints the outcomes as JSON.
const boto3SessionScript = `
import json, sys
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

url, key, secret, first, second, untagged = sys.argv[1:7]
cfg = Config(retries={"total_max_attempts": 1})

def client(k, s, t=None):
    return boto3.session.Session().client("sts", region_name="us-east-1", endpoint_url=url,
        aws_access_key_id=k, aws_secret_access_key=s, aws_session_token=t, config=cfg)

def error(call):
    try:
        call()
    except ClientError as e:
        err = e.response["Error"]
        return {"status": e.response["ResponseMetadata"]["HTTPStatusCode"], "type": err.get("Type"), "code": err["Code"], "message": err["Message"]}
    return None

out = {}
user = client(key, secret)
r = user.assume_role(RoleArn=first, RoleSessionName="boto-first",
    Tags=[{"Key": "Project", "Value": "blue"}, {"Key": "Stage", "Value": "dev"}], TransitiveTagKeys=["Project"],
    PolicyArns=[{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}], SourceIdentity="alice")
out["first"] = {"packed": r["PackedPolicySize"], "source_identity": r["SourceIdentity"]}
c = r["Credentials"]
chained = client(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
r = chained.assume_role(RoleArn=second, RoleSessionName="boto-second")
out["second"] = {"packed": r["PackedPolicySize"], "source_identity": r["SourceIdentity"]}
out["duplicate"] = error(lambda: user.assume_role(RoleArn=first, RoleSessionName="dup",
    Tags=[{"Key": "Team", "Value": "a"}, {"Key": "team", "Value": "b"}]))
out["conflict"] = error(lambda: chained.assume_role(RoleArn=second, RoleSessionName="conflict",
    Tags=[{"Key": "project", "Value": "red"}]))
out["source_identity"] = error(lambda: chained.assume_role(RoleArn=second, RoleSessionName="si", SourceIdentity="mallory"))
out["tag_session"] = error(lambda: user.assume_role(RoleArn=untagged, RoleSessionName="denied",
    Tags=[{"Key": "Team", "Value": "a"}]))
out["long_key"] = error(lambda: user.assume_role(RoleArn=first, RoleSessionName="long",
    Tags=[{"Key": "k" * 129, "Value": "v"}]))
print(json.dumps(out))
`

// TestBoto3SessionTags: boto3 sends session tags, policy ARNs and a source
// identity as the server reads them, parses PackedPolicySize and
// SourceIdentity from its answers, and its refusals (code, message,
// Type=Sender).
func TestBoto3SessionTags(t *testing.T) {
	python := requireBotocore(t) // before the environment is isolated
	testenv.Isolate(t)
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{ci}, Roles: sessionRoles})

	stdout := runScript(t, python, boto3SessionScript, srv.URL, ci.AccessKeyID, ci.SecretAccessKey, firstRole, secondRole, untaggedRole)
	type result struct {
		Packed         int    `json:"packed"`
		SourceIdentity string `json:"source_identity"`
	}
	type refusal struct {
		Status              int
		Type, Code, Message string
	}
	var got struct {
		First, Second       result
		Duplicate, Conflict *refusal
		SourceIdentity      *refusal `json:"source_identity"`
		TagSession          *refusal `json:"tag_session"`
		LongKey             *refusal `json:"long_key"`
	}
	if err := json.Unmarshal(stdout, &got); err != nil {
		t.Fatalf("decode %q: %v", stdout, err)
	}
	want := got
	want.First = result{Packed: 3, SourceIdentity: "alice"}  // 18 bytes of tags, 39 of the ARN
	want.Second = result{Packed: 1, SourceIdentity: "alice"} // Project=blue passed on
	want.Duplicate = &refusal{400, "Sender", "InvalidParameterValue", fakests.MsgDuplicateTagKeys}
	want.Conflict = &refusal{400, "Sender", "InvalidParameterValue", fakests.MsgTransitiveTagConflict}
	want.SourceIdentity = &refusal{400, "Sender", "ValidationError", fakests.MsgSourceIdentitySet}
	want.TagSession = &refusal{403, "Sender", "AccessDenied", "User: " + ci.ARN + " is not authorized to perform: sts:TagSession on resource: " + untaggedRole}
	want.LongKey = &refusal{400, "Sender", "ValidationError", "1 validation error detected: Value '" + strings.Repeat("k", 129) +
		"' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("boto3 outcomes mismatch (-want +got):\n%s", diff)
	}
}

// runScript runs a Python script with args in the test's isolated
// environment (see testenv.Isolate), with shared files that do not exist,
// and returns its stdout.
func runScript(t *testing.T, python, script string, args ...string) []byte {
	t.Helper()
	home := os.Getenv("HOME")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, append([]string{"-c", script}, args...)...)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + filepath.Join(home, "missing", "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "missing", "credentials"),
	}
	stdout, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("python script: %v\n%s", err, stderr)
	}
	return stdout
}
