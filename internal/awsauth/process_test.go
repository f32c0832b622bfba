package awsauth

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"ansible-sts/test/testenv"
)

const (
	procKey    = "AKIAPROCESSEXAMPLE01"
	procSecret = "procSecretKeyThatMustNotShow0123456789ab"
	procToken  = "procSessionTokenThatMustNotShowEither"
)

// answer is a credential_process answer with the secret key and token,
// and the given Version and Expiration (JSON values).
func answer(version, expiration string) string {
	return `{"Version": ` + version + `, "AccessKeyId": "` + procKey + `", "SecretAccessKey": "` + procSecret +
		`", "SessionToken": "` + procToken + `", "Expiration": ` + expiration + `}`
}

func TestParseProcessAnswer(t *testing.T) {
	tests := map[string]struct {
		out     string
		wantErr string
		expires bool
	}{
		"valid":                 {out: answer("1", `"2026-11-22T14:00:00Z"`), expires: true},
		"fractional expiration": {out: answer("1", `"2026-11-22T14:00:00.123+01:00"`), expires: true},
		"null expiration":       {out: answer("1", "null")},
		"expiration tomorrow":   {out: answer("1", `"tomorrow"`), wantErr: "its Expiration is not a date and time in RFC 3339 form, such as 2026-11-22T14:00:00Z"},
		"expiration a number":   {out: answer("1", "1764000000"), wantErr: "its Expiration is not a date and time in RFC 3339 form, such as 2026-11-22T14:00:00Z"},
		"version a string":      {out: answer(`"1"`, `"2026-11-22T14:00:00Z"`), wantErr: "its Version is a string; it must be the number 1"},
		"version 2":             {out: answer("2", `"2026-11-22T14:00:00Z"`), wantErr: "its Version is 2; it must be 1"},
		"version missing":       {out: `{"AccessKeyId": "` + procKey + `", "SecretAccessKey": "` + procSecret + `"}`, wantErr: "its Version is missing; it must be 1"},
		"secret key missing":    {out: `{"Version": 1, "AccessKeyId": "` + procKey + `", "SessionToken": "` + procToken + `"}`, wantErr: "its SecretAccessKey is missing"},
		"secret key empty":      {out: `{"Version": 1, "AccessKeyId": "` + procKey + `", "SecretAccessKey": ""}`, wantErr: "its SecretAccessKey is empty"},
		"key id a number":       {out: `{"Version": 1, "AccessKeyId": 12, "SecretAccessKey": "` + procSecret + `"}`, wantErr: "its AccessKeyId is a number, not a string"},
		"token an object":       {out: `{"Version": 1, "AccessKeyId": "` + procKey + `", "SecretAccessKey": "` + procSecret + `", "SessionToken": {"v": "` + procToken + `"}}`, wantErr: "its SessionToken is an object, not a string"},
		"cut short":             {out: answer("1", `"2026-11-22T14:00:00Z"`)[:60], wantErr: "it is not valid JSON (at byte 60)"},
		"bare secret":           {out: procSecret, wantErr: "it is not valid JSON (at byte 1)"},
		"trailing data":         {out: answer("1", "null") + " " + procSecret, wantErr: "it is not valid JSON"},
		"an array":              {out: `["` + procSecret + `"]`, wantErr: "it is an array, not a JSON object"},
		"empty":                 {out: " \n", wantErr: "it is empty"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c, err := parseProcessAnswer([]byte(tc.out))
			if tc.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), procSecret) || strings.Contains(err.Error(), procToken) || strings.Contains(err.Error(), procSecret[:8]) {
					t.Errorf("the error quotes a secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.AccessKeyID != procKey || c.SecretAccessKey != procSecret || c.SessionToken != procToken || c.CanExpire != tc.expires {
				t.Errorf("credentials %+v", c)
			}
		})
	}
}

func TestProcessProvider(t *testing.T) {
	testenv.Isolate(t)
	tests := map[string]struct {
		command  string
		deadline time.Duration
		wantErr  string
	}{
		"valid":            {command: "printf '%s' '" + answer("1", "null") + "'"},
		"exit status":      {command: "exit 3", wantErr: `the credential_process of profile p failed: exit status 3`},
		"hangs":            {command: "sleep 600", deadline: time.Second, wantErr: "the credential_process of profile p did not finish within SECONDS, so it was stopped, with every process it started"},
		"too much output":  {command: "head -c 104857600 /dev/zero", wantErr: "the credential_process of profile p printed more than 1 MiB, so it was stopped"},
		"bad answer":       {command: "printf '%s' '" + answer(`"1"`, "null") + "'", wantErr: "the credential_process of profile p printed an answer that could not be parsed: its Version is a string; it must be the number 1"},
		"no such command":  {command: "/nonexistent/credential-helper", wantErr: "the credential_process of profile p failed: exit status 127"},
		"empty":            {command: "", wantErr: "the credential_process of profile p is empty"},
		"background child": {command: "sleep 600 & printf '%s' '" + answer("1", "null") + "'"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p := &processProvider{profile: "p", command: tc.command}
			if tc.deadline > 0 {
				p.deadline = time.Now().Add(tc.deadline)
			}
			start := time.Now()
			c, err := p.Retrieve(context.Background())
			if d := time.Since(start); d > tc.deadline+processWaitDelay+5*time.Second {
				t.Errorf("Retrieve took %v", d)
			}
			if tc.wantErr == "" {
				if err != nil || c.SecretAccessKey != procSecret {
					t.Errorf("Retrieve: %v", err)
				}
				return
			}
			want := regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(tc.wantErr), "SECONDS", `[0-9.]+m?s`) + "$")
			if err == nil || !want.MatchString(err.Error()) {
				t.Errorf("error %v, want %q", err, tc.wantErr)
			}
		})
	}
}
