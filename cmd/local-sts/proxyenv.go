package main

import (
	"net/url"
	"strings"
)

// guardPath ends the exported proxy URLs. Clients ignore a proxy URL's
// path, but the AWS CLI prints the URL and nothing else of a refusal
// ("Failed to connect to proxy URL: ..."), so the path says who refused.
const guardPath = "/local-sts-egress-guard"

// proxyVars are the variables that point a command's clients at the
// guard at proxyURL, and keep them off it for the endpoint at endpointURL
// and the rest of loopback. Both spellings of each are set: curl and
// Python read the lower-case one first, Go the upper-case one.
func proxyVars(proxyURL, endpointURL string) []string {
	no := noProxy(endpointURL)
	var env []string
	for _, kv := range [][2]string{{"HTTPS_PROXY", proxyURL}, {"HTTP_PROXY", proxyURL}, {"ALL_PROXY", proxyURL}, {"NO_PROXY", no}} {
		env = append(env, kv[0]+"="+kv[1], strings.ToLower(kv[0])+"="+kv[1])
	}
	return env
}

// noProxy returns NO_PROXY for the endpoint at endpointURL: loopback in
// the spellings clients match, and the endpoint's own address when it is
// another 127.x.y.z. Python (botocore, urllib) compares names only and
// keeps an IPv6 address's brackets, so it needs [::1] where Go and curl
// need ::1; only Go, curl and requests read the CIDR. Go never proxies
// loopback anyway.
func noProxy(endpointURL string) string {
	hosts := []string{"127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.0/8"}
	if u, err := url.Parse(endpointURL); err == nil {
		if h := u.Hostname(); h != "" && !strings.Contains(h, ":") && h != "127.0.0.1" {
			hosts = append([]string{h}, hosts...)
		}
	}
	return strings.Join(hosts, ",")
}

// proxyVar reports whether the inherited variable name sets a proxy:
// Python takes any *_proxy, in either case, for one.
func proxyVar(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), "_proxy")
}
