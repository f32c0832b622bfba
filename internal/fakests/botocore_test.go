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
	"ansible-sts/internal/testenv"
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

// pythonWithBotocore returns the path of a Python interpreter that can
// import botocore, or "" when there is none.
func pythonWithBotocore() string {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Debian's python3-boto3, the botocore ansible-core's modules use.
	out, err := exec.CommandContext(ctx, "/usr/bin/python3", "-c", "import sys, botocore; print(sys.executable)").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func TestBotocoreCompatibility(t *testing.T) {
	python := pythonWithBotocore() // before the environment is isolated
	if python == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("/usr/bin/python3 with botocore (Debian's python3-boto3) is required in CI")
		}
		t.Skip("/usr/bin/python3 with botocore (Debian's python3-boto3) not available")
	}
	testenv.Isolate(t)
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}})

	home := os.Getenv("HOME")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "-c", botocoreScript, srv.URL, alice.AccessKeyID, alice.SecretAccessKey, roleA)
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
		t.Fatalf("botocore script: %v\n%s", err, stderr)
	}
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
