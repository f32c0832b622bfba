package fakests_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/fakests"
)

func TestConfigErrors(t *testing.T) {
	const (
		key     = "AKIA1"
		userARN = "arn:aws:iam::123456789012:user/u"
		role    = "arn:aws:iam::123456789012:role/deploy"
	)
	user := func(u fakests.User) []fakests.User {
		if u.AccessKeyID == "" {
			u.AccessKeyID = key
		}
		if u.SecretAccessKey == "" {
			u.SecretAccessKey = "s"
		}
		return []fakests.User{u}
	}
	first := fakests.User{AccessKeyID: "AKIA0", SecretAccessKey: "s0"}
	tests := []struct {
		name    string
		cfg     fakests.Config
		want    *fakests.ConfigError // nil: not a ConfigError
		wantMsg string
	}{
		{name: "user without key", cfg: fakests.Config{Users: []fakests.User{{SecretAccessKey: "s"}}},
			want: &fakests.ConfigError{Field: "AccessKeyID", Problem: fakests.Missing}, wantMsg: "fakests: user 1: AccessKeyID is empty"},
		{name: "user without secret", cfg: fakests.Config{Users: []fakests.User{{AccessKeyID: key}}},
			want: &fakests.ConfigError{Field: "SecretAccessKey", Problem: fakests.Missing}, wantMsg: "fakests: user 1: SecretAccessKey is empty"},
		{name: "short account", cfg: fakests.Config{Users: user(fakests.User{ARN: "arn:aws:iam::1:user/x"})},
			want:    &fakests.ConfigError{Field: "ARN", Problem: fakests.Malformed, Value: "arn:aws:iam::1:user/x"},
			wantMsg: `fakests: user 1: ARN "arn:aws:iam::1:user/x" is not an IAM user ARN (arn:aws:iam::<12 digits>:user/<name>)`},
		{name: "account root as user", cfg: fakests.Config{Users: user(fakests.User{ARN: "arn:aws:iam::123456789012:root"})},
			want:    &fakests.ConfigError{Field: "ARN", Problem: fakests.Malformed, Value: "arn:aws:iam::123456789012:root"},
			wantMsg: `fakests: user 1: ARN "arn:aws:iam::123456789012:root" is not an IAM user ARN (arn:aws:iam::<12 digits>:user/<name>)`},
		{name: "empty path segment", cfg: fakests.Config{Users: user(fakests.User{ARN: "arn:aws:iam::123456789012:user//u"})},
			want:    &fakests.ConfigError{Field: "ARN", Problem: fakests.Malformed, Value: "arn:aws:iam::123456789012:user//u"},
			wantMsg: `fakests: user 1: ARN "arn:aws:iam::123456789012:user//u" is not an IAM user ARN (arn:aws:iam::<12 digits>:user/<name>)`},
		{name: "bad MFA serial", cfg: fakests.Config{Users: user(fakests.User{MFASerial: "mfa/ci"})},
			want:    &fakests.ConfigError{Field: "MFASerial", Problem: fakests.Malformed, Value: "mfa/ci"},
			wantMsg: `fakests: user 1: MFASerial "mfa/ci" is not an MFA device ARN (arn:aws:iam::<12 digits>:mfa/<name>)`},
		{name: "bad MFA code, not shown", cfg: fakests.Config{Users: user(fakests.User{MFASerial: "arn:aws:iam::123456789012:mfa/u", MFACode: "12345"})},
			want: &fakests.ConfigError{Field: "MFACode", Problem: fakests.Malformed}, wantMsg: "fakests: user 1: MFACode is not six digits"},
		{name: "MFA code without device", cfg: fakests.Config{Users: user(fakests.User{MFACode: "123456"})},
			want: &fakests.ConfigError{Field: "MFASerial", Problem: fakests.Missing}, wantMsg: "fakests: user 1: MFASerial is empty, but MFACode and RequireMFA need it"},
		{name: "MFA required without device", cfg: fakests.Config{Users: user(fakests.User{RequireMFA: true})},
			want: &fakests.ConfigError{Field: "MFASerial", Problem: fakests.Missing}, wantMsg: "fakests: user 1: MFASerial is empty, but MFACode and RequireMFA need it"},
		{name: "duplicate key", cfg: fakests.Config{Users: []fakests.User{first, first}},
			want:    &fakests.ConfigError{Index: 1, Field: "AccessKeyID", Problem: fakests.Duplicate, Value: first.AccessKeyID},
			wantMsg: `fakests: user 2: AccessKeyID "AKIA0" is used twice`},
		{name: "role without ARN", cfg: fakests.Config{Roles: []fakests.Role{{Trust: []string{"*"}}}},
			want: &fakests.ConfigError{Role: true, Field: "ARN", Problem: fakests.Missing}, wantMsg: "fakests: role 1: ARN is empty"},
		{name: "user ARN as role", cfg: fakests.Config{Roles: []fakests.Role{{ARN: userARN}}},
			want:    &fakests.ConfigError{Role: true, Field: "ARN", Problem: fakests.Malformed, Value: userARN},
			wantMsg: `fakests: role 1: ARN "arn:aws:iam::123456789012:user/u" is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)`},
		{name: "bad trust", cfg: fakests.Config{Roles: []fakests.Role{{ARN: role, Trust: []string{"*", "ci"}}}},
			want:    &fakests.ConfigError{Role: true, Field: "Trust", Problem: fakests.Malformed, Value: "ci"},
			wantMsg: `fakests: role 1: Trust "ci" is not a user, role or account root ARN or "*"`},
		{name: "bad external id", cfg: fakests.Config{Roles: []fakests.Role{{ARN: role, ExternalID: "a b"}}},
			want:    &fakests.ConfigError{Role: true, Field: "ExternalID", Problem: fakests.Malformed, Value: "a b"},
			wantMsg: `fakests: role 1: ExternalID "a b" is not 2 to 1224 of the characters [\w+=,.@:/-]`},
		{name: "short external id", cfg: fakests.Config{Roles: []fakests.Role{{ARN: role, ExternalID: "x"}}},
			want:    &fakests.ConfigError{Role: true, Field: "ExternalID", Problem: fakests.Malformed, Value: "x"},
			wantMsg: `fakests: role 1: ExternalID "x" is not 2 to 1224 of the characters [\w+=,.@:/-]`},
		{name: "negative duration", cfg: fakests.Config{Roles: []fakests.Role{{ARN: role, MaxSessionDuration: -time.Second}}},
			want:    &fakests.ConfigError{Role: true, Field: "MaxSessionDuration", Problem: fakests.Malformed, Value: "-1s"},
			wantMsg: `fakests: role 1: MaxSessionDuration "-1s" is not between 1h0m0s and 12h0m0s`},
		{name: "short duration", cfg: fakests.Config{Roles: []fakests.Role{{ARN: role, MaxSessionDuration: 15 * time.Minute}}},
			want:    &fakests.ConfigError{Role: true, Field: "MaxSessionDuration", Problem: fakests.Malformed, Value: "15m0s"},
			wantMsg: `fakests: role 1: MaxSessionDuration "15m0s" is not between 1h0m0s and 12h0m0s`},
		{name: "long duration", cfg: fakests.Config{Roles: []fakests.Role{{ARN: role, MaxSessionDuration: 12*time.Hour + time.Second}}},
			want:    &fakests.ConfigError{Role: true, Field: "MaxSessionDuration", Problem: fakests.Malformed, Value: "12h0m1s"},
			wantMsg: `fakests: role 1: MaxSessionDuration "12h0m1s" is not between 1h0m0s and 12h0m0s`},
		{name: "duplicate role", cfg: fakests.Config{Roles: []fakests.Role{{ARN: role}, {ARN: role}}},
			want:    &fakests.ConfigError{Role: true, Index: 1, Field: "ARN", Problem: fakests.Duplicate, Value: role},
			wantMsg: `fakests: role 2: ARN "arn:aws:iam::123456789012:role/deploy" is used twice`},
		{name: "users first", cfg: fakests.Config{Users: []fakests.User{first, {AccessKeyID: key}}, Roles: []fakests.Role{{}}},
			want: &fakests.ConfigError{Index: 1, Field: "SecretAccessKey", Problem: fakests.Missing}, wantMsg: "fakests: user 2: SecretAccessKey is empty"},
		{name: "default duration too long", cfg: fakests.Config{MaxSessionDuration: 13 * time.Hour},
			wantMsg: "fakests: MaxSessionDuration 13h0m0s is not between 1h0m0s and 12h0m0s"},
		{name: "valid", cfg: fakests.Config{
			Users: []fakests.User{first, {AccessKeyID: key, SecretAccessKey: "s", ARN: "arn:aws:iam::123456789012:user/path/u",
				MFASerial: "arn:aws:iam::123456789012:mfa/path/u", MFACode: "123456", RequireMFA: true}},
			Roles: []fakests.Role{{ARN: "arn:aws:iam::123456789012:role/path/r", ExternalID: "ext:1/a", MaxSessionDuration: 12 * time.Hour,
				Trust: []string{"*", userARN, role, "arn:aws:iam::123456789012:root", "arn:aws-cn:iam::123456789012:role/p/q"}}},
			MaxSessionDuration: time.Hour,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := fakests.New(tt.cfg)
			if err == nil {
				h.Close()
			}
			if checked := fakests.Check(tt.cfg); fmt.Sprint(checked) != fmt.Sprint(err) {
				t.Errorf("Check = %v, want New's %v", checked, err)
			}
			gotMsg := ""
			if err != nil {
				gotMsg = err.Error()
			}
			if diff := cmp.Diff(tt.wantMsg, gotMsg); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
			var got *fakests.ConfigError
			if !errors.As(err, &got) {
				got = nil
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(fakests.ConfigError{}), cmp.FilterPath(func(p cmp.Path) bool {
				return p.Last().String() == ".msg"
			}, cmp.Ignore())); diff != "" {
				t.Errorf("ConfigError mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
