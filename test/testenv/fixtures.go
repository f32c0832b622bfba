package testenv

import (
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"ansible-sts/internal/fakests"
)

// Keys are the credentials a client signs with.
type Keys struct{ ID, Secret, Token string }

// UserKeys returns the long-term keys of u.
func UserKeys(u fakests.User) Keys { return Keys{u.AccessKeyID, u.SecretAccessKey, ""} }

// TempKeys returns the keys of temporary credentials.
func TempKeys(c *types.Credentials) Keys {
	return Keys{aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)}
}

// NewClient returns an SDK STS client of the endpoint at url in
// us-east-1, signing with k, with a 10 s timeout and no retries; optFns
// change its options.
func NewClient(url string, k Keys, optFns ...func(*sts.Options)) *sts.Client {
	return sts.New(sts.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(url),
		Credentials:      credentials.NewStaticCredentialsProvider(k.ID, k.Secret, k.Token),
		HTTPClient:       &http.Client{Timeout: 10 * time.Second},
		RetryMaxAttempts: 1,
	}, optFns...)
}

// APIError is an error answer as an SDK client sees it.
type APIError struct {
	Status        int
	Code, Message string
}

// SDKError extracts the AWS error answer from err, a client's; the zero
// value means err is nil. It stops the test if err is another error.
func SDKError(t testing.TB, err error) APIError {
	t.Helper()
	if err == nil {
		return APIError{}
	}
	var ae smithy.APIError
	var re *awshttp.ResponseError
	if !errors.As(err, &ae) || !errors.As(err, &re) {
		t.Fatalf("not an AWS API error: %v", err)
	}
	return APIError{Status: re.HTTPStatusCode(), Code: ae.ErrorCode(), Message: ae.ErrorMessage()}
}

// Do sends req with client (nil: one with a 10 s timeout) and returns the
// answer with its body, read and closed. It stops the test if the request
// fails.
func Do(t testing.TB, client *http.Client, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// ClosedURL returns the http URL of a loopback port nothing listens on.
func ClosedURL(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// Clock is a clock a test moves, for a fake STS's Config.Now. The zero
// Clock runs with the real one; Set stops it at a time. Add moves it on,
// running or stopped.
type Clock struct {
	mu      sync.Mutex
	stopped bool
	at      time.Time     // the time shown, when stopped
	offset  time.Duration // how far ahead of the real clock, when running
}

// StoppedClock returns a Clock stopped at the current time, in UTC.
func StoppedClock() *Clock {
	c := &Clock{}
	c.Set(time.Now().UTC())
	return c
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return c.at
	}
	return time.Now().Add(c.offset)
}

// Set stops the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopped, c.at = true, t
}

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = c.at.Add(d)
	c.offset += d
}
