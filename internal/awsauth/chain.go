package awsauth

import (
	"os"

	"ansible-sts/internal/moduleargs"
)

// A chain is the ordered list of places one value is looked up in. The
// first non-empty value wins; its source is reported with it.
//
// The precedence, written once here (the README's table points at it):
//
//	access key     option aws_access_key (or an alias), AWS_ACCESS_KEY_ID,
//	               AWS_ACCESS_KEY, EC2_ACCESS_KEY
//	secret key     option aws_secret_key (or an alias), AWS_SECRET_ACCESS_KEY,
//	               AWS_SECRET_KEY, EC2_SECRET_KEY
//	session token  option security_token (or an alias), AWS_SESSION_TOKEN,
//	               AWS_SECURITY_TOKEN, EC2_SECURITY_TOKEN
//	region         option region (or an alias, or its fallback), AWS_REGION,
//	               AWS_DEFAULT_REGION, EC2_REGION, then the shared config file
//	endpoint       option ec2_url (or an alias, or its fallback), AWS_URL, EC2_URL,
//	               AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, then the SDK's shared config
//	profile        option profile (or an alias); without key options,
//	               AWS_DEFAULT_PROFILE, then AWS_PROFILE
//
// The keys are looked up in the environment only when no profile is in use;
// with a profile they come from the shared files. The token is used only
// with keys found by these chains. Without keys, the SDK's chain runs, with
// the boto config file slotted in where botocore has it (see Config).
// AWS_SESSION_TOKEN comes before AWS_SECURITY_TOKEN as in amazon.aws 5 and
// botocore (Ansible 2.9 had them the other way round).
type chain struct {
	option string   // the option's canonical name
	env    []string // environment variables, in order
}

var (
	accessKeyChain = chain{"aws_access_key", []string{"AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY", "EC2_ACCESS_KEY"}}
	secretKeyChain = chain{"aws_secret_key", []string{"AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY", "EC2_SECRET_KEY"}}
	tokenChain     = chain{"security_token", []string{"AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "EC2_SECURITY_TOKEN"}}
	regionChain    = chain{"region", []string{"AWS_REGION", "AWS_DEFAULT_REGION", "EC2_REGION"}}
	endpointChain  = chain{"ec2_url", []string{"AWS_URL", "EC2_URL", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"}}
	profileChain   = chain{"profile", []string{"AWS_DEFAULT_PROFILE", "AWS_PROFILE"}}
)

// Value is a resolved setting and where it came from, e.g.
// {"eu-west-1", "env AWS_REGION"}. An empty Value was not found.
type Value struct {
	Value  string
	Source string
}

// fromOption returns the option's value if the task (or its fallback) set
// it to a non-empty string.
func (c chain) fromOption(args *moduleargs.Args) (Value, bool) {
	if s, ok := args.Str(c.option); ok && s != "" {
		return Value{s, args.Sources[c.option]}, true
	}
	return Value{}, false
}

// fromEnv returns the first non-empty environment variable of the chain.
func (c chain) fromEnv() (Value, bool) {
	for _, k := range c.env {
		if v := os.Getenv(k); v != "" {
			return Value{v, "env " + k}, true
		}
	}
	return Value{}, false
}

// first walks the option, then the environment.
func (c chain) first(args *moduleargs.Args) Value {
	if v, ok := c.fromOption(args); ok {
		return v
	}
	v, _ := c.fromEnv()
	return v
}
