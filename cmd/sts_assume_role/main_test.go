package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"ansible-sts/internal/modules"
	"ansible-sts/test/testenv"
	"github.com/google/go-cmp/cmp"
)

// The option table, as the unsupported-parameter message lists it.
const supported = "Supported parameters include: aws_access_key, aws_ca_bundle, aws_config, aws_secret_key, " +
	"debug_botocore_endpoint_logs, duration_seconds, ec2_url, external_id, mfa_serial_number, mfa_token, policy, " +
	"policy_arns, profile, region, role_arn, role_session_name, security_token, source_identity, tags, " +
	"transitive_tag_keys, validate_certs (access_key, access_token, " +
	"aws_access_key_id, aws_endpoint_url, aws_profile, aws_region, aws_secret_access_key, aws_security_token, " +
	"aws_session_token, ec2_access_key, ec2_region, ec2_secret_key, endpoint_url, s3_url, secret_key, session_token)."

func TestRun(t *testing.T) {
	tests := map[string]struct {
		args     string // contents of the arguments file; "-" for no file at all
		wantCode int
		want     map[string]any // keys of the result to compare
	}{
		"unsupported lists every option and alias": {
			args: `{"role_arn": "arn:aws:iam::123456789012:role/demo", "role_session_name": "s", "role_name": "x"}`, wantCode: 1,
			want: map[string]any{"failed": true, "msg": "Unsupported parameters for (sts_assume_role) module: role_name. " + supported},
		},
		"check mode skips after validation": {
			args: `{"role_arn": "arn:aws:iam::123456789012:role/demo", "role_session_name": "s", "_ansible_check_mode": true, "_ansible_module_name": "community.aws.sts_assume_role"}`, wantCode: 0,
			want: map[string]any{"skipped": true, "msg": "remote module (community.aws.sts_assume_role) does not support check mode"},
		},
		"check mode still validates": {
			args: `{"_ansible_check_mode": true}`, wantCode: 1,
			want: map[string]any{"failed": true, "msg": "missing required arguments: role_arn, role_session_name"},
		},
		"mfa_token is no_log": {
			args: `{"role_arn": "arn:aws:iam::123456789012:role/demo", "role_session_name": "s", "mfa_token": "314159", "_ansible_check_mode": true}`, wantCode: 0,
			want: map[string]any{"skipped": true, "msg": "remote module (sts_assume_role) does not support check mode"},
		},
		"no arguments file": {
			args: "-", wantCode: 1,
			want: map[string]any{"failed": true, "msg": "no arguments file: run as MODULE ARGS_FILE, where ARGS_FILE is the JSON file ansible-core writes"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			testenv.Isolate(t)
			var argv []string
			if tc.args != "-" {
				path := filepath.Join(t.TempDir(), "args")
				if err := os.WriteFile(path, []byte(tc.args), 0o600); err != nil {
					t.Fatal(err)
				}
				argv = []string{path}
			}
			var out bytes.Buffer
			code := run(modules.OS(), argv, &out)
			if code != tc.wantCode {
				t.Errorf("exit status %d, want %d", code, tc.wantCode)
			}
			var got map[string]any
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("not one JSON object: %v\n%s", err, out.Bytes())
			}
			if bytes.Contains(out.Bytes(), []byte("314159")) {
				t.Error("the MFA code shows in the output")
			}
			for k := range got {
				if _, ok := tc.want[k]; !ok {
					delete(got, k)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
		})
	}
}
