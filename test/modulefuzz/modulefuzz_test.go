package modulefuzz

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"ansible-sts/internal/modules"
	"ansible-sts/test/testenv"
	"github.com/google/go-cmp/cmp"
)

func TestCheckOutput(t *testing.T) {
	tests := map[string]struct {
		code       int
		stdout     string
		wantErrors int
	}{
		"failure":              {code: 1, stdout: `{"failed": true, "msg": "missing required arguments: role_arn"}` + "\n"},
		"skipped":              {code: 0, stdout: `{"skipped": true, "msg": "remote module (x) does not support check mode"}` + "\n"},
		"changed":              {code: 0, stdout: `{"changed": true}` + "\n"},
		"failure, exit 0":      {code: 0, stdout: `{"failed": true, "msg": "x"}` + "\n", wantErrors: 1},
		"success, exit 1":      {code: 1, stdout: `{"changed": true}` + "\n", wantErrors: 1},
		"neither":              {code: 0, stdout: `{"msg": "x"}` + "\n", wantErrors: 1},
		"failure without msg":  {code: 1, stdout: `{"failed": true}` + "\n", wantErrors: 1},
		"panic":                {code: 1, stdout: `{"failed": true, "msg": "internal error in sts_assume_role: boom"}` + "\n", wantErrors: 1},
		"two lines":            {code: 0, stdout: `{"changed": true}` + "\n\n", wantErrors: 1},
		"no newline":           {code: 0, stdout: `{"changed": true}`, wantErrors: 1},
		"two objects":          {code: 0, stdout: `{"changed": true} {}` + "\n", wantErrors: 1},
		"not an object":        {code: 0, stdout: `[]` + "\n", wantErrors: 1},
		"empty":                {code: 1, stdout: ``, wantErrors: 2},
		"failed is not a bool": {code: 0, stdout: `{"failed": "yes", "changed": true}` + "\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			rec := &testenv.Recorder{TB: t}
			CheckOutput(rec, tc.code, []byte(tc.stdout))
			if diff := cmp.Diff(tc.wantErrors, len(rec.Msgs)); diff != "" {
				t.Errorf("errors (-want +got):\n%s\n%s", diff, strings.Join(rec.Msgs, "\n"))
			}
		})
	}
}

func TestCheckSecrets(t *testing.T) {
	const masked = `{"invocation": {"module_args": {"mfa_token": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"}}, "msg": "x ******** y"}`
	tests := map[string]struct {
		input      string
		result     string
		wantErrors int
	}{
		"masked":                          {input: `{"mfa_token": "s3cret"}`, result: masked},
		"in msg":                          {input: `{"mfa_token": "s3cret"}`, result: `{"msg": "x s3cret y"}`, wantErrors: 1},
		"in module_args":                  {input: `{"secret_key": "s3cret"}`, result: `{"invocation": {"module_args": {"secret_key": "s3cret"}}}`, wantErrors: 2},
		"nested":                          {input: `{"security_token": ["tok-1", {"k": "tok-2"}]}`, result: `{"a": ["tok-2"]}`, wantErrors: 1},
		"keys are kept":                   {input: `{"mfa_token": "s3cret"}`, result: `{"s3cret": 1}`},
		"short":                           {input: `{"mfa_token": "abc"}`, result: `{"msg": "abc"}`},
		"with a star":                     {input: `{"mfa_token": "ab**"}`, result: `{"msg": "ab****"}`},
		"inside the placeholder":          {input: `{"mfa_token": "VALUE"}`, result: masked},
		"not a secret option":             {input: `{"aws_access_key": "AKIDEXAMPLE"}`, result: `{"msg": "AKIDEXAMPLE"}`},
		"overridden by an alias":          {input: `{"secret_key": "first", "ec2_secret_key": "second"}`, result: `{"invocation": {"module_args": {"secret_key": "first"}}}`, wantErrors: 2},
		"the alias that wins":             {input: `{"secret_key": "first", "ec2_secret_key": "second"}`, result: `{"msg": "second"}`, wantErrors: 1},
		"overridden, same value":          {input: `{"aws_secret_key": "same1", "secret_key": "same1"}`, result: `{"msg": "same1"}`, wantErrors: 1},
		"input not an object":             {input: `["s3cret"]`, result: `{"msg": "s3cret"}`},
		"2.22: listed for the controller": {input: `{"mfa_token": "s3cret"}`, result: `{"_ansible_new_secrets": ["s3cret"], "invocation": {"module_args": {"mfa_token": "$REDACTED$"}}}`},
		"2.22: in msg all the same":       {input: `{"mfa_token": "s3cret"}`, result: `{"_ansible_new_secrets": ["s3cret"], "msg": "x s3cret"}`, wantErrors: 1},
		"no_log list in arguments":        {input: `{"mfa_token": ["s3cret"]}`, result: `{"invocation": {"module_args": {"mfa_token": "['********']"}}}`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			rec := &testenv.Recorder{TB: t}
			result := CheckOutput(&testenv.Recorder{TB: t}, 0, []byte(tc.result+"\n"))
			CheckSecrets(rec, []byte(tc.input), result)
			if diff := cmp.Diff(tc.wantErrors, len(rec.Msgs)); diff != "" {
				t.Errorf("errors (-want +got):\n%s\n%s", diff, strings.Join(rec.Msgs, "\n"))
			}
		})
	}
}

