package awsauth

import (
	"testing"

	"ansible-sts/test/testenv"
)

// TestValidateCertsNull: a null validate_certs verifies, as the Python
// modules' verify=None makes botocore verify, and keeps the CA bundle.
func TestValidateCertsNull(t *testing.T) {
	tests := map[string]struct {
		args       string
		wantVerify bool
		wantBundle string
	}{
		"null verifies":             {`{"validate_certs": null}`, true, ""},
		"null keeps the CA bundle":  {`{"validate_certs": null, "aws_ca_bundle": "/ca.pem"}`, true, "/ca.pem"},
		"unset verifies":            {`{}`, true, ""},
		"false turns it off":        {`{"validate_certs": false, "aws_ca_bundle": "/ca.pem"}`, false, ""},
		"a false string too":        {`{"validate_certs": "no"}`, false, ""},
		"null debug logs stays off": {`{"debug_botocore_endpoint_logs": null}`, true, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			testenv.Isolate(t)
			r := mustPreview(t, tc.args)
			if r.ValidateCerts != tc.wantVerify || r.CABundle.Value != tc.wantBundle {
				t.Errorf("ValidateCerts %v, CA bundle %q; want %v, %q", r.ValidateCerts, r.CABundle.Value, tc.wantVerify, tc.wantBundle)
			}
			if connection(t, tc.args).DebugLogs {
				t.Error("debug_botocore_endpoint_logs reads as true")
			}
		})
	}
}
