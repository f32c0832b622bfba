package modules

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/awsauth"
	"ansible-sts/internal/moduleargs"
	"ansible-sts/test/testenv"
)

// parseAWS validates an arguments file's contents against the AWS
// options' spec, failing the test on a validation error.
func parseAWS(t *testing.T, args string) *moduleargs.Args {
	t.Helper()
	a, err := moduleargs.Parse([]byte(args), awsSpec, "test", func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestConnection checks that the options' table fills every field of
// awsauth.Connection, each from its option with its source, and the
// flags' defaults.
func TestConnection(t *testing.T) {
	testenv.Isolate(t)
	given := map[string]any{}
	for _, o := range awsauth.Options {
		switch o.Kind {
		case awsauth.Flag:
			given[o.Name] = !o.Default
		case awsauth.Config:
			given[o.Name] = map[string]any{"connect_timeout": 5}
		default:
			given[o.Name] = "value-of-" + o.Name
		}
	}
	data, _ := json.Marshal(given)
	c := connection(parseAWS(t, string(data)))

	v := reflect.ValueOf(c)
	for i := range v.NumField() {
		// AnsibleVersion is no option; ValidateCerts is given false.
		if name := v.Type().Field(i).Name; v.Field(i).IsZero() && name != "AnsibleVersion" && name != "ValidateCerts" {
			t.Errorf("Connection.%s is not filled", v.Type().Field(i).Name)
		}
	}
	if want := (awsauth.Value{Value: "value-of-aws_access_key", Source: "option aws_access_key"}); c.AccessKey != want {
		t.Errorf("AccessKey = %+v, want %+v", c.AccessKey, want)
	}
	if c.ValidateCerts || !c.DebugLogs || c.Config.ConnectTimeout != 5*time.Second {
		t.Errorf("ValidateCerts, DebugLogs, connect timeout = %v, %v, %v, want false, true, 5s", c.ValidateCerts, c.DebugLogs, c.Config.ConnectTimeout)
	}
	if d := connection(parseAWS(t, "{}")); !d.ValidateCerts || d.DebugLogs {
		t.Errorf("defaults: ValidateCerts, DebugLogs = %v, %v, want true, false", d.ValidateCerts, d.DebugLogs)
	}
}

// TestInputSecrets: the userinfo passwords of the URL options, under every
// name given (ec2_url holds the alias that won, the invocation shows the
// one that lost too), and of aws_config's proxies, even an aws_config
// refused for another key.
func TestInputSecrets(t *testing.T) {
	testenv.Isolate(t)
	args := parseAWS(t, `{"s3_url": "https://AKID:opt%2Fsecret@127.0.0.1:4", "endpoint_url": "https://u:lost%40alias@127.0.0.1:5",
		"aws_config": {"proxies": {"https": "http://u:https-proxy-pass@127.0.0.1:6", "http": "http://no-password@127.0.0.1:7"}, "nope": 1}}`)
	// ec2_url holds s3_url's value, which won.
	want := []string{"opt/secret", "lost@alias", "opt/secret", "https-proxy-pass"}
	if diff := cmp.Diff(want, inputSecrets(args, awsauth.OS())); diff != "" {
		t.Errorf("inputSecrets (-want +got):\n%s", diff)
	}
	if err := connection(args).Config.Err; err == nil || err.Error() != `aws_config: "nope" is not supported by these modules; supported keys: connect_timeout, proxies, read_timeout, retries, user_agent_extra` {
		t.Errorf("Config.Err = %v", err)
	}
}

// TestClientConfig: aws_config read in its keys' order, the first value
// botocore refuses kept for Load to report; retries' mode comes before its
// attempts, and the last key that sets the attempts wins.
func TestClientConfig(t *testing.T) {
	tests := map[string]struct {
		config string
		want   awsauth.ClientConfig
		err    string
	}{
		"unset": {config: `null`},
		"every key": {
			config: `{"connect_timeout": 2, "read_timeout": 0.5, "user_agent_extra": 7, "retries": {"total_max_attempts": 4, "mode": "standard"}, "proxies": {"https": "http://127.0.0.1:3"}}`,
			want: awsauth.ClientConfig{ConnectTimeout: 2 * time.Second, ReadTimeout: 500 * time.Millisecond, UserAgentExtra: "7",
				RetryMode: "standard", MaxAttempts: 4, Proxies: map[string]string{"https": "http://127.0.0.1:3"}},
		},
		"max_attempts counts retries": {config: `{"retries": {"total_max_attempts": 4, "max_attempts": 1}}`, want: awsauth.ClientConfig{MaxAttempts: 2}},
		"empty proxies set none":      {config: `{"proxies": {}}`, want: awsauth.ClientConfig{Proxies: map[string]string{}}},
		"the first refusal":           {config: `{"retries": {"mode": "fast"}, "connect_timeout": "x"}`, err: `Invalid value provided to "mode": "fast" must be one of: legacy, standard, adaptive`},
		"a bad key after good ones":   {config: `{"connect_timeout": 2, "retries": {"max_attempts": 101}}`, err: "aws_config: retries.max_attempts must be a whole number from 0 to 100, not 101"},
		"retries not a dict":          {config: `{"retries": [1]}`, err: "aws_config: retries must be a dict, not [1]"},
		"a proxy for ftp":             {config: `{"proxies": {"ftp": "http://127.0.0.1:3"}}`, err: `aws_config: proxies key "ftp" is not supported; use http and https`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := clientConfig(parseAWS(t, `{"aws_config": `+tc.config+`}`).Dict("aws_config"))
			gotErr := ""
			if got.Err != nil {
				gotErr, got.Err = got.Err.Error(), nil
			}
			if gotErr != tc.err || tc.err == "" && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("clientConfig = %+v, %q; want %+v, %q", got, gotErr, tc.want, tc.err)
			}
		})
	}
}

// TestSeconds: a timeout is a number of seconds from a millisecond to an
// hour; below a millisecond it would round to zero, which the HTTP stack
// reads as no timeout at all.
func TestSeconds(t *testing.T) {
	tests := map[string]struct {
		in   any
		want time.Duration
		err  string
	}{
		"int":            {in: int64(5), want: 5 * time.Second},
		"float":          {in: 0.25, want: 250 * time.Millisecond},
		"a millisecond":  {in: 0.001, want: time.Millisecond},
		"an hour":        {in: int64(3600), want: time.Hour},
		"far below a ms": {in: 1e-300, err: "aws_config: the connect timeout must be a number of seconds from 0.001 to 3600, not 1e-300"},
		"below a ms":     {in: 0.0009, err: "aws_config: the connect timeout must be a number of seconds from 0.001 to 3600, not 0.0009"},
		"zero":           {in: int64(0), err: "aws_config: the connect timeout must be a number of seconds from 0.001 to 3600, not 0"},
		"over an hour":   {in: 3600.5, err: "aws_config: the connect timeout must be a number of seconds from 0.001 to 3600, not 3600.5"},
		"negative":       {in: int64(-1), err: "aws_config: the connect timeout must be a number of seconds from 0.001 to 3600, not -1"},
		"not a number":   {in: "5", err: "Couldn't connect to AWS: Timeout value connect was 5, but it must be an int, float or None."},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := seconds("connect", tc.in)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if gotErr != tc.err || got != tc.want && tc.err == "" {
				t.Errorf("seconds(%v) = %v, %q; want %v, %q", tc.in, got, gotErr, tc.want, tc.err)
			}
		})
	}
}
