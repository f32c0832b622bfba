package awsauth

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"ansible-sts/internal/pyvalue"
)

// The defaults bound one module call: at most DefaultMaxAttempts attempts,
// each at most DefaultConnectTimeout + DefaultReadTimeout, with botocore's
// legacy backoff between them (under 1, 2, 4 and 8 s): 90 s at worst.
const (
	DefaultConnectTimeout = 5 * time.Second
	DefaultReadTimeout    = 10 * time.Second
	// DefaultMaxAttempts is botocore's legacy retry mode's, its default
	// mode in every release the collections run on: 4 retries.
	DefaultMaxAttempts = 5
	// standardMaxAttempts is botocore's (and the SDK's) in the standard
	// and adaptive modes.
	standardMaxAttempts = 3
)

// ClientSettings are the HTTP and retry settings of the STS client, from
// the aws_config option (botocore Config keys) and AWS_MAX_ATTEMPTS /
// AWS_RETRY_MODE, as botocore reads them.
type ClientSettings struct {
	ConnectTimeout time.Duration
	ReadTimeout    time.Duration
	MaxAttempts    int // total attempts, the first one included
	// RetryMode is "legacy" (botocore's, the default; "" too), "standard"
	// or "adaptive" (the SDK's).
	RetryMode      string
	UserAgentExtra string
	Proxies        map[string]string // scheme ("http", "https") → proxy URL
}

// supportedAWSConfig lists the aws_config keys that apply to an STS call.
var supportedAWSConfig = []string{"connect_timeout", "proxies", "read_timeout", "retries", "user_agent_extra"}

// clientSettings reads aws_config. A key that does not apply fails, naming
// it, rather than being silently ignored.
func clientSettings(cfg *pyvalue.Object, sys System) (s ClientSettings, err error) {
	s = ClientSettings{
		ConnectTimeout: DefaultConnectTimeout,
		ReadTimeout:    DefaultReadTimeout,
		RetryMode:      "legacy",
	}
	// The attempts are the mode's unless something sets them, whichever
	// of the mode and the attempts is set where (as botocore resolves
	// them: the option's retries, then AWS_RETRY_MODE, AWS_MAX_ATTEMPTS).
	defer func() {
		if s.MaxAttempts == 0 {
			s.MaxAttempts = DefaultMaxAttempts
			if !s.legacy() {
				s.MaxAttempts = standardMaxAttempts
			}
		}
	}()
	if mode := sys.getenv(retryModeEnv); mode != "" {
		if err := s.setMode(mode); err != nil {
			return s, err
		}
	}
	if n := sys.getenv(maxAttemptsEnv); n != "" {
		i, err := strconv.Atoi(n)
		if err != nil || i < 1 {
			return s, fmt.Errorf(maxAttemptsEnv+" must be a positive whole number, not %q", n)
		}
		s.MaxAttempts = i
	}
	if cfg == nil {
		return s, nil
	}
	for _, key := range cfg.Keys() {
		v, _ := cfg.Get(key)
		var err error
		switch key {
		case "connect_timeout":
			s.ConnectTimeout, err = seconds("connect", v)
		case "read_timeout":
			s.ReadTimeout, err = seconds("read", v)
		case "user_agent_extra":
			s.UserAgentExtra = pyvalue.Str(v)
		case "retries":
			err = s.setRetries(v)
		case "proxies":
			err = s.setProxies(v)
		default:
			err = fmt.Errorf("aws_config: %q is not supported by these modules; supported keys: %s", key, strings.Join(supportedAWSConfig, ", "))
		}
		if err != nil {
			return s, err
		}
	}
	return s, nil
}

// Longest is the longest a call can take with these settings: every
// attempt timing out, and the longest backoff before each retry.
func (s ClientSettings) Longest() time.Duration {
	d := time.Duration(s.MaxAttempts) * (s.ConnectTimeout + s.ReadTimeout)
	for n := 1; n < s.MaxAttempts; n++ {
		if s.legacy() {
			d += legacyBackoffCeiling(n)
		} else {
			// The SDK waits a random time below 2^n s, at most 20 s.
			d += min(time.Duration(1<<min(n, 5))*time.Second, 20*time.Second)
		}
	}
	return d
}

// legacy reports whether the retries are botocore's legacy mode's.
func (s ClientSettings) legacy() bool { return s.RetryMode == "legacy" || s.RetryMode == "" }

func (s *ClientSettings) setMode(mode string) error {
	switch mode {
	case "legacy", "standard", "adaptive":
	default:
		//lint:ignore ST1005 the text users of the Python modules know, verbatim
		return fmt.Errorf(`Invalid value provided to "mode": %q must be one of: legacy, standard, adaptive`, mode)
	}
	s.RetryMode = mode
	return nil
}

func (s *ClientSettings) setRetries(v any) error {
	r, ok := v.(*pyvalue.Object)
	if !ok {
		return fmt.Errorf("aws_config: retries must be a dict, not %s", pyvalue.Repr(v))
	}
	if m, ok := r.Get("mode"); ok {
		if err := s.setMode(pyvalue.Str(m)); err != nil {
			return err
		}
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
			s.MaxAttempts = n + 1
		case "total_max_attempts":
			n, err := count("retries.total_max_attempts", v, 1)
			if err != nil {
				return err
			}
			s.MaxAttempts = n
		default:
			return fmt.Errorf("aws_config: retries key %q is not supported; supported keys: max_attempts, mode, total_max_attempts", key)
		}
	}
	return nil
}

func (s *ClientSettings) setProxies(v any) error {
	p, ok := v.(*pyvalue.Object)
	if !ok {
		return fmt.Errorf("aws_config: proxies must be a dict, not %s", pyvalue.Repr(v))
	}
	s.Proxies = map[string]string{}
	for _, scheme := range p.Keys() {
		if scheme != "http" && scheme != "https" {
			return fmt.Errorf("aws_config: proxies key %q is not supported; use http and https", scheme)
		}
		u, _ := p.Get(scheme)
		s.Proxies[scheme] = pyvalue.Str(u)
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
