package awsauth

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	smithyauth "github.com/aws/smithy-go/auth"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// An endpointSetting is one of botocore's configuration variables that
// choose the STS endpoint: its environment variable, which wins when it is
// set at all (even empty), then its key in the profile (profileConfig).
type endpointSetting struct {
	env, key string
	flag     bool // a boolean; otherwise sts_regional_endpoints
}

// The endpoint settings, in the order they are applied: whether the
// configured endpoints are ignored, then what chooses the AWS endpoint
// when there is no endpoint.
var (
	ignoreConfiguredSetting = endpointSetting{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls", true}
	fipsSetting             = endpointSetting{"AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint", true}
	dualStackSetting        = endpointSetting{"AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint", true}
	stsRegionalSetting      = endpointSetting{"AWS_STS_REGIONAL_ENDPOINTS", "sts_regional_endpoints", false}
	endpointSettingsEnv     = []string{ignoreConfiguredSetting.env, fipsSetting.env, dualStackSetting.env, stsRegionalSetting.env}
)

// EndpointSettings are the settings that choose the STS endpoint besides
// the endpoint itself, each with its final value and its source ("env
// VAR", "shared config [default]" or "default"):
//
//   - IgnoreConfigured ("true" or "false"): the configured endpoints
//     (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the profile's services
//     section and endpoint_url) are not looked at. An endpoint given as
//     the option, AWS_URL or EC2_URL is used all the same: amazon.aws
//     passes it to botocore as the client's endpoint_url.
//   - FIPS and DualStack ("true" or "false"): the AWS endpoint is the
//     FIPS, the dual-stack or the FIPS dual-stack one. They change only
//     the AWS endpoint, never an endpoint given or configured.
//   - STSRegional ("regional" or "legacy"): with legacy, the 16 regions
//     that had no STS endpoint of their own before 2015 sign for us-east-1
//     at the global endpoint (the rule of the SDK's endpoint rule set,
//     which botocore 1.40 applies and the SDK itself never asks for).
//
// A variable that is set wins over the profile's key, as in botocore; set
// and empty, it is false (or regional). A variable holding anything else
// but true or false (in any case) fails, naming it: botocore reads it as
// false, which would drop a FIPS requirement silently, and the SDK's
// loader refuses it. The profile's key reads as true only when it says
// true, in any case, as both read it.
type EndpointSettings struct {
	IgnoreConfigured, FIPS, DualStack, STSRegional Value
}

// fromEnv sets each setting whose variable is set.
func (e *EndpointSettings) fromEnv(sys System) error {
	for _, st := range e.all() {
		v, ok := sys.Env(st.env)
		if !ok {
			continue
		}
		norm, err := st.parse(v, true)
		if err != nil {
			return err
		}
		*st.value = Value{norm, "env " + st.env}
	}
	return nil
}

// fromProfile sets each setting still unset from the profile's key, else
// to its default.
func (e *EndpointSettings) fromProfile(p profileConfig) error {
	for _, st := range e.all() {
		if st.value.Value != "" {
			continue
		}
		v, ok := p.value(st.key)
		source := "shared config " + p.name
		if !ok {
			source = "default"
		}
		norm, err := st.parse(v, false)
		if err != nil {
			return err
		}
		*st.value = Value{norm, source}
	}
	return nil
}

type settingValue struct {
	endpointSetting
	value *Value
}

func (e *EndpointSettings) all() []settingValue {
	return []settingValue{
		{ignoreConfiguredSetting, &e.IgnoreConfigured},
		{fipsSetting, &e.FIPS},
		{dualStackSetting, &e.DualStack},
		{stsRegionalSetting, &e.STSRegional},
	}
}

// parse returns the setting's value of v, from the environment or the
// profile, as botocore reads it ("" is false, or regional).
func (s endpointSetting) parse(v string, fromEnv bool) (string, error) {
	switch {
	case !s.flag && (v == "" || v == "regional" || v == "legacy"):
		if v == "" {
			return "regional", nil
		}
		return v, nil
	case !s.flag:
		//lint:ignore ST1005 the text users of the Python modules know, verbatim
		return "", fmt.Errorf(`Couldn't connect to AWS: STS regional endpoints option %s is invalid. Valid options are: "legacy", "regional"`, v)
	case strings.EqualFold(v, "true"):
		return "true", nil
	case v == "" || strings.EqualFold(v, "false") || !fromEnv:
		return "false", nil
	}
	return "", fmt.Errorf("%s must be true or false, not %q", s.env, v)
}

func on(v Value) bool { return v.Value == "true" }

// configuredEndpoint returns botocore's configured endpoint, in its order:
// AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the STS endpoint_url of the
// services section the profile names, the profile's endpoint_url; the
// first that is not empty. Nothing when configured endpoints are ignored.
func (e EndpointSettings) configuredEndpoint(p profileConfig, sys System) (Value, error) {
	if on(e.IgnoreConfigured) {
		return Value{}, nil
	}
	if v, ok := configuredEndpointChain.fromEnv(sys); ok {
		return v, nil
	}
	u, err := p.service("sts", "endpoint_url")
	if err != nil || u != "" {
		return Value{u, "shared config " + p.name + " services " + p.keys["services"]}, err
	}
	if u, _ := p.value("endpoint_url"); u != "" {
		return Value{u, "shared config " + p.name}, nil
	}
	return Value{}, nil
}

// checkEndpoint refuses an endpoint that is not an http or https URL with
// a host, with the message amazon.aws gives for botocore's ValueError.
func checkEndpoint(e string) error {
	if u, err := url.Parse(e); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		//lint:ignore ST1005 the text users of the Python modules know, verbatim
		return fmt.Errorf("Couldn't connect to AWS: Invalid endpoint: %s", e)
	}
	return nil
}

