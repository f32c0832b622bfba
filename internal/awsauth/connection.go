package awsauth

import (
	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/pyvalue"
)

// Connection is the connection options of one module run (Options), typed
// and as validated: each string option with its source ("option NAME",
// the name or alias that set it, or "env VAR" for a fallback), empty when
// the task left it unset, null or empty. Load takes it from there.
// ConnectionOptions fills it from the options' table, the only place
// that names them.
type Connection struct {
	AccessKey, SecretKey, SessionToken Value
	Profile                            Value
	Region, Endpoint                   Value
	ValidateCerts                      bool
	CABundle                           Value
	AWSConfig                          *pyvalue.Object // aws_config, nil when unset
	// DebugLogs is debug_botocore_endpoint_logs: the result lists the API
	// actions called.
	DebugLogs bool
	// URLs are the strings given to the URL options (ec2_url), under
	// every name, an alias that lost to another included: the invocation
	// shows each, so their userinfo passwords are secrets.
	URLs []string
	// AnsibleVersion is the controller's ansible-core (_ansible_version).
	AnsibleVersion string
}

// ConnectionOptions returns the connection options of validated arguments
// (or of arguments that failed validation, as far as they were read).
func ConnectionOptions(args *moduleargs.Args) Connection {
	c := Connection{AnsibleVersion: args.Version}
	for _, o := range connectionOptions {
		o.fill(&c, args, o.Name)
		if !o.url {
			continue
		}
		for _, name := range append([]string{o.Name}, o.Aliases...) {
			if s, ok := args.Str(name); ok {
				c.URLs = append(c.URLs, s)
			}
		}
	}
	return c
}
