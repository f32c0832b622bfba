package main

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/google/go-cmp/cmp"

	"ansible-sts/test/testenv"
)

// TestDemoIdentities walks the default configuration with the SDK, each
// step signing with keys a previous step obtained.
func TestDemoIdentities(t *testing.T) {
	e := startEndpoint(t, defaultOptions())
	ctx := context.Background()
	saved := map[string]testenv.Keys{"ci": ciKeys, "partner": partnerKeys}
	assume := func(role, session, externalID, serial, code string) func(*sts.Client) (string, *types.Credentials, error) {
		return func(c *sts.Client) (string, *types.Credentials, error) {
			in := &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String(session)}
			if externalID != "" {
				in.ExternalId = aws.String(externalID)
			}
			if serial != "" {
				in.SerialNumber, in.TokenCode = aws.String(serial), aws.String(code)
			}
			out, err := c.AssumeRole(ctx, in)
			if err != nil {
				return "", nil, err
			}
			return aws.ToString(out.AssumedRoleUser.Arn), out.Credentials, nil
		}
	}
	sessionToken := func(serial, code string) func(*sts.Client) (string, *types.Credentials, error) {
		return func(c *sts.Client) (string, *types.Credentials, error) {
			out, err := c.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String(code)})
			if err != nil {
				return "", nil, err
			}
			return "", out.Credentials, nil
		}
	}
	const (
		account = "arn:aws:iam::123456789012:"
		mfa     = account + "mfa/ci"
	)
	denied := func(caller, role string) testenv.APIError {
		return testenv.APIError{Status: 403, Code: "AccessDenied", Message: "User: " + caller + " is not authorized to perform: sts:AssumeRole on resource: " + account + "role/" + role}
	}
	type result struct {
		Arn string
		Err testenv.APIError
	}
	steps := []struct {
		name string
		as   string
		call func(*sts.Client) (string, *types.Credentials, error)
		save string
		want result
	}{
		{name: "assume deploy", as: "ci", call: assume(account+"role/deploy", "deploy", "", "", ""), save: "deploy",
			want: result{Arn: "arn:aws:sts::123456789012:assumed-role/deploy/deploy"}},
		{name: "chain into audit", as: "deploy", call: assume(account+"role/audit", "audit", "", "", ""),
			want: result{Arn: "arn:aws:sts::123456789012:assumed-role/audit/audit"}},
		{name: "audit not for users", as: "ci", call: assume(account+"role/audit", "audit", "", "", ""),
			want: result{Err: denied(ciARN, "audit")}},
		{name: "vendor without external id", as: "partner", call: assume(account+"role/vendor", "vendor", "", "", ""),
			want: result{Err: denied(partnerARN, "vendor")}},
		{name: "vendor with external id", as: "partner", call: assume(account+"role/vendor", "vendor", "vendor-42", "", ""),
			want: result{Arn: "arn:aws:sts::123456789012:assumed-role/vendor/vendor"}},
		{name: "admin without MFA", as: "ci", call: assume(account+"role/admin", "admin", "", "", ""),
			want: result{Err: denied(ciARN, "admin")}},
		{name: "admin with MFA", as: "ci", call: assume(account+"role/admin", "admin", "", mfa, "123456"),
			want: result{Arn: "arn:aws:sts::123456789012:assumed-role/admin/admin"}},
		{name: "admin with a device not the caller's", as: "partner", call: assume(account+"role/admin", "admin", "", mfa, "123456"),
			want: result{Err: testenv.APIError{Status: 403, Code: "AccessDenied", Message: "MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user."}}},
		{name: "session token with MFA", as: "ci", call: sessionToken(mfa, "654321"), save: "mfa-session"},
		{name: "admin with MFA session credentials", as: "mfa-session", call: assume(account+"role/admin", "admin-session", "", "", ""),
			want: result{Arn: "arn:aws:sts::123456789012:assumed-role/admin/admin-session"}},
		{name: "readonly for the account", as: "ci", call: assume(account+"role/readonly", "ro", "", "", ""),
			want: result{Arn: "arn:aws:sts::123456789012:assumed-role/readonly/ro"}},
		{name: "readonly not for other accounts", as: "partner", call: assume(account+"role/readonly", "ro", "", "", ""),
			want: result{Err: denied(partnerARN, "readonly")}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			k, ok := saved[st.as]
			if !ok {
				t.Fatalf("no keys %q saved by an earlier step", st.as)
			}
			arn, creds, err := st.call(newClient(e, k))
			got := result{Arn: arn, Err: testenv.SDKError(t, err)}
			if diff := cmp.Diff(st.want, got); diff != "" {
				t.Errorf("result mismatch (-want +got):\n%s", diff)
			}
			if st.save != "" && creds != nil {
				saved[st.save] = testenv.TempKeys(creds)
			}
		})
	}
}

// TestSessionDurations: AssumeRole up to a role's max_session_duration,
// by default an hour, and no longer.
func TestSessionDurations(t *testing.T) {
	e := startEndpoint(t, defaultOptions())
	tooLong := testenv.APIError{Status: 400, Code: "ValidationError", Message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."}
	tests := []struct {
		name     string
		role     string
		duration int32
		want     testenv.APIError
	}{
		{name: "default, an hour", role: "readonly", duration: 3600},
		{name: "beyond the default", role: "readonly", duration: 3601, want: tooLong},
		{name: "configured, two hours", role: "deploy", duration: 7200},
		{name: "beyond the configured", role: "deploy", duration: 7201, want: tooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newClient(e, ciKeys).AssumeRole(context.Background(), &sts.AssumeRoleInput{
				RoleArn: aws.String("arn:aws:iam::123456789012:role/" + tt.role), RoleSessionName: aws.String("duration"), DurationSeconds: aws.Int32(tt.duration),
			})
			if diff := cmp.Diff(tt.want, testenv.SDKError(t, err)); diff != "" {
				t.Errorf("outcome mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
