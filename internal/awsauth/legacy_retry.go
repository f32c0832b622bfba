package awsauth

import (
	"errors"
	"io"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// legacyRetryer is botocore's legacy retry mode, the default of every
// botocore the collections run on (retryhandler.py, with _retry.json's
// rules for STS): up to attempts attempts, a retry after
//   - no answer: a connection refused, reset or timed out, a name that
//     does not resolve, a TLS failure, a proxy's refusal, an answer cut
//     short or timed out (botocore's ConnectionError and its kin,
//     ConnectionClosedError, ReadTimeoutError, EndpointConnectionError);
//   - an answer with status 500, 502, 503, 504, 509 or 429;
//   - a 400 answer whose code is one of legacyRetryCodes;
//
// and nothing else, with no retry quota; before retry n it waits a random
// time below 2^(n-1) s (legacyBackoff). Only a connection the guard g (nil
// for none) refused, and an error that says it will fail again
// (RetryableError false: a redirect refused), are not retried.
func legacyRetryer(attempts int, g *guard) aws.Retryer {
	checks := []retry.IsErrorRetryable{retry.NoRetryCanceledError{}, retry.IsErrorRetryableFunc(notRetryable)}
	if g != nil {
		checks = append(checks, retry.IsErrorRetryableFunc(g.refused))
	}
	checks = append(checks, retry.IsErrorRetryableFunc(legacyRule))
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = attempts
		o.Retryables = checks
		o.Backoff = legacyBackoff{}
		o.RateLimiter = ratelimit.None
	})
}

// legacyRetryStatus are the statuses botocore retries whatever the code.
var legacyRetryStatus = map[int]bool{500: true, 502: true, 503: true, 504: true, 509: true, 429: true}

// legacyRetryCodes are the codes of a 400 answer botocore retries: the
// throttling codes of every service, and IDPCommunicationError, STS's own.
var legacyRetryCodes = map[string]bool{
	"Throttling": true, "ThrottlingException": true, "ThrottledException": true,
	"RequestThrottledException": true, "ProvisionedThroughputExceededException": true,
	"IDPCommunicationError": true,
}

func legacyRule(err error) aws.Ternary {
	var send *smithyhttp.RequestSendError
	if errors.As(err, &send) || errors.Is(err, io.ErrUnexpectedEOF) ||
		(retry.RetryableConnectionError{}).IsErrorRetryable(err) == aws.TrueTernary {
		return aws.TrueTernary
	}
	var answer interface{ HTTPStatusCode() int }
	if !errors.As(err, &answer) {
		return aws.FalseTernary
	}
	status := answer.HTTPStatusCode()
	var coded interface{ ErrorCode() string }
	return aws.BoolTernary(legacyRetryStatus[status] ||
		status == 400 && errors.As(err, &coded) && legacyRetryCodes[coded.ErrorCode()])
}

// notRetryable says not to retry an error that says it would fail again.
func notRetryable(err error) aws.Ternary {
	var r interface{ RetryableError() bool }
	if errors.As(err, &r) && !r.RetryableError() {
		return aws.FalseTernary
	}
	return aws.UnknownTernary
}

// legacyBackoff is botocore's delay_exponential with base "rand" and
// growth factor 2: before retry n, a random time below 2^(n-1) s.
type legacyBackoff struct{}

func (legacyBackoff) BackoffDelay(attempt int, _ error) (time.Duration, error) {
	return time.Duration(rand.Float64() * float64(legacyBackoffCeiling(attempt))), nil
}

// maxLegacyBackoff bounds one wait. botocore has no bound (its 20th retry
// could wait six days); an hour is beyond any default and keeps the
// deadline's sum in range.
const maxLegacyBackoff = time.Hour

// legacyBackoffCeiling is the longest wait before retry n: 2^(n-1) s.
func legacyBackoffCeiling(n int) time.Duration {
	if n > 12 {
		return maxLegacyBackoff
	}
	return min(time.Duration(1<<max(n-1, 0))*time.Second, maxLegacyBackoff)
}