// TestNoConnection: whatever a fuzzed run names, the STS endpoint, a
// proxy, a host name to resolve, the instance metadata service, its System
// refuses the connection before it is made, at once and without a retry:
// nothing listening on loopback is ever reached.
func TestNoConnection(t *testing.T) {
	testenv.Isolate(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var accepted atomic.Int32
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	listening := "http://" + l.Addr().String()
	keys := `"aws_access_key": "AKIAIOSFODNN7EXAMPLE", "aws_secret_key": "s3cretKey", "region": "us-east-1", `
	tests := map[string]struct {
		args string
		env  map[string]string
	}{
		"endpoint":              {args: keys + `"ec2_url": "` + listening + `"`},
		"proxy of aws_config":   {args: keys + `"aws_config": {"proxies": {"https": "` + listening + `"}}`},
		"proxy of the env":      {args: keys[:len(keys)-2], env: map[string]string{"HTTPS_PROXY": listening}},
		"host name":             {args: keys + `"ec2_url": "https://sts.example.com"`},
		"more attempts":         {args: keys + `"ec2_url": "` + listening + `", "aws_config": {"retries": {"max_attempts": 9}}`},
		"instance metadata":     {args: `"region": "us-east-1"`, env: map[string]string{"AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": listening}},
		"container credentials": {args: `"region": "us-east-1"`, env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": listening + "/creds"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v) // the SDK's loader reads the process environment
			}
			env := map[string]string{}
			for _, kv := range os.Environ() {
				k, v, _ := strings.Cut(kv, "=")
				env[k] = v
			}
			path := filepath.Join(t.TempDir(), "args")
			if err := os.WriteFile(path, []byte(`{`+tc.args+`, "role_arn": "arn:aws:iam::123456789012:role/demo", "role_session_name": "s1"}`), 0o600); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			start := time.Now()
			code := modules.Run(modules.AssumeRole, System(env), []string{path}, &out)
			var r struct{ Msg string }
			if err := json.Unmarshal(out.Bytes(), &r); err != nil {
				t.Fatalf("%v: %s", err, out.Bytes())
			}
			if code != 1 || !strings.Contains(r.Msg, ErrNoConnection.Error()) {
				t.Errorf("exit status %d, msg %q; want 1 and %q", code, r.Msg, ErrNoConnection)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("the run took %v: a refused connection fails at once", d)
			}
			if strings.Contains(r.Msg, "attempts)") {
				t.Errorf("msg %q: a refused connection is not retried", r.Msg)
			}
		})
	}
	if n := accepted.Load(); n != 0 {
		t.Errorf("%d connections reached the listener", n)
	}
}

func TestParseEnv(t *testing.T) {
	env := "AWS_REGION=eu-west-1\n" +
		"AWS_URL=https://AKID:pw@sts.example.com:8443/p?q=1\n" +
		"HTTPS_PROXY=proxy.example.com:3128\n" +
		"AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:8080/creds\n" +
		"AWS_ENDPOINT_URL=::not a url\n" +
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=@127.0.0.1:8080/x\n" +
		"AWS_CONFIG_FILE=/etc/passwd\n" + // the harness's own
		"PATH=/bin\n" +
		"NO_PROXY=*\n" +
		"NOT_READ=x\n" +
		"AWS_PROFILE=a\x00b\n" +
		"no equals sign\n" +
		"AWS_REGION=us-east-1\n" // a later line wins
	want := [][2]string{
		{"AWS_URL", "https://AKID:pw@sts.example.com:8443/p?q=1"},
		{"HTTPS_PROXY", "proxy.example.com:3128"},
		{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:8080/creds"},
		{"AWS_ENDPOINT_URL", "::not a url"},
		{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "@127.0.0.1:8080/x"},
		{"AWS_REGION", "us-east-1"},
	}
	if diff := cmp.Diff(want, parseEnv([]byte(env))); diff != "" {
		t.Errorf("parseEnv (-want +got):\n%s", diff)
	}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SESSION_TOKEN", "EC2_URL", "S3_URL", "AWS_CA_BUNDLE", "ANSIBLE_DEBUG_BOTOCORE_LOGS", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "http_proxy"} {
		if !slices.Contains(FuzzedEnv, k) {
			t.Errorf("%s is not among the fuzzed variables", k)
		}
	}
	for _, k := range harnessEnv {
		if slices.Contains(FuzzedEnv, k) {
			t.Errorf("%s, which the harness sets, is among the fuzzed variables", k)
		}
	}
}

