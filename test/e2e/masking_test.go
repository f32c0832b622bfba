package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

// userinfoURL returns endpoint with key and secret as its userinfo,
// percent-encoded as a user writes them by hand (Python's quote, safe="").
func userinfoURL(endpoint, key, secret string) string {
	return strings.Replace(endpoint, "://", "://"+key+":"+url.QueryEscape(secret)+"@", 1)
}

// moduleArgs returns the result's invocation.module_args.
func moduleArgs(t *testing.T, r run) map[string]any {
	t.Helper()
	inv, _ := r.Result["invocation"].(map[string]any)
	args, ok := inv["module_args"].(map[string]any)
	if !ok {
		t.Fatalf("no invocation.module_args in %s", r.Stdout)
	}
	return args
}

// assertAbsent fails if any of texts shows in the run's stdout or stderr.
func assertAbsent(t *testing.T, r run, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(string(r.Stdout), s) || strings.Contains(string(r.Stderr), s) {
			t.Errorf("%q shows in the output:\n%s", s[:min(6, len(s))]+"…", r.Stdout)
		}
	}
}

// TestEncodedSecretsMasked: a secret is masked in its percent-encoded and
// JSON-escaped forms too, in the invocation and in what a server echoes.
func TestEncodedSecretsMasked(t *testing.T) {
	const mfaCode = "12/34+56=="
	echo := func(c *fakests.Config) {
		c.Hook = func(r *fakests.Request) *fakests.Response {
			form, _ := json.Marshal(map[string]string{"TokenCode": r.Params.Get("TokenCode")})
			return &fakests.Response{Status: 400, Code: "ValidationError", Type: "Sender",
				Message: "bad request " + r.Params.Encode() + " " + strings.ReplaceAll(string(form), "/", `\/`)}
		}
	}
	t.Run("secret key in the endpoint's userinfo", func(t *testing.T) {
		srv := testenv.StartSTS(t, fakests.Config{Users: users})
		endpoint := userinfoURL(srv.URL, testenv.AliceKey, testenv.AliceSecret)
		args := merge(ansibleKeys("sts_assume_role"), role(nil), conn(map[string]any{"ec2_url": endpoint}))
		r := runModule(t, "sts_assume_role", args, newHome(t).Environ())
		if r.Code != 0 {
			t.Fatalf("failed: %s", r.Stdout)
		}
		want := strings.Replace(srv.URL, "://", "://"+testenv.AliceKey+":********@", 1)
		if got := moduleArgs(t, r)["ec2_url"]; got != want {
			t.Errorf("invocation.module_args.ec2_url = %v, want %s", got, want)
		}
		assertAbsent(t, r, url.QueryEscape(testenv.AliceSecret), url.PathEscape(testenv.AliceSecret))
	})
	t.Run("MFA code echoed by the server", func(t *testing.T) {
		cfg := fakests.Config{Users: users}
		echo(&cfg)
		srv := testenv.StartSTS(t, cfg)
		args := merge(ansibleKeys("sts_session_token"), conn(map[string]any{"ec2_url": srv.URL, "mfa_serial_number": mfaSerial, "mfa_token": mfaCode}))
		r := runModule(t, "sts_session_token", args, newHome(t).Environ())
		msg, _ := r.Result["msg"].(string)
		if r.Code != 1 || !strings.Contains(msg, "TokenCode=********&") || !strings.Contains(msg, `{"TokenCode":"********"}`) {
			t.Errorf("msg = %q, want TokenCode masked in the form and in the JSON", msg)
		}
		assertAbsent(t, r, url.QueryEscape(mfaCode), `12\/34+56==`)
	})
}

