package e2e

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/awsauth"
	"ansible-sts/internal/boundedfile"
	"ansible-sts/internal/result"
	"ansible-sts/test/modulefuzz"
	"ansible-sts/test/testenv"
)

// The environment variables that hold secrets the modules read or the SDK
// sends for them (secretEnv), those holding a URL whose userinfo password
// is a secret (urlEnv) and those naming a file whose contents are a secret
// token (tokenFileEnv): awsauth's lists.
var (
	authEnv      = awsauth.Environment()
	secretEnv    = authEnv.Secret
	urlEnv       = authEnv.URL
	tokenFileEnv = authEnv.TokenFile
)

// urlOptions are the options holding a URL with a possible password, every
// name of each, from the connection options' table.
var urlOptions = func() (out []string) {
	for _, o := range awsauth.Options {
		if o.URL {
			out = append(append(out, o.Name), o.Aliases...)
		}
	}
	return out
}()

// assertNoSecretLeak fails if an input secret shows in a run's output: the
// strings given to a no_log option or alias (modulefuzz.SecretOptions, in
// lists and dicts too), the secret environment variables, the contents of
// the token files the environment names, and the passwords of the
// endpoint and proxy URLs (options and environment), from
// modulefuzz.MinSecretLen characters on, must appear neither in stdout
// nor in stderr, as written or encoded (JSON-escaped, percent-encoded as a
// query, a path or userinfo, either hex case). It also checks that
// invocation.module_args shows every no_log option given a non-empty
// string as VALUE_SPECIFIED_IN_NO_LOG_PARAMETER.
func assertNoSecretLeak(t testing.TB, input map[string]any, env []string, stdout, stderr []byte) {
	t.Helper()
	var secrets []string
	for _, name := range modulefuzz.SecretOptions {
		secrets = append(secrets, testenv.StringValues(input[name])...)
	}
	for _, name := range urlOptions {
		if u, ok := input[name].(string); ok {
			secrets = append(secrets, urlPassword(u))
		}
	}
	if cfg, ok := input["aws_config"].(map[string]any); ok {
		if proxies, ok := cfg["proxies"].(map[string]any); ok {
			for _, u := range proxies {
				if u, ok := u.(string); ok {
					secrets = append(secrets, urlPassword(u))
				}
			}
		}
	}
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		switch {
		case slices.Contains(secretEnv, name):
			secrets = append(secrets, value)
		case slices.Contains(urlEnv, name):
			secrets = append(secrets, urlPassword(value))
		case slices.Contains(tokenFileEnv, name):
			// Through the bounded reader: the bad-input tests name FIFOs
			// and devices here.
			if data, err := boundedfile.Read(value, boundedfile.ConfigLimit); err == nil {
				secrets = append(secrets, strings.TrimSpace(string(data)))
			}
		}
	}
	assertNotShown(t, secrets, stdout, stderr)

	var res struct {
		Invocation struct {
			ModuleArgs map[string]any `json:"module_args"`
		} `json:"invocation"`
	}
	if json.Unmarshal(stdout, &res) != nil {
		return // runRaw reports it
	}
	for _, name := range modulefuzz.SecretOptions {
		s, ok := input[name].(string)
		if !ok || s == "" {
			continue
		}
		if got, shown := res.Invocation.ModuleArgs[name]; shown && got != result.NoLogPlaceholder {
			t.Errorf("invocation.module_args.%s = %#v, want %s", name, got, result.NoLogPlaceholder)
		}
	}
}

// assertNotShown fails for each of secrets that shows on stdout or stderr,
// as written or encoded (encodedForms), or in stdout's JSON string values
// as decoded. A secret under modulefuzz.MinSecretLen characters, which
// matches other text, or one masking itself writes (testenv.Checkable)
// is not looked for: it may show without leaking.
func assertNotShown(t testing.TB, secrets []string, stdout, stderr []byte) {
	t.Helper()
	// The result's strings as decoded, where an escaped form is written
	// as it is, not escaped once more.
	var doc any
	_ = json.Unmarshal(stdout, &doc) // runRaw reports stdout that is not JSON
	decoded := strings.Join(testenv.StringValues(doc), "\n")
	for _, s := range secrets {
		if len(s) < modulefuzz.MinSecretLen || !testenv.Checkable(s) {
			continue
		}
		shown := s[:min(3, len(s))] + "…"
		for _, form := range encodedForms(s) {
			if bytes.Contains(stdout, []byte(form)) || strings.Contains(decoded, form) {
				t.Errorf("input secret %q shows on stdout", shown)
				break
			}
		}
		for _, form := range encodedForms(s) {
			if bytes.Contains(stderr, []byte(form)) {
				t.Errorf("input secret %q shows on stderr", shown)
				break
			}
		}
	}
}

// encodedForms returns s as written and in the encodings that put it in
// a JSON document (with or without HTML escapes, "/" as "\/" or not) or a
// URL (query, path, userinfo; upper- and lower-case hex).
func encodedForms(s string) []string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	plain := strings.Trim(strings.TrimSpace(b.String()), `"`)
	html, _ := json.Marshal(s)
	forms := []string{s, plain, strings.Trim(string(html), `"`), strings.ReplaceAll(plain, "/", `\/`)}
	userinfo := strings.TrimPrefix(url.UserPassword("u", s).String(), "u:")
	for _, e := range []string{url.QueryEscape(s), url.PathEscape(s), userinfo} {
		forms = append(forms, e, lowerHex(e))
	}
	slices.Sort(forms)
	return slices.Compact(forms)
}

