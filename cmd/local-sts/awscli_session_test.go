package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/test/testenv"
)

// awsCLI runs Debian's AWS CLI under local-sts with args after
// "sts assume-role --endpoint-url $AWS_URL" and returns its exit status,
// standard output and standard error.
func awsCLI(t *testing.T, args string) (int, string, string) {
	t.Helper()
	cli := testenv.RequireTool(t, "/usr/bin/aws")
	testenv.Isolate(t)
	var stdout, stderr bytes.Buffer
	script := `exec ` + cli + ` sts assume-role --endpoint-url "$AWS_URL" --cli-connect-timeout 5 --cli-read-timeout 10 ` + args
	status := run([]string{"--", "/bin/sh", "-c", script}, &stdout, &stderr)
	return status, stdout.String(), stderr.String()
}

// TestAWSCLISession: the AWS CLI sends session tags, a policy ARN and a
// source identity in its own shapes, and reads the endpoint's answer
// (PackedPolicySize, SourceIdentity) and its refusals as STS's.
func TestAWSCLISession(t *testing.T) {
	const deploy = "--role-arn arn:aws:iam::123456789012:role/deploy --role-session-name cli "
	status, out, errOut := awsCLI(t, deploy+
		"--policy-arns arn=arn:aws:iam::aws:policy/ReadOnlyAccess --tags Key=Project,Value=blue --transitive-tag-keys Project "+
		"--source-identity alice --query '[PackedPolicySize, SourceIdentity, AssumedRoleUser.Arn]' --output json")
	if status != 0 {
		t.Fatalf("status %d; stderr: %s", status, errOut)
	}
	var got []any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("decode %q: %v", out, err)
	}
	want := []any{3.0, "alice", "arn:aws:sts::123456789012:assumed-role/deploy/cli"} // as boto3 gets it
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("assume-role answer (-want +got):\n%s", diff)
	}

	refusals := map[string]struct{ args, want string }{
		"tag keys differing in case": {"--tags Key=Project,Value=blue Key=project,Value=red",
			"An error occurred (InvalidParameterValue) when calling the AssumeRole operation: Duplicate tag keys found. Please note that Tag keys are case insensitive."},
		"a source identity with a space": {"--source-identity 'alice smith'",
			`An error occurred (ValidationError) when calling the AssumeRole operation: 1 validation error detected: Value 'alice smith' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		"a transitive key without its tag": {"--tags Key=Project,Value=blue --transitive-tag-keys Team",
			"An error occurred (InvalidParameterValue) when calling the AssumeRole operation: The specified transitive tag key must be included in the requested tags."},
	}
	for name, tc := range refusals {
		t.Run(name, func(t *testing.T) {
			status, out, errOut := awsCLI(t, deploy+tc.args)
			if status == 0 || strings.TrimSpace(errOut) != tc.want {
				t.Errorf("status %d, stdout %q, stderr %q; want a failure with %q", status, out, errOut, tc.want)
			}
		})
	}
}
