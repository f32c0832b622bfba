package e2e

import (
	"strings"
	"sync/atomic"
	"testing"

	"ansible-sts/internal/fakests"
	"ansible-sts/internal/golden"
	"ansible-sts/internal/testenv"
)

const (
	roleARN   = "arn:aws:iam::123456789012:role/demo"
	mfaSerial = "arn:aws:iam::123456789012:mfa/alice"
)

var users = []fakests.User{testenv.Alice(), testenv.Bob()}

// tcase is one module run. "$URL" in args and env is the server's URL.
type tcase struct {
	module string
	args   map[string]any
	check  bool              // _ansible_check_mode
	env    map[string]string // beyond the isolated home's
	files  map[string]string // "credentials", "config", "boto" → content
	server func(*fakests.Config)
	// secrets are input secrets that must not appear in the output.
	secrets []string
}

// conn is the usual connection: alice's keys, a region, the local endpoint.
func conn(extra map[string]any) map[string]any {
	m := map[string]any{"aws_access_key": testenv.AliceKey, "aws_secret_key": testenv.AliceSecret, "region": "us-east-1", "ec2_url": "$URL"}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func role(extra map[string]any) map[string]any {
	m := map[string]any{"role_arn": roleARN, "role_session_name": "s1"}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func merge(ms ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// failFirst answers the first n requests with resp, then normally.
func failFirst(n int64, resp fakests.Response) func(*fakests.Config) {
	return func(c *fakests.Config) {
		var calls atomic.Int64
		c.Hook = func(*fakests.Request) *fakests.Response {
			if calls.Add(1) <= n {
				r := resp
				return &r
			}
			return nil
		}
	}
}

var throttling = fakests.Response{Status: 400, Code: "Throttling", Message: "Rate exceeded", Type: "Sender"}

var cases = map[string]tcase{
	// Success, every option and alias.
	"assume_role_minimal": {module: "sts_assume_role", args: merge(role(nil), conn(nil))},
	"assume_role_all_options": {module: "sts_assume_role", args: merge(role(map[string]any{
		"duration_seconds": 900, "external_id": "ext-123",
		"policy":            `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}`,
		"mfa_serial_number": mfaSerial, "mfa_token": "654321",
	}), conn(nil)), secrets: []string{testenv.AliceSecret, "654321"}},
	"assume_role_collection_names": {module: "sts_assume_role", args: role(map[string]any{
		"access_key": testenv.AliceKey, "secret_key": testenv.AliceSecret, "endpoint_url": "$URL", "aws_region": "eu-west-1",
	})},
	"assume_role_other_aliases": {module: "sts_assume_role", args: role(map[string]any{
		"aws_access_key_id": testenv.AliceKey, "aws_secret_access_key": testenv.AliceSecret, "aws_endpoint_url": "$URL", "ec2_region": "eu-west-2",
	})},
	"assume_role_ec2_aliases": {module: "sts_assume_role", args: role(map[string]any{
		"ec2_access_key": testenv.AliceKey, "ec2_secret_key": testenv.AliceSecret, "s3_url": "$URL", "region": "eu-west-3",
	})},
	"assume_role_alias_and_option": {module: "sts_assume_role", args: merge(role(nil), conn(map[string]any{"access_key": testenv.BobKey, "aws_secret_access_key": testenv.BobSecret}))},
	"assume_role_env": {module: "sts_assume_role", args: role(nil), env: map[string]string{
		"AWS_ACCESS_KEY_ID": testenv.AliceKey, "AWS_SECRET_ACCESS_KEY": testenv.AliceSecret, "AWS_REGION": "ap-southeast-2", "AWS_URL": "$URL",
	}},
	"assume_role_ec2_env": {module: "sts_assume_role", args: role(nil), env: map[string]string{
		"EC2_ACCESS_KEY": testenv.AliceKey, "EC2_SECRET_KEY": testenv.AliceSecret, "EC2_REGION": "ca-central-1", "EC2_URL": "$URL",
	}},
	"assume_role_profile": {module: "sts_assume_role", args: role(map[string]any{"profile": "deploy", "ec2_url": "$URL"}),
		files: map[string]string{
			"credentials": "[default]\naws_access_key_id = " + testenv.AliceKey + "\naws_secret_access_key = " + testenv.AliceSecret + "\n[deploy]\naws_access_key_id = " + testenv.BobKey + "\naws_secret_access_key = " + testenv.BobSecret + "\n",
			"config":      "[profile deploy]\nregion = eu-north-1\n",
		}},
	"assume_role_aws_profile_env": {module: "sts_assume_role", args: role(map[string]any{"ec2_url": "$URL", "region": "us-east-2"}),
		env:   map[string]string{"AWS_PROFILE": "deploy", "AWS_ACCESS_KEY_ID": testenv.AliceKey, "AWS_SECRET_ACCESS_KEY": testenv.AliceSecret},
		files: map[string]string{"credentials": "[deploy]\naws_access_key_id = " + testenv.BobKey + "\naws_secret_access_key = " + testenv.BobSecret + "\n"}},
	"assume_role_boto_config": {module: "sts_assume_role", args: role(map[string]any{"ec2_url": "$URL", "region": "us-east-1"}),
		files: map[string]string{"boto": "[Credentials]\naws_access_key_id = " + testenv.BobKey + "\naws_secret_access_key = " + testenv.BobSecret + "\n"}},
	"assume_role_fractional_expiration": {module: "sts_assume_role", args: merge(role(nil), conn(nil)),
		server: func(c *fakests.Config) { c.FractionalExpiration = true }},
	"assume_role_debug_endpoint_logs": {module: "sts_assume_role", args: merge(role(nil), conn(map[string]any{"debug_botocore_endpoint_logs": true}))},
	"assume_role_debug_env":           {module: "sts_assume_role", args: merge(role(nil), conn(nil)), env: map[string]string{"ANSIBLE_DEBUG_BOTOCORE_LOGS": "1"}},
	"assume_role_no_log_masking": {module: "sts_assume_role", args: merge(role(map[string]any{"mfa_serial_number": mfaSerial, "mfa_token": "123456"}), conn(nil)),
		secrets: []string{testenv.AliceSecret}},
	"assume_role_conversions": {module: "sts_assume_role", args: merge(role(map[string]any{"role_session_name": 12345, "duration_seconds": " 1_800 ", "external_id": 123}), conn(map[string]any{"validate_certs": "yes"}))},
	"assume_role_aws_config": {module: "sts_assume_role", args: merge(role(nil), conn(map[string]any{"aws_config": map[string]any{
		"connect_timeout": 3, "read_timeout": 4.5, "user_agent_extra": "smoke/1", "retries": map[string]any{"mode": "standard", "total_max_attempts": 2},
	}}))},
	"assume_role_check_mode":         {module: "sts_assume_role", args: merge(role(nil), conn(nil)), check: true},
	"assume_role_check_mode_invalid": {module: "sts_assume_role", args: conn(nil), check: true},

	// Argument failures.
	"assume_role_missing_required": {module: "sts_assume_role", args: conn(nil)},
	"assume_role_unsupported":      {module: "sts_assume_role", args: merge(role(nil), conn(map[string]any{"role_name": "demo"}))},
	"assume_role_bad_int":          {module: "sts_assume_role", args: merge(role(map[string]any{"duration_seconds": "1h"}), conn(nil))},
	"assume_role_float_int":        {module: "sts_assume_role", args: merge(role(map[string]any{"duration_seconds": 3600.0}), conn(nil))},
	"assume_role_bad_bool":         {module: "sts_assume_role", args: merge(role(nil), conn(map[string]any{"validate_certs": "maybe"}))},
	"assume_role_client_checks": {module: "sts_assume_role", args: merge(role(map[string]any{
		"role_arn": "arn:short", "role_session_name": "a", "duration_seconds": 100, "external_id": "x", "policy": "", "mfa_serial_number": "12345678", "mfa_token": "99999",
	}), conn(nil)), secrets: []string{"99999"}},
	"assume_role_null_role_arn":          {module: "sts_assume_role", args: merge(role(map[string]any{"role_arn": nil}), conn(nil))},
	"assume_role_bool_duration":          {module: "sts_assume_role", args: merge(role(map[string]any{"duration_seconds": true}), conn(nil))},
	"assume_role_profile_and_keys":       {module: "sts_assume_role", args: merge(role(nil), conn(map[string]any{"profile": "deploy"}))},
	"assume_role_partial_keys":           {module: "sts_assume_role", args: role(map[string]any{"aws_access_key": testenv.AliceKey, "region": "us-east-1", "ec2_url": "$URL"})},
	"assume_role_no_credentials":         {module: "sts_assume_role", args: role(map[string]any{"region": "us-east-1", "ec2_url": "$URL"})},
	"assume_role_endpoint_no_region":     {module: "sts_assume_role", args: role(map[string]any{"ec2_url": "$URL", "aws_access_key": testenv.AliceKey, "aws_secret_key": testenv.AliceSecret})},
	"assume_role_unknown_profile":        {module: "sts_assume_role", args: role(map[string]any{"profile": "nope", "ec2_url": "$URL", "region": "us-east-1"})},
	"assume_role_aws_config_unknown_key": {module: "sts_assume_role", args: merge(role(nil), conn(map[string]any{"aws_config": map[string]any{"max_pool_connections": 5}}))},

	// AWS errors.
	"assume_role_access_denied": {module: "sts_assume_role", args: merge(role(map[string]any{"role_arn": "arn:aws:iam::123456789012:role/deny"}), conn(nil)),
		server: func(c *fakests.Config) {
			// Of the roles, only the demo role exists: STS denies the others.
			c.Roles = []fakests.Role{{ARN: roleARN, Trust: []string{"*"}}}
		}},
	"assume_role_unknown_key":       {module: "sts_assume_role", args: merge(role(nil), conn(map[string]any{"aws_access_key": "AKIAUNKNOWNEXAMPLE12"}))},
	"assume_role_wrong_secret":      {module: "sts_assume_role", args: merge(role(nil), conn(map[string]any{"aws_secret_key": "not-the-secret-key-at-all"})), secrets: []string{"not-the-secret-key-at-all"}},
	"assume_role_server_validation": {module: "sts_assume_role", args: merge(role(map[string]any{"role_session_name": "bad name!"}), conn(nil))},
	"assume_role_malformed_policy":  {module: "sts_assume_role", args: merge(role(map[string]any{"policy": map[string]any{"Version": "2012-10-17"}}), conn(nil))},
	"assume_role_throttled_then_ok": {module: "sts_assume_role", args: merge(role(nil), conn(nil)), server: failFirst(1, throttling)},
	"assume_role_throttled_always":  {module: "sts_assume_role", args: merge(role(nil), conn(nil)), server: failFirst(100, throttling)},
	"assume_role_500_not_xml": {module: "sts_assume_role", args: merge(role(nil), conn(nil)),
		server: failFirst(100, fakests.Response{Status: 500, Body: []byte("<html>oops</html>")})},
	"assume_role_503": {module: "sts_assume_role", args: merge(role(nil), conn(nil)),
		server: failFirst(100, fakests.Response{Status: 503, Code: "ServiceUnavailable", Message: "Service is unavailable", Type: "Receiver"})},
	"assume_role_connection_refused": {module: "sts_assume_role", args: merge(role(nil), conn(map[string]any{"ec2_url": "$CLOSED"}))},

	// sts_session_token.
	"session_token_minimal":       {module: "sts_session_token", args: conn(nil)},
	"session_token_mfa":           {module: "sts_session_token", args: conn(map[string]any{"duration_seconds": 3600, "mfa_serial_number": mfaSerial, "mfa_token": "246810"}), secrets: []string{"246810"}},
	"session_token_env":           {module: "sts_session_token", args: map[string]any{}, env: map[string]string{"AWS_ACCESS_KEY": testenv.AliceKey, "AWS_SECRET_KEY": testenv.AliceSecret, "AWS_DEFAULT_REGION": "eu-west-1", "AWS_URL": "$URL"}},
	"session_token_check_mode":    {module: "sts_session_token", args: conn(nil), check: true},
	"session_token_unsupported":   {module: "sts_session_token", args: conn(map[string]any{"role_arn": roleARN})},
	"session_token_client_checks": {module: "sts_session_token", args: conn(map[string]any{"duration_seconds": 10, "mfa_serial_number": "short", "mfa_token": "98765"})},
	"session_token_too_long":      {module: "sts_session_token", args: conn(map[string]any{"duration_seconds": 200000})},
	"session_token_access_denied": {module: "sts_session_token", args: conn(nil),
		server: failFirst(100, fakests.Response{Status: 403, Code: "AccessDenied", Message: "Cannot call GetSessionToken with session credentials", Type: "Sender"})},
}

func TestModules(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the whole case matrix against golden results")
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := fakests.Config{Users: users, MaxSessionDuration: 12 * 3600 * 1e9}
			if tc.server != nil {
				tc.server(&cfg)
			}
			srv := testenv.StartSTS(t, cfg)
			home := newHome(t)
			for kind, content := range tc.files {
				path := map[string]string{"credentials": home.Credentials, "config": home.Config, "boto": home.Boto}[kind]
				home.Write(t, path, content)
			}
			closed := testenv.ClosedURL(t)
			subst := func(s string) string {
				return strings.NewReplacer("$URL", srv.URL, "$CLOSED", closed).Replace(s)
			}
			args := ansibleKeys(tc.module)
			args["_ansible_check_mode"] = tc.check
			for k, v := range tc.args {
				if s, ok := v.(string); ok {
					v = subst(s)
				}
				args[k] = v
			}
			var env []string
			for _, k := range sortedStrings(tc.env) {
				env = append(env, k+"="+subst(tc.env[k]))
			}
			r := runModule(t, tc.module, args, home.Environ(env...))
			assertNoSecrets(t, r, append(tc.secrets, testenv.AliceSecret, testenv.BobSecret))

			result := golden.Normalise(t, r.Result, strings.NewReplacer(srv.URL, "http://127.0.0.1:PORT", closed, "http://127.0.0.1:CLOSED"))
			goldenFile(t, name, map[string]any{
				"exit_status": r.Code,
				"result":      result,
				"requests":    testenv.Summary(srv.Requests()),
			})
		})
	}
}
