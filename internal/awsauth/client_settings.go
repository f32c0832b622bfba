package awsauth

import (
	"fmt"
	"strconv"
	"time"
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
// the aws_config option (ClientConfig) and AWS_MAX_ATTEMPTS /
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

// ClientConfig is the aws_config option (botocore Config keys), typed by
// the modules as botocore reads it: each field its zero value when the
// option does not set it. Err is the first value aws_config holds that
// botocore refuses: Load fails with it where it builds the client, after
// the environment's settings, as botocore does.
type ClientConfig struct {
	ConnectTimeout, ReadTimeout time.Duration
	// RetryMode is retries.mode, checked with CheckRetryMode.
	RetryMode string
	// MaxAttempts is the total attempts retries sets (max_attempts + 1,
	// or total_max_attempts, whichever comes last).
	MaxAttempts    int
	UserAgentExtra string
	Proxies        map[string]string // scheme ("http", "https") → proxy URL
	Err            error
}

// clientSettings resolves the client settings: the defaults, then
// AWS_RETRY_MODE and AWS_MAX_ATTEMPTS, then aws_config.
func clientSettings(cfg ClientConfig, sys System) (s ClientSettings, err error) {
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
		if err := CheckRetryMode(mode); err != nil {
			return s, err
		}
		s.RetryMode = mode
	}
	if n := sys.getenv(maxAttemptsEnv); n != "" {
		i, err := strconv.Atoi(n)
		if err != nil || i < 1 {
			return s, fmt.Errorf(maxAttemptsEnv+" must be a positive whole number, not %q", n)
		}
		s.MaxAttempts = i
	}
	if cfg.Err != nil {
		return s, cfg.Err
	}
	if cfg.ConnectTimeout != 0 {
		s.ConnectTimeout = cfg.ConnectTimeout
	}
	if cfg.ReadTimeout != 0 {
		s.ReadTimeout = cfg.ReadTimeout
	}
	if cfg.RetryMode != "" {
		s.RetryMode = cfg.RetryMode
	}
	if cfg.MaxAttempts != 0 {
		s.MaxAttempts = cfg.MaxAttempts
	}
	s.UserAgentExtra = cfg.UserAgentExtra
	s.Proxies = cfg.Proxies
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

// CheckRetryMode checks a retry mode, from AWS_RETRY_MODE or aws_config,
// as botocore does.
func CheckRetryMode(mode string) error {
	switch mode {
	case "legacy", "standard", "adaptive":
		return nil
	}
	//lint:ignore ST1005 the text users of the Python modules know, verbatim
	return fmt.Errorf(`Invalid value provided to "mode": %q must be one of: legacy, standard, adaptive`, mode)
}
