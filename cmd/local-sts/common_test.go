package main

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"ansible-sts/internal/testenv"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
)

// The keys of example.json's users.
var (
	ciKeys      = keys{id: "AKIAIOSFODNN7EXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	partnerKeys = keys{id: "AKIAI44QH8DHBEXAMPLE", secret: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"}
)

const (
	ciARN      = "arn:aws:iam::123456789012:user/ci"
	partnerARN = "arn:aws:iam::210987654321:user/partner"
)

// keys are the credentials a client signs with.
type keys struct{ id, secret, token string }

func tempKeys(c *types.Credentials) keys {
	return keys{aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)}
}

// defaultOptions are the options of a run without flags.
func defaultOptions() options {
	return options{listen: "127.0.0.1:0", region: "us-east-1"}
}

// startEndpoint starts an endpoint for the duration of t, in an isolated
// environment.
func startEndpoint(t *testing.T, o options) *endpoint {
	t.Helper()
	testenv.Isolate(t)
	e, err := start(o, nil)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return e
}

// newClient returns an STS client of e signing with k, without retries.
func newClient(e *endpoint, k keys) *sts.Client {
	return sts.New(sts.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(e.srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider(k.id, k.secret, k.token),
		HTTPClient:       &http.Client{Timeout: 10 * time.Second},
		RetryMaxAttempts: 1,
	})
}

// apiErr is an error answer as a client sees it.
type apiErr struct {
	Status        int
	Code, Message string
}

// sdkError extracts the AWS error from err; the zero value means nil err.
func sdkError(t *testing.T, err error) apiErr {
	t.Helper()
	if err == nil {
		return apiErr{}
	}
	var ae smithy.APIError
	var re *awshttp.ResponseError
	if !errors.As(err, &ae) || !errors.As(err, &re) {
		t.Fatalf("not an AWS API error: %v", err)
	}
	return apiErr{Status: re.HTTPStatusCode(), Code: ae.ErrorCode(), Message: ae.ErrorMessage()}
}
