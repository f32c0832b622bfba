package awsauth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
)

// GlobalEndpoint is where the collections' botocore sends STS calls when no
// region is known anywhere; it is signed for us-east-1.
const GlobalEndpoint = "https://sts.amazonaws.com"

// ErrEndpointWithoutRegion is returned when an endpoint is given but no
// region is known: the request could not be signed. (The Python modules
// crash there with botocore's NoRegionError.)
var ErrEndpointWithoutRegion = errors.New("an STS endpoint was given but no region: set region (or AWS_REGION) to the region the endpoint signs for")

// ErrProfileWithKeys is amazon.aws's refusal of a profile together with key
// or token options (its text is the user-facing message, verbatim).
//
//lint:ignore ST1005 the text users of the Python modules know, verbatim
var ErrProfileWithKeys = errors.New("Passing both a profile and access tokens is not supported.")

// ProfileNotFoundError is botocore's ProfileNotFound, as amazon.aws 10
// and later report it when they make the client.
type ProfileNotFoundError struct{ Profile string }

func (e *ProfileNotFoundError) Error() string {
	return fmt.Sprintf("Couldn't connect to AWS: The config profile (%s) could not be found", e.Profile)
}

// Settings are every connection setting of one module run, each final
// value with its source (see Value), as Load settled them. Nothing changes
// them afterwards: the SDK is told every one of them that it would
// otherwise look up again.
type Settings struct {
	// AccessKeyID, SecretAccessKey and SessionToken are set when the keys
	// were given explicitly (option, environment or boto config file);
	// otherwise the SDK's chain finds credentials for Profile.
	AccessKeyID, SecretAccessKey, SessionToken Value
	Profile                                    Value
	// Region is empty only when an endpoint is given and no region is
	// known anywhere; SigningRegion says so.
	Region Value
	// Endpoint is the endpoint the STS client sends to: the one given
	// (option, AWS_URL, EC2_URL), else the configured one
	// (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the profile's services
	// section or endpoint_url), else the AWS endpoint of the region that
	// Endpoints choose, its source then "default (...)". After settle
	// alone, only the one given.
	Endpoint Value
	// CredentialScope is the region requests are signed for: Region, but
	// us-east-1 at the global endpoint, and a FIPS pseudo-region's region.
	CredentialScope string
	// Endpoints are the settings that choose the endpoint (after settle
	// alone, those of the environment only).
	Endpoints EndpointSettings

	ValidateCerts bool
	// CABundle is the PEM file replacing the system roots, when
	// ValidateCerts: the option's (or AWS_CA_BUNDLE through it), read for
	// an https endpoint; when the SDK's loader runs and that gave none,
	// AWS_CA_BUNDLE, then the profile's ca_bundle.
	CABundle Value
	Client   ClientSettings
	// Deadline is when the run must be over: Client.Longest() after Load
	// began.
	Deadline time.Time
	// UserAgent is appended to the SDK's User-Agent, as botocore appends
	// "Ansible/<version>".
	UserAgent string

	secrets []string
}

// HasStaticKeys reports whether the keys were given explicitly.
func (s Settings) HasStaticKeys() bool { return s.AccessKeyID.Value != "" }

// SigningRegion fails when there is no region to sign for: an endpoint
// was given, and no region anywhere.
func (s Settings) SigningRegion() error {
	if s.Region.Value == "" {
		return ErrEndpointWithoutRegion
	}
	return nil
}

// Secrets are the secrets Load found: the keys and token of the boto
// config file, those of the shared files for the profile in use and of
// every source_profile it chains through, and, when the SDK's chain finds
// the credentials, the contents of the token files it may send. Load sets
// them even when it fails.
func (s Settings) Secrets() []string { return slices.Clone(s.secrets) }

