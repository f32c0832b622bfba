package modules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"ansible-sts/internal/awsauth"
	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/pyvalue"
)

// awsSpec is the AWS connection options' argument spec (awsauth.Options),
// in declaration order: both modules' specs begin with it.
var awsSpec = func() moduleargs.Spec {
	types := map[awsauth.Kind]moduleargs.Type{
		awsauth.Text: moduleargs.Str, awsauth.File: moduleargs.Path,
		awsauth.Flag: moduleargs.Bool, awsauth.Config: moduleargs.Dict,
	}
	out := make(moduleargs.Spec, len(awsauth.Options))
	for i, o := range awsauth.Options {
		out[i] = moduleargs.Option{Name: o.Name, Aliases: o.Aliases, Type: types[o.Kind], NoLog: o.Secret,
			EnvFallback: o.EnvFallback, Description: o.Description}
		if o.Kind == awsauth.Flag {
			out[i].Default = o.Default
		}
	}
	return out
}()

// connection returns the connection options of validated arguments (or of
// arguments that failed validation, as far as they were read), typed.
func connection(args *moduleargs.Args) awsauth.Connection {
	c := awsauth.Connection{AnsibleVersion: args.Version}
	for _, o := range awsauth.Options {
		switch o.Kind {
		case awsauth.Flag:
			o.SetFlag(&c, args.Bool(o.Name))
		case awsauth.Config:
			c.Config = clientConfig(args.Dict(o.Name))
		default:
			if s, ok := args.Str(o.Name); ok && s != "" {
				o.SetText(&c, awsauth.Value{Value: s, Source: args.Sources[o.Name]})
			}
		}
	}
	return c
}

// inputSecrets returns the secrets a run holds before anything is
// resolved: the environment's (awsauth.EnvSecrets), and the userinfo
// passwords of the URLs the options hold: the URL options under every
// name given (the invocation shows an alias that lost to another too) and
// aws_config's proxies, read even where aws_config is refused.
func inputSecrets(args *moduleargs.Args, sys System) []string {
	out := awsauth.EnvSecrets(sys)
	for _, o := range awsauth.Options {
		if !o.URL {
			continue
		}
		for _, name := range append([]string{o.Name}, o.Aliases...) {
			if s, ok := args.Str(name); ok {
				out = append(out, awsauth.URLPasswords(s)...)
			}
		}
	}
	if cfg := args.Dict("aws_config"); cfg != nil {
		if p, ok := cfg.Get("proxies"); ok {
			if p, ok := p.(*pyvalue.Object); ok {
				for _, scheme := range p.Keys() {
					u, _ := p.Get(scheme)
					out = append(out, awsauth.URLPasswords(pyvalue.Str(u))...)
				}
			}
		}
	}
	return slices.DeleteFunc(out, func(s string) bool { return s == "" })
}

// supportedAWSConfig lists the aws_config keys that apply to an STS call.
var supportedAWSConfig = []string{"connect_timeout", "proxies", "read_timeout", "retries", "user_agent_extra"}

// clientConfig reads aws_config as botocore reads its Config, with
// Python's str() of each value in the messages. A key that does not apply
// fails, naming it, rather than being silently ignored. The first failure
// is kept in Err, for Load to report where botocore does.
func clientConfig(cfg *pyvalue.Object) (c awsauth.ClientConfig) {
	if cfg == nil {
		return c
	}
	for _, key := range cfg.Keys() {
		v, _ := cfg.Get(key)
		var err error
		switch key {
		case "connect_timeout":
			c.ConnectTimeout, err = seconds("connect", v)
		case "read_timeout":
			c.ReadTimeout, err = seconds("read", v)
		case "user_agent_extra":
			c.UserAgentExtra = pyvalue.Str(v)
		case "retries":
			err = retries(&c, v)
		case "proxies":
			err = proxies(&c, v)
		default:
			err = fmt.Errorf("aws_config: %q is not supported by these modules; supported keys: %s", key, strings.Join(supportedAWSConfig, ", "))
		}
		if err != nil {
			c.Err = err
			return c
		}
	}
	return c
}

// retries reads aws_config's retries: the mode first, then the attempts,
// the last key that sets them winning.
func retries(c *awsauth.ClientConfig, v any) error {
	r, ok := v.(*pyvalue.Object)
	if !ok {
		return fmt.Errorf("aws_config: retries must be a dict, not %s", pyvalue.Repr(v))
	}
	if m, ok := r.Get("mode"); ok {
		if err := awsauth.CheckRetryMode(pyvalue.Str(m)); err != nil {
			return err
		}
		c.RetryMode = pyvalue.Str(m)
	}
	for _, key := range r.Keys() {
		v, _ := r.Get(key)
		switch key {
		case "mode":
		case "max_attempts": // retries, the first attempt not counted
			n, err := count("retries.max_attempts", v, 0)
			if err != nil {
				return err
			}
			c.MaxAttempts = n + 1
		case "total_max_attempts":
			n, err := count("retries.total_max_attempts", v, 1)
			if err != nil {
				return err
			}
			c.MaxAttempts = n
		default:
			return fmt.Errorf("aws_config: retries key %q is not supported; supported keys: max_attempts, mode, total_max_attempts", key)
		}
	}
	return nil
}

// proxies reads aws_config's proxies: an empty dict too sets them (none).
func proxies(c *awsauth.ClientConfig, v any) error {
	p, ok := v.(*pyvalue.Object)
	if !ok {
		return fmt.Errorf("aws_config: proxies must be a dict, not %s", pyvalue.Repr(v))
	}
	c.Proxies = map[string]string{}
	for _, scheme := range p.Keys() {
		if scheme != "http" && scheme != "https" {
			return fmt.Errorf("aws_config: proxies key %q is not supported; use http and https", scheme)
		}
		u, _ := p.Get(scheme)
		c.Proxies[scheme] = pyvalue.Str(u)
	}
	return nil
}

// The timeouts accepted, in seconds.
const (
	minTimeout = 0.001
	maxTimeout = 3600.0
)

// seconds reads a timeout in seconds, a number as botocore (urllib3)
// wants it; its message for anything else is the Python modules'.
func seconds(which string, v any) (time.Duration, error) {
	var f float64
	switch n := v.(type) {
	case int64:
		f = float64(n)
	case float64:
		f = n
	default:
		//lint:ignore ST1005 the text users of the Python modules know, verbatim
		return 0, fmt.Errorf("Couldn't connect to AWS: Timeout value %s was %s, but it must be an int, float or None.", which, pyvalue.Str(v))
	}
	// Below a millisecond a timeout cannot be honoured (1e-300 s is zero,
	// which means no timeout at all to the HTTP stack).
	if !(f >= minTimeout && f <= maxTimeout) {
		return 0, fmt.Errorf("aws_config: the %s timeout must be a number of seconds from %g to %g, not %s", which, minTimeout, maxTimeout, pyvalue.Str(v))
	}
	return time.Duration(f * float64(time.Second)), nil
}

// count reads a whole number of at least min.
func count(key string, v any, min int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(pyvalue.Str(v)))
	if err != nil || n < min || n > 100 {
		return 0, fmt.Errorf("aws_config: %s must be a whole number from %d to 100, not %s", key, min, pyvalue.Str(v))
	}
	return n, nil
}
