package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

// TestEndpointOnTheWire runs the built module with each setting that
// chooses the STS endpoint, its keys given three ways (as options, in the
// environment, in the shared credentials file: the SDK's loader runs for
// the last only), and checks where the request really went. An AWS host
// is never reached nor looked up: HTTPS_PROXY names a loopback proxy that
// records the tunnel's target and refuses it. An endpoint on loopback
// bypasses the proxy, and the local STS must have received the call,
// signed for the region. Each want is what botocore 1.40 (amazon.aws 11)
// does with the same settings.
func TestEndpointOnTheWire(t *testing.T) {
	tests := map[string]struct {
		region string // "" for none
		opts   map[string]any
		env    []string
		config string // the [default] profile's lines, or a whole file
		// connect is the tunnel the proxy must be asked for; "" when the
		// local STS must get the call, signed for scope.
		connect, scope string
	}{
		"the region's endpoint":             {region: "eu-west-1", connect: "sts.eu-west-1.amazonaws.com:443"},
		"no region: the global endpoint":    {connect: "sts.amazonaws.com:443"},
		"AWS_USE_FIPS_ENDPOINT":             {region: "us-east-1", env: []string{"AWS_USE_FIPS_ENDPOINT=true"}, connect: "sts-fips.us-east-1.amazonaws.com:443"},
		"use_fips_endpoint":                 {region: "us-east-1", config: "use_fips_endpoint = true", connect: "sts-fips.us-east-1.amazonaws.com:443"},
		"AWS_USE_DUALSTACK_ENDPOINT":        {region: "eu-west-1", env: []string{"AWS_USE_DUALSTACK_ENDPOINT=true"}, connect: "sts.eu-west-1.api.aws:443"},
		"use_dualstack_endpoint":            {region: "eu-west-1", config: "use_dualstack_endpoint = true", connect: "sts.eu-west-1.api.aws:443"},
		"FIPS and dual-stack":               {region: "eu-west-1", env: []string{"AWS_USE_FIPS_ENDPOINT=true"}, config: "use_dualstack_endpoint = true", connect: "sts-fips.eu-west-1.api.aws:443"},
		"AWS_STS_REGIONAL_ENDPOINTS legacy": {region: "eu-west-1", env: []string{"AWS_STS_REGIONAL_ENDPOINTS=legacy"}, connect: "sts.amazonaws.com:443"},
		"sts_regional_endpoints legacy":     {region: "us-east-1", config: "sts_regional_endpoints = legacy", connect: "sts.amazonaws.com:443"},
		"legacy, a region of its own":       {region: "ap-east-1", config: "sts_regional_endpoints = legacy", connect: "sts.ap-east-1.amazonaws.com:443"},
		"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": {region: "eu-west-1", env: []string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true", "AWS_ENDPOINT_URL_STS=$URL"},
			config: "endpoint_url = $URL", connect: "sts.eu-west-1.amazonaws.com:443"},
		"ignore_configured_endpoint_urls": {region: "eu-west-1", env: []string{"AWS_ENDPOINT_URL=$URL"},
			config: "ignore_configured_endpoint_urls = true\nendpoint_url = $URL", connect: "sts.eu-west-1.amazonaws.com:443"},

		"AWS_ENDPOINT_URL_STS":           {region: "eu-west-1", env: []string{"AWS_ENDPOINT_URL_STS=$URL", "AWS_ENDPOINT_URL=$CLOSED"}, scope: "eu-west-1"},
		"AWS_ENDPOINT_URL":               {region: "eu-west-1", env: []string{"AWS_ENDPOINT_URL=$URL"}, config: "endpoint_url = $CLOSED", scope: "eu-west-1"},
		"the profile's services section": {region: "eu-west-2", config: "services = local\nendpoint_url = $CLOSED\n\n[services local]\nsts =\n  endpoint_url = $URL", scope: "eu-west-2"},
		"the profile's endpoint_url":     {region: "eu-west-1", config: "endpoint_url = $URL", scope: "eu-west-1"},
		"FIPS with the option's endpoint": {region: "us-east-1", opts: map[string]any{"ec2_url": "$URL"}, env: []string{"AWS_USE_FIPS_ENDPOINT=true", "AWS_USE_DUALSTACK_ENDPOINT=true"},
			scope: "us-east-1"},
		"legacy with the option's endpoint": {region: "eu-west-1", opts: map[string]any{"ec2_url": "$URL"}, env: []string{"AWS_STS_REGIONAL_ENDPOINTS=legacy"}, scope: "eu-west-1"},
		"FIPS with a configured endpoint":   {region: "us-east-1", config: "use_fips_endpoint = true\nendpoint_url = $URL", scope: "us-east-1"},
	}
	alice := testenv.Alice()
	keys := map[string]struct {
		opts  map[string]any
		env   []string
		creds string
	}{
		"keys as options":          {opts: map[string]any{"aws_access_key": alice.AccessKeyID, "aws_secret_key": alice.SecretAccessKey}},
		"keys in the environment":  {env: []string{"AWS_ACCESS_KEY_ID=" + alice.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + alice.SecretAccessKey}},
		"keys in the shared files": {creds: fmt.Sprintf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", alice.AccessKeyID, alice.SecretAccessKey)},
	}
	for name, tc := range tests {
		for how, k := range keys {
			t.Run(name+"/"+how, func(t *testing.T) {
				srv := testenv.StartSTS(t, fakests.Config{Users: users})
				proxy := testenv.StartRefusingProxy(t)
				subst := strings.NewReplacer("$URL", srv.URL, "$CLOSED", testenv.ClosedURL(t))
				home := newHome(t)
				config := tc.config
				if config != "" && !strings.HasPrefix(config, "[") {
					config = "[default]\n" + config + "\n"
				}
				home.WriteFiles(t, testenv.Files{Config: subst.Replace(config), Credentials: k.creds})
				args := merge(ansibleKeys("sts_session_token"), k.opts, tc.opts)
				if tc.region != "" {
					args["region"] = tc.region
				}
				for key, v := range args {
					if s, ok := v.(string); ok {
						args[key] = subst.Replace(s)
					}
				}
				// One attempt: a refused tunnel would be retried.
				env := []string{"HTTPS_PROXY=" + proxy.URL, "HTTP_PROXY=" + proxy.URL, "AWS_MAX_ATTEMPTS=1"}
				for _, kv := range slices.Concat(k.env, tc.env) {
					env = append(env, subst.Replace(kv))
				}
				r := runModule(t, "sts_session_token", args, home.Environ(env...))
				reqs := srv.Requests()
				if tc.connect != "" {
					want := fmt.Sprintf(`Could not connect to the endpoint URL: "https://%s/": the proxy %s answered the tunnel request (CONNECT) with 403 Forbidden`,
						strings.TrimSuffix(tc.connect, ":443"), proxy.URL)
					if got := proxy.Targets(); !slices.Equal(got, []string{tc.connect}) || len(reqs) != 0 {
						t.Errorf("the proxy was asked for %q and the local STS got %d requests; want %s only", got, len(reqs), tc.connect)
					}
					assertFailed(t, r, want)
					return
				}
				if r.Code != 0 || len(reqs) != 1 || reqs[0].Region != tc.scope || reqs[0].AccessKeyID != alice.AccessKeyID {
					t.Errorf("exit status %d (%v), requests %+v; want the local STS to get one, signed for %s with alice's key", r.Code, r.Result["msg"], reqs, tc.scope)
				}
				if got := proxy.Targets(); len(got) != 0 {
					t.Errorf("the proxy was asked for %q", got)
				}
			})
		}
	}
}
