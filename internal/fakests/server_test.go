package fakests_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

const testPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`

var (
	accessKeyRE = regexp.MustCompile(`^ASIA[A-Z2-7]{16}$`)
	secretRE    = regexp.MustCompile(`^[A-Za-z0-9+/]{40}$`)
)

// issuedShape is what TestAssumeRole compares of an AssumeRole answer.
type issuedShape struct {
	Arn, AssumedRoleID string
	Expiration         time.Time
	PackedPolicySize   int32 // -1 when absent
	SourceIdentity     string
}

func TestAssumeRole(t *testing.T) {
	tests := []struct {
		name       string
		fractional bool
		input      *sts.AssumeRoleInput
		wantOffset time.Duration
		want       issuedShape
	}{
		{
			name:       "default duration",
			input:      assumeRoleInput(roleA, "build-1"),
			wantOffset: time.Hour,
			want: issuedShape{
				Arn:              "arn:aws:sts::210987654321:assumed-role/deploy/build-1",
				AssumedRoleID:    fakests.DerivedID("AROA", roleA) + ":build-1",
				PackedPolicySize: -1,
			},
		},
		{
			name: "role with path and fifteen minutes",
			input: &sts.AssumeRoleInput{
				RoleArn: aws.String(roleB), RoleSessionName: aws.String("a.b@c=d,e-f"),
				DurationSeconds: aws.Int32(900), SourceIdentity: aws.String("alice"),
			},
			wantOffset: 15 * time.Minute,
			want: issuedShape{
				Arn:              "arn:aws:sts::210987654321:assumed-role/admin/a.b@c=d,e-f",
				AssumedRoleID:    fakests.DerivedID("AROA", roleB) + ":a.b@c=d,e-f",
				PackedPolicySize: -1,
				SourceIdentity:   "alice",
			},
		},
		{
			name: "session policy and external id",
			input: &sts.AssumeRoleInput{
				RoleArn: aws.String(roleA), RoleSessionName: aws.String("with-policy"),
				Policy: aws.String(testPolicy), ExternalId: aws.String("ext:id/1"),
			},
			wantOffset: time.Hour,
			want: issuedShape{
				Arn:              "arn:aws:sts::210987654321:assumed-role/deploy/with-policy",
				AssumedRoleID:    fakests.DerivedID("AROA", roleA) + ":with-policy",
				PackedPolicySize: 5,
			},
		},
		{
			name:       "fractional expiration",
			fractional: true,
			input: &sts.AssumeRoleInput{
				RoleArn: aws.String(roleA), RoleSessionName: aws.String("frac"),
				SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/alice"), TokenCode: aws.String("123456"),
			},
			wantOffset: time.Hour,
			want: issuedShape{
				Arn:              "arn:aws:sts::210987654321:assumed-role/deploy/frac",
				AssumedRoleID:    fakests.DerivedID("AROA", roleA) + ":frac",
				PackedPolicySize: -1,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := testenv.StoppedClock()
			clk.Set(clk.Now().Truncate(time.Second).Add(611 * time.Millisecond))
			srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}, Now: clk.Now, FractionalExpiration: tt.fractional})
			out, err := newClient(t, srv, testenv.UserKeys(alice)).AssumeRole(context.Background(), tt.input)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			want.Expiration = clk.Now().Add(tt.wantOffset).Truncate(time.Second)
			if tt.fractional {
				want.Expiration = clk.Now().Add(tt.wantOffset).Truncate(time.Millisecond)
			}
			got := issuedShape{
				Arn:              aws.ToString(out.AssumedRoleUser.Arn),
				AssumedRoleID:    aws.ToString(out.AssumedRoleUser.AssumedRoleId),
				Expiration:       aws.ToTime(out.Credentials.Expiration).UTC(),
				PackedPolicySize: -1,
				SourceIdentity:   aws.ToString(out.SourceIdentity),
			}
			if size := packedPolicySize(out); size != nil {
				got.PackedPolicySize = *size
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("AssumeRole result mismatch (-want +got):\n%s", diff)
			}
			c := out.Credentials
			if !accessKeyRE.MatchString(aws.ToString(c.AccessKeyId)) || !secretRE.MatchString(aws.ToString(c.SecretAccessKey)) || len(aws.ToString(c.SessionToken)) < 200 {
				t.Errorf("credentials have the wrong shape: %+v", c)
			}
			issued := srv.IssuedCredentials()
			wantIssued := []fakests.Credentials{{
				AccessKeyID:     aws.ToString(c.AccessKeyId),
				SecretAccessKey: aws.ToString(c.SecretAccessKey),
				SessionToken:    aws.ToString(c.SessionToken),
				Expiration:      want.Expiration,
				Identity: fakests.Identity{
					ARN: want.Arn, UserID: want.AssumedRoleID, Account: "210987654321",
					RoleARN: aws.ToString(tt.input.RoleArn), SessionName: aws.ToString(tt.input.RoleSessionName),
				},
				Action:         "AssumeRole",
				IssuedTo:       alice.AccessKeyID,
				Issued:         clk.Now(),
				SourceIdentity: want.SourceIdentity,
			}}
			if diff := cmp.Diff(wantIssued, issued); diff != "" {
				t.Errorf("IssuedCredentials mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTemporaryCredentials(t *testing.T) {
	clk := testenv.StoppedClock()
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}, Now: clk.Now, MaxSessionDuration: 12 * time.Hour})
	ctx := context.Background()
	user := newClient(t, srv, testenv.UserKeys(alice))
	role, err := user.AssumeRole(ctx, assumeRoleInput(roleA, "first"))
	if err != nil {
		t.Fatal(err)
	}
	// IAM's unique ids are 21 characters: AROA and 17 more.
	if id := aws.ToString(role.AssumedRoleUser.AssumedRoleId); !regexp.MustCompile(`^AROA[A-Z2-7]{17}:first$`).MatchString(id) {
		t.Errorf("AssumedRoleId %q has the wrong shape", id)
	}
	session, err := user.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	roleKeys := testenv.TempKeys(role.Credentials)
	sessionKeys := testenv.TempKeys(session.Credentials)
	if got, want := aws.ToTime(session.Credentials.Expiration), clk.Now().Add(12*time.Hour).Truncate(time.Second); !got.Equal(want) {
		t.Errorf("GetSessionToken expiration = %v, want %v", got, want)
	}

	tests := []struct {
		name string
		keys testenv.Keys
		call func(*sts.Client) (outcome, error)
		want outcome
	}{
		{
			name: "chained AssumeRole",
			keys: roleKeys,
			call: func(c *sts.Client) (outcome, error) {
				out, err := c.AssumeRole(ctx, assumeRoleInput(roleB, "second"))
				if err != nil {
					return outcome{}, err
				}
				return outcome{Arn: aws.ToString(out.AssumedRoleUser.Arn), UserID: aws.ToString(out.AssumedRoleUser.AssumedRoleId)}, nil
			},
			want: outcome{Arn: "arn:aws:sts::210987654321:assumed-role/admin/second", UserID: fakests.DerivedID("AROA", roleB) + ":second"},
		},
		{
			name: "chained AssumeRole over an hour",
			keys: roleKeys,
			call: func(c *sts.Client) (outcome, error) {
				in := assumeRoleInput(roleB, "second")
				in.DurationSeconds = aws.Int32(3601)
				_, err := c.AssumeRole(ctx, in)
				return outcome{}, err
			},
			want: outcome{Err: testenv.APIError{Status: 400, Code: "ValidationError", Message: fakests.MsgChainedDuration}},
		},
		{
			name: "GetCallerIdentity as role session",
			keys: roleKeys,
			call: callerIdentity,
			want: outcome{Arn: "arn:aws:sts::210987654321:assumed-role/deploy/first", UserID: fakests.DerivedID("AROA", roleA) + ":first", Account: "210987654321"},
		},
		{
			name: "GetSessionToken with role credentials",
			keys: roleKeys,
			call: func(c *sts.Client) (outcome, error) {
				_, err := c.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
				return outcome{}, err
			},
			want: outcome{Err: testenv.APIError{Status: 403, Code: "AccessDenied", Message: fakests.MsgSessionTokenWithSession}},
		},
		{
			name: "GetCallerIdentity with session token credentials",
			keys: sessionKeys,
			call: callerIdentity,
			want: outcome{Arn: alice.ARN, UserID: alice.UserID, Account: "123456789012"},
		},
		{
			// AWS counts an AssumeRole signed with GetSessionToken
			// credentials as role chaining too.
			name: "AssumeRole for 2 hours with session token credentials",
			keys: sessionKeys,
			call: func(c *sts.Client) (outcome, error) {
				in := assumeRoleInput(roleA, "long")
				in.DurationSeconds = aws.Int32(7200)
				_, err := c.AssumeRole(ctx, in)
				return outcome{}, err
			},
			want: outcome{Err: testenv.APIError{Status: 400, Code: "ValidationError", Message: fakests.MsgChainedDuration}},
		},
		{
			name: "AssumeRole for an hour with session token credentials",
			keys: sessionKeys,
			call: func(c *sts.Client) (outcome, error) {
				in := assumeRoleInput(roleA, "hour")
				in.DurationSeconds = aws.Int32(3600)
				out, err := c.AssumeRole(ctx, in)
				if err != nil {
					return outcome{}, err
				}
				return outcome{Arn: aws.ToString(out.AssumedRoleUser.Arn)}, nil
			},
			want: outcome{Arn: "arn:aws:sts::210987654321:assumed-role/deploy/hour"},
		},
		{
			name: "GetSessionToken with session token credentials",
			keys: sessionKeys,
			call: func(c *sts.Client) (outcome, error) {
				_, err := c.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
				return outcome{}, err
			},
			want: outcome{Err: testenv.APIError{Status: 403, Code: "AccessDenied", Message: fakests.MsgSessionTokenWithSession}},
		},
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
}

// outcome is what a call returned, for comparison.
type outcome struct {
	Arn, UserID, Account string
	Err                  testenv.APIError
}

func callerIdentity(c *sts.Client) (outcome, error) {
	var o outcome
	out, err := c.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		return o, err
	}
	o.Arn, o.UserID, o.Account = aws.ToString(out.Arn), aws.ToString(out.UserId), aws.ToString(out.Account)
	return o, nil
}

func TestAuthenticationErrors(t *testing.T) {
	clk := testenv.StoppedClock()
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}, Now: clk.Now})
	out, err := newClient(t, srv, testenv.UserKeys(alice)).AssumeRole(context.Background(), assumeRoleInput(roleA, "auth"))
	if err != nil {
		t.Fatal(err)
	}
	role := testenv.TempKeys(out.Credentials)
	invalid := testenv.APIError{Status: 403, Code: "InvalidClientTokenId", Message: fakests.MsgInvalidClientTokenID}

	tests := []struct {
		name    string
		keys    testenv.Keys
		advance time.Duration
		want    testenv.APIError
	}{
		{name: "valid user keys", keys: testenv.UserKeys(alice)},
		{name: "valid role keys", keys: role},
		{name: "unknown access key", keys: testenv.Keys{ID: "AKIAUNKNOWNEXAMPLE00", Secret: alice.SecretAccessKey}, want: invalid},
		{name: "wrong secret", keys: testenv.Keys{ID: alice.AccessKeyID, Secret: "wrong" + alice.SecretAccessKey}, want: testenv.APIError{Status: 403, Code: "SignatureDoesNotMatch", Message: fakests.MsgSignatureDoesNotMatch}},
		{name: "user keys with a session token", keys: testenv.Keys{ID: alice.AccessKeyID, Secret: alice.SecretAccessKey, Token: role.Token}, want: invalid},
		{name: "role keys without session token", keys: testenv.Keys{ID: role.ID, Secret: role.Secret}, want: invalid},
		{name: "role keys with wrong session token", keys: testenv.Keys{ID: role.ID, Secret: role.Secret, Token: role.Token + "x"}, want: invalid},
		{name: "role keys with wrong secret", keys: testenv.Keys{ID: role.ID, Secret: alice.SecretAccessKey, Token: role.Token}, want: testenv.APIError{Status: 403, Code: "SignatureDoesNotMatch", Message: fakests.MsgSignatureDoesNotMatch}},
		// The server clock moves past the expiration; the client still
		// signs with the real time, so this runs last.
		{name: "expired role keys", keys: role, advance: time.Hour, want: testenv.APIError{Status: 403, Code: "ExpiredToken", Message: fakests.MsgExpiredToken}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk.Add(tt.advance)
			_, err := callerIdentity(newClient(t, srv, tt.keys))
			if diff := cmp.Diff(tt.want, testenv.SDKError(t, err)); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidationErrors(t *testing.T) {
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}})
	longARN := "arn:aws:iam::123456789012:role/" + strings.Repeat("r", 2020)
	tests := []struct {
		name string
		in   *sts.AssumeRoleInput
		want testenv.APIError
	}{
		{
			name: "session name too short",
			in:   assumeRoleInput(roleA, "x"),
			want: testenv.APIError{Status: 400, Code: "ValidationError", Message: "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		},
		{
			name: "session name with a space and bad duration",
			in:   &sts.AssumeRoleInput{RoleArn: aws.String(roleA), RoleSessionName: aws.String("a b"), DurationSeconds: aws.Int32(60)},
			want: testenv.APIError{Status: 400, Code: "ValidationError", Message: `2 validation errors detected: Value 'a b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*; Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`},
		},
		{
			name: "session name too long",
			in:   assumeRoleInput(roleA, strings.Repeat("s", 65)),
			want: testenv.APIError{Status: 400, Code: "ValidationError", Message: "1 validation error detected: Value '" + strings.Repeat("s", 65) + "' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		},
		{
			name: "role ARN too short",
			in:   assumeRoleInput("arn:aws:iam::1:role", "ok"),
			want: testenv.APIError{Status: 400, Code: "ValidationError", Message: "1 validation error detected: Value 'arn:aws:iam::1:role' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20"},
		},
		{
			name: "role ARN too long",
			in:   assumeRoleInput(longARN, "ok"),
			want: testenv.APIError{Status: 400, Code: "ValidationError", Message: "1 validation error detected: Value '" + longARN + "' at 'roleArn' failed to satisfy constraint: Member must have length less than or equal to 2048"},
		},
		{
			name: "not a role ARN",
			in:   assumeRoleInput("arn:aws:iam::123456789012:user/alice", "ok"),
			want: testenv.APIError{Status: 400, Code: "ValidationError", Message: "arn:aws:iam::123456789012:user/alice is invalid"},
		},
		{
			name: "duration above the model maximum",
			in:   &sts.AssumeRoleInput{RoleArn: aws.String(roleA), RoleSessionName: aws.String("ok"), DurationSeconds: aws.Int32(43201)},
			want: testenv.APIError{Status: 400, Code: "ValidationError", Message: "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		},
		{
			name: "duration above the role maximum",
			in:   &sts.AssumeRoleInput{RoleArn: aws.String(roleA), RoleSessionName: aws.String("ok"), DurationSeconds: aws.Int32(3601)},
			want: testenv.APIError{Status: 400, Code: "ValidationError", Message: fakests.MsgMaxSessionDuration},
		},
		{
			name: "policy not JSON",
			in:   &sts.AssumeRoleInput{RoleArn: aws.String(roleA), RoleSessionName: aws.String("ok"), Policy: aws.String("{not json")},
			want: testenv.APIError{Status: 400, Code: "MalformedPolicyDocument", Message: fakests.MsgMalformedPolicyDocument},
		},
		{
			name: "external id with a space",
			in:   &sts.AssumeRoleInput{RoleArn: aws.String(roleA), RoleSessionName: aws.String("ok"), ExternalId: aws.String("a b")},
			want: testenv.APIError{Status: 400, Code: "ValidationError", Message: `1 validation error detected: Value 'a b' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@:\/-]*`},
		},
		{
			name: "token code neither six long nor digits",
			in: &sts.AssumeRoleInput{RoleArn: aws.String(roleA), RoleSessionName: aws.String("ok"),
				SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/alice"), TokenCode: aws.String("12ab")},
			want: testenv.APIError{Status: 400, Code: "ValidationError", Message: `2 validation errors detected: Value '12ab' at 'tokenCode' failed to satisfy constraint: Member must have length greater than or equal to 6; Value '12ab' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\d]*`},
		},
		{
			name: "serial number without token code",
			in:   &sts.AssumeRoleInput{RoleArn: aws.String(roleA), RoleSessionName: aws.String("ok"), SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/alice")},
			want: testenv.APIError{Status: 403, Code: "AccessDenied", Message: fakests.MsgMFAIncomplete},
		},
	}
	client := newClient(t, srv, testenv.UserKeys(alice))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := client.AssumeRole(context.Background(), tt.in)
			if diff := cmp.Diff(tt.want, testenv.SDKError(t, err)); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("GetSessionToken duration above the model maximum", func(t *testing.T) {
		_, err := client.GetSessionToken(context.Background(), &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(129601)})
		want := testenv.APIError{Status: 400, Code: "ValidationError", Message: "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600"}
		if diff := cmp.Diff(want, testenv.SDKError(t, err)); diff != "" {
			t.Errorf("error mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestHook(t *testing.T) {
	tests := []struct {
		name       string
		resp       *fakests.Response
		want       testenv.APIError
		wantStatus int
	}{
		{
			name:       "throttling",
			resp:       &fakests.Response{Code: "Throttling", Message: "Rate exceeded"},
			want:       testenv.APIError{Status: 400, Code: "Throttling", Message: "Rate exceeded"},
			wantStatus: 400,
		},
		{
			name:       "internal failure",
			resp:       &fakests.Response{Status: 500, Code: "InternalFailure", Message: "oops"},
			want:       testenv.APIError{Status: 500, Code: "InternalFailure", Message: "oops"},
			wantStatus: 500,
		},
		{
			name: "raw body",
			resp: &fakests.Response{Status: 503, Body: []byte(`<ErrorResponse><Error><Code>ServiceUnavailable</Code><Message>down</Message></Error></ErrorResponse>`)},
			want: testenv.APIError{Status: 503, Code: "ServiceUnavailable", Message: "down"}, wantStatus: 503,
		},
		{
			name:       "short delay",
			resp:       &fakests.Response{Delay: 50 * time.Millisecond, Code: "Throttling", Message: "slow"},
			want:       testenv.APIError{Status: 400, Code: "Throttling", Message: "slow"},
			wantStatus: 400,
		},
		{name: "no answer from hook", wantStatus: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen []string
			srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}, Hook: func(r *fakests.Request) *fakests.Response {
				seen = append(seen, r.Action)
				return tt.resp
			}})
			_, err := callerIdentity(newClient(t, srv, testenv.UserKeys(alice)))
			if diff := cmp.Diff(tt.want, testenv.SDKError(t, err)); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
			reqs := srv.Requests()
			got := []int{}
			for _, r := range reqs {
				got = append(got, r.Status)
				if r.Err != "" {
					t.Errorf("Err = %q, want empty", r.Err)
				}
			}
			if diff := cmp.Diff([]int{tt.wantStatus}, got); diff != "" {
				t.Errorf("recorded status mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"GetCallerIdentity"}, seen); diff != "" {
				t.Errorf("hook calls mismatch (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("hook not called for rejected requests", func(t *testing.T) {
		called := false
		srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}, Hook: func(*fakests.Request) *fakests.Response { called = true; return nil }})
		_, err := callerIdentity(newClient(t, srv, testenv.Keys{ID: alice.AccessKeyID, Secret: "wrong"}))
		if testenv.SDKError(t, err).Code != "SignatureDoesNotMatch" || called {
			t.Errorf("err = %v, hook called = %v; want SignatureDoesNotMatch without hook", err, called)
		}
	})

	t.Run("delay cut short by client", func(t *testing.T) {
		srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}, Hook: func(*fakests.Request) *fakests.Response { return &fakests.Response{Delay: time.Minute} }})
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := newClient(t, srv, testenv.UserKeys(alice)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
			t.Errorf("err = %v after %v; want deadline exceeded quickly", err, time.Since(start))
		}
	})

	t.Run("close does not wait for a hang", func(t *testing.T) {
		srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}, Hook: func(*fakests.Request) *fakests.Response { return &fakests.Response{Hang: true} }})
		client := newClient(t, srv, testenv.UserKeys(alice))
		errc := make(chan error, 1)
		go func() {
			_, err := callerIdentity(client)
			errc <- err
		}()
		deadline := time.Now().Add(5 * time.Second)
		for len(srv.Requests()) == 0 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		closed := make(chan error, 1)
		go func() { closed <- srv.Close() }()
		select {
		case err := <-closed:
			if err != nil {
				t.Errorf("Close: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Close hung")
		}
		if err := <-errc; err == nil {
			t.Error("call against a hanging server succeeded")
		}
	})
}

