package modules

// credsReturn documents sts_creds, which both modules return.
var credsReturn = ReturnValue{
	Name:        "sts_creds",
	Description: "The temporary credentials. They are returned in clear: set no_log on the task.",
	Returned:    "always",
	Type:        "dict",
	Sample: map[string]any{
		"access_key":    "ASIAIOSFODNN7EXAMPLE",
		"secret_key":    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"session_token": "FQoGZXIvYXdzEBYaD...",
		"expiration":    "2026-11-22T14:00:00+00:00",
	},
	Contains: []ReturnValue{
		{Name: "access_key", Description: "The temporary access key ID.", Returned: "always", Type: "str"},
		{Name: "secret_key", Description: "The temporary secret access key.", Returned: "always", Type: "str"},
		{Name: "session_token", Description: "The session token to send with the keys.", Returned: "always", Type: "str"},
		{Name: "expiration", Description: "When the credentials expire, in UTC, as Python's isoformat() writes it (six fractional digits when STS sent fractions).", Returned: "always", Type: "str"},
	},
}

// envReturn documents aws_env, which both modules return.
var envReturn = ReturnValue{
	Name:        "aws_env",
	Description: "The same temporary credentials as environment variables, for a later task's environment keyword; AWS_SECURITY_TOKEN repeats the session token for older tools. Returned in clear, as sts_creds.",
	Returned:    "always",
	Type:        "dict",
	Extension:   true,
	Sample: map[string]any{
		"AWS_ACCESS_KEY_ID":     "ASIAIOSFODNN7EXAMPLE",
		"AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"AWS_SESSION_TOKEN":     "FQoGZXIvYXdzEBYaD...",
		"AWS_SECURITY_TOKEN":    "FQoGZXIvYXdzEBYaD...",
	},
}

// actionsReturn documents resource_actions.
var actionsReturn = ReturnValue{
	Name:        "resource_actions",
	Description: "The AWS API actions called, when debug_botocore_endpoint_logs is on (empty when the module failed before calling STS).",
	Returned:    "when debug_botocore_endpoint_logs is true",
	Type:        "list",
}

// failureReturns document what a failure from STS carries.
var failureReturns = []ReturnValue{
	{Name: "error", Description: "The error STS answered: code, message and type (Sender or Receiver).", Returned: "on failure, when STS answered", Type: "dict",
		Sample: map[string]any{"code": "AccessDenied", "message": "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/deploy", "type": "Sender"}},
	{Name: "response_metadata", Description: "request_id, http_status_code, http_headers and retry_attempts of STS's answer.", Returned: "on failure, when STS answered", Type: "dict"},
}

var commonNotes = []string{
	"A Go binary module: the managed host needs no Python, boto or boto3. The binary must match the host's operating system and architecture.",
	"Does not support check mode: the task is skipped, and STS is not called, unless it sets check_mode: false.",
	"Credentials, region and endpoint are looked up in the options, then AWS_* before EC2_* environment variables, then the shared AWS files and the AWS SDK's default chain; the module runs on the managed host, so delegate_to: localhost uses the controller's.",
}

var assumeRoleDoc = Doc{
	Short: "Assume an IAM role with AWS STS and get temporary credentials",
	Description: []string{
		"Calls AWS STS AssumeRole and returns the role's temporary credentials and the assumed role user.",
		"A drop-in replacement for the Python module of the same name (Ansible 2.x, community.aws, amazon.aws): same options and aliases, same results, same messages.",
	},
	Notes: commonNotes,
	SeeAlso: []Link{
		{Name: "AssumeRole", Description: "The STS API reference.", URL: "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html"},
	},
	Examples: `- name: Assume a role
  sts_assume_role:
    role_arn: arn:aws:iam::123456789012:role/deploy
    role_session_name: ci-deploy
  register: assumed
  no_log: true

- name: Use the role's credentials in a later task
  amazon.aws.s3_bucket:
    name: my-bucket
    access_key: "{{ assumed.sts_creds.access_key }}"
    secret_key: "{{ assumed.sts_creds.secret_key }}"
    session_token: "{{ assumed.sts_creds.session_token }}"

- name: Or run any AWS tool with them, through the environment
  ansible.builtin.command: aws sts get-caller-identity
  environment: "{{ assumed.aws_env }}"
  changed_when: false

- name: Assume a role with managed policies, session tags and a source identity
  sts_assume_role:
    role_arn: arn:aws:iam::123456789012:role/deploy
    role_session_name: ci-deploy
    policy_arns:
      - arn:aws:iam::aws:policy/ReadOnlyAccess
    tags:
      team: platform
      pipeline: release
    transitive_tag_keys: [team]
    source_identity: alice
  register: tagged
  no_log: true

- name: Assume a role that requires MFA and an external id, for one hour
  sts_assume_role:
    role_arn: arn:aws:iam::123456789012:role/vendor
    role_session_name: vendor-audit
    external_id: vendor-42
    duration_seconds: 3600
    mfa_serial_number: arn:aws:iam::123456789012:mfa/alice
    mfa_token: "{{ mfa_code }}"
  register: vendor
  no_log: true
`,
	Return: append([]ReturnValue{
		credsReturn,
		{Name: "sts_user", Description: "The assumed role user.", Returned: "always", Type: "dict",
			Sample: map[string]any{"assumed_role_id": "AROA123EXAMPLE123:ci-deploy", "arn": "arn:aws:sts::123456789012:assumed-role/deploy/ci-deploy"},
			Contains: []ReturnValue{
				{Name: "assumed_role_id", Description: "The role's unique ID and the session name.", Returned: "always", Type: "str"},
				{Name: "arn", Description: "The ARN of the assumed role session.", Returned: "always", Type: "str"},
			}},
		envReturn,
		{Name: "packed_policy_size", Description: "The percentage of the allowed size that the session policy, the policy ARNs and the session tags use together.", Returned: "when STS returns it: a policy, policy_arns or tags were sent", Type: "int", Sample: 6, Extension: true},
		{Name: "source_identity", Description: "The session's source identity: source_identity, or the one the calling session passed on.", Returned: "when STS returns it: the session has a source identity", Type: "str", Sample: "alice", Extension: true},
		{Name: "changed", Description: "Always true: every call mints new credentials.", Returned: "always", Type: "bool", Sample: true},
		actionsReturn,
	}, failureReturns...),
}

var sessionTokenDoc = Doc{
	Short: "Get a session token with AWS STS, optionally with MFA",
	Description: []string{
		"Calls AWS STS GetSessionToken and returns temporary credentials for the calling IAM user, optionally authenticated with an MFA device.",
		"A drop-in replacement for the Python module of the same name (Ansible 2.x, community.aws): same options and aliases, same results; failures are clean where the Python module crashes.",
	},
	Notes: commonNotes,
	SeeAlso: []Link{
		{Name: "GetSessionToken", Description: "The STS API reference.", URL: "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html"},
	},
	Examples: `- name: Get a session token
  sts_session_token:
    duration_seconds: 3600
  register: session
  no_log: true

- name: Get a session token with MFA
  sts_session_token:
    mfa_serial_number: arn:aws:iam::123456789012:mfa/alice
    mfa_token: "{{ mfa_code }}"
  register: session
  no_log: true

- name: Use it through the environment
  ansible.builtin.command: aws s3 ls
  environment: "{{ session.aws_env }}"
  changed_when: false
`,
	Return: append([]ReturnValue{
		credsReturn,
		envReturn,
		{Name: "changed", Description: "Always true: every call mints new credentials.", Returned: "always", Type: "bool", Sample: true},
		actionsReturn,
	}, failureReturns...),
}
