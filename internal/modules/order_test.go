package modules_test

import (
	"ansible-sts/internal/modules"
	"ansible-sts/test/testenv"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestCheckOrder: once the client is built, a run fails in botocore's
// order (checked against the reference): the parameters first, then the
// region to sign for, then the credentials. Nothing is listening on the
// endpoint; no row gets that far.
func TestCheckOrder(t *testing.T) {
	const (
		noRegion = "an STS endpoint was given but no region: set region (or AWS_REGION) to the region the endpoint signs for"
		badARN   = "Parameter validation failed:\nInvalid length for parameter RoleArn, value: 1, valid min length: 20"
		keys     = `"aws_access_key": "AKIDEXAMPLE", "aws_secret_key": "secretexample", `
	)
	tests := map[string]struct{ args, want string }{
		"parameters before the region":  {args: keys + `"role_arn": "x"`, want: badARN},
		"region before the credentials": {args: `"role_arn": "arn:aws:iam::123456789012:role/demo"`, want: noRegion},
		"region, with credentials":      {args: keys + `"role_arn": "arn:aws:iam::123456789012:role/demo"`, want: noRegion},
		"credentials last": {args: `"region": "us-east-1", "role_arn": "arn:aws:iam::123456789012:role/demo"`,
			want: "Unable to locate credentials"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			testenv.Isolate(t)
			path := filepath.Join(t.TempDir(), "args")
			args := `{` + tc.args + `, "role_session_name": "s1", "ec2_url": "http://127.0.0.1:1", "_ansible_module_name": "sts_assume_role"}`
			if err := os.WriteFile(path, []byte(args), 0o600); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			code := modules.Run(modules.AssumeRole, modules.OS(), []string{path}, &out)
			var r struct{ Msg string }
			if err := json.Unmarshal(out.Bytes(), &r); err != nil {
				t.Fatalf("%v: %s", err, out.Bytes())
			}
			if code != 1 || !bytes.HasPrefix([]byte(r.Msg), []byte(tc.want)) {
				t.Errorf("exit status %d, msg %q; want 1, %q", code, r.Msg, tc.want)
			}
		})
	}
}