func TestCheckOtherSecrets(t *testing.T) {
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("webIdentityToken\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		in         Input
		env        [][2]string
		output     string
		stderr     string
		wantErrors int
	}{
		"env secret masked":       {env: [][2]string{{"AWS_SESSION_TOKEN", "envToken1"}}, output: "x ******** y"},
		"env secret shown":        {env: [][2]string{{"AWS_SESSION_TOKEN", "envToken1"}}, output: "x envToken1 y", wantErrors: 1},
		"env secret on stderr":    {env: [][2]string{{"EC2_SECRET_KEY", "envSecret1"}}, stderr: "envSecret1", wantErrors: 1},
		"not a secret variable":   {env: [][2]string{{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"}}, output: "AKIDEXAMPLE"},
		"URL password":            {env: [][2]string{{"HTTPS_PROXY", "http://u:proxyPw@127.0.0.1:9"}}, output: "proxyPw", wantErrors: 1},
		"URL user name":           {env: [][2]string{{"AWS_URL", "http://userName@127.0.0.1:9"}}, output: "userName"},
		"token file":              {env: [][2]string{{"AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile}}, output: "webIdentityToken", wantErrors: 1},
		"a device as token file":  {env: [][2]string{{"AWS_WEB_IDENTITY_TOKEN_FILE", "/dev/zero"}}, output: "x"},
		"file secret":             {in: Input{Credentials: []byte("[d]\naws_secret_access_key = fileSecret1\n")}, output: "fileSecret1", wantErrors: 1},
		"file token, boto colon":  {in: Input{Boto: []byte("[Credentials]\naws_security_token: botoToken1\n")}, stderr: "botoToken1", wantErrors: 1},
		"file secret, upper case": {in: Input{Config: []byte("[default]\n AWS_SESSION_TOKEN=cfgToken1\n")}, output: "cfgToken1", wantErrors: 1},
		"file secret elsewhere":   {in: Input{Config: []byte("[default]\naws_secret_access_key = eu-west-1\nregion = eu-west-1\n")}, output: "eu-west-1"},
		"file key id":             {in: Input{Credentials: []byte("[d]\naws_access_key_id = AKIDEXAMPLE\n")}, output: "AKIDEXAMPLE"},
		"args secret on stderr":   {in: Input{Args: []byte(`{"mfa_token": "123456"}`)}, stderr: "code 123456", wantErrors: 1},
		"short":                   {env: [][2]string{{"AWS_SESSION_TOKEN", "abc"}}, output: "abc"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			rec := &testenv.Recorder{TB: t}
			CheckOtherSecrets(rec, tc.in, tc.env, map[string]any{"msg": tc.output}, []byte(tc.stderr))
			if diff := cmp.Diff(tc.wantErrors, len(rec.Msgs)); diff != "" {
				t.Errorf("errors (-want +got):\n%s\n%s", diff, strings.Join(rec.Msgs, "\n"))
			}
		})
	}
}

// TestSecretOptions checks the no_log names the tests look for: the
// connection options' with their aliases, and the modules' own.
func TestSecretOptions(t *testing.T) {
	for _, name := range []string{"aws_secret_key", "ec2_secret_key", "security_token", "aws_security_token", "mfa_token"} {
		if !slices.Contains(SecretOptions, name) {
			t.Errorf("SecretOptions = %q, without %s", SecretOptions, name)
		}
	}
	for _, name := range []string{"aws_access_key", "role_arn", "mfa_serial_number"} {
		if slices.Contains(SecretOptions, name) {
			t.Errorf("SecretOptions = %q, with %s", SecretOptions, name)
		}
	}
	if c := slices.Compact(slices.Sorted(slices.Values(SecretOptions))); len(c) != len(SecretOptions) {
		t.Errorf("SecretOptions = %q repeats a name", SecretOptions)
	}
}
