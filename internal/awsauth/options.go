package awsauth

// Options are the AWS connection options both modules accept, each
// declared once: its names, what fills it when the task leaves it unset,
// whether it is a secret, its documentation, and the field of Connection
// it fills. The modules make it the start of their argument spec
// (internal/modules), and fill Connection from it. The names are
// those of the original modules; the names the collections introduced later
// are aliases, so a task written for Ansible 2.9, community.aws 5 or
// amazon.aws 7 runs unchanged. When several aliases are set the last one
// listed wins, which matches amazon.aws except for where the original name
// sits in that order.
//
// The environment fallbacks are amazon.aws 5's: they fill the option (and so
// show in invocation.module_args) when the task sets neither it nor an
// alias. Their lists are chain.go's. The key variables are not fallbacks;
// Load reads them, after the options.
var Options = []Option{
	{
		Name:        "aws_access_key",
		Aliases:     []string{"access_key", "aws_access_key_id", "ec2_access_key"},
		Description: "AWS access key ID. If not set, AWS_ACCESS_KEY_ID, AWS_ACCESS_KEY or EC2_ACCESS_KEY, then the AWS SDK's default chain (web identity, the shared credentials and config files, the boto config file, container and instance roles).",
		text:        func(c *Connection) *Value { return &c.AccessKey },
	},
	{
		Name:        "aws_secret_key",
		Aliases:     []string{"secret_key", "aws_secret_access_key", "ec2_secret_key"},
		Secret:      true,
		Description: "AWS secret access key. If not set, AWS_SECRET_ACCESS_KEY, AWS_SECRET_KEY or EC2_SECRET_KEY, then the AWS SDK's default chain, as for aws_access_key.",
		text:        func(c *Connection) *Value { return &c.SecretKey },
	},
	{
		Name:        "security_token",
		Aliases:     []string{"session_token", "aws_session_token", "access_token", "aws_security_token"},
		Secret:      true,
		Description: "AWS session token, for temporary credentials. If not set, AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN or EC2_SECURITY_TOKEN. Used only with an access key and secret key given as options or in the environment.",
		text:        func(c *Connection) *Value { return &c.SessionToken },
	},
	{
		Name:        "profile",
		Aliases:     []string{"aws_profile"},
		Description: "A named profile of the shared AWS credentials and config files. If not set and no key option is given, AWS_DEFAULT_PROFILE or AWS_PROFILE. Cannot be combined with key or token options.",
		text:        func(c *Connection) *Value { return &c.Profile },
	},
	{
		Name:        "ec2_url",
		Aliases:     []string{"endpoint_url", "aws_endpoint_url", "s3_url"},
		EnvFallback: endpointFallback,
		Description: "URL of the STS endpoint. If not set, AWS_URL, EC2_URL or S3_URL, then the AWS SDK's AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL or shared config endpoint_url, then the AWS endpoint for the region.",
		text:        func(c *Connection) *Value { return &c.Endpoint },
		URL:         true,
	},
	{
		Name:        "validate_certs",
		Kind:        Flag,
		Default:     true,
		Description: "When false, TLS certificates are not verified.",
		flag:        func(c *Connection) *bool { return &c.ValidateCerts },
	},
	{
		Name:        "aws_ca_bundle",
		Kind:        File,
		EnvFallback: []string{caBundleEnv},
		Description: "PEM file of the certificate authorities to trust instead of the system's. If not set, AWS_CA_BUNDLE.",
		text:        func(c *Connection) *Value { return &c.CABundle },
	},
	{
		Name:        "aws_config",
		Kind:        Config,
		Description: "botocore client settings: connect_timeout, read_timeout (seconds), retries (max_attempts, total_max_attempts, mode), user_agent_extra, proxies (http, https).",
	},
	{
		Name:        "debug_botocore_endpoint_logs",
		Kind:        Flag,
		EnvFallback: []string{debugLogsEnv},
		Description: "Return the AWS API actions called, as resource_actions. If not set, ANSIBLE_DEBUG_BOTOCORE_LOGS.",
		flag:        func(c *Connection) *bool { return &c.DebugLogs },
	},
	{
		Name:        "region",
		Aliases:     []string{"aws_region", "ec2_region"},
		EnvFallback: regionEnv,
		Description: "AWS region. If not set, AWS_REGION, AWS_DEFAULT_REGION or EC2_REGION, then the profile's region in the shared config file; with none at all, us-east-1 through the global endpoint https://sts.amazonaws.com.",
		text:        func(c *Connection) *Value { return &c.Region },
	},
}

// An Option is one connection option.
type Option struct {
	Name string
	// Aliases are the option's other names; when several are set, the
	// last listed wins.
	Aliases []string
	Kind    Kind
	Default bool // a Flag's value when the task leaves it unset
	Secret  bool // no_log: its value is masked everywhere in the output
	// EnvFallback lists the variables that fill the option, in order,
	// when the task sets neither it nor an alias.
	EnvFallback []string
	// URL marks an option holding a URL, whose userinfo password is a
	// secret under every name it is given.
	URL         bool
	Description string

	text func(*Connection) *Value // the field of a Text or File option
	flag func(*Connection) *bool  // the field of a Flag option
}

// Kind is what an option holds.
type Kind int

const (
	Text   Kind = iota // a string
	File               // a path, expanded as Ansible expands one
	Flag               // a boolean
	Config             // aws_config: a dict, Connection.Config once read
)

// SetText fills a Text or File option's field of c with v.
func (o Option) SetText(c *Connection, v Value) { *o.text(c) = v }

// SetFlag fills a Flag option's field of c with b.
func (o Option) SetFlag(c *Connection, b bool) { *o.flag(c) = b }
