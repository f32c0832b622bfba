package fakests

import (
	"fmt"
	"net/http"
	"time"
)

// APIVersion is the only STS API version the server answers.
const APIVersion = "2011-06-15"

// Error messages the server sends, as AWS words them.
const (
	// MsgMissingAuthenticationToken answers a request without an
	// Authorization header or presigned query, or with one of another
	// algorithm than AWS4-HMAC-SHA256 (403 MissingAuthenticationToken). A
	// SigV4 header lacking parts gets IncompleteSignature instead.
	MsgMissingAuthenticationToken = "Request is missing Authentication Token"
	// MsgInvalidClientTokenID answers an unknown access key, or a session
	// token that is missing, wrong or not expected (403 InvalidClientTokenId).
	MsgInvalidClientTokenID = "The security token included in the request is invalid."
	// MsgExpiredToken answers expired temporary credentials (403 ExpiredToken).
	MsgExpiredToken = "The security token included in the request is expired"
	// MsgSignatureDoesNotMatch answers a wrong signature (403
	// SignatureDoesNotMatch).
	MsgSignatureDoesNotMatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	// MsgMalformedPolicyDocument answers a session policy that is not a
	// JSON object (400 MalformedPolicyDocument).
	MsgMalformedPolicyDocument = "The policy is not in the valid JSON format."
	// MsgMaxSessionDuration answers an AssumeRole DurationSeconds above
	// Config.MaxSessionDuration (400 ValidationError).
	MsgMaxSessionDuration = "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
	// MsgChainedDuration answers an AssumeRole for more than an hour
	// signed with temporary credentials, of a role session or of
	// GetSessionToken (400 ValidationError).
	MsgChainedDuration = "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
	// MsgSessionTokenWithSession answers GetSessionToken called with
	// temporary credentials (403 AccessDenied).
	MsgSessionTokenWithSession = "Cannot call GetSessionToken with session credentials"
	// MsgMFAIncomplete answers SerialNumber without TokenCode or the
	// reverse (403 AccessDenied).
	MsgMFAIncomplete = "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code."
)

// apiError is an error answer in AWS's terms.
type apiError struct {
	status        int
	code, message string
}

func newError(status int, code, message string) *apiError {
	return &apiError{status: status, code: code, message: message}
}

// faultType returns "Receiver" for server-side statuses, else "Sender".
func faultType(status int) string {
	if status >= 500 {
		return "Receiver"
	}
	return "Sender"
}

func errMissingAuth() *apiError {
	return newError(http.StatusForbidden, "MissingAuthenticationToken", MsgMissingAuthenticationToken)
}

func errIncompleteSignature(msg string) *apiError {
	return newError(http.StatusForbidden, "IncompleteSignature", msg)
}

func errInvalidToken() *apiError {
	return newError(http.StatusForbidden, "InvalidClientTokenId", MsgInvalidClientTokenID)
}

func errExpiredToken() *apiError {
	return newError(http.StatusForbidden, "ExpiredToken", MsgExpiredToken)
}

func errSignature(msg string) *apiError {
	if msg == "" {
		msg = MsgSignatureDoesNotMatch
	}
	return newError(http.StatusForbidden, "SignatureDoesNotMatch", msg)
}

func errAccessDenied(msg string) *apiError {
	return newError(http.StatusForbidden, "AccessDenied", msg)
}

func errValidation(msg string) *apiError {
	return newError(http.StatusBadRequest, "ValidationError", msg)
}

func errInvalidAction(action, version string) *apiError {
	if version == "" {
		version = "NO_VERSION_SPECIFIED"
	}
	return newError(http.StatusBadRequest, "InvalidAction",
		fmt.Sprintf("Could not find operation %s for version %s", action, version))
}

const amzDateFormat = "20060102T150405Z"

// errSkew is AWS's answer to a request signed too far from now.
func errSkew(signed, now time.Time, window time.Duration) *apiError {
	minutes := int(window / time.Minute)
	if signed.Before(now) {
		return errSignature(fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %d min.)",
			signed.UTC().Format(amzDateFormat), now.Add(-window).UTC().Format(amzDateFormat),
			now.UTC().Format(amzDateFormat), minutes))
	}
	return errSignature(fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %d min.)",
		signed.UTC().Format(amzDateFormat), now.Add(window).UTC().Format(amzDateFormat),
		now.UTC().Format(amzDateFormat), minutes))
}
