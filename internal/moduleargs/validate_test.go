package moduleargs

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/pyvalue"
)

// testSpec has the shapes of the real modules' options: aliases, no_log,
// fallbacks, every type, required options, defaults.
var testSpec = Spec{
	{Name: "aws_access_key", Aliases: []string{"access_key", "aws_access_key_id", "ec2_access_key"}},
	{Name: "aws_secret_key", Aliases: []string{"secret_key"}, NoLog: true},
	{Name: "ec2_url", Aliases: []string{"endpoint_url"}, EnvFallback: []string{"AWS_URL", "EC2_URL"}},
	{Name: "validate_certs", Type: Bool, Default: true},
	{Name: "aws_ca_bundle", Type: Path},
	{Name: "aws_config", Type: Dict},
	{Name: "region", Aliases: []string{"aws_region", "ec2_region"}, EnvFallback: []string{"AWS_REGION", "AWS_DEFAULT_REGION"}},
	{Name: "role_arn", Required: true},
	{Name: "role_session_name", Required: true},
	{Name: "duration_seconds", Type: Int},
	{Name: "mfa_token", NoLog: true},
	{Name: "policy_arns", Type: List, Elements: Str},
}

const supportedMsg = "Supported parameters include: aws_access_key, aws_ca_bundle, aws_config, aws_secret_key, duration_seconds, ec2_url, mfa_token, policy_arns, region, role_arn, role_session_name, validate_certs (access_key, aws_access_key_id, aws_region, ec2_access_key, ec2_region, endpoint_url, secret_key)."

func parse(t *testing.T, args string, env map[string]string) (*Args, error) {
	t.Helper()
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	return Parse([]byte(args), testSpec, "sts_assume_role", lookup)
}

const req = `"role_arn": "arn:aws:iam::123456789012:role/demo", "role_session_name": "s1"`

