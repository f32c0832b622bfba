package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

// TestTLS runs the module against an HTTPS endpoint with a self-signed
// certificate: refused while verifying (validate_certs true, unset or
// null), accepted with verification off or with the certificate trusted
// through aws_ca_bundle or AWS_CA_BUNDLE.
func TestTLS(t *testing.T) {
	srv, pem := testenv.StartSelfSignedSTS(t, fakests.Config{Users: users})
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(bundle, pem, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		args    map[string]any
		env     []string
		wantMsg string // "" for success
	}{
		"verified, unknown authority": {
			args: map[string]any{}, wantMsg: `SSL validation failed for ` + srv.URL + `/: tls: failed to verify certificate: x509: certificate signed by unknown authority (trust its CA with aws_ca_bundle, or set validate_certs: false)`,
		},
		"validate_certs false": {args: map[string]any{"validate_certs": false}},
		// null is the default, as botocore's verify=None verifies.
		"validate_certs null verifies": {
			args: map[string]any{"validate_certs": nil}, wantMsg: `SSL validation failed for ` + srv.URL + `/: tls: failed to verify certificate: x509: certificate signed by unknown authority`,
		},
		"validate_certs null with aws_ca_bundle":      {args: map[string]any{"validate_certs": nil, "aws_ca_bundle": bundle}},
		"aws_ca_bundle":                               {args: map[string]any{"aws_ca_bundle": bundle}},
		"AWS_CA_BUNDLE":                               {args: map[string]any{}, env: []string{"AWS_CA_BUNDLE=" + bundle}},
		"validate_certs false wins over a bad bundle": {args: map[string]any{"validate_certs": false, "aws_ca_bundle": "/nonexistent.pem"}},
		"unreadable bundle": {
			args: map[string]any{"aws_ca_bundle": "/nonexistent.pem"}, wantMsg: "cannot read the CA bundle /nonexistent.pem (from option aws_ca_bundle): open /nonexistent.pem: no such file or directory",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			args := merge(ansibleKeys("sts_assume_role"), role(nil), conn(map[string]any{"ec2_url": srv.URL}), tc.args)
			r := runModule(t, "sts_assume_role", args, newHome(t).Environ(tc.env...))
			msg, _ := r.Result["msg"].(string)
			if tc.wantMsg == "" {
				if r.Code != 0 {
					t.Fatalf("failed: %s", msg)
				}
				return
			}
			if r.Code != 1 || !strings.HasPrefix(msg, tc.wantMsg) {
				t.Errorf("msg = %q, want prefix %q", msg, tc.wantMsg)
			}
		})
	}
}

// TestCABundleNotAFile: a CA bundle that is a device or a directory fails
// cleanly instead of being read without end.
func TestCABundleNotAFile(t *testing.T) {
	for _, path := range []string{"/dev/zero", t.TempDir()} {
		args := merge(ansibleKeys("sts_assume_role"), role(nil), conn(map[string]any{"ec2_url": "https://127.0.0.1:1", "aws_ca_bundle": path}))
		r := runModule(t, "sts_assume_role", args, newHome(t).Environ())
		want := "cannot read the CA bundle " + path + " (from option aws_ca_bundle): "
		if msg, _ := r.Result["msg"].(string); r.Code != 1 || !strings.HasPrefix(msg, want) {
			t.Errorf("aws_ca_bundle %s: %q, want prefix %q", path, msg, want)
		}
	}
}