// Load settles the connection settings of one module run and builds the
// aws.Config of its STS client, without any network call. It reads the
// environment, the boto config file when botocore's chain would reach it,
// the profile's endpoint settings in the shared config and credentials
// files, and, unless the keys, the region and the profile are all known
// without them, lets the SDK's loader read those files for the profile,
// the region and the default credential chain. Every file read is a
// regular file of bounded size (see boundedfile), and a credential_process
// runs under processProvider's bounds.
//
// On failure the Settings are those settled so far, with their Secrets.
func Load(c Connection, sys System) (Settings, aws.Config, error) {
	l := &loader{conn: c, sys: sys, guard: sys.newGuard()}
	defer l.close()
	err := l.apply(settle)
	if err == nil {
		err = l.apply(prepare)
	}
	if err == nil && l.direct() {
		err = l.apply(directSteps)
	} else if err == nil {
		err = l.apply(sdkSteps)
	}
	l.s.secrets = l.secrets()
	if err != nil {
		return l.s, aws.Config{}, err
	}
	return l.s, l.cfg, nil
}

// loader is one pass through Load's steps: the settings as settled so far and
// what the steps hand on.
type loader struct {
	conn  Connection
	sys   System
	guard *guard // sys.Connect for the run's dialers, nil for none
	s     Settings

	ctx    context.Context // until the deadline, once the client step set it
	cancel context.CancelFunc

	pem   []byte                   // the CA bundle, nil for none
	hc    *awshttp.BuildableClient // the STS client's HTTP client
	creds aws.CredentialsProvider  // the explicit keys, nil without
	cfg   aws.Config
}

type step struct {
	name string
	do   func(*loader) error
}

// Load's steps, in order: the order in which the values depend on one
// another, and for the checks of the options the order the modules have
// always had. That is botocore's for a region that is no host label
// against a bad endpoint (both fail when botocore builds the client, the
// region first); botocore differs when two other checks fail at once: it
// refuses a profile given with keys, and a profile it cannot find, before
// a bad region, and half a key pair before a bad endpoint.
//
// settle reads no file (the tests' mustPreview runs it alone). prepare
// follows. Then Load runs directSteps where explicit keys, a region and no
// profile in the environment need no credential chain (see direct), else
// sdkSteps.
var settle = []step{
	{"plain options", (*loader).plain},
	{"region", (*loader).region},
	{"endpoint", (*loader).endpoint},
	// The profile before the keys: with a profile the keys come from the
	// shared files, and key options beside one are refused.
	{"profile", (*loader).profile},
	{"keys", (*loader).keys},
	// The CA bundle the option names; read only further down.
	{"ca bundle option", (*loader).caBundleOption},
	// aws_config and the retry variables. They bound the run, so the
	// deadline starts here, before anything that can wait.
	{"client", (*loader).client},
}

var prepare = []step{
	// The option's CA bundle before the HTTP client that trusts it.
	{"read ca bundle", (*loader).readCABundle},
	{"http client", (*loader).httpClient},
}

// directSteps follow a configuration built directly: only the endpoint
// settings are read from the shared files (finalEndpoint), which costs a
// fraction of the SDK's loader, and no credential is taken from them.
var directSteps = []step{
	{"final endpoint", (*loader).finalEndpoint},
}

// sdkSteps run the SDK's loader for the credential chain.
var sdkSteps = []step{
	// The shared files are checked before the SDK opens them by name, and
	// the CA bundle it would read is read here, bounded, so that the
	// loader is handed it instead.
	{"shared files", (*loader).sharedFiles},
	{"loader ca bundle", (*loader).loaderCABundle},
	{"sdk loader", (*loader).loadSDK},
	// The boto config file where botocore's chain has it, once the SDK's
	// chain has said what it found before that point.
	{"boto config", (*loader).botoConfig},
	// The profile's region, when nothing before gave one.
	{"shared region", (*loader).sharedRegion},
	// Last, as it needs the final region: the endpoint the client uses
	// and the region it signs for, on every path (see finalEndpoint).
	{"final endpoint", (*loader).finalEndpoint},
}

