package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// awsEnvPlaybook assumes the local endpoint's deploy role with session
// tags and a source identity, then runs real AWS SDK clients with
// `environment: "{{ assumed.aws_env }}"`: Debian's AWS CLI and boto3 must
// see the assumed role as their caller, and the session token under both
// its names. sts_session_token's aws_env works the same way.
const awsEnvPlaybook = `
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Assume the deploy role
      sts_assume_role:
        role_arn: arn:aws:iam::123456789012:role/deploy
        role_session_name: env-test
        policy_arns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
        tags: {team: platform}
        transitive_tag_keys: [team]
        source_identity: alice
      register: assumed
      no_log: true

    - name: The AWS CLI with aws_env
      command: /usr/bin/aws sts get-caller-identity --endpoint-url "{{ lookup('env', 'AWS_URL') }}" --query Arn --output text
      environment: "{{ assumed.aws_env }}"
      register: cli

    - name: boto3 with aws_env
      command:
        argv:
          - /usr/bin/python3
          - -c
          - |
            import os, boto3
            assert os.environ["AWS_SECURITY_TOKEN"] == os.environ["AWS_SESSION_TOKEN"]
            print(boto3.client("sts", endpoint_url=os.environ["AWS_URL"]).get_caller_identity()["Arn"])
      environment: "{{ assumed.aws_env }}"
      register: boto

    - name: A session token's aws_env
      sts_session_token:
        duration_seconds: 900
      register: session
      no_log: true

    - name: The AWS CLI with it
      command: /usr/bin/aws sts get-caller-identity --endpoint-url "{{ lookup('env', 'AWS_URL') }}" --query Arn --output text
      environment: "{{ session.aws_env }}"
      register: cli_session

    - name: Check what the clients saw
      assert:
        that:
          - cli.stdout == "arn:aws:sts::123456789012:assumed-role/deploy/env-test"
          - boto.stdout == "arn:aws:sts::123456789012:assumed-role/deploy/env-test"
          - cli_session.stdout == "arn:aws:iam::123456789012:user/ci"
          - assumed.source_identity == "alice"
          - assumed.packed_policy_size == 3
          - assumed.aws_env.AWS_ACCESS_KEY_ID == assumed.sts_creds.access_key
          - assumed.aws_env.AWS_ACCESS_KEY_ID is match("ASIA")
          - session.aws_env.AWS_SESSION_TOKEN == session.sts_creds.session_token

    - name: Report
      debug:
        msg: "callers {{ cli.stdout }} {{ boto.stdout }} {{ cli_session.stdout }}"
`

// TestAWSEnvPlaybook runs awsEnvPlaybook through ansible-playbook under
// local-sts, whose exported identity (the ci user) the environment of
// the client tasks must override.
func TestAWSEnvPlaybook(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: a playbook through ansible-core")
	}
	dir := ansibleDir(t)
	if err := os.WriteFile(filepath.Join(dir, "aws_env.yml"), []byte(awsEnvPlaybook), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code := withLocalSTS(t, dir, nil, "ansible-playbook", "-i", "localhost,", "aws_env.yml")
	if code != 0 || !strings.Contains(out, "failed=0") {
		t.Fatalf("aws_env.yml: exit %d\n%s", code, out)
	}
	const want = "callers arn:aws:sts::123456789012:assumed-role/deploy/env-test arn:aws:sts::123456789012:assumed-role/deploy/env-test arn:aws:iam::123456789012:user/ci"
	if !strings.Contains(out, want) {
		t.Errorf("aws_env.yml output lacks %q:\n%s", want, out)
	}
	if strings.Contains(out, "AWS_SECRET_ACCESS_KEY") {
		t.Errorf("the registered aws_env shows in the output:\n%s", out)
	}
}
