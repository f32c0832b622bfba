package awsauth

// The environment variables the modules read themselves, each list
// declared once: the chains below, the options' fallbacks (options.go),
// the client settings, the files and the secrets' lists use these names.
var (
	accessKeyEnv = []string{"AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY", "EC2_ACCESS_KEY"}
	secretKeyEnv = []string{"AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY", "EC2_SECRET_KEY"}
	tokenEnv     = []string{"AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "EC2_SECURITY_TOKEN"}
	// regionEnv is the region option's fallback and, for an option set
	// empty, the region chain.
	regionEnv = []string{"AWS_REGION", "AWS_DEFAULT_REGION", "EC2_REGION"}
	// ansibleURLEnv are amazon.aws's endpoint variables; S3_URL joins them
	// as the option's fallback only.
	ansibleURLEnv    = []string{"AWS_URL", "EC2_URL"}
	endpointFallback = concat(ansibleURLEnv, []string{"S3_URL"})
	// sdkEndpointEnv are the AWS SDKs' configured endpoint variables, read
	// after amazon.aws's unless configured endpoints are ignored (see
	// endpoints.go).
	sdkEndpointEnv = []string{"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"}
	// profileEnv is in amazon.aws's order: AWS_DEFAULT_PROFILE wins.
	profileEnv = []string{"AWS_DEFAULT_PROFILE", "AWS_PROFILE"}
)

// The single variables.
const (
	caBundleEnv        = "AWS_CA_BUNDLE"               // aws_ca_bundle's fallback
	debugLogsEnv       = "ANSIBLE_DEBUG_BOTOCORE_LOGS" // debug_botocore_endpoint_logs's fallback
	retryModeEnv       = "AWS_RETRY_MODE"
	maxAttemptsEnv     = "AWS_MAX_ATTEMPTS"
	configFileEnv      = "AWS_CONFIG_FILE"
	credentialsFileEnv = "AWS_SHARED_CREDENTIALS_FILE"
	botoConfigEnv      = "BOTO_CONFIG"
	// sdkProfileEnv is the one profile variable the SDK's loader reads
	// (botocore's session reads it too).
	sdkProfileEnv = "AWS_PROFILE"
)

// A chain is the ordered list of places one value is looked up in. The
// first non-empty value wins; its source is reported with it.
//
// The precedence, written once here (docs/modules.md's table points at it):
//
//	access key     option aws_access_key (or an alias), AWS_ACCESS_KEY_ID,
//	               AWS_ACCESS_KEY, EC2_ACCESS_KEY
//	secret key     option aws_secret_key (or an alias), AWS_SECRET_ACCESS_KEY,
//	               AWS_SECRET_KEY, EC2_SECRET_KEY
//	session token  option security_token (or an alias), AWS_SESSION_TOKEN,
//	               AWS_SECURITY_TOKEN, EC2_SECURITY_TOKEN
//	region         option region (or an alias, or its fallback), AWS_REGION,
//	               AWS_DEFAULT_REGION, EC2_REGION, then the shared config file
//	endpoint       option ec2_url (or an alias, or its fallback), AWS_URL, EC2_URL;
//	               then, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or the
//	               profile's ignore_configured_endpoint_urls) is true,
//	               AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the profile's services
//	               section, the profile's endpoint_url; then the AWS endpoint
//	               of the region, which the endpoint settings choose (see
//	               endpoints.go)
//	profile        option profile (or an alias); without key options,
//	               AWS_DEFAULT_PROFILE, then AWS_PROFILE
//
// The keys are looked up in the environment only when no profile is in use;
// with a profile they come from the shared files. The token is used only
// with keys found by these chains. Without keys, the SDK's chain runs, with
// the boto config file slotted in where botocore has it (see load.go).
// AWS_SESSION_TOKEN comes before AWS_SECURITY_TOKEN as in amazon.aws 5 and
// botocore (Ansible 2.9 had them the other way round).
//
// Each chain begins with its option's value, which the options' table
// puts in Connection's field (options.go).
type chain struct {
	env []string // environment variables, in order
}

var (
	accessKeyChain = chain{accessKeyEnv}
	secretKeyChain = chain{secretKeyEnv}
	tokenChain     = chain{tokenEnv}
	regionChain    = chain{regionEnv}
	endpointChain  = chain{ansibleURLEnv}
	// configuredEndpointChain is botocore's configured endpoint in the
	// environment: amazon.aws passes the option's endpoint to botocore,
	// which looks for these only without one.
	configuredEndpointChain = chain{sdkEndpointEnv}
	profileChain            = chain{profileEnv}
)

// Value is a resolved setting and where it came from, e.g.
// {"eu-west-1", "env AWS_REGION"}: "option NAME" (NAME the option or the
// alias that set it), "env VAR", "shared config [profile P]", "boto config
// FILE [SECTION]" or "default (...)". An empty Value was not found.
type Value struct {
	Value  string
	Source string
}

// fromEnv returns the first non-empty environment variable of the chain.
func (c chain) fromEnv(sys System) (Value, bool) {
	for _, k := range c.env {
		if v := sys.getenv(k); v != "" {
			return Value{v, "env " + k}, true
		}
	}
	return Value{}, false
}

// first walks the option's value (as the task or its fallback set it),
// then the environment.
func (c chain) first(option Value, sys System) Value {
	if option.Value != "" {
		return option
	}
	v, _ := c.fromEnv(sys)
	return v
}
