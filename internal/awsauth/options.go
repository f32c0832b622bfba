package awsauth

import "ansible-sts/internal/moduleargs"

// Options are the AWS connection options both modules accept. The names are
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
var Options = moduleargs.Spec{
	{
		Name:        "aws_access_key",
		Aliases:     []string{"access_key", "aws_access_key_id", "ec2_access_key"},
		Description: "AWS access key ID. If not set, AWS_ACCESS_KEY_ID, AWS_ACCESS_KEY or EC2_ACCESS_KEY, then the AWS SDK's default chain (web identity, the shared credentials and config files, the boto config file, container and instance roles).",
	},
	{
		Name:        "aws_secret_key",
		Aliases:     []string{"secret_key", "aws_secret_access_key", "ec2_secret_key"},
		NoLog:       true,
		Description: "AWS secret access key. If not set, AWS_SECRET_ACCESS_KEY, AWS_SECRET_KEY or EC2_SECRET_KEY, then the AWS SDK's default chain, as for aws_access_key.",
	},
	{
		Name:        "security_token",
		Aliases:     []string{"session_token", "aws_session_token", "access_token", "aws_security_token"},
		NoLog:       true,
		Description: "AWS session token, for temporary credentials. If not set, AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN or EC2_SECURITY_TOKEN. Used only with an access key and secret key given as options or in the environment.",
	},
	{
		Name:        "profile",
		Aliases:     []string{"aws_profile"},
		Description: "A named profile of the shared AWS credentials and config files. If not set and no key option is given, AWS_DEFAULT_PROFILE or AWS_PROFILE. Cannot be combined with key or token options.",
	},
	{
		Name:        "ec2_url",
		Aliases:     []string{"endpoint_url", "aws_endpoint_url", "s3_url"},
		EnvFallback: endpointFallback,
		Description: "URL of the STS endpoint. If not set, AWS_URL, EC2_URL or S3_URL, then the AWS SDK's AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL or shared config endpoint_url, then the AWS endpoint for the region.",
	},
	{
		Name:        "validate_certs",
		Type:        moduleargs.Bool,
		Default:     true,
		Description: "When false, TLS certificates are not verified.",
	},
	{
		Name:        "aws_ca_bundle",
		Type:        moduleargs.Path,
		EnvFallback: []string{caBundleEnv},
		Description: "PEM file of the certificate authorities to trust instead of the system's. If not set, AWS_CA_BUNDLE.",
	},
	{
		Name:        "aws_config",
		Type:        moduleargs.Dict,
		Description: "botocore client settings: connect_timeout, read_timeout (seconds), retries (max_attempts, total_max_attempts, mode), user_agent_extra, proxies (http, https).",
	},
	{
		Name:        "debug_botocore_endpoint_logs",
		Type:        moduleargs.Bool,
		Default:     false,
		EnvFallback: []string{debugLogsEnv},
		Description: "Return the AWS API actions called, as resource_actions. If not set, ANSIBLE_DEBUG_BOTOCORE_LOGS.",
	},
	{
		Name:        "region",
		Aliases:     []string{"aws_region", "ec2_region"},
		EnvFallback: regionEnv,
		Description: "AWS region. If not set, AWS_REGION, AWS_DEFAULT_REGION or EC2_REGION, then the profile's region in the shared config file; with none at all, us-east-1 through the global endpoint https://sts.amazonaws.com.",
	},
}
