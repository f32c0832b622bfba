package awsauth

import (
	"crypto/tls"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
)

// retryer returns the retryer of the retry mode: botocore's legacy mode
// (legacyRetryer), else the SDK's standard (or adaptive) retryer, which
// retries throttling, 5xx answers and connection errors with jittered
// backoff; there a certificate that failed verification is not retried,
// since it will fail the same way. In no mode is a connection the guard g
// (nil for none) refused retried.
func retryer(c ClientSettings, g *guard) func() aws.Retryer {
	if c.legacy() {
		return func() aws.Retryer { return legacyRetryer(c.MaxAttempts, g) }
	}
	standard := func(o *retry.StandardOptions) {
		o.MaxAttempts = c.MaxAttempts
		first := []retry.IsErrorRetryable{retry.IsErrorRetryableFunc(certificateError)}
		if g != nil {
			first = append(first, retry.IsErrorRetryableFunc(g.refused))
		}
		o.Retryables = append(first, o.Retryables...)
	}
	if c.RetryMode == "adaptive" {
		return func() aws.Retryer {
			return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
				o.StandardOptions = append(o.StandardOptions, standard)
			})
		}
	}
	return func() aws.Retryer { return retry.NewStandard(standard) }
}

// certificateError says not to retry a TLS verification failure.
func certificateError(err error) aws.Ternary {
	var verify *tls.CertificateVerificationError
	if errors.As(err, &verify) {
		return aws.FalseTernary
	}
	return aws.UnknownTernary
}

// chainAfterBotoConfig reports whether the SDK's default chain, as loaded,
// ends past the point where botocore's chain reads the boto config file:
// at the container credentials endpoint or the instance role, the two
// sources botocore tries after it. Anything before (the environment, web
// identity, the shared files' keys, role_arn, SSO, login_session,
// credential_process) is the SDK's own decision, not made again here.
func chainAfterBotoConfig(cfg aws.Config) bool {
	return aws.IsCredentialsProvider(cfg.Credentials, (*ec2rolecreds.Provider)(nil)) ||
		aws.IsCredentialsProvider(cfg.Credentials, (*endpointcreds.Provider)(nil))
}
