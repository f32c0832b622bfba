package fakests_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

var requestIDRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestDocuments(t *testing.T) {
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}})
	unsigned, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
	if err != nil {
		t.Fatal(err)
	}
	unsigned.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	tests := []struct {
		name       string
		req        *http.Request
		wantStatus int
		wantBody   string // %s stands for the request id
	}{
		{
			name:       "error",
			req:        unsigned,
			wantStatus: 403,
			wantBody: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>MissingAuthenticationToken</Code>
    <Message>Request is missing Authentication Token</Message>
  </Error>
  <RequestId>%s</RequestId>
</ErrorResponse>
`,
		},
		{
			name:       "GetCallerIdentity",
			req:        signedRequest(t, srv, http.MethodPost, form("Action", "GetCallerIdentity", "Version", fakests.APIVersion), testenv.UserKeys(alice), time.Now(), nil),
			wantStatus: 200,
			wantBody: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/alice</Arn>
    <UserId>AIDAALICEEXAMPLE</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>%s</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := do(t, nil, tt.req)
			id := got.Header.Get("x-amzn-RequestId")
			if !requestIDRE.MatchString(id) {
				t.Errorf("x-amzn-RequestId = %q, want a UUID v4", id)
			}
			want := map[string]string{"Status": http.StatusText(tt.wantStatus), "Content-Type": "text/xml", "Body": strings.ReplaceAll(tt.wantBody, "%s", id)}
			gotMap := map[string]string{"Status": http.StatusText(got.Status), "Content-Type": got.Header.Get("Content-Type"), "Body": got.Body}
			if diff := cmp.Diff(want, gotMap); diff != "" {
				t.Errorf("response mismatch (-want +got):\n%s", diff)
			}
			if got.Header.Get("Date") == "" {
				t.Error("no Date header")
			}
		})
	}
}

func TestSignedRequests(t *testing.T) {
	clk := testenv.StoppedClock()
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}, Now: clk.Now})
	now := clk.Now()
	gci := form("Action", "GetCallerIdentity", "Version", fakests.APIVersion)
	sigMismatch := rawResponse{Status: 403, Type: "Sender", Code: "SignatureDoesNotMatch", Message: fakests.MsgSignatureDoesNotMatch}
	ok := rawResponse{Status: 200}

	presigned := func(expires string, at time.Time) *http.Request {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Expires="+expires, nil)
		if err != nil {
			t.Fatal(err)
		}
		creds := aws.Credentials{AccessKeyID: alice.AccessKeyID, SecretAccessKey: alice.SecretAccessKey}
		signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, emptySHA256, "sts", testRegion, at)
		if err != nil {
			t.Fatal(err)
		}
		out, err := http.NewRequest(http.MethodGet, signed, nil)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	withAuth := func(auth string, amzDate bool) *http.Request {
		req := signedRequest(t, srv, http.MethodPost, gci, testenv.UserKeys(alice), now, nil)
		req.Header.Set("Authorization", auth)
		if !amzDate {
			req.Header.Del("X-Amz-Date")
		}
		return req
	}
	validAuth := signedRequest(t, srv, http.MethodPost, gci, testenv.UserKeys(alice), now, nil).Header.Get("Authorization")

	tests := []struct {
		name string
		req  *http.Request
		want rawResponse
	}{
		{
			name: "GET with query string needing encoding",
			req: signedRequest(t, srv, http.MethodGet, form(
				"Action", "AssumeRole", "Version", fakests.APIVersion, "RoleArn", roleA, "RoleSessionName", "get.query",
				"ExternalId", "a/b:c=d+e", "Policy", `{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Sid": "é ü~"}]}`,
			), testenv.UserKeys(alice), now, nil),
			want: ok,
		},
		{
			name: "headers with runs of spaces and repeated values",
			req: signedRequest(t, srv, http.MethodPost, gci, testenv.UserKeys(alice), now, func(r *http.Request) {
				r.Header.Set("X-Custom", "  a   b  c ")
				r.Header.Add("X-Multi", "one")
				r.Header.Add("X-Multi", " two  three ")
			}),
			want: ok,
		},
		{
			name: "consistent X-Amz-Content-Sha256",
			req: signedRequest(t, srv, http.MethodPost, gci, testenv.UserKeys(alice), now, func(r *http.Request) {
				r.Header.Set("X-Amz-Content-Sha256", sha256Hex(gci.Encode()))
			}),
			want: ok,
		},
		{
			name: "inconsistent X-Amz-Content-Sha256",
			req: signedRequest(t, srv, http.MethodPost, gci, testenv.UserKeys(alice), now, func(r *http.Request) {
				r.Header.Set("X-Amz-Content-Sha256", emptySHA256)
			}),
			want: rawResponse{Status: 403, Type: "Sender", Code: "SignatureDoesNotMatch", Message: "The provided 'x-amz-content-sha256' header does not match what was computed."},
		},
		{
			name: "body changed after signing",
			req: func() *http.Request {
				req := signedRequest(t, srv, http.MethodPost, gci, testenv.UserKeys(alice), now, nil)
				body := "Action=GetCallerIdentity&Version=2011-06-16"
				req.Body, req.ContentLength = io.NopCloser(strings.NewReader(body)), int64(len(body))
				return req
			}(),
			want: sigMismatch,
		},
		{
			name: "signed twenty minutes ago",
			req:  signedRequest(t, srv, http.MethodPost, gci, testenv.UserKeys(alice), now.Add(-20*time.Minute), nil),
			want: rawResponse{Status: 403, Type: "Sender", Code: "SignatureDoesNotMatch", Message: "Signature expired: " +
				now.Add(-20*time.Minute).Format(fakests.AmzDateFormat) + " is now earlier than " + now.Add(-15*time.Minute).Format(fakests.AmzDateFormat) +
				" (" + now.Format(fakests.AmzDateFormat) + " - 15 min.)"},
		},
		{
			name: "signed twenty minutes ahead",
			req:  signedRequest(t, srv, http.MethodPost, gci, testenv.UserKeys(alice), now.Add(20*time.Minute), nil),
			want: rawResponse{Status: 403, Type: "Sender", Code: "SignatureDoesNotMatch", Message: "Signature not yet current: " +
				now.Add(20*time.Minute).Format(fakests.AmzDateFormat) + " is still later than " + now.Add(15*time.Minute).Format(fakests.AmzDateFormat) +
				" (" + now.Format(fakests.AmzDateFormat) + " + 15 min.)"},
		},
		{
			name: "scoped to another service",
			req: func() *http.Request {
				req := signedRequest(t, srv, http.MethodPost, gci, testenv.UserKeys(alice), now, nil)
				req.Header.Del("Authorization")
				creds := aws.Credentials{AccessKeyID: alice.AccessKeyID, SecretAccessKey: alice.SecretAccessKey}
				if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, sha256Hex(gci.Encode()), "iam", testRegion, now); err != nil {
					t.Fatal(err)
				}
				return req
			}(),
			want: rawResponse{Status: 403, Type: "Sender", Code: "SignatureDoesNotMatch", Message: "Credential should be scoped to correct service: 'sts'. "},
		},
		{
			name: "Authorization without key=value pairs",
			req:  withAuth("AWS4-HMAC-SHA256 garbage", true),
			want: rawResponse{Status: 403, Type: "Sender", Code: "IncompleteSignature",
				Message: "'garbage' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 garbage'"},
		},
		{
			name: "Authorization with a Credential only",
			req:  withAuth("AWS4-HMAC-SHA256 Credential="+alice.AccessKeyID+"/20260101/us-east-1/sts/aws4_request", true),
			want: rawResponse{Status: 403, Type: "Sender", Code: "IncompleteSignature",
				Message: "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256"},
		},
		{
			name: "Authorization without SignedHeaders",
			req:  withAuth(regexp.MustCompile(`SignedHeaders=[^,]*, `).ReplaceAllString(validAuth, ""), true),
			want: rawResponse{Status: 403, Type: "Sender", Code: "IncompleteSignature",
				Message: "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256"},
		},
		{
			name: "Authorization with nothing, nor X-Amz-Date",
			req:  withAuth("AWS4-HMAC-SHA256 Foo=Bar", false),
			want: rawResponse{Status: 403, Type: "Sender", Code: "IncompleteSignature",
				Message: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
					"Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
					"Authorization=AWS4-HMAC-SHA256"},
		},
		{
			name: "short credential scope",
			req:  withAuth(strings.Replace(validAuth, "/"+testRegion+"/sts/", "/sts/", 1), true),
			want: rawResponse{Status: 403, Type: "Sender", Code: "IncompleteSignature",
				Message: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" +
					alice.AccessKeyID + "/" + now.Format("20060102") + "/sts/aws4_request'"},
		},
		{
			name: "other algorithm",
			req:  withAuth("Bearer abc", true),
			want: rawResponse{Status: 403, Type: "Sender", Code: "MissingAuthenticationToken", Message: fakests.MsgMissingAuthenticationToken},
		},
		{
			name: "no X-Amz-Date",
			req:  withAuth(validAuth, false),
			want: rawResponse{Status: 403, Type: "Sender", Code: "IncompleteSignature", Message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256"},
		},
		{
			name: "presigned URL",
			req:  presigned("60", now),
			want: ok,
		},
		{
			name: "expired presigned URL",
			req:  presigned("60", now.Add(-2*time.Minute)),
			want: rawResponse{Status: 403, Type: "Sender", Code: "AccessDenied", Message: "Request has expired"},
		},
		{
			name: "missing required parameters",
			req:  signedRequest(t, srv, http.MethodPost, form("Action", "AssumeRole", "Version", fakests.APIVersion), testenv.UserKeys(alice), now, nil),
			want: rawResponse{Status: 400, Type: "Sender", Code: "ValidationError", Message: "2 validation errors detected: " +
				"Value null at 'roleArn' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null"},
		},
		{
			name: "unknown action",
			req:  signedRequest(t, srv, http.MethodPost, form("Action", "DoThings", "Version", fakests.APIVersion), testenv.UserKeys(alice), now, nil),
			want: rawResponse{Status: 400, Type: "Sender", Code: "InvalidAction", Message: "Could not find operation DoThings for version 2011-06-15"},
		},
		{
			name: "unknown version",
			req:  signedRequest(t, srv, http.MethodPost, form("Action", "GetCallerIdentity", "Version", "2010-01-01"), testenv.UserKeys(alice), now, nil),
			want: rawResponse{Status: 400, Type: "Sender", Code: "InvalidAction", Message: "Could not find operation GetCallerIdentity for version 2010-01-01"},
		},
		{
			name: "no version",
			req:  signedRequest(t, srv, http.MethodPost, form("Action", "GetCallerIdentity"), testenv.UserKeys(alice), now, nil),
			want: rawResponse{Status: 400, Type: "Sender", Code: "InvalidAction", Message: "Could not find operation GetCallerIdentity for version NO_VERSION_SPECIFIED"},
		},
		{
			name: "no action",
			req:  signedRequest(t, srv, http.MethodPost, form("Version", fakests.APIVersion), testenv.UserKeys(alice), now, nil),
			want: rawResponse{Status: 400, Type: "Sender", Code: "MissingAction", Message: "The request is missing an action or a required parameter."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := do(t, nil, tt.req)
			if got.Code == "" && got.Status != 200 {
				t.Fatalf("status %d with body %q", got.Status, got.Body)
			}
			if got.Code != "" && got.RequestID != got.Header.Get("x-amzn-RequestId") {
				t.Errorf("RequestId %q differs from header %q", got.RequestID, got.Header.Get("x-amzn-RequestId"))
			}
			got.Header, got.Body, got.RequestID = nil, "", ""
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("response mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUserDefaults(t *testing.T) {
	bob := fakests.User{AccessKeyID: "AKIABOBEXAMPLE000001", SecretAccessKey: "bobsecret"}
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{bob}})
	got, err := callerIdentity(newClient(t, srv, testenv.UserKeys(bob)))
	if err != nil {
		t.Fatal(err)
	}
	want := outcome{Arn: "arn:aws:iam::123456789012:user/AKIABOBEXAMPLE000001", UserID: fakests.DerivedID("AIDA", "arn:aws:iam::123456789012:user/AKIABOBEXAMPLE000001"), Account: fakests.DefaultAccount}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("identity mismatch (-want +got):\n%s", diff)
	}
	if !regexp.MustCompile(`^AIDA[A-Z2-7]{17}$`).MatchString(got.UserID) {
		t.Errorf("UserId %q has the wrong shape", got.UserID)
	}
}

const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
