package awsauth

import (
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"

	"ansible-sts/internal/boundedfile"
)

// The secrets a run may use besides its no_log options. The module adds
// them to the arguments' no_log values as it finds them, so that one
// masking pass over the result hides every one of them, wherever it came
// from; only the new credentials STS returns are not among them.
var (
	// secretEnv are the variables whose whole value is a secret: the key
	// and token chains' (every variable, used or not) and the token the
	// SDK sends to a container credentials endpoint.
	secretEnv = concat(secretKeyEnv, tokenEnv, []string{"AWS_CONTAINER_AUTHORIZATION_TOKEN"})
	// urlEnv are the variables holding a URL whose userinfo password is
	// a secret: the endpoint's, the proxies' and the container
	// endpoint's.
	urlEnv = concat(endpointFallback, sdkEndpointEnv, []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "AWS_CONTAINER_CREDENTIALS_FULL_URI"})
	// tokenFileEnv are the variables naming a file whose contents the SDK
	// sends as a secret: the container authorization token and the web
	// identity token.
	tokenFileEnv = []string{"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE"}
)

// EnvSecrets returns the secrets a run holds in its environment before
// anything is resolved: the secret variables, and the userinfo passwords
// of the endpoint and proxy URLs the environment gives. The module masks
// them, with the URL passwords of its options (URLPasswords), from the
// moment its arguments are read, so that even an argument failure, whose
// invocation shows ec2_url as AWS_URL set it, does not show them.
func EnvSecrets(sys System) []string {
	var out []string
	for _, k := range secretEnv {
		out = append(out, sys.getenv(k))
	}
	for _, k := range urlEnv {
		out = append(out, URLPasswords(sys.getenv(k))...)
	}
	return nonEmpty(out)
}

// secrets returns the secrets the steps found (see Settings.Secrets), from
// the settings and the configuration as far as they got.
func (l *loader) secrets() []string {
	out := []string{l.s.SecretAccessKey.Value, l.s.SessionToken.Value}
	// The endpoint may come from the shared config file, with a password.
	out = append(out, URLPasswords(l.s.Endpoint.Value)...)
	for _, src := range l.cfg.ConfigSources {
		sc, ok := src.(config.SharedConfig)
		if !ok {
			continue
		}
		for p, depth := &sc, 0; p != nil && depth < 16; p, depth = p.Source, depth+1 {
			out = append(out, p.Credentials.SecretAccessKey, p.Credentials.SessionToken)
			out = append(out, tokenFileSecrets(p.WebIdentityTokenFile)...)
		}
	}
	if !l.s.HasStaticKeys() {
		for _, k := range tokenFileEnv {
			out = append(out, tokenFileSecrets(l.sys.getenv(k))...)
		}
	}
	return nonEmpty(out)
}

// URLPasswords returns the password of a URL's userinfo, decoded, or
// nothing. For a URL that does not parse, what lies between "://" and the
// last "@" is taken as the userinfo, and its password both as written and
// decoded.
func URLPasswords(raw string) []string {
	if !strings.Contains(raw, "@") {
		return nil
	}
	if u, err := url.Parse(raw); err == nil {
		if p, ok := u.User.Password(); ok {
			return []string{p}
		}
		return nil
	}
	_, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return nil
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return nil
	}
	_, pw, ok := strings.Cut(rest[:at], ":")
	if !ok {
		return nil
	}
	out := []string{pw}
	if d, err := url.PathUnescape(pw); err == nil {
		out = append(out, d)
	}
	return out
}

// tokenFileSecrets returns the contents of a token file, as read and
// trimmed, or nothing when it cannot be read (through boundedfile, so a
// FIFO or a device is never opened for reading).
func tokenFileSecrets(path string) []string {
	if path == "" {
		return nil
	}
	data, err := boundedfile.Read(path, boundedfile.ConfigLimit)
	if err != nil {
		return nil
	}
	return []string{string(data), strings.TrimSpace(string(data))}
}

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func nonEmpty(values []string) []string {
	out := values[:0]
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
