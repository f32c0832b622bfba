package modulefuzz

import (
	"bytes"
	"net/url"
	"os"
	"slices"
	"strings"

	"ansible-sts/internal/awsauth"
)

// Input is one fuzz input: the arguments file, the environment and the
// three files the modules read from the isolated HOME. Each part is a
// fuzz argument of its own, so the fuzzer mutates them apart.
type Input struct {
	Args []byte
	// Env holds one NAME=value per line. Names outside FuzzedEnv are
	// ignored, and so are values holding a NUL, which no environment can
	// hold.
	Env         []byte
	Config      []byte // AWS_CONFIG_FILE; empty: no file
	Credentials []byte // AWS_SHARED_CREDENTIALS_FILE; empty: no file
	Boto        []byte // BOTO_CONFIG; empty: no file
}

// harnessEnv are the variables the harness sets itself and the fuzzer
// never does: the files' paths, which must stay in the temporary HOME, and
// PATH, which names an empty directory (see New).
var harnessEnv = []string{"HOME", "PATH", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "BOTO_CONFIG"}

// sdkEnv are the variables the AWS SDK reads in the modules' runs beyond
// those of awsauth's tables.
var sdkEnv = []string{
	"AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_WEB_IDENTITY_TOKEN_FILE",
	"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
	"AWS_STS_REGIONAL_ENDPOINTS", "AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT",
	"AWS_SDK_LOAD_CONFIG", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_ACCOUNT_ID",
	"AWS_CREDENTIAL_EXPIRATION", "AWS_DEFAULTS_MODE", "AWS_EC2_METADATA_SERVICE_ENDPOINT",
	"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "AWS_EC2_METADATA_V1_DISABLED", "AWS_EC2_METADATA_DISABLED",
}

var authEnv = awsauth.Environment()

// FuzzedEnv are the variables a fuzz input may set: those the modules and
// the SDK read, but for harnessEnv.
var FuzzedEnv = func() []string {
	var out []string
	for _, k := range slices.Concat(authEnv.All, sdkEnv) {
		if !slices.Contains(harnessEnv, k) && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}()

// parseEnv returns the variables of env to set, in order, a later line
// winning.
func parseEnv(env []byte) [][2]string {
	var out [][2]string
	for _, line := range strings.Split(string(env), "\n") {
		name, value, ok := strings.Cut(line, "=")
		if !ok || !slices.Contains(FuzzedEnv, name) || strings.ContainsRune(value, 0) {
			continue
		}
		out = slices.DeleteFunc(out, func(kv [2]string) bool { return kv[0] == name })
		out = append(out, [2]string{name, value})
	}
	return out
}

// secretFileKeys are the keys of the shared files and the boto config
// file whose value is a secret.
var secretFileKeys = []string{"aws_secret_access_key", "aws_session_token", "aws_security_token"}

// fileSecrets returns the secret values written in the three files, and
// the rest of their text (every other line).
func (in Input) fileSecrets() (secrets []string, rest []byte) {
	for _, b := range [][]byte{in.Config, in.Credentials, in.Boto} {
		for _, line := range bytes.Split(b, []byte("\n")) {
			key, value, ok := bytes.Cut(line, []byte("="))
			if k, v, colon := bytes.Cut(line, []byte(":")); colon && (!ok || len(k) < len(key)) {
				key, value, ok = k, v, true // boto's ConfigParser takes "key: value" too
			}
			k := strings.ToLower(strings.TrimSpace(string(key)))
			if ok && slices.Contains(secretFileKeys, k) {
				secrets = append(secrets, strings.TrimSpace(string(value)))
				continue
			}
			rest = append(append(rest, line...), '\n')
		}
	}
	return secrets, rest
}

// envSecrets returns the secrets of the environment env sets: the whole
// value of a secret variable and the password of a URL variable's
// userinfo, which the module hides whether it uses them or not; the
// contents of a token file, which it hides when it may send them; and the
// other variables' values.
func envSecrets(env [][2]string) (secrets, tokens []string, rest []byte) {
	for _, kv := range env {
		name, value := kv[0], kv[1]
		switch {
		case slices.Contains(authEnv.Secret, name):
			secrets = append(secrets, value)
		case slices.Contains(authEnv.URL, name):
			secrets = append(secrets, urlPassword(value)...)
			rest = append(append(rest, value...), '\n')
		case slices.Contains(authEnv.TokenFile, name):
			if fi, err := os.Stat(value); err == nil && fi.Mode().IsRegular() && fi.Size() < 1<<16 {
				if b, err := os.ReadFile(value); err == nil {
					tokens = append(tokens, string(b), strings.TrimSpace(string(b)))
				}
			}
			rest = append(append(rest, value...), '\n')
		default:
			rest = append(append(rest, value...), '\n')
		}
	}
	return secrets, tokens, rest
}

// urlPassword returns the password of a URL's userinfo: decoded when the
// URL parses, else what lies between "://", the first ':' and the last '@'.
func urlPassword(raw string) []string {
	if u, err := url.Parse(raw); err == nil {
		if p, ok := u.User.Password(); ok {
			return []string{p}
		}
		return nil
	}
	_, rest, ok := strings.Cut(raw, "://")
	if at := strings.LastIndex(rest, "@"); ok && at >= 0 {
		if _, pw, ok := strings.Cut(rest[:at], ":"); ok {
			return []string{pw}
		}
	}
	return nil
}
