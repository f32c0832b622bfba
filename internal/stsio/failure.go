package stsio

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"ansible-sts/internal/result"
)

// Failure turns the error of the recorded operation into a module failure.
// An error answer gives amazon.aws's fail_json_aws shape: msg in
// botocore's ClientError words, error {code, message, type, ...} and
// response_metadata. No answer (refused, timed out, TLS) gives a clear msg
// naming the endpoint, where the Python modules crash.
func (r *Recorder) Failure(err error) result.Result {
	r.mu.Lock()
	attempts, url, status, header := r.attempts, r.url, r.status, r.header
	r.mu.Unlock()
	retries := max(attempts-1, 0)
	var exhausted *retry.MaxAttemptsError
	gaveUp := errors.As(err, &exhausted)
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return r.clientError(apiErr, header, retries, gaveUp)
	}
	var (
		de       *smithy.DeserializationError
		timeout  interface{ Timeout() bool }
		deadline *DeadlineError
	)
	tries := ""
	if attempts > 1 {
		tries = fmt.Sprintf(" (%d attempts)", attempts)
	}
	// A body that stopped coming is a timeout, not a bad answer. A body
	// cut short is retried, as botocore retries a connection closed
	// early, hence the attempts.
	if errors.As(err, &de) && !errors.As(err, &deadline) && !errors.Is(de.Err, context.DeadlineExceeded) && !(errors.As(de.Err, &timeout) && timeout.Timeout()) {
		return result.Failure(fmt.Sprintf("Unable to parse the %s response from %q (HTTP %d): %v%s", r.Action, url, status, de.Err, tries))
	}
	return result.Failure(transportMessage(err, url) + tries)
}

func (r *Recorder) clientError(e *APIError, header http.Header, retries int, gaveUp bool) result.Result {
	meta := map[string]any{
		"http_status_code": e.Status,
		"http_headers":     lowerHeaders(header),
		"retry_attempts":   retries,
	}
	if e.RequestID != nil {
		meta["request_id"] = *e.RequestID
	}
	retryInfo := ""
	if gaveUp {
		meta["max_attempts_reached"] = true
		retryInfo = fmt.Sprintf(" (reached max retries: %d)", retries)
	}
	msg := fmt.Sprintf("An error occurred (%s) when calling the %s operation%s: %s", e.ErrorCode(), r.Action, retryInfo, e.ErrorMessage())
	// amazon.aws 11's sts_assume_role names a policy STS refused.
	if r.Action == "AssumeRole" && e.ErrorCode() == "MalformedPolicyDocument" {
		msg = "Invalid policy document provided: " + msg
	}
	f := result.Failure(msg)
	f["error"] = e.Fields
	f["response_metadata"] = meta
	if e.OtherRequestID != nil {
		f["request_id"] = *e.OtherRequestID
	}
	return f
}

// DeadlineError is a call that had not ended when the module's deadline
// (every attempt's timeouts plus the backoff between them) passed.
type DeadlineError struct {
	Deadline time.Duration
	Err      error
}

func (e *DeadlineError) Error() string {
	return fmt.Sprintf("the module's deadline of %v passed: %v", e.Deadline, e.Err)
}

func (e *DeadlineError) Unwrap() error { return e.Err }

// transportMessage describes a request that got no answer, in botocore's
// words where botocore has them, with the cause.
func transportMessage(err error, url string) string {
	var (
		unknownCA   x509.UnknownAuthorityError
		hostname    x509.HostnameError
		invalid     x509.CertificateInvalidError
		verifyErr   *tls.CertificateVerificationError
		readTimeout *awshttp.ResponseTimeoutError
		opErr       *net.OpError
		netErr      net.Error
	)
	var deadline *DeadlineError
	switch {
	case errors.As(err, &deadline) && url == "":
		return fmt.Sprintf("No request was sent within the module's deadline of %v (aws_config connect_timeout plus read_timeout for each attempt, plus backoff)", deadline.Deadline)
	case errors.As(err, &deadline) && !errors.As(err, &readTimeout):
		return fmt.Sprintf("Read timeout on endpoint URL: %q (no complete answer within the module's deadline of %v)", url, deadline.Deadline)
	case errors.As(err, &unknownCA), errors.As(err, &hostname), errors.As(err, &invalid), errors.As(err, &verifyErr):
		return fmt.Sprintf("SSL validation failed for %s: %v (trust its CA with aws_ca_bundle, or set validate_certs: false)", url, rootCause(err))
	case errors.As(err, &readTimeout):
		return fmt.Sprintf("Read timeout on endpoint URL: %q (no answer within %v)", url, readTimeout.TimeoutDur)
	case errors.As(err, &opErr) && opErr.Op == "dial" && opErr.Timeout():
		return fmt.Sprintf("Connect timeout on endpoint URL: %q", url)
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return fmt.Sprintf("Could not connect to the endpoint URL: %q: %v", url, opErr.Err)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Sprintf("Read timeout on endpoint URL: %q (no complete answer within connect_timeout plus read_timeout)", url)
	case url != "":
		return fmt.Sprintf("Could not connect to the endpoint URL: %q: %v", url, rootCause(err))
	}
	return rootCause(err).Error()
}

// rootCause strips the SDK's operation, retry and transport wrappers,
// which repeat what the message already says, down to the network or TLS
// error.
func rootCause(err error) error {
	for {
		switch err.(type) {
		case *net.OpError, *tls.CertificateVerificationError, x509.UnknownAuthorityError,
			x509.HostnameError, x509.CertificateInvalidError, *awshttp.ResponseTimeoutError:
			return err
		}
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// lowerHeaders returns the headers with lower-case names, as botocore
// reports them; repeated headers are joined with ", ".
func lowerHeaders(h http.Header) map[string]any {
	out := make(map[string]any, len(h))
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out[strings.ToLower(k)] = strings.Join(h[k], ", ")
	}
	return out
}
