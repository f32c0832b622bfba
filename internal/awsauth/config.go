package awsauth

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// GlobalEndpoint is where the collections' botocore sends STS calls when no
// region is known anywhere; it is signed for us-east-1.
const GlobalEndpoint = "https://sts.amazonaws.com"

// ErrEndpointWithoutRegion is returned when an endpoint is given but no
// region is known: the request could not be signed. (The Python modules
// crash there with botocore's NoRegionError.)
var ErrEndpointWithoutRegion = errors.New("an STS endpoint was given but no region: set region (or AWS_REGION) to the region the endpoint signs for")

// ProfileNotFoundError is botocore's ProfileNotFound, which the Python
// modules report verbatim.
type ProfileNotFoundError struct{ Profile string }

func (e *ProfileNotFoundError) Error() string {
	return fmt.Sprintf("The config profile (%s) could not be found", e.Profile)
}

// Config builds the aws.Config for the STS client. With explicit keys, a
// region and no profile in the environment it is built directly, reading no
// file; otherwise the SDK's loader reads the shared config and credentials
// files for the profile, the region and the default credential chain. It
// fills in r.Region (and r.Endpoint for the global endpoint) when they come
// from there. Every file it reads, or lets the SDK read, is a regular file
// of bounded size (see boundedfile), and a credential_process runs under
// processProvider's bounds.
func (r *Resolved) Config(ctx context.Context) (aws.Config, error) {
	pem, err := r.caBundle()
	if err != nil {
		return aws.Config{}, err
	}
	hc, err := r.httpClient(pem)
	if err != nil {
		return aws.Config{}, err
	}
	var creds aws.CredentialsProvider
	if r.HasStaticKeys() {
		creds = credentials.NewStaticCredentialsProvider(r.AccessKeyID.Value, r.SecretAccessKey.Value, r.SessionToken.Value)
	}
	retryer := r.retryer()

	var cfg aws.Config
	if creds != nil && r.Region.Value != "" && !profileInEnv() {
		cfg = aws.Config{
			Region:      r.Region.Value,
			Credentials: creds,
			HTTPClient:  hc,
			Retryer:     retryer,
		}
	} else {
		if err := checkSharedFiles(); err != nil {
			return aws.Config{}, err
		}
		switch {
		case !r.ValidateCerts:
			// No bundle at all, as botocore reads none with verify=False.
			if pem, err = unverifiedBundle(); err != nil {
				return aws.Config{}, err
			}
		case pem == nil:
			if pem, err = envCABundle(); err != nil {
				return aws.Config{}, err
			}
			if pem == nil {
				if pem, err = sharedCABundle(ctx, r.Profile.Value); err != nil {
					return aws.Config{}, err
				}
			}
		}
		swap := newProcessSwap(ctx)
		opts := []func(*config.LoadOptions) error{
			config.WithHTTPClient(hc),
			config.WithRetryer(retryer),
			config.WithAssumeRoleCredentialOptions(swap.assumeRoleOptions),
			config.WithWebIdentityRoleCredentialOptions(boundedTokenFile),
		}
		if r.Profile.Value != "" {
			opts = append(opts, config.WithSharedConfigProfile(r.Profile.Value))
		}
		if creds != nil {
			opts = append(opts, config.WithCredentialsProvider(creds))
		}
		if r.Region.Value != "" {
			opts = append(opts, config.WithRegion(r.Region.Value))
		}
		if pem != nil {
			opts = append(opts, config.WithCustomCABundle(bytes.NewReader(pem)))
		}
		cfg, err = config.LoadDefaultConfig(ctx, opts...)
		if err != nil {
			var notFound config.SharedConfigProfileNotExistError
			if errors.As(err, &notFound) {
				return aws.Config{}, &ProfileNotFoundError{Profile: notFound.Profile}
			}
			return aws.Config{}, fmt.Errorf("cannot load the AWS configuration: %w", err)
		}
		swap.apply(&cfg)
		if creds == nil && r.Profile.Value == "" && !chainHasCredentials(cfg) {
			if err := r.useBotoConfig(&cfg); err != nil {
				return aws.Config{}, err
			}
		}
		if r.Region.Value == "" && cfg.Region != "" {
			if err := checkRegion(cfg.Region); err != nil {
				return aws.Config{}, err
			}
			r.Region = Value{cfg.Region, "shared config " + profileName(r.Profile.Value)}
		}
	}

	if r.Endpoint.Value != "" {
		cfg.BaseEndpoint = aws.String(r.Endpoint.Value)
	}
	if r.Region.Value == "" {
		if r.Endpoint.Value != "" {
			return aws.Config{}, ErrEndpointWithoutRegion
		}
		r.Region = Value{"us-east-1", "default (global endpoint)"}
		r.Endpoint = Value{GlobalEndpoint, "default (no region)"}
		cfg.Region = r.Region.Value
		cfg.BaseEndpoint = aws.String(GlobalEndpoint)
	}
	return cfg, nil
}

// chainHasCredentials reports whether the default chain finds credentials
// before the point where botocore consults the boto config file: web
// identity in the environment, or anything for the default profile in the
// shared credentials and config files.
func chainHasCredentials(cfg aws.Config) bool {
	if os.Getenv("AWS_WEB_IDENTITY_TOKEN_FILE") != "" {
		return true
	}
	for _, src := range cfg.ConfigSources {
		if sc, ok := src.(config.SharedConfig); ok {
			return sc.Credentials.HasKeys() || sc.RoleARN != "" || sc.CredentialProcess != "" ||
				sc.SSOSessionName != "" || sc.SSOStartURL != "" || sc.WebIdentityTokenFile != ""
		}
	}
	return false
}

// useBotoConfig makes the boto config file's keys the credentials, when it
// has a pair; its token goes with them, as Ansible 2.x read it.
func (r *Resolved) useBotoConfig(cfg *aws.Config) error {
	boto, err := loadBotoConfig()
	if err != nil {
		return err
	}
	id, secret, token, ok := boto.keys()
	if !ok {
		return nil
	}
	r.AccessKeyID, r.SecretAccessKey, r.SessionToken = id, secret, token
	cfg.Credentials = credentials.NewStaticCredentialsProvider(id.Value, secret.Value, token.Value)
	return nil
}

// retryer returns the SDK's standard (or adaptive) retryer, which retries
// throttling, 5xx answers and connection errors with jittered backoff; a
// certificate that failed verification is not retried, since it will fail
// the same way.
func (r *Resolved) retryer() func() aws.Retryer {
	standard := func(o *retry.StandardOptions) {
		o.MaxAttempts = r.Client.MaxAttempts
		o.Retryables = append([]retry.IsErrorRetryable{retry.IsErrorRetryableFunc(certificateError)}, o.Retryables...)
	}
	if r.Client.RetryMode == "adaptive" {
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

// profileInEnv reports whether the environment names a profile that the
// SDK's loader would read (and fail on, were it missing, as botocore does).
func profileInEnv() bool {
	return os.Getenv("AWS_PROFILE") != "" || os.Getenv("AWS_DEFAULT_PROFILE") != ""
}

func profileName(p string) string {
	if p == "" {
		return "[default]"
	}
	return "[profile " + p + "]"
}
