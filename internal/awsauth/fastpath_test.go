package awsauth

import (
	"context"
	"os"
	"strings"
	"testing"

	"ansible-sts/test/testenv"
)

// TestFastPathReadsNoFile checks that explicit keys and a region, with no
// profile in the environment, build the configuration without the SDK's
// loader: the shared files and the boto config file are directories here,
// so the loader's attempt to read them fails, as the second row shows.
// The direct path reads the shared files for the profile's endpoint
// settings only, and takes a directory for no file, as botocore does.
func TestFastPathReadsNoFile(t *testing.T) {
	tests := map[string]struct {
		args    string
		wantErr string
	}{
		"keys and region: no file read": {args: `{"aws_access_key": "AKIDOPT", "aws_secret_key": "secretopt", "region": "eu-west-1"}`},
		"keys without region: the loader reads the shared config": {
			args:    `{"aws_access_key": "AKIDOPT", "aws_secret_key": "secretopt"}`,
			wantErr: "is a directory",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			home := testenv.Isolate(t)
			for _, p := range []string{home.Config, home.Credentials, home.Boto} {
				if err := os.MkdirAll(p, 0o700); err != nil {
					t.Fatal(err)
				}
			}
			_, cfg, err := Load(connection(t, tc.args), OS())
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(cfg.ConfigSources) != 0 {
				t.Errorf("the SDK's loader ran: %d config sources", len(cfg.ConfigSources))
			}
			creds, err := cfg.Credentials.Retrieve(context.Background())
			if err != nil || creds.AccessKeyID != "AKIDOPT" {
				t.Errorf("credentials %q, %v; want the option's key", creds.AccessKeyID, err)
			}
		})
	}
}
