package awsauth

import (
	"testing"
	"time"
)

// TestRetrySettings: the retry mode and the attempts as botocore resolves
// them: the task's aws_config retries, then AWS_RETRY_MODE and
// AWS_MAX_ATTEMPTS; the attempts, unless set, are the mode's (legacy 5,
// standard and adaptive 3). The deadline adds the mode's longest backoff.
func TestRetrySettings(t *testing.T) {
	tests := map[string]struct {
		args     string
		env      map[string]string
		mode     string
		attempts int
		deadline time.Duration
	}{
		"the default, botocore's":          {mode: "legacy", attempts: 5, deadline: 90 * time.Second},
		"AWS_RETRY_MODE standard":          {env: map[string]string{"AWS_RETRY_MODE": "standard"}, mode: "standard", attempts: 3, deadline: 51 * time.Second},
		"AWS_RETRY_MODE adaptive":          {env: map[string]string{"AWS_RETRY_MODE": "adaptive"}, mode: "adaptive", attempts: 3, deadline: 51 * time.Second},
		"AWS_MAX_ATTEMPTS":                 {env: map[string]string{"AWS_MAX_ATTEMPTS": "2"}, mode: "legacy", attempts: 2, deadline: 31 * time.Second},
		"mode standard in aws_config":      {args: `{"aws_config": {"retries": {"mode": "standard"}}}`, env: map[string]string{"AWS_RETRY_MODE": "legacy"}, mode: "standard", attempts: 3},
		"mode legacy in aws_config":        {args: `{"aws_config": {"retries": {"mode": "legacy"}}}`, env: map[string]string{"AWS_RETRY_MODE": "standard"}, mode: "legacy", attempts: 5},
		"max_attempts counts retries":      {args: `{"aws_config": {"retries": {"max_attempts": 1}}}`, env: map[string]string{"AWS_MAX_ATTEMPTS": "7"}, mode: "legacy", attempts: 2},
		"total_max_attempts, standard":     {args: `{"aws_config": {"retries": {"mode": "standard", "total_max_attempts": 4}}}`, mode: "standard", attempts: 4},
		"AWS_MAX_ATTEMPTS with standard":   {env: map[string]string{"AWS_MAX_ATTEMPTS": "6", "AWS_RETRY_MODE": "standard"}, mode: "standard", attempts: 6},
		"legacy, 7 attempts: 1+2+...+32 s": {args: `{"aws_config": {"retries": {"total_max_attempts": 7}}}`, mode: "legacy", attempts: 7, deadline: 7*15*time.Second + 63*time.Second},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			args := tc.args
			if args == "" {
				args = "{}"
			}
			sys := System{LookupEnv: func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }}
			s, err := clientSettings(connection(t, args).Config, sys)
			if err != nil {
				t.Fatal(err)
			}
			if s.RetryMode != tc.mode || s.MaxAttempts != tc.attempts || tc.deadline != 0 && s.Longest() != tc.deadline {
				t.Errorf("mode %s, %d attempts, deadline %v; want %s, %d, %v", s.RetryMode, s.MaxAttempts, s.Longest(), tc.mode, tc.attempts, tc.deadline)
			}
		})
	}
}

// TestLegacyBackoff: before retry n, botocore's legacy mode waits a random
// time below 2^(n-1) s.
func TestLegacyBackoff(t *testing.T) {
	for n, ceiling := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 8 * time.Second, 13: time.Hour, 99: time.Hour} {
		var longest time.Duration
		for range 2000 {
			d, err := legacyBackoff{}.BackoffDelay(n, nil)
			if err != nil || d < 0 || d >= ceiling {
				t.Fatalf("retry %d: a wait of %v, %v; want below %v", n, d, err, ceiling)
			}
			longest = max(longest, d)
		}
		if longest < ceiling*9/10 {
			t.Errorf("retry %d: the longest of 2000 waits is %v, want near %v", n, longest, ceiling)
		}
	}
}
