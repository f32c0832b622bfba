package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/test/testenv"
)

// boto3Script runs under local-sts with the exported environment only: a
// client made without a region or keys finds them there. It assumes the
// demo's deploy role with session tags, a policy ARN and a source
// identity, chains into audit, and provokes two refusals; it prints the
// outcomes as JSON.
const boto3Script = `
import json, os
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

cfg = Config(retries={"total_max_attempts": 1})
user = boto3.session.Session().client("sts", endpoint_url=os.environ["AWS_URL"], config=cfg)
out = {"region": user.meta.region_name}
r = user.assume_role(RoleArn="arn:aws:iam::123456789012:role/deploy", RoleSessionName="boto3",
    Tags=[{"Key": "Project", "Value": "blue"}], TransitiveTagKeys=["Project"],
    PolicyArns=[{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}], SourceIdentity="alice")
out["deploy"] = [r["PackedPolicySize"], r["SourceIdentity"]]
c = r["Credentials"]
chained = boto3.session.Session().client("sts", endpoint_url=os.environ["AWS_URL"], config=cfg,
    aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
r = chained.assume_role(RoleArn="arn:aws:iam::123456789012:role/audit", RoleSessionName="chained")
out["audit"] = [r["PackedPolicySize"], r["SourceIdentity"]]
try:
    chained.assume_role(RoleArn="arn:aws:iam::123456789012:role/audit", RoleSessionName="refused",
        Tags=[{"Key": "project", "Value": "red"}])
except ClientError as e:
    err = e.response["Error"]
    out["error"] = [e.response["ResponseMetadata"]["HTTPStatusCode"], err.get("Type"), err["Code"], err["Message"]]
try:
    user.assume_role(RoleArn="arn:aws:iam::123456789012:role/deploy", RoleSessionName="refused",
        Tags=[{"Key": "k%02d" % i, "Value": "v"} for i in range(51)], SourceIdentity="alice smith")
except ClientError as e:
    err = e.response["Error"]
    out["validation"] = [e.response["ResponseMetadata"]["HTTPStatusCode"], err.get("Type"), err["Code"], err["Message"]]
print(json.dumps(out))
`

// TestBoto3 runs boto3 (Debian's python3-boto3) under local-sts: it finds
// the region in AWS_DEFAULT_REGION, and sends session tags, policy ARNs
// and a source identity that the endpoint checks and passes on.
func TestBoto3(t *testing.T) {
	python := "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import boto3").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("/usr/bin/python3 with boto3 (Debian's python3-boto3) is required in CI: %v", err)
		}
		t.Skipf("/usr/bin/python3 with boto3 (Debian's python3-boto3) not available: %v", err)
	}
	testenv.Isolate(t)
	var stdout, stderr bytes.Buffer
	if status := run([]string{"-region", "eu-west-1", "--", python, "-c", boto3Script}, &stdout, &stderr); status != 0 {
		t.Fatalf("status %d; stderr: %s", status, stderr.String())
	}
	var got map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("decode %q: %v", stdout.String(), err)
	}
	want := map[string]any{
		"region": "eu-west-1",
		"deploy": []any{3.0, "alice"}, // 11 bytes of tags, 39 of the policy ARN
		"audit":  []any{1.0, "alice"}, // Project=blue passed on
		"error": []any{400.0, "Sender", "InvalidParameterValue",
			"One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session."},
		// botocore checks no maximum: 51 tags reach the endpoint.
		"validation": []any{400.0, "Sender", "ValidationError",
			`2 validation errors detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50; ` +
				`Value 'alice smith' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("boto3 outcomes mismatch (-want +got):\n%s", diff)
	}
}

// TestAWSCLI runs Debian's AWS CLI (version 2) under local-sts: a second
// real client beside boto3, which reads the region only from
// AWS_DEFAULT_REGION.
func TestAWSCLI(t *testing.T) {
	// Debian's AWS CLI, by its path: the aws first on PATH may be another.
	cli := testenv.RequireTool(t, "/usr/bin/aws")
	testenv.Isolate(t)
	var stdout, stderr bytes.Buffer
	script := `exec ` + cli + ` sts get-caller-identity --endpoint-url "$AWS_URL" --query Arn --output text`
	if status := run([]string{"-region", "eu-west-1", "--", "/bin/sh", "-c", script}, &stdout, &stderr); status != 0 {
		t.Fatalf("status %d; stderr: %s", status, stderr.String())
	}
	if got := strings.TrimSpace(stdout.String()); got != ciARN {
		t.Errorf("aws sts get-caller-identity = %q, want %q", got, ciARN)
	}
}