func TestRequestsRecorded(t *testing.T) {
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}})
	ctx := context.Background()
	user := newClient(t, srv, testenv.UserKeys(alice), func(o *sts.Options) { o.Region = "eu-west-1" })
	out, err := user.AssumeRole(ctx, assumeRoleInput(roleA, "recorded"))
	if err != nil {
		t.Fatal(err)
	}
	role := testenv.TempKeys(out.Credentials)
	if _, err := callerIdentity(newClient(t, srv, role)); err != nil {
		t.Fatal(err)
	}
	_, _ = callerIdentity(newClient(t, srv, testenv.Keys{ID: "AKIAUNKNOWNEXAMPLE00", Secret: "x"}))

	type rec struct {
		Action, AccessKeyID, Region, Service, SessionToken, Err string
		Status                                                  int
		Params                                                  map[string][]string
	}
	var got []rec
	for _, r := range srv.Requests() {
		if r.Method != http.MethodPost || r.Path != "/" || r.Size == 0 || r.Time.IsZero() {
			t.Errorf("request lacks method, path, size or time: %+v", r)
		}
		switch {
		case r.Caller == "" && (r.UserAgent != "" || r.Header != nil):
			t.Errorf("unauthenticated request recorded with its headers: %+v", r)
		case r.Caller != "" && !strings.Contains(r.UserAgent, "aws-sdk-go-v2"):
			t.Errorf("UserAgent = %q, want the SDK's", r.UserAgent)
		case r.Caller != "" && r.Header.Get("X-Amz-Date") == "":
			t.Errorf("request lacks headers: %+v", r)
		}
		got = append(got, rec{r.Action, r.AccessKeyID, r.Region, r.Service, r.SessionToken, r.Err, r.Status, r.Params})
	}
	want := []rec{
		{"AssumeRole", alice.AccessKeyID, "eu-west-1", "sts", "", "", 200, map[string][]string{
			"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {roleA}, "RoleSessionName": {"recorded"},
		}},
		{"GetCallerIdentity", role.ID, testRegion, "sts", role.Token, "", 200, map[string][]string{
			"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"},
		}},
		// Unauthenticated: the credential scope, not what it asked for.
		{"", "AKIAUNKNOWNEXAMPLE00", testRegion, "sts", "", "InvalidClientTokenId", 403, nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Requests mismatch (-want +got):\n%s", diff)
	}
	srv.Reset()
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("after Reset, %d requests recorded", n)
	}
}

