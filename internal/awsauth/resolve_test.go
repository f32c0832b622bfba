package awsauth

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/test/testenv"
)

const (
	credsFile = "[default]\naws_access_key_id = AKIDFILEDEFAULT\naws_secret_access_key = secretfiledefault\n\n" +
		"[dev]\naws_access_key_id = AKIDFILEDEV\naws_secret_access_key = secretfiledev\n\n" +
		"[ops]\naws_access_key_id = AKIDFILEOPS\naws_secret_access_key = secretfileops\n"
	configFile = "[default]\nregion = ap-northeast-1\n\n[profile dev]\nregion = eu-central-1\n"
	botoFile   = "[Credentials]\naws_access_key_id = AKIDBOTO\naws_secret_access_key = secretboto\naws_security_token = tokenboto\n"
)

// want is what a row expects: each value with its source. Keys empty when
// they come from the SDK's chain; ChainKey is then the key it found.
type want struct {
	AccessKey, Token, Region, Endpoint, Profile Value
	ChainKey                                    string
	Err                                         string
}

func TestPrecedence(t *testing.T) {
	keyEnv := map[string]string{"AWS_ACCESS_KEY_ID": "AKIDENV1", "AWS_SECRET_ACCESS_KEY": "secretenv1"}
	with := func(base map[string]string, kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	region := `"region": "us-west-2", `
	regionWant := Value{"us-west-2", "option region"}
	tests := map[string]struct {
		args  string
		env   map[string]string
		files testenv.Files // written into the test's home before resolving
		want  want
	}{
		// Access key, secret key, token.
		"key option beats env": {
			args: region + `"aws_access_key": "AKIDOPT", "aws_secret_key": "secretopt"`, env: keyEnv,
			want: want{AccessKey: Value{"AKIDOPT", "option aws_access_key"}, Region: regionWant},
		},
		"key alias option": {
			args: region + `"aws_access_key_id": "AKIDOPT", "aws_secret_access_key": "secretopt"`,
			want: want{AccessKey: Value{"AKIDOPT", "option aws_access_key_id"}, Region: regionWant},
		},
		"empty option falls through to env": {
			args: region + `"aws_access_key": "", "aws_secret_key": ""`, env: keyEnv,
			want: want{AccessKey: Value{"AKIDENV1", "env AWS_ACCESS_KEY_ID"}, Region: regionWant},
		},
		"AWS_ACCESS_KEY_ID beats AWS_ACCESS_KEY": {
			args: region, env: with(keyEnv, "AWS_ACCESS_KEY", "AKIDENV2", "AWS_SECRET_KEY", "secretenv2"),
			want: want{AccessKey: Value{"AKIDENV1", "env AWS_ACCESS_KEY_ID"}, Region: regionWant},
		},
		"AWS_ACCESS_KEY": {
			args: region, env: map[string]string{"AWS_ACCESS_KEY": "AKIDENV2", "AWS_SECRET_KEY": "secretenv2", "EC2_ACCESS_KEY": "AKIDENV3", "EC2_SECRET_KEY": "s"},
			want: want{AccessKey: Value{"AKIDENV2", "env AWS_ACCESS_KEY"}, Region: regionWant},
		},
		"empty first variable, second set": {
			args: region, env: map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_ACCESS_KEY": "AKIDENV2", "AWS_SECRET_ACCESS_KEY": "", "AWS_SECRET_KEY": "secretenv2"},
			want: want{AccessKey: Value{"AKIDENV2", "env AWS_ACCESS_KEY"}, Region: regionWant},
		},
		"EC2_ACCESS_KEY": {
			args: region, env: map[string]string{"EC2_ACCESS_KEY": "AKIDENV3", "EC2_SECRET_KEY": "secretenv3", "EC2_SECURITY_TOKEN": "tokenenv3"},
			want: want{AccessKey: Value{"AKIDENV3", "env EC2_ACCESS_KEY"}, Token: Value{"tokenenv3", "env EC2_SECURITY_TOKEN"}, Region: regionWant},
		},
		"env keys beat the boto file": {
			args: region, env: keyEnv, files: testenv.Files{Boto: botoFile},
			want: want{AccessKey: Value{"AKIDENV1", "env AWS_ACCESS_KEY_ID"}, Region: regionWant},
		},
		"shared credentials beat the boto file, as in botocore's chain": {
			args: region, files: testenv.Files{Boto: botoFile, Credentials: credsFile},
			want: want{Region: regionWant, ChainKey: "AKIDFILEDEFAULT"},
		},
		"boto file [Credentials]": {
			args: region, files: testenv.Files{Boto: botoFile, Config: configFile},
			want: want{AccessKey: Value{"AKIDBOTO", "boto config BOTO [Credentials]"}, Token: Value{"tokenboto", "boto config BOTO [Credentials]"}, Region: regionWant},
		},
		"boto file [default]": {
			args: region, files: testenv.Files{Boto: "[default]\naws_access_key_id: AKIDBOTODEF\naws_secret_access_key: secretbotodef\n"},
			want: want{AccessKey: Value{"AKIDBOTODEF", "boto config BOTO [default]"}, Region: regionWant},
		},
		"token option": {
			args: region + `"security_token": "tokenopt"`, env: with(keyEnv, "AWS_SESSION_TOKEN", "tokenenv"),
			want: want{AccessKey: Value{"AKIDENV1", "env AWS_ACCESS_KEY_ID"}, Token: Value{"tokenopt", "option security_token"}, Region: regionWant},
		},
		"AWS_SESSION_TOKEN beats AWS_SECURITY_TOKEN": {
			args: region, env: with(keyEnv, "AWS_SESSION_TOKEN", "tokenenv1", "AWS_SECURITY_TOKEN", "tokenenv2"),
			want: want{AccessKey: Value{"AKIDENV1", "env AWS_ACCESS_KEY_ID"}, Token: Value{"tokenenv1", "env AWS_SESSION_TOKEN"}, Region: regionWant},
		},
		"AWS_SECURITY_TOKEN": {
			args: region, env: with(keyEnv, "AWS_SECURITY_TOKEN", "tokenenv2"),
			want: want{AccessKey: Value{"AKIDENV1", "env AWS_ACCESS_KEY_ID"}, Token: Value{"tokenenv2", "env AWS_SECURITY_TOKEN"}, Region: regionWant},
		},
		"token without keys is not sent": {
			args: region + `"security_token": "tokenopt"`, files: testenv.Files{Credentials: credsFile},
			want: want{Region: regionWant, ChainKey: "AKIDFILEDEFAULT"},
		},
		"half a key pair: secret missing": {
			args: region + `"aws_access_key": "AKIDOPT"`,
			want: want{Err: "Couldn't connect to AWS: Partial credentials found in explicit, missing: aws_secret_access_key"},
		},
		"half a key pair: key missing": {
			args: region, env: map[string]string{"AWS_SECRET_ACCESS_KEY": "secretenv1"},
			want: want{Err: "Couldn't connect to AWS: Partial credentials found in explicit, missing: aws_access_key_id"},
		},

		// Profiles and the SDK chain.
		"no keys: shared credentials file default": {
			args: region, files: testenv.Files{Credentials: credsFile},
			want: want{Region: regionWant, ChainKey: "AKIDFILEDEFAULT"},
		},
		"profile option": {
			args: region + `"profile": "dev"`, env: keyEnv, files: testenv.Files{Credentials: credsFile},
			want: want{Region: regionWant, Profile: Value{"dev", "option profile"}, ChainKey: "AKIDFILEDEV"},
		},
		"profile alias": {
			args: region + `"aws_profile": "dev"`, files: testenv.Files{Credentials: credsFile},
			want: want{Region: regionWant, Profile: Value{"dev", "option aws_profile"}, ChainKey: "AKIDFILEDEV"},
		},
		"AWS_PROFILE beats env keys": {
			args: region, env: with(keyEnv, "AWS_PROFILE", "dev"), files: testenv.Files{Credentials: credsFile},
			want: want{Region: regionWant, Profile: Value{"dev", "env AWS_PROFILE"}, ChainKey: "AKIDFILEDEV"},
		},
		"AWS_DEFAULT_PROFILE beats AWS_PROFILE": {
			args: region, env: map[string]string{"AWS_PROFILE": "dev", "AWS_DEFAULT_PROFILE": "ops"}, files: testenv.Files{Credentials: credsFile},
			want: want{Region: regionWant, Profile: Value{"ops", "env AWS_DEFAULT_PROFILE"}, ChainKey: "AKIDFILEOPS"},
		},
		"key options ignore AWS_PROFILE": {
			args: region + `"aws_access_key": "AKIDOPT", "aws_secret_key": "secretopt"`, env: map[string]string{"AWS_PROFILE": "dev"}, files: testenv.Files{Credentials: credsFile},
			want: want{AccessKey: Value{"AKIDOPT", "option aws_access_key"}, Region: regionWant},
		},
		"profile with key options": {
			args: region + `"profile": "dev", "aws_access_key": "AKIDOPT", "aws_secret_key": "secretopt"`,
			want: want{Err: "Passing both a profile and access tokens is not supported."},
		},
		"AWS_PROFILE with a token option": {
			args: region + `"security_token": "tokenopt"`, env: map[string]string{"AWS_PROFILE": "dev"},
			want: want{Err: "Passing both a profile and access tokens is not supported."},
		},
		"unknown profile": {
			args: region + `"profile": "nope"`, files: testenv.Files{Credentials: credsFile},
			want: want{Err: "Couldn't connect to AWS: The config profile (nope) could not be found"},
		},

		// Region.
		"region alias": {
			args: `"ec2_region": "sa-east-1"`, env: keyEnv,
			want: want{AccessKey: Value{"AKIDENV1", "env AWS_ACCESS_KEY_ID"}, Region: Value{"sa-east-1", "option ec2_region"}},
		},
		"AWS_REGION": {
			env:  with(keyEnv, "AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "eu-west-2"),
			want: want{AccessKey: Value{"AKIDENV1", "env AWS_ACCESS_KEY_ID"}, Region: Value{"eu-west-1", "env AWS_REGION"}},
		},
		"AWS_DEFAULT_REGION": {
			env:  with(keyEnv, "AWS_DEFAULT_REGION", "eu-west-2", "EC2_REGION", "eu-west-3"),
			want: want{AccessKey: Value{"AKIDENV1", "env AWS_ACCESS_KEY_ID"}, Region: Value{"eu-west-2", "env AWS_DEFAULT_REGION"}},
		},
		"EC2_REGION": {
			env:  with(keyEnv, "EC2_REGION", "eu-west-3"),
			want: want{AccessKey: Value{"AKIDENV1", "env AWS_ACCESS_KEY_ID"}, Region: Value{"eu-west-3", "env EC2_REGION"}},
		},
		"empty AWS_REGION, AWS_DEFAULT_REGION set": {
			env:  with(keyEnv, "AWS_REGION", "", "AWS_DEFAULT_REGION", "eu-west-2"),
			want: want{AccessKey: Value{"AKIDENV1", "env AWS_ACCESS_KEY_ID"}, Region: Value{"eu-west-2", "env AWS_DEFAULT_REGION"}},
		},
		"region from the shared config file": {
			env: keyEnv, files: testenv.Files{Config: configFile},
			want: want{AccessKey: Value{"AKIDENV1", "env AWS_ACCESS_KEY_ID"}, Region: Value{"ap-northeast-1", "shared config [default]"}},
		},
		"region from the profile's config": {
			args: `"profile": "dev"`, files: testenv.Files{Config: configFile, Credentials: credsFile},
			want: want{Profile: Value{"dev", "option profile"}, Region: Value{"eu-central-1", "shared config [profile dev]"}, ChainKey: "AKIDFILEDEV"},
		},
		"no region anywhere: global endpoint": {
			env:  keyEnv,
			want: want{AccessKey: Value{"AKIDENV1", "env AWS_ACCESS_KEY_ID"}, Region: Value{"us-east-1", "default (global endpoint)"}, Endpoint: Value{GlobalEndpoint, "default (no region)"}},
		},

		// Endpoint.
		"endpoint option": {
			args: region + `"ec2_url": "http://127.0.0.1:9"`, env: with(keyEnv, "AWS_URL", "http://127.0.0.1:8"),
			want: want{AccessKey: Value{"AKIDENV1", "env AWS_ACCESS_KEY_ID"}, Region: regionWant, Endpoint: Value{"http://127.0.0.1:9", "option ec2_url"}},
		},
		"endpoint alias": {
			args: region + `"endpoint_url": "http://127.0.0.1:9"`, env: with(keyEnv, "AWS_URL", "http://127.0.0.1:8"),
			want: want{AccessKey: Value{"AKIDENV1", "env AWS_ACCESS_KEY_ID"}, Region: regionWant, Endpoint: Value{"http://127.0.0.1:9", "option endpoint_url"}},
		},
		"AWS_URL": {
			args: region, env: with(keyEnv, "AWS_URL", "http://127.0.0.1:8", "EC2_URL", "http://127.0.0.1:7"),
			want: want{AccessKey: Value{"AKIDENV1", "env AWS_ACCESS_KEY_ID"}, Region: regionWant, Endpoint: Value{"http://127.0.0.1:8", "env AWS_URL"}},
		},
		"EC2_URL": {
			args: region, env: with(keyEnv, "EC2_URL", "http://127.0.0.1:7"),
			want: want{AccessKey: Value{"AKIDENV1", "env AWS_ACCESS_KEY_ID"}, Region: regionWant, Endpoint: Value{"http://127.0.0.1:7", "env EC2_URL"}},
		},
		"AWS_ENDPOINT_URL_STS beats AWS_ENDPOINT_URL": {
			args: region, env: with(keyEnv, "AWS_ENDPOINT_URL_STS", "http://127.0.0.1:6", "AWS_ENDPOINT_URL", "http://127.0.0.1:5"),
			want: want{AccessKey: Value{"AKIDENV1", "env AWS_ACCESS_KEY_ID"}, Region: regionWant, Endpoint: Value{"http://127.0.0.1:6", "env AWS_ENDPOINT_URL_STS"}},
		},
		"AWS_URL beats AWS_ENDPOINT_URL": {
			args: region, env: with(keyEnv, "AWS_URL", "http://127.0.0.1:8", "AWS_ENDPOINT_URL", "http://127.0.0.1:5"),
			want: want{AccessKey: Value{"AKIDENV1", "env AWS_ACCESS_KEY_ID"}, Region: regionWant, Endpoint: Value{"http://127.0.0.1:8", "env AWS_URL"}},
		},
		"invalid endpoint": {
			args: region + `"ec2_url": "127.0.0.1:9"`, env: keyEnv,
			want: want{Err: "Couldn't connect to AWS: Invalid endpoint: 127.0.0.1:9"},
		},
		// A region that is not a host label fails, wherever it came from,
		// before the endpoint and the credentials are looked at.
		"region option with a dot": {
			args: `"region": "us-east-1.evil", "ec2_url": "127.0.0.1:9", "aws_access_key": "AKIDOPT"`,
			want: want{Err: "Couldn't connect to AWS: Provided region_name 'us-east-1.evil' doesn't match a supported format."},
		},
		"region from AWS_DEFAULT_REGION": {
			env:  with(keyEnv, "AWS_DEFAULT_REGION", "eu-west-1/x"),
			want: want{Err: "Couldn't connect to AWS: Provided region_name 'eu-west-1/x' doesn't match a supported format."},
		},
		"region from the shared config": {
			env: keyEnv, files: testenv.Files{Config: "[default]\nregion = ap-south-1.example.com\n"},
			want: want{Err: "Couldn't connect to AWS: Provided region_name 'ap-south-1.example.com' doesn't match a supported format."},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			home := testenv.Isolate(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			home.WriteFiles(t, tc.files)
			if tc.want.Err == "" && tc.want.Endpoint == (Value{}) {
				// A row that names no endpoint expects the region's.
				r := tc.want.Region.Value
				tc.want.Endpoint = Value{"https://sts." + r + ".amazonaws.com", "default (region " + r + ")"}
			}
			got, err := resolveAll(t, "{"+trimComma(tc.args)+"}")
			if tc.want.Err != "" || err != nil {
				gotErr := ""
				if err != nil {
					gotErr = err.Error()
				}
				if diff := cmp.Diff(tc.want.Err, gotErr); diff != "" {
					t.Fatalf("error (-want +got):\n%s", diff)
				}
				return
			}
			if got.AccessKey.Source != "" {
				got.AccessKey.Source = replace(got.AccessKey.Source, home.Boto, "BOTO")
				got.Token.Source = replace(got.Token.Source, home.Boto, "BOTO")
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("resolved (-want +got):\n%s", diff)
			}
		})
	}
}

// resolveAll validates args as a module would, loads them, checks the
// region to sign for and retrieves the credentials (no network: every source in
// these rows is a file or a variable).
func resolveAll(t *testing.T, args string) (want, error) {
	t.Helper()
	r, cfg, err := Load(connection(t, args), OS())
	if err == nil {
		err = r.SigningRegion()
	}
	if err != nil {
		return want{}, err
	}
	got := want{AccessKey: r.AccessKeyID, Token: r.SessionToken, Region: r.Region, Endpoint: r.Endpoint, Profile: r.Profile}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		return want{}, errors.New("retrieve: " + err.Error())
	}
	if creds.AccessKeyID != r.AccessKeyID.Value {
		got.ChainKey = creds.AccessKeyID
	}
	if got.Endpoint.Value != "" && (cfg.BaseEndpoint == nil || *cfg.BaseEndpoint != got.Endpoint.Value) {
		t.Errorf("config endpoint %v, resolved %q", cfg.BaseEndpoint, got.Endpoint.Value)
	}
	if cfg.Region != got.Region.Value {
		t.Errorf("config region %q, resolved %q", cfg.Region, got.Region.Value)
	}
	return got, nil
}

// TestCheckRegion is botocore's validate_region_name, row by row.
func TestCheckRegion(t *testing.T) {
	for region, valid := range map[string]bool{
		"us-east-1": true, "eu-west-3": true, "us-gov-west-1": true, "local": true, "A-1": true,
		"": true, strings.Repeat("a", 63): true, "1a": true,
		"us-east-1.evil": false, "us-east-1/x": false, "us east": false, "us-east-1\n": false, "-us": false,
		"us-": false, "123": false, strings.Repeat("a", 64): false, "ü": false, "a_b": false,
	} {
		err := checkRegion(region)
		if valid != (err == nil) {
			t.Errorf("checkRegion(%q) = %v, want valid %v", region, err, valid)
		}
	}
}
