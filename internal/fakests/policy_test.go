package fakests_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

const (
	ciMFA    = "arn:aws:iam::123456789012:mfa/ci"
	carolMFA = "arn:aws:iam::123456789012:mfa/carol"

	deployRole   = "arn:aws:iam::123456789012:role/deploy"
	auditRole    = "arn:aws:iam::123456789012:role/audit"
	adminRole    = "arn:aws:iam::123456789012:role/admin"
	vendorRole   = "arn:aws:iam::123456789012:role/vendor"
	readonlyRole = "arn:aws:iam::123456789012:role/readonly"
	publicRole   = "arn:aws:iam::123456789012:role/public"
	boundedRole  = "arn:aws:iam::123456789012:role/bounded"
)

var (
	ci = fakests.User{
		AccessKeyID: "AKIACIEXAMPLE0000001", SecretAccessKey: "ciSecretKey/EXAMPLE+abcdefghijklmnopqrstu",
		ARN: "arn:aws:iam::123456789012:user/ci", MFASerial: ciMFA,
	}
	carol = fakests.User{
		AccessKeyID: "AKIACAROLEXAMPLE0001", SecretAccessKey: "carolSecretKey/EXAMPLE+abcdefghijklmnopq",
		ARN: "arn:aws:iam::123456789012:user/carol", MFASerial: carolMFA, MFACode: "246810", RequireMFA: true,
	}
	partner = fakests.User{
		AccessKeyID: "AKIAPARTNEREXAMPLE01", SecretAccessKey: "partnerSecretKey/EXAMPLE+abcdefghijklmn",
		ARN: "arn:aws:iam::210987654321:user/partner",
	}
	policyRoles = []fakests.Role{
		{ARN: deployRole, Trust: []string{ci.ARN}, MaxSessionDuration: 2 * time.Hour},
		{ARN: auditRole, Trust: []string{deployRole}},
		{ARN: adminRole, Trust: []string{ci.ARN, carol.ARN}, RequireMFA: true},
		{ARN: vendorRole, Trust: []string{partner.ARN}, ExternalID: "vendor-42"},
		{ARN: readonlyRole, Trust: []string{"arn:aws:iam::123456789012:root"}},
		{ARN: publicRole, Trust: []string{"*"}},
		{ARN: boundedRole, Trust: []string{ci.ARN}},
	}
)

// assumeOpts are the optional AssumeRole members a case sets.
type assumeOpts struct {
	externalID, serial, code string
	duration                 int32
}

func assumeCall(role string, o assumeOpts) func(*sts.Client) (outcome, error) {
	return func(c *sts.Client) (outcome, error) {
		in := assumeRoleInput(role, "policy")
		if o.externalID != "" {
			in.ExternalId = aws.String(o.externalID)
		}
		if o.serial != "" {
			in.SerialNumber, in.TokenCode = aws.String(o.serial), aws.String(o.code)
		}
		if o.duration != 0 {
			in.DurationSeconds = aws.Int32(o.duration)
		}
		out, err := c.AssumeRole(context.Background(), in)
		if err != nil {
			return outcome{}, err
		}
		return outcome{Arn: aws.ToString(out.AssumedRoleUser.Arn)}, nil
	}
}

func sessionTokenCall(serial, code string) func(*sts.Client) (outcome, error) {
	return func(c *sts.Client) (outcome, error) {
		in := &sts.GetSessionTokenInput{}
		if serial != "" {
			in.SerialNumber, in.TokenCode = aws.String(serial), aws.String(code)
		}
		_, err := c.GetSessionToken(context.Background(), in)
		return outcome{}, err
	}
}

func denied(callerARN, roleARN string) outcome {
	return outcome{Err: testenv.APIError{Status: 403, Code: "AccessDenied", Message: "User: " + callerARN + " is not authorized to perform: sts:AssumeRole on resource: " + roleARN}}
}

func sessionARN(role string) string {
	return "arn:aws:sts::123456789012:assumed-role/" + role[strings.LastIndex(role, "/")+1:] + "/policy"
}

