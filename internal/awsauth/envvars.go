package awsauth

import "slices"

// EnvVars are the environment variables the modules read themselves, from
// chain.go's lists (the chains, the secrets' lists, the options'
// fallbacks), by kind: for tests that vary the environment.
type EnvVars struct {
	All       []string // every one, sorted, no duplicates
	Secret    []string // whose whole value is a secret
	URL       []string // holding a URL whose userinfo password is a secret
	TokenFile []string // naming a file whose contents are a secret
}

// Environment returns the variables the modules read.
func Environment() EnvVars {
	all := concat(accessKeyChain.env, secretKeyChain.env, tokenChain.env, regionChain.env,
		endpointChain.env, configuredEndpointChain.env, endpointSettingsEnv, profileChain.env, secretEnv, urlEnv, tokenFileEnv,
		[]string{retryModeEnv, maxAttemptsEnv, configFileEnv, credentialsFileEnv, botoConfigEnv})
	for _, o := range Options {
		all = append(all, o.EnvFallback...)
	}
	slices.Sort(all)
	return EnvVars{
		All:       slices.Compact(all),
		Secret:    slices.Clone(secretEnv),
		URL:       slices.Clone(urlEnv),
		TokenFile: slices.Clone(tokenFileEnv),
	}
}
