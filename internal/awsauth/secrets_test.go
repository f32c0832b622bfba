package awsauth

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"ansible-sts/test/testenv"
	"github.com/google/go-cmp/cmp"
)

// clearProxies blanks the proxy variables, which testenv leaves alone.
func clearProxies(t *testing.T) {
	t.Helper()
	for _, k := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"} {
		t.Setenv(k, "")
	}
}

// distinct returns the distinct strings of s, sorted: how the no_log
// values keep them.
func distinct(s []string) []string {
	s = append([]string(nil), s...)
	sort.Strings(s)
	return slices.Compact(s)
}

// TestEnvSecrets: the secret variables and the userinfo passwords of the
// environment's URLs (the options' are internal/modules' TestInputSecrets).
func TestEnvSecrets(t *testing.T) {
	testenv.Isolate(t)
	clearProxies(t)
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID":                 "AKIDENV",
		"AWS_SECRET_ACCESS_KEY":             "secret/env+1",
		"EC2_SECRET_KEY":                    "secret-ec2",
		"AWS_SESSION_TOKEN":                 "token-env",
		"AWS_SECURITY_TOKEN":                "token-security",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-token",
		"AWS_URL":                           "https://AKIDENV:secret%2Fenv%2B1@127.0.0.1:1/",
		"AWS_ENDPOINT_URL":                  "https://user:p/ss@word@127.0.0.1:2",
		"HTTPS_PROXY":                       "http://proxyuser:proxy-pass@127.0.0.1:3",
		"AWS_REGION":                        "eu-west-1", // not a secret
	} {
		t.Setenv(k, v)
	}
	want := []string{
		"secret/env+1", // also AWS_URL's password, decoded
		"secret-ec2", "token-env", "token-security", "container-token",
		"p/ss@word",  // AWS_ENDPOINT_URL does not parse: as written (and decoded)
		"proxy-pass", // HTTPS_PROXY
	}
	if diff := cmp.Diff(distinct(want), distinct(EnvSecrets(OS()))); diff != "" {
		t.Errorf("EnvSecrets (-want +got):\n%s", diff)
	}
}

func TestLoadSecrets(t *testing.T) {
	tests := map[string]struct {
		args  string
		env   map[string]string
		files testenv.Files
		want  []string
	}{
		"profile chaining through source_profile": {
			args: `{"profile": "deploy", "region": "eu-west-1"}`,
			files: testenv.Files{
				Credentials: "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = secret-base\naws_session_token = token-base\n",
				Config:      "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\n",
			},
			want: []string{"secret-base", "token-base"},
		},
		"profile keys": {
			args:  `{"profile": "dev", "region": "eu-west-1"}`,
			files: testenv.Files{Credentials: credsFile},
			want:  []string{"secretfiledev"},
		},
		"boto config": {
			args:  `{"region": "eu-west-1"}`,
			files: testenv.Files{Boto: botoFile},
			want:  []string{"secretboto", "tokenboto"},
		},
		"token files of the chain": {
			args: `{"region": "eu-west-1"}`,
			env:  map[string]string{"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "TOKEN", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/creds"},
			want: []string{"file-token\n", "file-token"}, // as sent, and trimmed
		},
		"token files unused with explicit keys": {
			args: `{"region": "eu-west-1", "aws_access_key": "AKIDOPT", "aws_secret_key": "secretopt"}`,
			env:  map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": "TOKEN"},
			want: []string{"secretopt"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			home := testenv.Isolate(t)
			token := filepath.Join(home.Dir, "token")
			if err := os.WriteFile(token, []byte("file-token\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.env {
				t.Setenv(k, strings.ReplaceAll(v, "TOKEN", token))
			}
			home.WriteFiles(t, tc.files)
			s, _, err := Load(connection(t, tc.args), OS())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(distinct(tc.want), distinct(s.Secrets())); diff != "" {
				t.Errorf("Secrets (-want +got):\n%s", diff)
			}
		})
	}
}
