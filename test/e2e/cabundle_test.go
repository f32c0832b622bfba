package e2e

import (
	"testing"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

// TestUnverifiedIgnoresCABundle: with validate_certs false the module
// reads no CA bundle, as botocore reads none with verify=False, even when
// the credentials come from the shared credentials file (so the SDK's
// loader runs, which reads AWS_CA_BUNDLE on its own) and AWS_CA_BUNDLE
// names a file that does not exist: the call over TLS to an endpoint with
// a self-signed certificate succeeds. Verifying, the same run fails.
func TestUnverifiedIgnoresCABundle(t *testing.T) {
	srv, _ := testenv.StartSelfSignedSTS(t, fakests.Config{Users: users})
	for _, module := range []string{"sts_assume_role", "sts_session_token"} {
		for verify, wantCode := range map[bool]int{false: 0, true: 1} {
			args := merge(ansibleKeys(module), map[string]any{"region": "us-east-1", "ec2_url": srv.URL, "validate_certs": verify})
			if module == "sts_assume_role" {
				args = merge(args, role(nil))
			}
			home := newHome(t)
			home.Write(t, home.Credentials, "[default]\naws_access_key_id = "+testenv.AliceKey+"\naws_secret_access_key = "+testenv.AliceSecret+"\n")
			r := runModule(t, module, args, home.Environ("AWS_CA_BUNDLE=/nonexistent.pem"))
			msg, _ := r.Result["msg"].(string)
			if r.Code != wantCode {
				t.Errorf("%s, validate_certs %v: exit status %d (%s), want %d", module, verify, r.Code, msg, wantCode)
			}
			if wantCode == 0 && r.Result["changed"] != true {
				t.Errorf("%s, validate_certs false: not changed: %s", module, r.Stdout)
			}
		}
	}
}
