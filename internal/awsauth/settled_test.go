package awsauth

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"ansible-sts/test/testenv"
)

// TestSettledNotResolvedAgain: what Load settles, the STS client uses, even
// where the SDK's loader runs (here for the shared credentials file) and
// reads the same settings again from the environment or the shared config
// file.
func TestSettledNotResolvedAgain(t *testing.T) {
	const endpoint = "http://127.0.0.1:9"
	tests := map[string]struct {
		args   string
		env    map[string]string
		config string
		check  func(t *testing.T, s Settings, o sts.Options)
	}{
		"endpoint option over AWS_ENDPOINT_URL_STS": {
			args: `{"region": "eu-west-1", "ec2_url": "` + endpoint + `"}`,
			env:  map[string]string{"AWS_ENDPOINT_URL_STS": "http://127.0.0.1:8"},
			check: func(t *testing.T, _ Settings, o sts.Options) {
				if o.BaseEndpoint == nil || *o.BaseEndpoint != endpoint {
					t.Errorf("the STS client's endpoint is %v, want %s", deref(o.BaseEndpoint), endpoint)
				}
			},
		},
		"AWS_URL over the profile's services section": {
			args:   `{"region": "eu-west-1"}`,
			env:    map[string]string{"AWS_URL": endpoint},
			config: "[default]\nservices = local\n\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1:7\n",
			check: func(t *testing.T, _ Settings, o sts.Options) {
				if o.BaseEndpoint == nil || *o.BaseEndpoint != endpoint {
					t.Errorf("the STS client's endpoint is %v, want %s", deref(o.BaseEndpoint), endpoint)
				}
			},
		},
		"the profile's services section without an endpoint of ours": {
			args:   `{"region": "eu-west-1"}`,
			config: "[default]\nservices = local\n\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1:7\n",
			check: func(t *testing.T, _ Settings, o sts.Options) {
				if o.BaseEndpoint == nil || *o.BaseEndpoint != "http://127.0.0.1:7" {
					t.Errorf("the STS client's endpoint is %v, want the shared config's", deref(o.BaseEndpoint))
				}
			},
		},
		"aws_config retries over AWS_MAX_ATTEMPTS and max_attempts (the SDK reads none beside a retryer)": {
			args:   `{"region": "eu-west-1", "aws_config": {"retries": {"total_max_attempts": 2}}}`,
			env:    map[string]string{"AWS_MAX_ATTEMPTS": "7"},
			config: "[default]\nmax_attempts = 9\n",
			check: func(t *testing.T, s Settings, o sts.Options) {
				if n := o.Retryer.MaxAttempts(); n != 2 || s.Client.MaxAttempts != 2 {
					t.Errorf("the STS client makes %d attempts, the settings say %d; want 2", n, s.Client.MaxAttempts)
				}
			},
		},
		"connect timeout over AWS_DEFAULTS_MODE": {
			args: `{"region": "eu-west-1", "aws_config": {"connect_timeout": 7}}`,
			env:  map[string]string{"AWS_DEFAULTS_MODE": "standard"},
			check: func(t *testing.T, _ Settings, o sts.Options) {
				c, ok := o.HTTPClient.(stsClient)
				if !ok {
					t.Fatalf("HTTP client %T", o.HTTPClient)
				}
				hc := c.BuildableClient
				if d := hc.GetDialer().Timeout; d != 7*time.Second {
					t.Errorf("connect timeout %v, want 7s", d)
				}
				if d := hc.GetTransport().TLSHandshakeTimeout; d != 7*time.Second {
					t.Errorf("TLS handshake timeout %v, want 7s", d)
				}
			},
		},
		"the region of the profile AWS_PROFILE names, beside key options": {
			args:   `{"aws_access_key": "AKIDOPT", "aws_secret_key": "secretopt"}`,
			env:    map[string]string{"AWS_PROFILE": "dev"},
			config: "[default]\nregion = ap-northeast-1\n\n[profile dev]\nregion = eu-central-1\n",
			check: func(t *testing.T, s Settings, o sts.Options) {
				if want := (Value{"eu-central-1", "shared config [profile dev]"}); s.Region != want || o.Region != want.Value {
					t.Errorf("region %v, the STS client's %q; want %v", s.Region, o.Region, want)
				}
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			home := testenv.Isolate(t)
			home.WriteFiles(t, testenv.Files{Credentials: credsFile, Config: tc.config})
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			s, cfg, err := Load(connection(t, tc.args), OS())
			if err != nil {
				t.Fatal(err)
			}
			if len(cfg.ConfigSources) == 0 {
				t.Fatal("the SDK's loader did not run")
			}
			tc.check(t, s, sts.NewFromConfig(cfg).Options())
		})
	}
}

// TestBotoConfigAfterTheSDKChain: the boto config file is read only when
// the SDK's chain ends where botocore's reads it, after every source of
// the shared files, login_session included.
func TestBotoConfigAfterTheSDKChain(t *testing.T) {
	tests := map[string]struct {
		config   string
		wantBoto bool
	}{
		"nothing before it":  {wantBoto: true},
		"login_session":      {config: "[default]\nlogin_session = arn:aws:iam::123456789012:user/dev\n"},
		"credential_process": {config: "[default]\ncredential_process = /bin/false\n"},
		"sso_session":        {config: "[default]\nsso_session = s\nsso_account_id = 123456789012\nsso_role_name = r\n\n[sso-session s]\nsso_region = eu-west-1\nsso_start_url = https://example.awsapps.com/start\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			home := testenv.Isolate(t)
			home.WriteFiles(t, testenv.Files{Boto: botoFile, Config: tc.config})
			s, _, err := Load(connection(t, `{"region": "eu-west-1"}`), OS())
			if err != nil {
				t.Fatal(err)
			}
			if got := s.AccessKeyID.Value == "AKIDBOTO"; got != tc.wantBoto {
				t.Errorf("boto config keys used: %v, want %v (key %v)", got, tc.wantBoto, s.AccessKeyID)
			}
		})
	}
}

func deref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}
