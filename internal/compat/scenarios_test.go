package compat

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"ansible-sts/internal/fakests"
	"ansible-sts/internal/testenv"
)

// users: alice has an MFA device.
var users = []fakests.User{aliceWithMFA(), testenv.Bob()}

func aliceWithMFA() fakests.User {
	u := testenv.Alice()
	u.MFASerial = "arn:aws:iam::123456789012:mfa/alice"
	return u
}

// roles: alice and bob may assume deploy; audit needs an external id;
// admin needs MFA; nobody may assume deny.
var roles = []fakests.Role{
	{ARN: "arn:aws:iam::123456789012:role/deploy", Trust: []string{"arn:aws:iam::123456789012:root"}, MaxSessionDuration: 12 * time.Hour},
	{ARN: "arn:aws:iam::123456789012:role/audit", Trust: []string{"arn:aws:iam::123456789012:root"}, ExternalID: "audit-42"},
	{ARN: "arn:aws:iam::123456789012:role/admin", Trust: []string{"arn:aws:iam::123456789012:root"}, RequireMFA: true},
	{ARN: "arn:aws:iam::123456789012:role/deny", Trust: []string{"arn:aws:iam::210987654321:root"}},
}

// answerFirst answers the first n requests made once armed with resp.
func answerFirst(n int64, resp fakests.Response) func(*fakests.Config, *atomic.Bool) {
	return func(c *fakests.Config, armed *atomic.Bool) {
		var calls atomic.Int64
		c.Hook = func(*fakests.Request) *fakests.Response {
			if armed.Load() && calls.Add(1) <= n {
				out := resp
				return &out
			}
			return nil
		}
	}
}

const always = 1 << 40

// scenarios configure the server for a case, by name. Faults apply once
// armed, after the case's temporary credentials are issued.
var scenarios = map[string]func(*fakests.Config, *atomic.Bool){
	"":              func(*fakests.Config, *atomic.Bool) {},
	"expired":       func(*fakests.Config, *atomic.Bool) {},
	"fractional":    func(c *fakests.Config, _ *atomic.Bool) { c.FractionalExpiration = true },
	"throttle_once": answerFirst(1, fakests.Response{Status: 400, Code: "Throttling", Message: "Rate exceeded", Type: "Sender"}),
	"throttle":      answerFirst(always, fakests.Response{Status: 400, Code: "Throttling", Message: "Rate exceeded", Type: "Sender"}),
	"unavailable":   answerFirst(always, fakests.Response{Status: 503, Code: "ServiceUnavailable", Message: "Service is unavailable", Type: "Receiver"}),
	"error_500":     answerFirst(always, fakests.Response{Status: 500, Code: "InternalFailure", Message: "An internal error has occurred", Type: "Receiver"}),
	"empty_500":     answerFirst(always, fakests.Response{Status: 500, Body: []byte{}}),
	"html_500":      answerFirst(always, fakests.Response{Status: 500, Body: []byte("<html>oops</html>")}),
	"text_500":      answerFirst(always, fakests.Response{Status: 500, Body: []byte("oops")}),
	// The ErrorResponse/Errors/Error shape (moto's), and EC2's
	// Response/Errors/Error with RequestID.
	"nested_403":           answerFirst(always, fakests.Response{Status: 403, Body: testenv.NestedErrorBody("SignatureDoesNotMatch", fakests.MsgSignatureDoesNotMatch)}),
	"nested_throttle_once": answerFirst(1, fakests.Response{Status: 400, Body: testenv.NestedErrorBody("Throttling", "Rate exceeded")}),
	"ec2_400": answerFirst(always, fakests.Response{Status: 400, Body: []byte(`<Response><Errors><Error><Code>ValidationError</Code>` +
		`<Message>bad</Message><Detail/></Error></Errors><RequestID>ec2-request-1</RequestID></Response>`)}),
}

// issueTemporary gets session credentials for alice from srv, for the
// cases that pass a session token ($TEMP_KEY, $TEMP_SECRET, $TEMP_TOKEN).
func issueTemporary(t *testing.T, srv *testenv.STS) [3]string {
	t.Helper()
	client := testenv.NewClient(srv.URL, testenv.UserKeys(testenv.Alice()))
	out, err := client.GetSessionToken(context.Background(), &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatalf("issue temporary credentials: %v", err)
	}
	c := out.Credentials
	return [3]string{aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)}
}