// lowerHex writes the %XX escapes of s in lower case.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			copy(b[i+1:i+3], strings.ToLower(string(b[i+1:i+3])))
		}
	}
	return string(b)
}

// urlPassword returns the password of a URL's userinfo, decoded, or "".
// For a URL that does not parse, the userinfo ends at the last "@".
func urlPassword(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		p, _ := u.User.Password()
		return p
	}
	_, rest, _ := strings.Cut(raw, "://")
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return ""
	}
	_, p, _ := strings.Cut(rest[:at], ":")
	if d, err := url.PathUnescape(p); err == nil {
		return d
	}
	return p
}

func TestAssertNoSecretLeak(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("file-token-xyz\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	masked := `{"failed": true, "msg": "x", "invocation": {"module_args": {"aws_secret_key": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"}}}`
	tests := map[string]struct {
		input          map[string]any
		env            []string
		stdout, stderr string
		wantErrors     int
	}{
		"masked":                  {input: map[string]any{"aws_secret_key": secret}, stdout: masked},
		"in msg":                  {input: map[string]any{"aws_secret_key": secret}, stdout: `{"msg": "key ` + secret + `"}`, wantErrors: 1},
		"json escaped":            {input: map[string]any{"mfa_token": `12"34`}, stdout: `{"msg": "12\"34"}`, wantErrors: 1},
		"in module_args":          {input: map[string]any{"secret_key": secret}, stdout: `{"invocation": {"module_args": {"secret_key": "` + secret + `"}}}`, wantErrors: 2},
		"on stderr":               {input: map[string]any{"security_token": "token-1234"}, stdout: `{}`, stderr: "token-1234", wantErrors: 1},
		"inside a list":           {input: map[string]any{"mfa_token": []any{"654321"}}, stdout: `{"msg": "654321"}`, wantErrors: 1},
		"from the environment":    {env: []string{"AWS_SESSION_TOKEN=FwoGZXIvYXdz"}, stdout: `{"msg": "FwoGZXIvYXdz"}`, wantErrors: 1},
		"other variables":         {env: []string{"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"}, stdout: `{"msg": "AKIAIOSFODNN7EXAMPLE"}`},
		"short values":            {input: map[string]any{"mfa_token": "123"}, stdout: `{"msg": "123"}`},
		"query-encoded":           {input: map[string]any{"mfa_token": "12/34+56=="}, stdout: `{"msg": "TokenCode=12%2F34%2B56%3D%3D"}`, wantErrors: 1},
		"path-encoded, lower hex": {input: map[string]any{"aws_secret_key": secret}, stdout: `{"msg": "/wJalrXUtnFEMI%2fK7MDENG%2fbPxRfiCYEXAMPLEKEY"}`, wantErrors: 1},
		"JSON-escaped slash":      {input: map[string]any{"mfa_token": "12/34+56=="}, stdout: `{"msg": "{\"code\": \"12\\/34+56==\"}"}`, wantErrors: 1},
		"on stderr, encoded":      {input: map[string]any{"mfa_token": "12/34+56=="}, stdout: `{}`, stderr: "12%2F34%2B56%3D%3D", wantErrors: 1},
		"container token":         {env: []string{"AWS_CONTAINER_AUTHORIZATION_TOKEN=Bearer-abc"}, stdout: `{"msg": "token Bearer-abc"}`, wantErrors: 1},
		"token file":              {env: []string{"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=" + tokenFile}, stdout: `{"msg": "token file-token-xyz"}`, wantErrors: 1},
		"AWS_URL password":        {env: []string{"AWS_URL=https://AKID:se%2Fcret@127.0.0.1:1"}, stdout: `{"msg": "https://AKID:se%2Fcret@127.0.0.1:1"}`, wantErrors: 1},
		"AWS_URL user name":       {env: []string{"AWS_URL=https://AKIDNAME@127.0.0.1:1"}, stdout: `{"msg": "https://AKIDNAME@127.0.0.1:1"}`},
		"ec2_url password":        {input: map[string]any{"ec2_url": "https://AKID:se%2Fcret@127.0.0.1:1"}, stdout: `{"msg": "se/cret"}`, wantErrors: 1},
		"unparseable proxy":       {input: map[string]any{"aws_config": map[string]any{"proxies": map[string]any{"https": "http://u:p/ss@proxy:port"}}}, stdout: `{"msg": "http://u:p/ss@proxy:port"}`, wantErrors: 1},
		"proxy redacted":          {input: map[string]any{"aws_config": map[string]any{"proxies": map[string]any{"https": "http://u:p/ss@proxy:port"}}}, stdout: `{"msg": "http://xxxxx@proxy:port"}`},
		"placeholder substrings":  {input: map[string]any{"mfa_token": "VALUE"}, stdout: masked},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			rec := &testenv.Recorder{TB: t}
			assertNoSecretLeak(rec, tc.input, tc.env, []byte(tc.stdout), []byte(tc.stderr))
			if diff := cmp.Diff(tc.wantErrors, len(rec.Msgs)); diff != "" {
				t.Errorf("errors reported (-want +got):\n%s\n%s", diff, strings.Join(rec.Msgs, "\n"))
			}
		})
	}
}
