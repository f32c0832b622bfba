package awsauth

import (
	"testing"

	"ansible-sts/test/testenv"
)

// BenchmarkLoad measures Load for explicit keys and a region, which needs
// no credential chain and so no SDK loader, with no shared config file and
// with one that sets endpoint settings, against the SDK's loader run for
// the same settings (AWS_PROFILE makes the loader read the profile):
//
//	go test -run '^$' -bench Load -benchmem ./internal/awsauth
func BenchmarkLoad(b *testing.B) {
	const keys = `{"aws_access_key": "AKIDOPT", "aws_secret_key": "secretopt", "region": "eu-west-1"}`
	const config = "[default]\nregion = eu-west-1\nuse_fips_endpoint = true\nsts_regional_endpoints = legacy\n\n" +
		"[profile dev]\nregion = eu-central-1\nservices = local\n\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1:9\n"
	tests := map[string]struct {
		config, profile string
	}{
		"keys and region, no config file": {},
		"keys and region, a config file":  {config: config},
		"the SDK loader, a config file":   {config: config, profile: "default"},
	}
	for name, tc := range tests {
		b.Run(name, func(b *testing.B) {
			home := testenv.Isolate(b)
			home.WriteFiles(b, testenv.Files{Config: tc.config})
			if tc.profile != "" {
				b.Setenv("AWS_PROFILE", tc.profile)
			}
			c := connection(b, keys)
			for b.Loop() {
				if _, _, err := Load(c, OS()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
