package awsauth

import "ansible-sts/internal/moduleargs"

// connectionOptions are the AWS connection options both modules accept,
// each declared once: its entry in the argument spec (and so in the
// documentation) and the field of Connection it fills. The names are
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
var connectionOptions = []connOption{
	{
		Option: moduleargs.Option{
			Name:        "aws_access_key",
			Aliases:     []string{"access_key", "aws_access_key_id", "ec2_access_key"},
			Description: "AWS access key ID. If not set, AWS_ACCESS_KEY_ID, AWS_ACCESS_KEY or EC2_ACCESS_KEY, then the AWS SDK's default chain (web identity, the shared credentials and config files, the boto config file, container and instance roles).",
		},
		fill: str(func(c *Connection) *Value { return &c.AccessKey }),
	},
	{
		Option: moduleargs.Option{
			Name:        "aws_secret_key",
			Aliases:     []string{"secret_key", "aws_secret_access_key", "ec2_secret_key"},
			NoLog:       true,
			Description: "AWS secret access key. If not set, AWS_SECRET_ACCESS_KEY, AWS_SECRET_KEY or EC2_SECRET_KEY, then the AWS SDK's default chain, as for aws_access_key.",
		},
		fill: str(func(c *Connection) *Value { return &c.SecretKey }),
	},
	{
		Option: moduleargs.Option{
			Name:        "security_token",
			Aliases:     []string{"session_token", "aws_session_token", "access_token", "aws_security_token"},
			NoLog:       true,
			Description: "AWS session token, for temporary credentials. If not set, AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN or EC2_SECURITY_TOKEN. Used only with an access key and secret key given as options or in the environment.",
		},
		fill: str(func(c *Connection) *Value { return &c.SessionToken }),
	},
	{
		Option: moduleargs.Option{
			Name:        "profile",
			Aliases:     []string{"aws_profile"},
			Description: "A named profile of the shared AWS credentials and config files. If not set and no key option is given, AWS_DEFAULT_PROFILE or AWS_PROFILE. Cannot be combined with key or token options.",
		},
		fill: str(func(c *Connection) *Value { return &c.Profile }),
	},
	{
		Option: moduleargs.Option{
			Name:        "ec2_url",
			Aliases:     []string{"endpoint_url", "aws_endpoint_url", "s3_url"},
			EnvFallback: endpointFallback,
			Description: "URL of the STS endpoint. If not set, AWS_URL, EC2_URL or S3_URL, then the AWS SDK's AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL or shared config endpoint_url, then the AWS endpoint for the region.",
		},
		fill: str(func(c *Connection) *Value { return &c.Endpoint }),
		url:  true,
	},
	{
		Option: moduleargs.Option{
			Name:        "validate_certs",
			Type:        moduleargs.Bool,
			Default:     true,
			Description: "When false, TLS certificates are not verified.",
		},
		fill: flag(func(c *Connection) *bool { return &c.ValidateCerts }),
	},
	{
		Option: moduleargs.Option{
			Name:        "aws_ca_bundle",
			Type:        moduleargs.Path,
			EnvFallback: []string{caBundleEnv},
			Description: "PEM file of the certificate authorities to trust instead of the system's. If not set, AWS_CA_BUNDLE.",
		},
		fill: str(func(c *Connection) *Value { return &c.CABundle }),
	},
	{
		Option: moduleargs.Option{
			Name:        "aws_config",
			Type:        moduleargs.Dict,
			Description: "botocore client settings: connect_timeout, read_timeout (seconds), retries (max_attempts, total_max_attempts, mode), user_agent_extra, proxies (http, https).",
		},
		fill: func(c *Connection, args *moduleargs.Args, name string) { c.AWSConfig = args.Dict(name) },
	},
	{
		Option: moduleargs.Option{
			Name:        "debug_botocore_endpoint_logs",
			Type:        moduleargs.Bool,
			Default:     false,
			EnvFallback: []string{debugLogsEnv},
			Description: "Return the AWS API actions called, as resource_actions. If not set, ANSIBLE_DEBUG_BOTOCORE_LOGS.",
		},
		fill: flag(func(c *Connection) *bool { return &c.DebugLogs }),
	},
	{
		Option: moduleargs.Option{
			Name:        "region",
			Aliases:     []string{"aws_region", "ec2_region"},
			EnvFallback: regionEnv,
			Description: "AWS region. If not set, AWS_REGION, AWS_DEFAULT_REGION or EC2_REGION, then the profile's region in the shared config file; with none at all, us-east-1 through the global endpoint https://sts.amazonaws.com.",
		},
		fill: str(func(c *Connection) *Value { return &c.Region }),
	},
}

// Options are the connection options' argument spec, in declaration order:
// both modules' options begin with them.
var Options = func() moduleargs.Spec {
	out := make(moduleargs.Spec, len(connectionOptions))
	for i, o := range connectionOptions {
		out[i] = o.Option
	}
	return out
}()

// A connOption is one connection option of the table.
type connOption struct {
	moduleargs.Option
	// fill sets the option's field of c from the validated arguments.
	fill func(c *Connection, args *moduleargs.Args, name string)
	// url marks an option holding a URL, whose userinfo password is a
	// secret (see Connection.URLs).
	url bool
}

// str fills a string field: the option's value and its source, the zero
// Value when the task left it unset, null or empty.
func str(field func(*Connection) *Value) func(*Connection, *moduleargs.Args, string) {
	return func(c *Connection, args *moduleargs.Args, name string) {
		if s, ok := args.Str(name); ok && s != "" {
			*field(c) = Value{s, args.Sources[name]}
		}
	}
}

// flag fills a bool field, the option's default when unset or null.
func flag(field func(*Connection) *bool) func(*Connection, *moduleargs.Args, string) {
	return func(c *Connection, args *moduleargs.Args, name string) { *field(c) = args.Bool(name) }
}

// URLOptions returns every name, aliases included, of the options holding
// a URL whose userinfo password is a secret.
func URLOptions() []string {
	var out []string
	for _, o := range connectionOptions {
		if o.url {
			out = append(out, o.Name)
			out = append(out, o.Aliases...)
		}
	}
	return out
}
