package cases

import (
	"net/http"
	"sync/atomic"
	"time"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

// RoleARN is the role the cases assume unless they test roles.
const RoleARN = "arn:aws:iam::123456789012:role/demo"

// users: alice has an MFA device.
func users() []fakests.User {
	alice := testenv.Alice()
	alice.MFASerial = testenv.AliceMFASerial
	return []fakests.User{alice, testenv.Bob()}
}

// roles: anyone may assume demo; alice and bob may assume deploy; audit
// needs an external id; admin needs MFA; nobody here may assume deny.
var roles = []fakests.Role{
	{ARN: RoleARN, Trust: []string{"*"}, MaxSessionDuration: 12 * time.Hour},
	{ARN: "arn:aws:iam::123456789012:role/deploy", Trust: []string{"arn:aws:iam::123456789012:root"}, MaxSessionDuration: 12 * time.Hour},
	{ARN: "arn:aws:iam::123456789012:role/audit", Trust: []string{"arn:aws:iam::123456789012:root"}, ExternalID: "audit-42"},
	{ARN: "arn:aws:iam::123456789012:role/admin", Trust: []string{"arn:aws:iam::123456789012:root"}, RequireMFA: true},
	{ARN: "arn:aws:iam::123456789012:role/deny", Trust: []string{"arn:aws:iam::210987654321:root"}},
}

// A Scenario sets up the server for a case. What it changes applies once
// armed, after the case's session credentials are issued.
type Scenario func(cfg *fakests.Config, armed *atomic.Bool)

// Scenarios are the server set-ups a case may name.
var Scenarios = map[string]Scenario{
	// expired moves the clock past the end of the session credentials
	// issued before the run.
	"expired": func(c *fakests.Config, armed *atomic.Bool) {
		c.Now = func() time.Time {
			if armed.Load() {
				return time.Now().Add(13 * time.Hour)
			}
			return time.Now()
		}
	},
	"fractional":    func(c *fakests.Config, _ *atomic.Bool) { c.FractionalExpiration = true },
	"throttle_once": answerFirst(1, fakests.Response{Status: 400, Code: "Throttling", Message: "Rate exceeded", Type: "Sender"}),
	"throttle":      answerFirst(always, fakests.Response{Status: 400, Code: "Throttling", Message: "Rate exceeded", Type: "Sender"}),
	"unavailable":   answerFirst(always, fakests.Response{Status: 503, Code: "ServiceUnavailable", Message: "Service is unavailable", Type: "Receiver"}),
	"error_500":     answerFirst(always, fakests.Response{Status: 500, Code: "InternalFailure", Message: "An internal error has occurred", Type: "Receiver"}),
	"empty_500":     answerFirst(always, fakests.Response{Status: 500, Body: []byte{}}),
	"html_500":      answerFirst(always, fakests.Response{Status: 500, Body: []byte("<html>oops</html>")}),
	"text_500":      answerFirst(always, fakests.Response{Status: 500, Body: []byte("oops")}),
	// session_credentials refuses GetSessionToken as STS refuses a caller
	// signing with session credentials.
	"session_credentials": answerFirst(always, fakests.Response{Status: 403, Code: "AccessDenied", Message: "Cannot call GetSessionToken with session credentials", Type: "Sender"}),
	// The ErrorResponse/Errors/Error shape (moto's), and EC2's
	// Response/Errors/Error with RequestID.
	"nested_403":           answerFirst(always, fakests.Response{Status: 403, Body: testenv.NestedErrorBody("SignatureDoesNotMatch", fakests.MsgSignatureDoesNotMatch)}),
	"nested_throttle_once": answerFirst(1, fakests.Response{Status: 400, Body: testenv.NestedErrorBody("Throttling", "Rate exceeded")}),
	// Redirects, which botocore does not follow for STS: each points at a
	// closed port, so that a client that followed one would fail
	// otherwise.
	"redirect_301": redirect(301),
	"redirect_303": redirect(303),
	"redirect_307": redirect(307),
	"redirect_308": redirect(308),
	// close_403 is an error answer that closes its connection and says so.
	"close_403": answerFirst(always, fakests.Response{Status: 403, Code: "AccessDenied", Message: "Not authorized to perform sts:AssumeRole", Type: "Sender",
		Header: http.Header{"Connection": {"close"}}}),
	"ec2_400": answerFirst(always, fakests.Response{Status: 400, Body: []byte(`<Response><Errors><Error><Code>ValidationError</Code>` +
		`<Message>bad</Message><Detail/></Error></Errors><RequestID>ec2-request-1</RequestID></Response>`)}),
}

const always = 1 << 40

// redirect answers every request made once armed with status, its
// Location a closed port on loopback.
func redirect(status int) Scenario {
	return answerFirst(always, fakests.Response{Status: status, Body: []byte{}, Header: http.Header{"Location": {"http://127.0.0.1:9/elsewhere"}}})
}

// answerFirst answers the first n requests made once armed with resp.
func answerFirst(n int64, resp fakests.Response) Scenario {
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
