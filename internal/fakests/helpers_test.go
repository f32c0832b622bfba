package fakests_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

const (
	testRegion = "us-east-1"
	roleA      = "arn:aws:iam::210987654321:role/deploy"
	roleB      = "arn:aws:iam::210987654321:role/ops/admin"
)

var alice = fakests.User{
	AccessKeyID:     "AKIAALICEEXAMPLE0001",
	SecretAccessKey: "aliceSecretKey/EXAMPLE+abcdefghijklmnopqr",
	ARN:             "arn:aws:iam::123456789012:user/alice",
	UserID:          "AIDAALICEEXAMPLE",
}

// newClient returns an SDK STS client for srv signing with k. The test's
// environment is isolated first so that nothing else can be reached.
func newClient(t *testing.T, srv *testenv.STS, k testenv.Keys, optFns ...func(*sts.Options)) *sts.Client {
	t.Helper()
	testenv.Isolate(t)
	return testenv.NewClient(srv.URL, k, optFns...)
}

func assumeRoleInput(role, session string) *sts.AssumeRoleInput {
	return &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String(session)}
}

// rawResponse is an HTTP answer with its error document, if any, decoded.
type rawResponse struct {
	Status    int         `xml:"-"`
	Header    http.Header `xml:"-"`
	Body      string      `xml:"-"`
	Type      string      `xml:"Error>Type"`
	Code      string      `xml:"Error>Code"`
	Message   string      `xml:"Error>Message"`
	RequestID string      `xml:"RequestId"`
}

// signedRequest builds a request to srv carrying params (as a form body for
// POST, as the query string for GET) and signs it with the SDK's SigV4
// signer at the given time; prepare runs before signing.
func signedRequest(t *testing.T, srv *testenv.STS, method string, params url.Values, k testenv.Keys, at time.Time, prepare func(*http.Request)) *http.Request {
	t.Helper()
	var body string
	target := srv.URL + "/"
	if method == http.MethodGet {
		target += "?" + strings.ReplaceAll(params.Encode(), "+", "%20")
	} else {
		body = params.Encode()
	}
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if method != http.MethodGet {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	}
	if prepare != nil {
		prepare(req)
	}
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: k.ID, SecretAccessKey: k.Secret, SessionToken: k.Token}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "sts", testRegion, at); err != nil {
		t.Fatal(err)
	}
	return req
}

// do sends req and decodes the answer.
func do(t *testing.T, client *http.Client, req *http.Request) rawResponse {
	t.Helper()
	resp, b := testenv.Do(t, client, req)
	out := rawResponse{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
	if strings.HasPrefix(out.Body, "<ErrorResponse") {
		if err := xml.Unmarshal(b, &out); err != nil {
			t.Fatalf("decode error body %q: %v", b, err)
		}
	}
	return out
}

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}
