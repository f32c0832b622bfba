package modules

import (
	"context"

	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/result"
	"ansible-sts/internal/stscall"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// assumeRoleOptions are sts_assume_role's own options.
var assumeRoleOptions = table{
	{Option: moduleargs.Option{Name: "role_arn", Required: true, Description: "The Amazon Resource Name (ARN) of the role to assume."},
		Param: "RoleArn", Min: 20, Order: 1},
	{Option: moduleargs.Option{Name: "role_session_name", Required: true, Description: "Name of the role's session; CloudTrail records it."},
		Param: "RoleSessionName", Min: 2, Order: 2},
	{Option: moduleargs.Option{Name: "duration_seconds", Type: moduleargs.Int, Description: "The session's duration in seconds, from 900 (15 minutes) to the role's maximum session duration (at most 43200, 12 hours); STS defaults to 3600."},
		Param: "DurationSeconds", Min: 900, Order: 4},
	{Option: moduleargs.Option{Name: "external_id", Description: "A unique identifier that third parties use to assume a role in their customers' accounts."},
		Param: "ExternalId", Min: 2, Order: 5},
	{Option: moduleargs.Option{Name: "policy", Description: "An IAM policy in JSON that further limits the session's permissions."},
		Param: "Policy", Min: 1, Order: 3},
	{Option: moduleargs.Option{Name: "mfa_serial_number", Description: "The serial number or ARN of the MFA device of the user making the call."},
		Param: "SerialNumber", Min: 9, Order: 6},
	{Option: moduleargs.Option{Name: "mfa_token", NoLog: true, Description: "The code the MFA device shows, when the role's trust policy requires MFA."},
		Param: "TokenCode", Min: 6, Order: 7},
	// The session's options, which the Python module lacks: sent after
	// its parameters, in the model's member order.
	{Option: moduleargs.Option{Name: "policy_arns", Type: moduleargs.List, Elements: moduleargs.Str, Description: "The ARNs of IAM managed policies (at most 10) that further limit the session's permissions, as policy does."},
		Param: "PolicyArns", Field: "arn", Min: 20, Order: 8, Extension: true},
	{Option: moduleargs.Option{Name: "tags", Type: moduleargs.Dict, Description: "Session tags (at most 50), a dict of keys and values, sent in the order of the keys, sorted. A number or a boolean value is sent as Python's str() writes it (1.5, True); a null, list or dict value fails before the call. The role's trust policy must allow sts:TagSession."},
		Param: "Tags", Min: 1, Order: 9, Extension: true},
	{Option: moduleargs.Option{Name: "transitive_tag_keys", Type: moduleargs.List, Elements: moduleargs.Str, Description: "Keys of tags whose tags pass on to the sessions of the roles this session assumes in turn (role chaining); each must be a key of tags."},
		Param: "TransitiveTagKeys", Min: 1, Order: 10, Extension: true},
	{Option: moduleargs.Option{Name: "source_identity", Description: "The session's source identity, which CloudTrail records; it passes on through role chaining and cannot change there. The role's trust policy must allow sts:SetSourceIdentity."},
		Param: "SourceIdentity", Min: 2, Order: 11, Extension: true},
}

var assumeRoleParams = assumeRoleOptions.params()

// AssumeRole is the sts_assume_role module.
var AssumeRole = Module{
	Name:    "sts_assume_role",
	Action:  "AssumeRole",
	Options: assumeRoleOptions.spec(),
	Params:  assumeRoleParams,
	Doc:     assumeRoleDoc,
	Call: func(ctx context.Context, c *sts.Client, args *moduleargs.Args) (result.Result, error) {
		in := &sts.AssumeRoleInput{}
		stscall.Fill(in, args, assumeRoleParams)
		out, err := c.AssumeRole(ctx, in)
		if err != nil {
			return nil, err
		}
		r, err := credentialsResult(out.Credentials)
		if err != nil {
			return nil, err
		}
		r["sts_user"] = stscall.AssumedRoleUser(out.AssumedRoleUser)
		// The SDK's model marks PackedPolicySize deprecated in favour of
		// SessionTokenUtilization, but STS still answers it, and it is
		// what botocore and the AWS CLI report.
		//lint:ignore SA1019 returned as STS sends it
		if size := out.PackedPolicySize; size != nil {
			r["packed_policy_size"] = int64(*size)
		}
		if out.SourceIdentity != nil {
			r["source_identity"] = *out.SourceIdentity
		}
		return r, nil
	},
}
