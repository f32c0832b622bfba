package awsauth

import "ansible-sts/internal/moduleargs"

// Connection is the connection options of one module run (Options), typed
// and as validated: each string option with its source ("option NAME",
// the name or alias that set it, or "env VAR" for a fallback), empty when
// the task left it unset, null or empty. Load takes it from there.
type Connection struct {
	AccessKey, SecretKey, SessionToken Value
	Profile                            Value
	Region, Endpoint                   Value
	ValidateCerts                      bool
	CABundle                           Value
	AWSConfig                          *moduleargs.Object // aws_config, nil when unset
	// AnsibleVersion is the controller's ansible-core (_ansible_version).
	AnsibleVersion string
}

// ConnectionOptions returns the connection options of validated arguments.
func ConnectionOptions(args *moduleargs.Args) Connection {
	str := func(name string) Value {
		if s, ok := args.Str(name); ok && s != "" {
			return Value{s, args.Sources[name]}
		}
		return Value{}
	}
	return Connection{
		AccessKey:      str(accessKeyChain.option),
		SecretKey:      str(secretKeyChain.option),
		SessionToken:   str(tokenChain.option),
		Profile:        str(profileChain.option),
		Region:         str(regionChain.option),
		Endpoint:       str(endpointChain.option),
		ValidateCerts:  args.Bool("validate_certs"),
		CABundle:       str("aws_ca_bundle"),
		AWSConfig:      args.Dict("aws_config"),
		AnsibleVersion: args.Version,
	}
}
