package awsauth

// Connection is the connection options of one module run (Options), typed
// and as validated: each string option with its source ("option NAME",
// the name or alias that set it, or "env VAR" for a fallback), empty when
// the task left it unset, null or empty. The modules fill it from their
// arguments (Option.SetText, Option.SetFlag, Config); Load takes it from
// there.
type Connection struct {
	AccessKey, SecretKey, SessionToken Value
	Profile                            Value
	Region, Endpoint                   Value
	ValidateCerts                      bool
	CABundle                           Value
	Config                             ClientConfig // aws_config
	// DebugLogs is debug_botocore_endpoint_logs: the result lists the API
	// actions called.
	DebugLogs bool
	// AnsibleVersion is the controller's ansible-core, which the user
	// agent names.
	AnsibleVersion string
}
