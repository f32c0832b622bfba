package awsauth

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"ansible-sts/internal/moduleargs"
)

// connection returns the connection options of an arguments file's
// contents, failing the test on a validation error: validated by
// moduleargs against the spec the modules make of Options, and filled as
// the modules fill Connection (internal/modules/connection.go), but for
// aws_config, which testConfig reads.
func connection(t testing.TB, args string) Connection {
	t.Helper()
	spec := moduleargs.Spec{}
	for _, o := range Options {
		mo := moduleargs.Option{Name: o.Name, Aliases: o.Aliases, NoLog: o.Secret, EnvFallback: o.EnvFallback}
		switch o.Kind {
		case Flag:
			mo.Type, mo.Default = moduleargs.Bool, o.Default
		case File:
			mo.Type = moduleargs.Path
		case Config:
			mo.Type = moduleargs.Dict
		}
		spec = append(spec, mo)
	}
	a, err := moduleargs.Parse([]byte(args), spec, "test", lookupEnv)
	if err != nil {
		t.Fatal(err)
	}
	c := Connection{AnsibleVersion: a.Version, Config: testConfig(t, args)}
	for _, o := range Options {
		if o.Kind == Flag {
			o.SetFlag(&c, a.Bool(o.Name))
		} else if s, ok := a.Str(o.Name); ok && s != "" && o.Kind != Config {
			o.SetText(&c, Value{s, a.Sources[o.Name]})
		}
	}
	return c
}

// testConfig reads the aws_config of the tests' arguments, which give it
// well formed: timeouts in seconds, retries, proxies.
func testConfig(t testing.TB, args string) ClientConfig {
	t.Helper()
	var v struct {
		Config *struct {
			ConnectTimeout float64           `json:"connect_timeout"`
			ReadTimeout    float64           `json:"read_timeout"`
			Proxies        map[string]string `json:"proxies"`
			Retries        struct {
				Mode             string `json:"mode"`
				MaxAttempts      *int   `json:"max_attempts"`
				TotalMaxAttempts int    `json:"total_max_attempts"`
			} `json:"retries"`
		} `json:"aws_config"`
	}
	if err := json.Unmarshal([]byte(args), &v); err != nil {
		t.Fatal(err)
	}
	var c ClientConfig
	if v.Config == nil {
		return c
	}
	c.ConnectTimeout = time.Duration(v.Config.ConnectTimeout * float64(time.Second))
	c.ReadTimeout = time.Duration(v.Config.ReadTimeout * float64(time.Second))
	c.Proxies, c.RetryMode, c.MaxAttempts = v.Config.Proxies, v.Config.Retries.Mode, v.Config.Retries.TotalMaxAttempts
	if n := v.Config.Retries.MaxAttempts; n != nil {
		c.MaxAttempts = *n + 1
	}
	return c
}

// mustPreview returns the settings Load settles before it reads any file,
// from the options and the environment alone (its settle steps), failing
// the test on any error.
func mustPreview(t *testing.T, args string) Settings {
	t.Helper()
	sys := OS()
	l := &loader{conn: connection(t, args), sys: sys, guard: sys.newGuard()}
	defer l.close()
	if err := l.apply(settle); err != nil {
		t.Fatal(err)
	}
	return l.s
}

func lookupEnv(k string) (string, bool) { return os.LookupEnv(k) }

func trimComma(s string) string { return strings.TrimSuffix(strings.TrimSpace(s), ",") }

func replace(s, old, new string) string { return strings.ReplaceAll(s, old, new) }