// TestEnvironmentSecretsMasked: secrets the module takes from the
// environment are masked like no_log options, wherever they show.
func TestEnvironmentSecretsMasked(t *testing.T) {
	t.Run("AWS_SESSION_TOKEN echoed by the server", func(t *testing.T) {
		srv := testenv.StartSTS(t, fakests.Config{Users: users, Hook: func(r *fakests.Request) *fakests.Response {
			if r.SessionToken == "" {
				return nil
			}
			return &fakests.Response{Status: 403, Code: "InvalidClientTokenId", Type: "Sender",
				Message: "The security token included in the request is invalid: " + r.SessionToken}
		}})
		first := runModule(t, "sts_session_token", merge(ansibleKeys("sts_session_token"), conn(map[string]any{"ec2_url": srv.URL})), newHome(t).Environ())
		creds, _ := first.Result["sts_creds"].(map[string]any)
		key, _ := creds["access_key"].(string)
		secret, _ := creds["secret_key"].(string)
		token, _ := creds["session_token"].(string)
		if first.Code != 0 || len(token) < 20 {
			t.Fatalf("no session token to use: %s", first.Stdout)
		}
		// An MFA code inside the token: the token is masked whole all the
		// same, though the code is the first secret the module knows.
		code := token[4:10]
		env := newHome(t).Environ("AWS_ACCESS_KEY_ID="+key, "AWS_SECRET_ACCESS_KEY="+secret, "AWS_SESSION_TOKEN="+token,
			"AWS_REGION=us-east-1", "AWS_URL="+srv.URL)
		args := merge(ansibleKeys("sts_assume_role"), role(map[string]any{"mfa_serial_number": mfaSerial, "mfa_token": code}))
		r := runModule(t, "sts_assume_role", args, env)
		want := "An error occurred (InvalidClientTokenId) when calling the AssumeRole operation: The security token included in the request is invalid: ********"
		if msg, _ := r.Result["msg"].(string); r.Code != 1 || msg != want {
			t.Errorf("msg = %q, want %q", msg, want)
		}
		assertAbsent(t, r, token, token[:4], token[10:])
	})
	t.Run("AWS_SECRET_ACCESS_KEY in AWS_URL's userinfo", func(t *testing.T) {
		closed := userinfoURL(testenv.ClosedURL(t), testenv.AliceKey, testenv.AliceSecret)
		invalid := userinfoURL("ftp://127.0.0.1:1", testenv.AliceKey, testenv.AliceSecret)
		tests := map[string]struct {
			endpoint string
			args     map[string]any
			wantMsg  string
		}{
			"connection refused": {endpoint: closed, args: role(nil)},
			"argument failure":   {endpoint: closed, args: role(map[string]any{"role_session_name": nil, "duration_seconds": "1h"})},
			"check mode":         {endpoint: closed, args: role(map[string]any{"_ansible_check_mode": true})},
			"invalid endpoint": {endpoint: invalid, args: role(nil),
				wantMsg: "Couldn't connect to AWS: Invalid endpoint: ftp://" + testenv.AliceKey + ":********@127.0.0.1:1"},
		}
		for name, tc := range tests {
			t.Run(name, func(t *testing.T) {
				env := newHome(t).Environ("AWS_ACCESS_KEY_ID="+testenv.AliceKey, "AWS_SECRET_ACCESS_KEY="+testenv.AliceSecret, "AWS_REGION=us-east-1", "AWS_URL="+tc.endpoint)
				r := runModule(t, "sts_assume_role", merge(ansibleKeys("sts_assume_role"), tc.args), env)
				want := strings.Replace(tc.endpoint, url.QueryEscape(testenv.AliceSecret), "********", 1)
				if got := moduleArgs(t, r)["ec2_url"]; got != want {
					t.Errorf("invocation.module_args.ec2_url = %v, want %s", got, want)
				}
				if msg, _ := r.Result["msg"].(string); tc.wantMsg != "" && msg != tc.wantMsg {
					t.Errorf("msg = %q, want %q", msg, tc.wantMsg)
				}
				assertAbsent(t, r, url.QueryEscape(testenv.AliceSecret), url.PathEscape(testenv.AliceSecret))
			})
		}
	})
	t.Run("container authorization token echoed by its endpoint", func(t *testing.T) {
		const token = "Bearer-container-token-7f3a9c"
		echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			json.NewEncoder(w).Encode(map[string]string{"code": "AccessDenied", "message": "token " + r.Header.Get("Authorization") + " is not valid"})
		}))
		t.Cleanup(echo.Close)
		file := filepath.Join(t.TempDir(), "token")
		if err := os.WriteFile(file, []byte(token+"-from-file"), 0o600); err != nil {
			t.Fatal(err)
		}
		for name, env := range map[string]string{
			"AWS_CONTAINER_AUTHORIZATION_TOKEN":      "AWS_CONTAINER_AUTHORIZATION_TOKEN=" + token,
			"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=" + file,
		} {
			t.Run(name, func(t *testing.T) {
				srv := testenv.StartSTS(t, fakests.Config{Users: users})
				args := merge(ansibleKeys("sts_assume_role"), role(map[string]any{"region": "us-east-1", "ec2_url": srv.URL}))
				r := runModule(t, "sts_assume_role", args, newHome(t).Environ(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI="+echo.URL+"/creds"))
				msg, _ := r.Result["msg"].(string)
				if r.Code != 1 || !strings.Contains(msg, "token ******** is not valid") {
					t.Errorf("msg = %q, want the echoed token masked", msg)
				}
				assertAbsent(t, r, token)
			})
		}
	})
}

// TestProxyPasswordNotShown: a proxy URL that does not parse is named in
// the failure without its userinfo, and its password is masked in the
// invocation.
func TestProxyPasswordNotShown(t *testing.T) {
	const password = "pr0xy/pa55"
	proxy := "http://proxyuser:" + password + "@proxy.example:port"
	args := merge(ansibleKeys("sts_assume_role"), role(nil), conn(map[string]any{"ec2_url": "http://127.0.0.1:1", "aws_config": map[string]any{"proxies": map[string]any{"https": proxy}}}))
	r := runModule(t, "sts_assume_role", args, newHome(t).Environ())
	want := `aws_config: proxies https is not a URL: "http://xxxxx@proxy.example:port"`
	if msg, _ := r.Result["msg"].(string); r.Code != 1 || msg != want {
		t.Errorf("msg = %q, want %q", msg, want)
	}
	assertAbsent(t, r, password, url.QueryEscape(password))
}