func TestRolePolicy(t *testing.T) {
	srv := testenv.StartSTS(t, fakests.Config{
		Users: []fakests.User{ci, carol, partner},
		Roles: policyRoles,
	})
	ctx := context.Background()
	deploy, err := newClient(t, srv, testenv.UserKeys(ci)).AssumeRole(ctx, assumeRoleInput(deployRole, "policy"))
	if err != nil {
		t.Fatal(err)
	}
	withMFA, err := newClient(t, srv, testenv.UserKeys(ci)).GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(ciMFA), TokenCode: aws.String("123456")})
	if err != nil {
		t.Fatal(err)
	}
	withoutMFA, err := newClient(t, srv, testenv.UserKeys(ci)).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	deployKeys, mfaKeys, noMFAKeys := testenv.TempKeys(deploy.Credentials), testenv.TempKeys(withMFA.Credentials), testenv.TempKeys(withoutMFA.Credentials)
	deploySession := sessionARN(deployRole)
	serialInvalid := outcome{Err: testenv.APIError{Status: 403, Code: "AccessDenied", Message: fakests.MsgMFASerialInvalid}}
	codeInvalid := outcome{Err: testenv.APIError{Status: 403, Code: "AccessDenied", Message: fakests.MsgMFACodeInvalid}}
	tooLong := outcome{Err: testenv.APIError{Status: 400, Code: "ValidationError", Message: fakests.MsgMaxSessionDuration}}

	tests := []struct {
		name string
		keys testenv.Keys
		call func(*sts.Client) (outcome, error)
		want outcome
	}{
		{name: "trusted user", keys: testenv.UserKeys(ci), call: assumeCall(deployRole, assumeOpts{}), want: outcome{Arn: sessionARN(deployRole)}},
		{name: "user not trusted", keys: testenv.UserKeys(partner), call: assumeCall(deployRole, assumeOpts{}), want: denied(partner.ARN, deployRole)},
		{name: "unknown role", keys: testenv.UserKeys(ci), call: assumeCall("arn:aws:iam::123456789012:role/nobody", assumeOpts{}), want: denied(ci.ARN, "arn:aws:iam::123456789012:role/nobody")},
		{name: "user where only a role is trusted", keys: testenv.UserKeys(ci), call: assumeCall(auditRole, assumeOpts{}), want: denied(ci.ARN, auditRole)},
		{name: "chain from trusted role", keys: deployKeys, call: assumeCall(auditRole, assumeOpts{}), want: outcome{Arn: sessionARN(auditRole)}},
		{name: "role session not trusted", keys: deployKeys, call: assumeCall(deployRole, assumeOpts{}), want: denied(deploySession, deployRole)},
		{name: "external id missing", keys: testenv.UserKeys(partner), call: assumeCall(vendorRole, assumeOpts{}), want: denied(partner.ARN, vendorRole)},
		{name: "external id wrong", keys: testenv.UserKeys(partner), call: assumeCall(vendorRole, assumeOpts{externalID: "vendor-43"}), want: denied(partner.ARN, vendorRole)},
		{name: "external id right", keys: testenv.UserKeys(partner), call: assumeCall(vendorRole, assumeOpts{externalID: "vendor-42"}), want: outcome{Arn: sessionARN(vendorRole)}},
		{name: "account root trusts its user", keys: testenv.UserKeys(ci), call: assumeCall(readonlyRole, assumeOpts{}), want: outcome{Arn: sessionARN(readonlyRole)}},
		{name: "account root trusts its role session", keys: deployKeys, call: assumeCall(readonlyRole, assumeOpts{}), want: outcome{Arn: sessionARN(readonlyRole)}},
		{name: "account root does not trust other accounts", keys: testenv.UserKeys(partner), call: assumeCall(readonlyRole, assumeOpts{}), want: denied(partner.ARN, readonlyRole)},
		{name: "anyone trusted", keys: testenv.UserKeys(partner), call: assumeCall(publicRole, assumeOpts{}), want: outcome{Arn: sessionARN(publicRole)}},
		{name: "MFA role without MFA", keys: testenv.UserKeys(ci), call: assumeCall(adminRole, assumeOpts{}), want: denied(ci.ARN, adminRole)},
		{name: "MFA role with any code", keys: testenv.UserKeys(ci), call: assumeCall(adminRole, assumeOpts{serial: ciMFA, code: "000000"}), want: outcome{Arn: sessionARN(adminRole)}},
		{name: "MFA role with another user's device", keys: testenv.UserKeys(ci), call: assumeCall(adminRole, assumeOpts{serial: carolMFA, code: "246810"}), want: serialInvalid},
		{name: "MFA role with the configured code", keys: testenv.UserKeys(carol), call: assumeCall(adminRole, assumeOpts{serial: carolMFA, code: "246810"}), want: outcome{Arn: sessionARN(adminRole)}},
		{name: "MFA role with a wrong code", keys: testenv.UserKeys(carol), call: assumeCall(adminRole, assumeOpts{serial: carolMFA, code: "111111"}), want: codeInvalid},
		{name: "MFA role with MFA session credentials", keys: mfaKeys, call: assumeCall(adminRole, assumeOpts{}), want: outcome{Arn: sessionARN(adminRole)}},
		{name: "MFA role with session credentials without MFA", keys: noMFAKeys, call: assumeCall(adminRole, assumeOpts{}), want: denied(ci.ARN, adminRole)},
		{name: "MFA from a role session", keys: deployKeys, call: assumeCall(readonlyRole, assumeOpts{serial: ciMFA, code: "123456"}), want: serialInvalid},
		{name: "MFA checked before trust", keys: testenv.UserKeys(partner), call: assumeCall(deployRole, assumeOpts{serial: ciMFA, code: "123456"}), want: serialInvalid},
		{name: "role maximum duration", keys: testenv.UserKeys(ci), call: assumeCall(deployRole, assumeOpts{duration: 7200}), want: outcome{Arn: sessionARN(deployRole)}},
		{name: "above role maximum duration", keys: testenv.UserKeys(ci), call: assumeCall(deployRole, assumeOpts{duration: 7201}), want: tooLong},
		{name: "above default maximum duration", keys: testenv.UserKeys(ci), call: assumeCall(boundedRole, assumeOpts{duration: 3601}), want: tooLong},
		{name: "trust checked before duration", keys: testenv.UserKeys(partner), call: assumeCall(deployRole, assumeOpts{duration: 7201}), want: denied(partner.ARN, deployRole)},
		{name: "session token without MFA", keys: testenv.UserKeys(ci), call: sessionTokenCall("", "")},
		{name: "session token MFA required", keys: testenv.UserKeys(carol), call: sessionTokenCall("", ""), want: outcome{Err: testenv.APIError{Status: 403, Code: "AccessDenied", Message: "User: arn:aws:iam::123456789012:user/carol is not authorized to perform: sts:GetSessionToken because no MFA was presented"}}},
		{name: "session token with required MFA", keys: testenv.UserKeys(carol), call: sessionTokenCall(carolMFA, "246810")},
		{name: "session token with a wrong code", keys: testenv.UserKeys(carol), call: sessionTokenCall(carolMFA, "135790"), want: codeInvalid},
		{name: "session token with another user's device", keys: testenv.UserKeys(ci), call: sessionTokenCall(carolMFA, "246810"), want: serialInvalid},
		{name: "session token with MFA by a user without device", keys: testenv.UserKeys(partner), call: sessionTokenCall(ciMFA, "123456"), want: serialInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.call(newClient(t, srv, tt.keys))
			got.Err = testenv.SDKError(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("outcome mismatch (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("MFA recorded on session credentials", func(t *testing.T) {
		got := map[string]bool{}
		for _, c := range srv.IssuedCredentials() {
			switch c.AccessKeyID {
			case mfaKeys.ID, noMFAKeys.ID, deployKeys.ID:
				got[c.AccessKeyID] = c.MFA
			}
		}
		want := map[string]bool{mfaKeys.ID: true, noMFAKeys.ID: false, deployKeys.ID: false}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("MFA mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("only allowed calls issue credentials", func(t *testing.T) {
		n := 0
		for _, c := range srv.IssuedCredentials() {
			if c.Action == "AssumeRole" && c.Identity.RoleARN == deployRole {
				n++
			}
		}
		// The setup call, "trusted user", "role maximum duration".
		if n != 3 {
			t.Errorf("%d credentials issued for deploy, want 3", n)
		}
	})
}

func TestMFAWithoutRoles(t *testing.T) {
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice, ci}})
	tests := []struct {
		name string
		user fakests.User
		role string
		want outcome
	}{
		{name: "user without device keeps any MFA", user: alice, role: roleA, want: outcome{Arn: "arn:aws:sts::210987654321:assumed-role/deploy/policy"}},
		{name: "user with device is checked", user: ci, role: roleA, want: outcome{Err: testenv.APIError{Status: 403, Code: "AccessDenied", Message: fakests.MsgMFASerialInvalid}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := assumeCall(tt.role, assumeOpts{serial: carolMFA, code: "123456"})(newClient(t, srv, testenv.UserKeys(tt.user)))
			got.Err = testenv.SDKError(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("outcome mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