// apply takes steps in order, and stops at the first that fails.
func (l *loader) apply(steps []step) error {
	for _, st := range steps {
		if err := st.do(l); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) close() {
	if l.cancel != nil {
		l.cancel()
	}
}

// plain takes the settings that are the options as given.
func (l *loader) plain() error {
	if l.conn.AnsibleVersion != "" {
		l.s.UserAgent = "Ansible/" + l.conn.AnsibleVersion
	}
	l.s.ValidateCerts = l.conn.ValidateCerts
	return nil
}

func (l *loader) region() error {
	l.s.Region = regionChain.first(l.conn.Region, l.sys)
	return checkRegion(l.s.Region.Value)
}

// endpoint takes the endpoint given, and the endpoint settings of the
// environment; the configured endpoints and the profile's settings are
// finalEndpoint's.
func (l *loader) endpoint() error {
	l.s.Endpoint = endpointChain.first(l.conn.Endpoint, l.sys)
	if e := l.s.Endpoint.Value; e != "" {
		if err := checkEndpoint(e); err != nil {
			return err
		}
	}
	return l.s.Endpoints.fromEnv(l.sys)
}

// keyOptions reports whether the task gives a key (not a token) option:
// amazon.aws then reads no profile variable.
func (l *loader) keyOptions() bool {
	return l.conn.AccessKey.Value != "" || l.conn.SecretKey.Value != ""
}

func (l *loader) profile() error {
	if l.conn.Profile.Value != "" {
		l.s.Profile = l.conn.Profile
	} else if !l.keyOptions() {
		l.s.Profile, _ = profileChain.fromEnv(l.sys)
	}
	if l.s.Profile.Value != "" && (l.keyOptions() || l.conn.SessionToken.Value != "") {
		return ErrProfileWithKeys
	}
	return nil
}

func (l *loader) keys() error {
	if l.s.Profile.Value != "" {
		return nil
	}
	l.s.AccessKeyID = accessKeyChain.first(l.conn.AccessKey, l.sys)
	l.s.SecretAccessKey = secretKeyChain.first(l.conn.SecretKey, l.sys)
	switch {
	case l.s.AccessKeyID.Value != "" && l.s.SecretAccessKey.Value == "":
		return partialCredentials("aws_secret_access_key")
	case l.s.AccessKeyID.Value == "" && l.s.SecretAccessKey.Value != "":
		return partialCredentials("aws_access_key_id")
	case l.s.AccessKeyID.Value != "":
		l.s.SessionToken = tokenChain.first(l.conn.SessionToken, l.sys)
	}
	return nil
}

// partialCredentials is botocore's PartialCredentialsError text, which the
// Python modules report for half a key pair, wherever the half came from,
// as amazon.aws 10 and later report it when they make the client.
func partialCredentials(missing string) error {
	//lint:ignore ST1005 the text users of the Python modules know, verbatim
	return fmt.Errorf("Couldn't connect to AWS: Partial credentials found in explicit, missing: %s", missing)
}

// caBundleOption keeps the option's CA bundle when certificates are
// verified: amazon.aws passes verify=False otherwise, and botocore then
// reads no bundle at all.
func (l *loader) caBundleOption() error {
	if l.s.ValidateCerts {
		l.s.CABundle = l.conn.CABundle
	}
	return nil
}

func (l *loader) client() error {
	var err error
	if l.s.Client, err = clientSettings(l.conn.Config, l.sys); err != nil {
		return err
	}
	l.s.Deadline = l.sys.now().Add(l.s.Client.Longest())
	l.ctx, l.cancel = context.WithDeadline(context.Background(), l.s.Deadline)
	return nil
}

// readCABundle reads the option's CA bundle when the endpoint may use TLS
// (like botocore, which loads it only for an https connection): the one
// given, else one of the environment's configured endpoints.
func (l *loader) readCABundle() error {
	endpoint := l.s.Endpoint.Value
	if endpoint == "" && !on(l.s.Endpoints.IgnoreConfigured) {
		v, _ := configuredEndpointChain.fromEnv(l.sys)
		endpoint = v.Value
	}
	if l.s.CABundle.Value == "" || strings.HasPrefix(endpoint, "http://") {
		return nil
	}
	var err error
	l.pem, err = readCABundle(l.s.CABundle)
	return err
}

func (l *loader) httpClient() error {
	roots, err := certPool(l.pem, l.s.CABundle)
	if err != nil {
		return err
	}
	l.hc, err = newHTTPClient(l.s.Client, l.s.ValidateCerts, roots, l.sys.Proxy, l.guard)
	return err
}

// direct builds the configuration directly and reports true where
// explicit keys, a region and no profile in the environment need no
// credential chain; else it keeps the explicit keys, if any, for the
// SDK's loader, and reports false.
func (l *loader) direct() bool {
	if l.s.HasStaticKeys() {
		l.creds = credentials.NewStaticCredentialsProvider(l.s.AccessKeyID.Value, l.s.SecretAccessKey.Value, l.s.SessionToken.Value)
	}
	if l.creds == nil || l.s.Region.Value == "" || l.profileInEnv() {
		return false
	}
	l.cfg = aws.Config{
		Region:      l.s.Region.Value,
		Credentials: l.creds,
		HTTPClient:  newSTSClient(l.hc),
		Retryer:     retryer(l.s.Client, l.guard),
	}
	return true
}

func (l *loader) sharedFiles() error {
	return checkSharedFiles(l.sys)
}

// loaderProfile is the shared config profile the SDK's loader reads: the
// one in use, else AWS_PROFILE, which the loader (as botocore's session)
// reads even when key options make the modules ignore it.
func (l *loader) loaderProfile() string {
	if p := l.s.Profile.Value; p != "" {
		return p
	}
	return l.sys.getenv(sdkProfileEnv)
}

// loaderCABundle settles the CA bundle the SDK's loader would look for
// itself, AWS_CA_BUNDLE then the profile's ca_bundle, when certificates
// are verified and the option gave none that is read, and makes the HTTP
// client trust it.
func (l *loader) loaderCABundle() error {
	if !l.s.ValidateCerts || l.pem != nil {
		return nil
	}
	v, pem, err := envCABundle(l.sys)
	if err == nil && pem == nil {
		v, pem, err = sharedCABundle(l.ctx, l.loaderProfile(), l.sys)
	}
	if err != nil || pem == nil {
		return err
	}
	roots, err := certPool(pem, v)
	if err != nil {
		return err
	}
	l.s.CABundle, l.pem = v, pem
	l.hc = l.hc.WithTransportOptions(trustOnly(roots))
	return nil
}

// loadSDK runs the SDK's loader with every setting settled before as an
// explicit value, so that it looks none of them up again: the HTTP client
// and its CA bundle (else AWS_CA_BUNDLE, ca_bundle), the retryer (else
// AWS_MAX_ATTEMPTS, AWS_RETRY_MODE, max_attempts, retry_mode), the
// defaults mode (else AWS_DEFAULTS_MODE or defaults_mode would change the
// timeouts), the profile (AWS_PROFILE), the keys, the region (AWS_REGION,
// AWS_DEFAULT_REGION) and the endpoint given. What is left to it is what
// the modules leave to the SDK: the credential chain, and the region of
// the shared config when nothing before gave one. The STS client's
// endpoint is finalEndpoint's, on this path as on the direct one.
func (l *loader) loadSDK() error {
	swap := newProcessSwap(l.s.Deadline)
	opts := []func(*config.LoadOptions) error{
		config.WithHTTPClient(l.hc),
		config.WithRetryer(retryer(l.s.Client, l.guard)),
		config.WithDefaultsMode(aws.DefaultsModeLegacy),
		config.WithAssumeRoleCredentialOptions(swap.assumeRoleOptions),
		config.WithWebIdentityRoleCredentialOptions(boundedTokenFile),
	}
	// The container credentials client is the one HTTP client of the
	// chain that the SDK builds afresh rather than from the config's. It
	// is given sys's connections and proxies, and refuses redirects as
	// the config's client does.
	opts = append(opts, config.WithEndpointCredentialOptions(func(o *endpointcreds.Options) {
		o.HTTPClient = awshttp.NewBuildableClient().
			WithDialerOptions(l.guard.dialer).
			WithTransportOptions(func(tr *http.Transport) { tr.Proxy = refuseRedirects(l.sys.Proxy) })
	}))
	// The HTTP client trusts the bundle already. The loader is handed it
	// only so that it looks for none of its own; adding it again to the
	// client's roots changes nothing, as a pool holds a certificate once.
	// Without verification it is handed one that stands for none.
	bundle := l.pem
	if !l.s.ValidateCerts {
		var err error
		if bundle, err = unverifiedBundle(); err != nil {
			return err
		}
	}
	if bundle != nil {
		opts = append(opts, config.WithCustomCABundle(bytes.NewReader(bundle)))
	}
	if p := l.loaderProfile(); p != "" {
		opts = append(opts, config.WithSharedConfigProfile(p))
	}
	if l.creds != nil {
		opts = append(opts, config.WithCredentialsProvider(l.creds))
	}
	if l.s.Region.Value != "" {
		opts = append(opts, config.WithRegion(l.s.Region.Value))
	}
	if l.s.Endpoint.Value != "" {
		opts = append(opts, config.WithBaseEndpoint(l.s.Endpoint.Value))
	}
	cfg, err := config.LoadDefaultConfig(l.ctx, opts...)
	if err != nil {
		var notFound config.SharedConfigProfileNotExistError
		if errors.As(err, &notFound) {
			return &ProfileNotFoundError{Profile: notFound.Profile}
		}
		return fmt.Errorf("cannot load the AWS configuration: %w", err)
	}
	swap.apply(&cfg)
	cfg.HTTPClient = newSTSClient(l.hc)
	l.cfg = cfg
	return nil
}

// botoConfig makes the boto config file's keys the credentials, when it
// has a pair and botocore's chain would reach it: no explicit keys, no
// profile, and the SDK's chain found nothing before the point where
// botocore reads the file (container and instance roles come after it).
// Its token goes with the keys, as Ansible 2.x read it.
func (l *loader) botoConfig() error {
	if l.creds != nil || l.s.Profile.Value != "" || !chainAfterBotoConfig(l.cfg) {
		return nil
	}
	boto, err := loadBotoConfig(l.sys)
	if err != nil {
		return err
	}
	id, secret, token, ok := boto.keys()
	if !ok {
		return nil
	}
	l.s.AccessKeyID, l.s.SecretAccessKey, l.s.SessionToken = id, secret, token
	l.cfg.Credentials = credentials.NewStaticCredentialsProvider(id.Value, secret.Value, token.Value)
	return nil
}

func (l *loader) sharedRegion() error {
	if l.s.Region.Value != "" || l.cfg.Region == "" {
		return nil
	}
	if err := checkRegion(l.cfg.Region); err != nil {
		return err
	}
	l.s.Region = Value{l.cfg.Region, "shared config " + profileName(l.loaderProfile())}
	return nil
}

// finalEndpoint settles the endpoint the STS client sends to and the
// region it signs for, once the region is final, as botocore 1.40 does,
// on the direct path as on the SDK's: the endpoint given; else, unless
// configured endpoints are ignored, the configured one; else the AWS
// endpoint of the region that the endpoint settings choose, which is the
// global endpoint signed for us-east-1 when no region is known anywhere.
// The profile's settings are read from the shared files here, on both
// paths (the SDK's loader reads neither sts_regional_endpoints nor, for
// explicit keys, anything at all). With an endpoint and no region the
// region stays empty: the module reports it after the parameter checks,
// where botocore fails.
func (l *loader) finalEndpoint() error {
	p, err := readProfileConfig(l.loaderProfile(), l.sys)
	if err != nil {
		return err
	}
	if err := l.s.Endpoints.fromProfile(p); err != nil {
		return err
	}
	if l.s.Endpoint.Value == "" {
		if l.s.Endpoint, err = l.s.Endpoints.configuredEndpoint(p, l.sys); err != nil {
			return err
		}
		if e := l.s.Endpoint.Value; e != "" {
			if err := checkEndpoint(e); err != nil {
				return err
			}
		}
	}
	if l.s.Endpoint.Value != "" {
		l.s.CredentialScope, _ = fipsRegion(l.s.Region.Value)
	} else {
		if l.s.Endpoint, l.s.CredentialScope, err = l.s.Endpoints.awsEndpoint(l.s.Region.Value); err != nil {
			return err
		}
		if l.s.Region.Value == "" {
			l.s.Region = Value{"us-east-1", "default (global endpoint)"}
			l.cfg.Region = l.s.Region.Value
		}
	}
	l.cfg.BaseEndpoint = aws.String(l.s.Endpoint.Value)
	l.cfg.ServiceOptions = append(l.cfg.ServiceOptions, l.s.stsOptions)
	return nil
}

// profileInEnv reports whether the environment names a profile that the
// SDK's loader would read (and fail on, were it missing, as botocore does).
func (l *loader) profileInEnv() bool {
	_, ok := profileChain.fromEnv(l.sys)
	return ok
}

func profileName(p string) string {
	if p == "" {
		return "[default]"
	}
	return "[profile " + p + "]"
}