func TestTLS(t *testing.T) {
	srv, certPEM := testenv.StartSelfSignedSTS(t, fakests.Config{Users: []fakests.User{alice}})
	if !strings.HasPrefix(srv.URL, "https://127.0.0.1:") {
		t.Fatalf("URL = %q, want https://127.0.0.1:PORT", srv.URL)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(certPEM) {
		t.Fatal("certificate PEM not accepted")
	}
	trusting := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	tests := []struct {
		name    string
		client  *http.Client
		wantErr bool
	}{
		{name: "trusted certificate", client: trusting},
		{name: "untrusted certificate", client: &http.Client{Timeout: 10 * time.Second}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, srv, testenv.UserKeys(alice), func(o *sts.Options) { o.HTTPClient = tt.client })
			out, err := c.AssumeRole(context.Background(), assumeRoleInput(roleA, "tls"))
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("AssumeRole err = %v, want error %v", err, tt.wantErr)
			}
			if err == nil && aws.ToString(out.AssumedRoleUser.Arn) != "arn:aws:sts::210987654321:assumed-role/deploy/tls" {
				t.Errorf("Arn = %q", aws.ToString(out.AssumedRoleUser.Arn))
			}
		})
	}
}

// packedPolicySize reads the deprecated member, which STS still sends and
// the server must too.
func packedPolicySize(out *sts.AssumeRoleOutput) *int32 {
	//lint:ignore SA1019 see above
	return out.PackedPolicySize
}
