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

func TestRunOptionTable(t *testing.T) {
	testenv.Isolate(t)
	path := filepath.Join(t.TempDir(), "args")
	if err := os.WriteFile(path, []byte(`{"role_arn": "arn:aws:iam::123456789012:role/demo"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if code := run(modules.OS(), []string{path}, &out); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	var got struct{ Msg string }
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := "Unsupported parameters for (sts_session_token) module: role_arn. Supported parameters include: " +
		"aws_access_key, aws_ca_bundle, aws_config, aws_secret_key, debug_botocore_endpoint_logs, duration_seconds, " +
		"ec2_url, mfa_serial_number, mfa_token, profile, region, security_token, validate_certs (access_key, " +
		"access_token, aws_access_key_id, aws_endpoint_url, aws_profile, aws_region, aws_secret_access_key, " +
		"aws_security_token, aws_session_token, ec2_access_key, ec2_region, ec2_secret_key, endpoint_url, s3_url, " +
		"secret_key, session_token)."
	if diff := cmp.Diff(want, got.Msg); diff != "" {
		t.Errorf("msg (-want +got):\n%s", diff)
	}
}