// awsEndpoint returns the AWS endpoint of STS for region, and the region
// requests to it are signed for, as botocore 1.40 computes them: through
// the SDK's endpoint rule set for STS (botocore's own, the same rules),
// with its parameters set as botocore sets them. No region is botocore's
// partition endpoint, aws-global, signed for us-east-1; a FIPS
// pseudo-region (fips-us-east-1, us-east-1-fips) is its region with FIPS.
func (e EndpointSettings) awsEndpoint(region string) (endpoint Value, scope string, err error) {
	r, fips := fipsRegion(region)
	if r == "" {
		r = "aws-global"
	}
	fips = fips || on(e.FIPS)
	dualStack, global := on(e.DualStack), e.STSRegional.Value == "legacy"
	ep, err := sts.NewDefaultEndpointResolverV2().ResolveEndpoint(context.Background(), sts.EndpointParameters{
		Region: &r, UseFIPS: &fips, UseDualStack: &dualStack, UseGlobalEndpoint: &global,
	})
	if err != nil {
		return Value{}, "", fmt.Errorf("cannot resolve the AWS endpoint of STS for region %s: %w", r, err)
	}
	scope = r
	opts, _ := smithyauth.GetAuthOptions(&ep.Properties)
	for _, o := range opts {
		if sr, ok := smithyhttp.GetSigV4SigningRegion(&o.SignerProperties); ok {
			scope = sr
		}
	}
	if scope == "aws-global" {
		scope = "us-east-1"
	}
	why := []string{"region " + region}
	if region == "" {
		why[0] = "no region"
	}
	if fips {
		why = append(why, "FIPS")
	}
	if dualStack {
		why = append(why, "dual-stack")
	}
	if global {
		why = append(why, "sts_regional_endpoints legacy")
	}
	return Value{ep.URI.String(), "default (" + strings.Join(why, ", ") + ")"}, scope, nil
}

// fipsRegion maps a FIPS pseudo-region to its region, as botocore and the
// SDK do (endpoints.MapFIPSRegion), and says whether it was one.
func fipsRegion(region string) (string, bool) {
	if !strings.Contains(region, "fips-") && !strings.Contains(region, "-fips") {
		return region, false
	}
	r := strings.ReplaceAll(region, "-fips-", "-")
	r = strings.ReplaceAll(r, "fips-", "")
	return strings.ReplaceAll(r, "-fips", ""), true
}

// stsOptions makes the STS client use the endpoint and the region to sign
// for that Load settled, whatever the SDK's client reads again from the
// loaded configuration (AWS_ENDPOINT_URL_STS, a services section, FIPS and
// dual-stack settings, a FIPS pseudo-region): applied last, it leaves the
// SDK's endpoint rules nothing to choose.
func (s Settings) stsOptions(_ string, o any) {
	so, ok := o.(*sts.Options)
	if !ok {
		return
	}
	so.BaseEndpoint = aws.String(s.Endpoint.Value)
	so.Region = s.CredentialScope
	so.EndpointOptions.UseFIPSEndpoint = aws.FIPSEndpointStateDisabled
	so.EndpointOptions.UseDualStackEndpoint = aws.DualStackEndpointStateDisabled
}
