package awsauth

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

// TestUnverifiedReadsNoCABundle: with validate_certs false no CA bundle is
// read, wherever one is named (AWS_CA_BUNDLE, the profile's ca_bundle), as
// botocore reads none with verify=False, and the call succeeds against an
// endpoint with a self-signed certificate. The credentials come from the
// shared credentials file, so the SDK's loader runs, which reads
// AWS_CA_BUNDLE and ca_bundle on its own unless it is stopped. Verifying,
// the same bundle fails the run.
func TestUnverifiedReadsNoCABundle(t *testing.T) {
	users := []fakests.User{{AccessKeyID: "AKIDFILEDEFAULT", SecretAccessKey: "secretfiledefault"}, {AccessKeyID: "AKIDFILEDEV", SecretAccessKey: "secretfiledev"}}
	srv, _ := testenv.StartSelfSignedSTS(t, fakests.Config{Users: users})
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		env     map[string]string
		config  string
		verify  string
		wantErr string // "" for a call that succeeds
	}{
		"AWS_CA_BUNDLE missing":       {env: map[string]string{"AWS_CA_BUNDLE": "/nonexistent.pem"}, verify: "false"},
		"AWS_CA_BUNDLE a named pipe":  {env: map[string]string{"AWS_CA_BUNDLE": fifo}, verify: "false"},
		"ca_bundle missing":           {config: "[default]\nca_bundle = /nonexistent.pem\n", verify: "false"},
		"ca_bundle missing, profile":  {config: "[profile dev]\nca_bundle = /nonexistent.pem\n", env: map[string]string{"AWS_PROFILE": "dev"}, verify: "false"},
		"verifying, AWS_CA_BUNDLE":    {env: map[string]string{"AWS_CA_BUNDLE": "/nonexistent.pem"}, verify: "true", wantErr: "cannot read the CA bundle /nonexistent.pem (from env AWS_CA_BUNDLE): open /nonexistent.pem: no such file or directory"},
		"verifying, ca_bundle":        {config: "[default]\nca_bundle = /nonexistent.pem\n", verify: "true", wantErr: "cannot read the CA bundle /nonexistent.pem (from shared config [default]): open /nonexistent.pem: no such file or directory"},
		"verifying, without a bundle": {verify: "true", wantErr: "certificate signed by unknown authority"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			home := testenv.Isolate(t)
			home.WriteFiles(t, testenv.Files{Credentials: credsFile, Config: tc.config})
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			// One attempt: a certificate that fails verification would be
			// retried, as botocore retries it.
			err := callSessionToken(t, `{"validate_certs": `+tc.verify+`, "region": "us-east-1", "ec2_url": "`+srv.URL+`", "aws_config": {"retries": {"total_max_attempts": 1}}}`)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("the call failed: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

// callSessionToken builds the configuration for args and calls
// GetSessionToken with it.
func callSessionToken(t *testing.T, args string) error {
	t.Helper()
	_, cfg, err := Load(connection(t, args), OS())
	if err != nil {
		return err
	}
	_, err = sts.NewFromConfig(cfg).GetSessionToken(context.Background(), &sts.GetSessionTokenInput{})
	return err
}