func TestParseErrors(t *testing.T) {
	tests := map[string]struct {
		args string
		want string
	}{
		"missing required, sorted":          {`{"foo": 1}`, "missing required arguments: role_arn, role_session_name"},
		"missing one":                       {`{"role_arn": "x"}`, "missing required arguments: role_session_name"},
		"null counts as given":              {`{"role_arn": null, "role_session_name": null}`, ""},
		"unsupported, aliases listed":       {`{` + req + `, "zeta": 1, "alpha": 2}`, "Unsupported parameters for (sts_assume_role) module: alpha, zeta. " + supportedMsg},
		"module name from the controller":   {`{` + req + `, "x": 1, "_ansible_module_name": "community.aws.sts_assume_role"}`, "Unsupported parameters for (community.aws.sts_assume_role) module: x. " + supportedMsg},
		"missing beats type":                {`{"duration_seconds": "abc"}`, "missing required arguments: role_arn, role_session_name"},
		"type beats unsupported":            {`{` + req + `, "x": 1, "duration_seconds": "abc"}`, "argument 'duration_seconds' is of type <class 'str'> and we were unable to convert to int: <class 'str'> cannot be converted to an int"},
		"first type error in spec order":    {`{` + req + `, "duration_seconds": "abc", "validate_certs": "maybe"}`, "argument 'validate_certs' is of type <class 'str'> and we were unable to convert to bool: The value 'maybe' is not a valid boolean.  Valid booleans include: " + validBooleans},
		"int from float":                    {`{` + req + `, "duration_seconds": 3600.0}`, "argument 'duration_seconds' is of type <class 'float'> and we were unable to convert to int: <class 'float'> cannot be converted to an int"},
		"int from hex string":               {`{` + req + `, "duration_seconds": "0x10"}`, "argument 'duration_seconds' is of type <class 'str'> and we were unable to convert to int: <class 'str'> cannot be converted to an int"},
		"int from list":                     {`{` + req + `, "duration_seconds": [1]}`, "argument 'duration_seconds' is of type <class 'list'> and we were unable to convert to int: <class 'list'> cannot be converted to an int"},
		"bool from 2":                       {`{` + req + `, "validate_certs": 2}`, "argument 'validate_certs' is of type <class 'int'> and we were unable to convert to bool: The value '2' is not a valid boolean.  Valid booleans include: " + validBooleans},
		"bool from empty string":            {`{` + req + `, "validate_certs": ""}`, "argument 'validate_certs' is of type <class 'str'> and we were unable to convert to bool: The value '' is not a valid boolean.  Valid booleans include: " + validBooleans},
		"bool from dict":                    {`{` + req + `, "validate_certs": {}}`, "argument 'validate_certs' is of type <class 'dict'> and we were unable to convert to bool: <class 'dict'> cannot be converted to a bool"},
		"dict from plain string":            {`{` + req + `, "aws_config": "foo"}`, "argument 'aws_config' is of type <class 'str'> and we were unable to convert to dict: dictionary requested, could not parse JSON or key=value"},
		"dict from bad JSON":                {`{` + req + `, "aws_config": "{nope"}`, "argument 'aws_config' is of type <class 'str'> and we were unable to convert to dict: unable to evaluate string as dictionary"},
		"list from dict":                    {`{` + req + `, "policy_arns": {"a": 1}}`, "argument 'policy_arns' is of type <class 'dict'> and we were unable to convert to list: <class 'dict'> cannot be converted to a list"},
		"dict from int":                     {`{` + req + `, "aws_config": 5}`, "argument 'aws_config' is of type <class 'int'> and we were unable to convert to dict: <class 'int'> cannot be converted to a dict"},
		"unknown _ansible_ key is internal": {`{` + req + `, "_ansible_target_log_info": "x", "_ansible_ignore_unknown_opts": false}`, ""},
		"not JSON":                          {`{`, "the arguments file is not valid JSON: unexpected end of JSON input"},
		"empty":                             {``, "the arguments file is not valid JSON: no JSON value"},
		"not an object":                     {`[1]`, "the arguments file must hold a JSON object, not an array"},
		"trailing data":                     {`{} {}`, "the arguments file is not valid JSON: extra data after the JSON value"},
		"invalid UTF-8":                     {"{\"role_arn\": \"\xff\"}", "the arguments file is not valid JSON: not valid UTF-8"},
		"too deep":                          {strings.Repeat("[", 1001) + strings.Repeat("]", 1001), "the arguments file is not valid JSON: nested deeper than 1000 levels"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := parse(t, tc.args, nil)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseConversions(t *testing.T) {
	env := map[string]string{"HOME": "/home/tester", "BUNDLE_DIR": "/etc/pki"}
	tests := map[string]struct {
		option, value string
		want          any
	}{
		"int from string":           {"duration_seconds", `"3600"`, int64(3600)},
		"int with spaces and _":     {"duration_seconds", `" 1_000 "`, int64(1000)},
		"int with plus":             {"duration_seconds", `"+5"`, int64(5)},
		"int negative":              {"duration_seconds", `-5`, int64(-5)},
		"int keeps a bool":          {"duration_seconds", `true`, true},
		"bool YES":                  {"validate_certs", `" YES "`, true},
		"bool off":                  {"validate_certs", `"off"`, false},
		"bool t":                    {"validate_certs", `"t"`, true},
		"bool 1":                    {"validate_certs", `1`, true},
		"bool 0.0":                  {"validate_certs", `0.0`, false},
		"str from int":              {"role_session_name", `12345`, "12345"},
		"str from bool":             {"role_session_name", `true`, "True"},
		"str from float":            {"role_session_name", `1.5`, "1.5"},
		"str from integral float":   {"role_session_name", `3600.0`, "3600.0"},
		"str from big float":        {"role_session_name", `1e16`, "1e+16"},
		"str from small float":      {"role_session_name", `0.00001`, "1e-05"},
		"str from list":             {"role_session_name", `[1, "a", null, false]`, "[1, 'a', None, False]"},
		"str from dict, key order":  {"role_session_name", `{"Version": "2012-10-17", "Statement": []}`, "{'Version': '2012-10-17', 'Statement': []}"},
		"str from quote":            {"role_session_name", `["it's"]`, `["it's"]`},
		"str null stays null":       {"role_session_name", `null`, nil},
		"path home":                 {"aws_ca_bundle", `"~/ca.pem"`, "/home/tester/ca.pem"},
		"path variable":             {"aws_ca_bundle", `"${BUNDLE_DIR}/ca.pem"`, "/etc/pki/ca.pem"},
		"path unknown variable":     {"aws_ca_bundle", `"$NOPE_X/ca.pem"`, "$NOPE_X/ca.pem"},
		"dict from JSON string":     {"aws_config", `"{\"connect_timeout\": 5}"`, `{"connect_timeout":5}`},
		"dict from key=value":       {"aws_config", `"connect_timeout=5, read_timeout='1 0'"`, `{"connect_timeout":"5","read_timeout":"1 0"}`},
		"dict stays dict":           {"aws_config", `{"retries":{"mode":"standard"}}`, `{"retries":{"mode":"standard"}}`},
		"list elements as str()":    {"policy_arns", `["a", 1, null, true, 1.5, {"a": 1}, [1]]`, []any{"a", "1", "None", "True", "1.5", "{'a': 1}", "[1]"}},
		"list from commas":          {"policy_arns", `"a,b,,c"`, []any{"a", "b", "", "c"}},
		"list from empty string":    {"policy_arns", `""`, []any{""}},
		"list from int":             {"policy_arns", `5`, []any{"5"}},
		"list from bool":            {"policy_arns", `true`, []any{"True"}},
		"list from float":           {"policy_arns", `1.5`, []any{"1.5"}},
		"duplicate key: last value": {"role_session_name", `"a", "role_session_name": "b"`, "b"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			a, err := parse(t, `{"role_arn": "x", "role_session_name": "s", "`+tc.option+`": `+tc.value+`}`, env)
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			got := a.Value(tc.option)
			if o, ok := got.(*pyvalue.Object); ok {
				b, _ := json.Marshal(o)
				got = string(b)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.option, diff)
			}
		})
	}
}

func TestAliasesAndFallbacks(t *testing.T) {
	tests := map[string]struct {
		args         string
		env          map[string]string
		option       string
		want         any
		wantSource   string
		wantWarnings []string
	}{
		"alias sets the option": {
			args: `{"access_key": "AKID1"}`, option: "aws_access_key", want: "AKID1", wantSource: "option access_key",
		},
		"alias beats the option, with a warning": {
			args: `{"aws_access_key": "AKID1", "access_key": "AKID2"}`, option: "aws_access_key", want: "AKID2", wantSource: "option access_key",
			wantWarnings: []string{"Both option aws_access_key and its alias access_key are set."},
		},
		"the alias declared last wins": {
			args: `{"ec2_access_key": "AKID3", "access_key": "AKID2"}`, option: "aws_access_key", want: "AKID3", wantSource: "option ec2_access_key",
			wantWarnings: []string{"Both option aws_access_key and its alias ec2_access_key are set."},
		},
		"fallback fills an absent option": {
			env: map[string]string{"AWS_URL": "http://127.0.0.1:1", "EC2_URL": "http://127.0.0.1:2"}, option: "ec2_url", want: "http://127.0.0.1:1", wantSource: "env AWS_URL",
		},
		"fallback takes the first variable that exists, even empty": {
			env: map[string]string{"AWS_REGION": "", "AWS_DEFAULT_REGION": "eu-west-1"}, option: "region", want: "", wantSource: "env AWS_REGION",
		},
		"fallback second variable": {
			env: map[string]string{"AWS_DEFAULT_REGION": "eu-west-1"}, option: "region", want: "eu-west-1", wantSource: "env AWS_DEFAULT_REGION",
		},
		"explicit null blocks the fallback": {
			args: `{"region": null}`, env: map[string]string{"AWS_REGION": "eu-west-1"}, option: "region", want: nil, wantSource: "option region",
		},
		"an alias blocks the fallback, no warning": {
			args: `{"aws_region": "ap-south-1"}`, env: map[string]string{"AWS_REGION": "eu-west-1"}, option: "region", want: "ap-south-1", wantSource: "option aws_region",
		},
		"the option beats the fallback": {
			args: `{"region": "ap-south-1"}`, env: map[string]string{"AWS_REGION": "eu-west-1"}, option: "region", want: "ap-south-1", wantSource: "option region",
		},
		"default": {
			option: "validate_certs", want: true, wantSource: "default",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			args := tc.args
			if args == "" {
				args = "{}"
			}
			args = strings.Replace(args, "{", `{"role_arn": "x", "role_session_name": "s", `, 1)
			args = strings.Replace(args, `, }`, `}`, 1)
			a, err := parse(t, args, tc.env)
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if diff := cmp.Diff(tc.want, a.Value(tc.option)); diff != "" {
				t.Errorf("value (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantSource, a.Sources[tc.option]); diff != "" {
				t.Errorf("source (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantWarnings, a.Warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInternalKeys(t *testing.T) {
	a, err := parse(t, `{`+req+`, "_ansible_check_mode": true, "_ansible_no_log": "yes", "_ansible_verbosity": 3,
		"_ansible_version": "2.14.18", "_ansible_module_name": "sts_assume_role", "_ansible_tmpdir": null,
		"_ansible_selinux_special_fs": ["nfs"], "_ansible_remote_tmp": "~/.ansible/tmp"}`, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Internal{CheckMode: true, ModuleName: "sts_assume_role", Version: "2.14.18"}
	if diff := cmp.Diff(want, a.Internal); diff != "" {
		t.Errorf("internal (-want +got):\n%s", diff)
	}
	for _, k := range a.Params.Keys() {
		if strings.HasPrefix(k, "_ansible_") {
			t.Errorf("params keep internal key %s", k)
		}
	}
}

func TestInvocationHoldsEveryOption(t *testing.T) {
	a, err := parse(t, `{`+req+`, "aws_region": "eu-west-1"}`, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(a.Invocation())
	want := `{"module_args":{"role_arn":"arn:aws:iam::123456789012:role/demo","role_session_name":"s1","aws_region":"eu-west-1","region":"eu-west-1","validate_certs":true,"aws_access_key":null,"aws_secret_key":null,"ec2_url":null,"aws_ca_bundle":null,"aws_config":null,"duration_seconds":null,"mfa_token":null,"policy_arns":null}}`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("invocation (-want +got):\n%s", diff)
	}
}

func TestNoLogValues(t *testing.T) {
	a, _ := parse(t, `{`+req+`, "secret_key": "s3cret", "mfa_token": 123456, "aws_secret_key": ""}`, nil)
	if diff := cmp.Diff([]string{"s3cret", "123456"}, a.NoLogValues); diff != "" {
		t.Errorf("no_log values (-want +got):\n%s", diff)
	}
}

func TestBoolNullReadsAsDefault(t *testing.T) {
	spec := Spec{
		{Name: "validate_certs", Type: Bool, Default: true},
		{Name: "debug", Type: Bool, Default: false},
		{Name: "plain", Type: Bool},
	}
	tests := map[string]struct {
		args string
		want map[string]bool
	}{
		"null":  {`{"validate_certs": null, "debug": null, "plain": null}`, map[string]bool{"validate_certs": true, "debug": false, "plain": false}},
		"unset": {`{}`, map[string]bool{"validate_certs": true, "debug": false, "plain": false}},
		"set":   {`{"validate_certs": "no", "debug": "yes", "plain": true}`, map[string]bool{"validate_certs": false, "debug": true, "plain": true}},
		"false": {`{"validate_certs": false}`, map[string]bool{"validate_certs": false, "debug": false, "plain": false}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			a, err := Parse([]byte(tc.args), spec, "m", func(string) (string, bool) { return "", false })
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for o := range tc.want {
				got[o] = a.Bool(o)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Bool (-want +got):\n%s", diff)
			}
			// The invocation still shows the null, as AnsibleModule does.
			if v, _ := a.Params.Get("validate_certs"); name == "null" && v != nil {
				t.Errorf("params validate_certs = %#v, want null", v)
			}
		})
	}
}

// TestParse219 checks the conversions of ansible-core 2.19 and later, each
// against what its AnsibleModule gives (the differential corpus runs them
// through 2.19 and 2.22 too), and that 2.14 keeps its own.
func TestParse219(t *testing.T) {
	tests := map[string]struct {
		args   string
		option string
		want   any               // the converted value, when there is no error
		err    string            // the error
		errOn  map[string]string // the error, by version, where they differ
	}{
		"int from integral float":      {args: `"duration_seconds": 3600.0`, option: "duration_seconds", want: int64(3600)},
		"int from decimal string":      {args: `"duration_seconds": " 3_600.00 "`, option: "duration_seconds", want: int64(3600)},
		"int from exponent":            {args: `"duration_seconds": "3.6e3"`, option: "duration_seconds", want: int64(3600)},
		"int beyond int64":             {args: `"duration_seconds": "1e20"`, option: "duration_seconds", want: json.Number("100000000000000000000")},
		"int keeps a bool":             {args: `"duration_seconds": true`, option: "duration_seconds", want: true},
		"int from fraction":            {args: `"duration_seconds": 1.5`, err: `argument 'duration_seconds' is of type float and we were unable to convert to int: "1.5" cannot be converted to an int`},
		"int from word":                {args: `"duration_seconds": "1h"`, err: `argument 'duration_seconds' is of type str and we were unable to convert to int: "'1h'" cannot be converted to an int`},
		"int from list":                {args: `"duration_seconds": [3600]`, err: `argument 'duration_seconds' is of type list and we were unable to convert to int: "[3600]" cannot be converted to an int`},
		"int from hex":                 {args: `"duration_seconds": "0x10"`, err: `argument 'duration_seconds' is of type str and we were unable to convert to int: "'0x10'" cannot be converted to an int`},
		"int from infinity":            {args: `"duration_seconds": "-Infinity"`, errOn: map[string]string{"2.19.11": `argument 'duration_seconds' is of type str and we were unable to convert to int: cannot convert Infinity to integer`, "2.22.0b2": `argument 'duration_seconds' is of type str and we were unable to convert to int: "'-Infinity'" cannot be converted to an int`}},
		"int from huge exponent":       {args: `"duration_seconds": "1e999999999"`, err: `argument 'duration_seconds' is of type str and we were unable to convert to int: "'1e999999999'" cannot be converted to an int`},
		"bool message":                 {args: `"validate_certs": 2`, err: "argument 'validate_certs' is of type int and we were unable to convert to bool: The value '2' is not a valid boolean. Valid booleans include: " + validBooleans},
		"bool null with a default":     {args: `"validate_certs": null`, err: "argument 'validate_certs' is of type NoneType and we were unable to convert to bool: <class 'NoneType'> cannot be converted to a bool"},
		"dict message":                 {args: `"aws_config": "foo"`, err: "argument 'aws_config' is of type str and we were unable to convert to dict: dictionary requested, could not parse JSON or key=value"},
		"required str null is empty":   {args: `"role_arn": null, "role_session_name": "s1"`, option: "role_arn", want: ""},
		"optional int null is skipped": {args: `"duration_seconds": null`, option: "duration_seconds", want: nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			for _, version := range []string{"2.19.11", "2.22.0b2"} {
				args := `{` + req + `, "_ansible_version": "` + version + `", ` + tc.args + `}`
				if strings.Contains(tc.args, "role_arn") {
					args = `{"_ansible_version": "` + version + `", ` + tc.args + `}`
				}
				a, err := parse(t, args, nil)
				got := ""
				if err != nil {
					got = err.Error()
				}
				want := tc.err
				if e, ok := tc.errOn[version]; ok {
					want = e
				}
				if got != want {
					t.Fatalf("%s: error %q, want %q", version, got, want)
				}
				if want == "" {
					v, _ := a.Params.Get(tc.option)
					if diff := cmp.Diff(tc.want, v); diff != "" {
						t.Errorf("%s: %s (-want +got):\n%s", version, tc.option, diff)
					}
				}
			}
		})
	}
	// 2.14 keeps its own rules and words.
	_, err := parse(t, `{`+req+`, "_ansible_version": "2.14.18", "duration_seconds": 3600.0}`, nil)
	if err == nil || !strings.Contains(err.Error(), "is of type <class 'float'>") {
		t.Errorf("2.14: err = %v, want 2.14's message", err)
	}
}

func TestAddSecrets(t *testing.T) {
	a, err := Parse([]byte(`{"mfa_token": "123456", "role_arn": "r", "role_session_name": "s"}`), testSpec, "m", func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	a.AddSecrets("", "123456", "envsecret")
	if diff := cmp.Diff([]string{"123456", "envsecret"}, a.NoLogValues); diff != "" {
		t.Errorf("NoLogValues (-want +got):\n%s", diff)
	}
}
