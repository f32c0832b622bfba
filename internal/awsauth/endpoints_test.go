package awsauth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"

	"ansible-sts/test/testenv"
)

// TestEndpointSettings is botocore 1.40's choice of the STS endpoint and
// of the region it signs for, row by row (each row's want was read from
// botocore 1.40.72 with the same settings), with the keys given three
// ways: as options and in the environment (Load builds the configuration
// itself) and in the shared credentials file (the SDK's loader runs). The
// STS client built from the configuration must send there, signed so.
func TestEndpointSettings(t *testing.T) {
	const (
		local1 = "http://127.0.0.1:1"
		local2 = "http://127.0.0.1:2"
		local3 = "http://127.0.0.1:3"
		local4 = "http://127.0.0.1:4"
		local5 = "http://127.0.0.1:5"
	)
	services := "services = s\nendpoint_url = " + local5 + "\n\n[services s]\nsts =\n  endpoint_url = " + local4 + "\n"
	tests := map[string]struct {
		region   string // the region option, "" for none
		endpoint string // the ec2_url option
		env      map[string]string
		config   string // the [default] profile's lines, or a whole file with [
		creds    string // lines of the credentials file's [default] beside the keys
		want     string // the URL the request goes to
		scope    string // the region it is signed for
		source   string // where the endpoint came from
		err      string
	}{
		"the region's endpoint":          {region: "eu-west-1", want: "https://sts.eu-west-1.amazonaws.com", scope: "eu-west-1", source: "default (region eu-west-1)"},
		"us-east-1's own endpoint":       {region: "us-east-1", want: "https://sts.us-east-1.amazonaws.com", scope: "us-east-1"},
		"a region of its own since 2015": {region: "ap-east-1", want: "https://sts.ap-east-1.amazonaws.com", scope: "ap-east-1"},
		"no region: the global endpoint": {want: "https://sts.amazonaws.com", scope: "us-east-1", source: "default (no region)"},
		"aws-global":                     {region: "aws-global", want: "https://sts.amazonaws.com", scope: "us-east-1"},
		"another partition":              {region: "cn-north-1", want: "https://sts.cn-north-1.amazonaws.com.cn", scope: "cn-north-1"},

		"AWS_USE_FIPS_ENDPOINT":                         {region: "us-east-1", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "true"}, want: "https://sts-fips.us-east-1.amazonaws.com", scope: "us-east-1", source: "default (region us-east-1, FIPS)"},
		"AWS_USE_FIPS_ENDPOINT in any case":             {region: "eu-west-1", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "TRUE"}, want: "https://sts-fips.eu-west-1.amazonaws.com", scope: "eu-west-1"},
		"use_fips_endpoint":                             {region: "us-east-1", config: "use_fips_endpoint = true", want: "https://sts-fips.us-east-1.amazonaws.com", scope: "us-east-1"},
		"use_fips_endpoint in the credentials":          {region: "eu-west-1", creds: "use_fips_endpoint = true", want: "https://sts-fips.eu-west-1.amazonaws.com", scope: "eu-west-1"},
		"use_fips_endpoint not true":                    {region: "eu-west-1", config: "use_fips_endpoint = yes", want: "https://sts.eu-west-1.amazonaws.com", scope: "eu-west-1"},
		"AWS_USE_FIPS_ENDPOINT false beats the profile": {region: "us-east-1", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "false"}, config: "use_fips_endpoint = true", want: "https://sts.us-east-1.amazonaws.com", scope: "us-east-1"},
		"AWS_USE_FIPS_ENDPOINT empty beats the profile": {region: "us-east-1", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": ""}, config: "use_fips_endpoint = true", want: "https://sts.us-east-1.amazonaws.com", scope: "us-east-1"},
		"AWS_USE_FIPS_ENDPOINT neither true nor false":  {region: "us-east-1", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "1"}, err: `AWS_USE_FIPS_ENDPOINT must be true or false, not "1"`},
		"FIPS in GovCloud":                              {region: "us-gov-west-1", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "true"}, want: "https://sts.us-gov-west-1.amazonaws.com", scope: "us-gov-west-1"},
		"FIPS without a region":                         {env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "true"}, want: "https://sts-fips.aws-global.amazonaws.com", scope: "us-east-1", source: "default (no region, FIPS)"},
		"a FIPS pseudo-region":                          {region: "fips-us-east-1", want: "https://sts-fips.us-east-1.amazonaws.com", scope: "us-east-1"},
		"a FIPS pseudo-region with an endpoint":         {region: "us-east-1-fips", endpoint: local1, want: local1, scope: "us-east-1"},

		"AWS_USE_DUALSTACK_ENDPOINT":       {region: "eu-west-1", env: map[string]string{"AWS_USE_DUALSTACK_ENDPOINT": "true"}, want: "https://sts.eu-west-1.api.aws", scope: "eu-west-1", source: "default (region eu-west-1, dual-stack)"},
		"use_dualstack_endpoint":           {region: "eu-west-1", config: "use_dualstack_endpoint = true", want: "https://sts.eu-west-1.api.aws", scope: "eu-west-1"},
		"FIPS and dual-stack":              {region: "eu-west-1", env: map[string]string{"AWS_USE_DUALSTACK_ENDPOINT": "true", "AWS_USE_FIPS_ENDPOINT": "true"}, want: "https://sts-fips.eu-west-1.api.aws", scope: "eu-west-1"},
		"dual-stack in another partition":  {region: "cn-north-1", env: map[string]string{"AWS_USE_DUALSTACK_ENDPOINT": "true"}, want: "https://sts.cn-north-1.api.amazonwebservices.com.cn", scope: "cn-north-1"},
		"dual-stack without a region":      {env: map[string]string{"AWS_USE_DUALSTACK_ENDPOINT": "true"}, want: "https://sts.aws-global.api.aws", scope: "us-east-1"},
		"AWS_USE_DUALSTACK_ENDPOINT wrong": {region: "eu-west-1", env: map[string]string{"AWS_USE_DUALSTACK_ENDPOINT": "on"}, err: `AWS_USE_DUALSTACK_ENDPOINT must be true or false, not "on"`},

		"legacy: the global endpoint":                      {region: "eu-west-1", env: map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "legacy"}, want: "https://sts.amazonaws.com", scope: "us-east-1", source: "default (region eu-west-1, sts_regional_endpoints legacy)"},
		"legacy us-east-1":                                 {region: "us-east-1", config: "sts_regional_endpoints = legacy", want: "https://sts.amazonaws.com", scope: "us-east-1"},
		"legacy, a region of its own":                      {region: "ap-east-1", env: map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "legacy"}, want: "https://sts.ap-east-1.amazonaws.com", scope: "ap-east-1"},
		"legacy with FIPS":                                 {region: "us-east-1", env: map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "legacy", "AWS_USE_FIPS_ENDPOINT": "true"}, want: "https://sts-fips.us-east-1.amazonaws.com", scope: "us-east-1"},
		"legacy with dual-stack":                           {region: "eu-west-1", env: map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "legacy", "AWS_USE_DUALSTACK_ENDPOINT": "true"}, want: "https://sts.eu-west-1.api.aws", scope: "eu-west-1"},
		"legacy with an endpoint":                          {region: "eu-west-1", endpoint: local1, env: map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "legacy"}, want: local1, scope: "eu-west-1"},
		"AWS_STS_REGIONAL_ENDPOINTS empty":                 {region: "eu-west-1", env: map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": ""}, config: "sts_regional_endpoints = legacy", want: "https://sts.eu-west-1.amazonaws.com", scope: "eu-west-1"},
		"the profile AWS_PROFILE names":                    {region: "eu-west-1", env: map[string]string{"AWS_PROFILE": "dev"}, config: "[default]\n[profile dev]\nsts_regional_endpoints = legacy\n", want: "https://sts.amazonaws.com", scope: "us-east-1"},
		"AWS_STS_REGIONAL_ENDPOINTS not valid":             {region: "eu-west-1", env: map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "Legacy"}, err: `Couldn't connect to AWS: STS regional endpoints option Legacy is invalid. Valid options are: "legacy", "regional"`},
		"sts_regional_endpoints not valid":                 {region: "eu-west-1", endpoint: local1, config: "sts_regional_endpoints = global", err: `Couldn't connect to AWS: STS regional endpoints option global is invalid. Valid options are: "legacy", "regional"`},
		"FIPS with an endpoint":                            {region: "us-east-1", endpoint: local1, env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "true"}, want: local1, scope: "us-east-1", source: "option ec2_url"},
		"dual-stack with an endpoint":                      {region: "us-east-1", endpoint: local1, env: map[string]string{"AWS_USE_DUALSTACK_ENDPOINT": "true"}, want: local1, scope: "us-east-1"},
		"FIPS with AWS_ENDPOINT_URL_STS":                   {region: "us-east-1", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "true", "AWS_ENDPOINT_URL_STS": local2}, want: local2, scope: "us-east-1", source: "env AWS_ENDPOINT_URL_STS"},
		"FIPS with the profile's endpoint_url":             {region: "us-east-1", config: "use_fips_endpoint = true\nendpoint_url = " + local5, want: local5, scope: "us-east-1"},
		"AWS_ENDPOINT_URL_STS first":                       {region: "eu-west-1", env: map[string]string{"AWS_ENDPOINT_URL_STS": local2, "AWS_ENDPOINT_URL": local3}, config: services, want: local2, scope: "eu-west-1"},
		"AWS_ENDPOINT_URL before services":                 {region: "eu-west-1", env: map[string]string{"AWS_ENDPOINT_URL": local3}, config: services, want: local3, scope: "eu-west-1", source: "env AWS_ENDPOINT_URL"},
		"empty AWS_ENDPOINT_URL_STS":                       {region: "eu-west-1", env: map[string]string{"AWS_ENDPOINT_URL_STS": "", "AWS_ENDPOINT_URL": local3}, want: local3, scope: "eu-west-1"},
		"services before endpoint_url":                     {region: "eu-west-1", config: services, want: local4, scope: "eu-west-1", source: "shared config [default] services s"},
		"the profile's endpoint_url":                       {region: "eu-west-1", config: "endpoint_url = " + local5, want: local5, scope: "eu-west-1", source: "shared config [default]"},
		"a services section for another":                   {region: "eu-west-1", config: "services = s\n\n[services s]\ns3 =\n  endpoint_url = " + local4, want: "https://sts.eu-west-1.amazonaws.com", scope: "eu-west-1"},
		"a services section that is not there":             {region: "eu-west-1", config: "services = nope", err: `Couldn't connect to AWS: The profile is configured to use the services section but the "nope" services configuration does not exist.`},
		"a missing services section, AWS_ENDPOINT_URL_STS": {region: "eu-west-1", env: map[string]string{"AWS_ENDPOINT_URL_STS": local2}, config: "services = nope", want: local2, scope: "eu-west-1"},
		"a configured endpoint not a URL":                  {region: "eu-west-1", config: "endpoint_url = 127.0.0.1:5", err: "Couldn't connect to AWS: Invalid endpoint: 127.0.0.1:5"},
		"a configured endpoint without region":             {config: "endpoint_url = " + local5, err: ErrEndpointWithoutRegion.Error()},
		"the option before AWS_ENDPOINT_URL_STS":           {region: "eu-west-1", endpoint: local1, env: map[string]string{"AWS_ENDPOINT_URL_STS": local2}, config: services, want: local1, scope: "eu-west-1"},

		"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS":       {region: "eu-west-1", env: map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL_STS": local2, "AWS_ENDPOINT_URL": local3}, config: services, want: "https://sts.eu-west-1.amazonaws.com", scope: "eu-west-1"},
		"ignore_configured_endpoint_urls":           {region: "eu-west-1", env: map[string]string{"AWS_ENDPOINT_URL_STS": local2}, config: "ignore_configured_endpoint_urls = true\n" + services, want: "https://sts.eu-west-1.amazonaws.com", scope: "eu-west-1"},
		"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS false": {region: "eu-west-1", env: map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false", "AWS_ENDPOINT_URL_STS": local2}, config: "ignore_configured_endpoint_urls = true", want: local2, scope: "eu-west-1"},
		"ignoring, with the option":                 {region: "eu-west-1", endpoint: local1, env: map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}, want: local1, scope: "eu-west-1"},
		"ignoring, AWS_URL all the same":            {region: "eu-west-1", env: map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_URL": local1}, want: local1, scope: "eu-west-1", source: "env AWS_URL"},
		"ignoring, a missing services section":      {region: "eu-west-1", env: map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}, config: "services = nope", want: "https://sts.eu-west-1.amazonaws.com", scope: "eu-west-1"},
		"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS wrong": {region: "eu-west-1", env: map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "1"}, err: `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS must be true or false, not "1"`},
	}
	keys := map[string]struct {
		args string
		env  map[string]string
		sdk  bool // the SDK's loader runs
	}{
		"keys as options":          {args: `"aws_access_key": "AKIDOPT", "aws_secret_key": "secretopt", `},
		"keys in the environment":  {env: map[string]string{"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "secretenv"}},
		"keys in the shared files": {sdk: true},
	}
	for name, tc := range tests {
		for how, k := range keys {
			t.Run(name+"/"+how, func(t *testing.T) {
				home := testenv.Isolate(t)
				config := tc.config
				if config != "" && !strings.HasPrefix(config, "[") {
					config = "[default]\n" + config + "\n"
				}
				creds := "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = secretfile\n" + tc.creds + "\n" +
					"[dev]\naws_access_key_id = AKIDFILEDEV\naws_secret_access_key = secretfiledev\n"
				home.WriteFiles(t, testenv.Files{Config: config, Credentials: creds})
				for _, env := range []map[string]string{k.env, tc.env} {
					for name, v := range env {
						t.Setenv(name, v)
					}
				}
				args := k.args
				if tc.region != "" {
					args += `"region": "` + tc.region + `", `
				}
				if tc.endpoint != "" {
					args += `"ec2_url": "` + tc.endpoint + `", `
				}
				s, cfg, err := Load(connection(t, "{"+trimComma(args)+"}"), OS())
				if err == nil {
					err = s.SigningRegion()
				}
				if tc.err != "" || err != nil {
					gotErr := ""
					if err != nil {
						gotErr = err.Error()
					}
					if diff := cmp.Diff(tc.err, gotErr); diff != "" {
						t.Fatalf("error (-want +got):\n%s", diff)
					}
					return
				}
				if sdk := len(cfg.ConfigSources) > 0; sdk != (k.sdk || tc.region == "" || tc.env["AWS_PROFILE"] != "") {
					t.Errorf("the SDK's loader ran: %v", sdk)
				}
				if s.Endpoint.Value != tc.want || s.CredentialScope != tc.scope || tc.source != "" && s.Endpoint.Source != tc.source {
					t.Errorf("endpoint %v signed for %q; want %s (%s) signed for %q", s.Endpoint, s.CredentialScope, tc.want, tc.source, tc.scope)
				}
				url, scope := sent(t, cfg)
				if url != tc.want+"/" || scope != tc.scope {
					t.Errorf("the STS client sent to %s signed for %q; want %s/ signed for %q", url, scope, tc.want, tc.scope)
				}
			})
		}
	}
}

// sent returns where an STS client built from cfg sends a request, and
// the region it signs it for, without sending it.
func sent(t *testing.T, cfg aws.Config) (url, scope string) {
	t.Helper()
	c := &capture{}
	_, err := sts.NewFromConfig(cfg, func(o *sts.Options) {
		o.HTTPClient = c
		o.Retryer = aws.NopRetryer{}
	}).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if !errors.Is(err, errCaptured) {
		t.Fatalf("the call failed before it was sent: %v", err)
	}
	return c.url, c.scope
}

var errCaptured = errors.New("captured, not sent")

type capture struct{ url, scope string }

func (c *capture) Do(r *http.Request) (*http.Response, error) {
	c.url = r.URL.String()
	// Authorization: AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/sts/aws4_request, ...
	if _, cred, ok := strings.Cut(r.Header.Get("Authorization"), "Credential="); ok {
		if parts := strings.Split(cred, "/"); len(parts) > 2 {
			c.scope = parts[2]
		}
	}
	return nil, errCaptured
}
