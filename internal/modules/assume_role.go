package modules

import (
	"context"

	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/result"
	"ansible-sts/internal/stsio"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// assumeRoleOptions are sts_assume_role's own options.
var assumeRoleOptions = []Option{
	{Option: moduleargs.Option{Name: "role_arn", Required: true, Description: "The Amazon Resource Name (ARN) of the role to assume."}},
	{Option: moduleargs.Option{Name: "role_session_name", Required: true, Description: "Name of the role's session; CloudTrail records it."}},
	{Option: moduleargs.Option{Name: "duration_seconds", Type: moduleargs.Int, Description: "The session's duration in seconds, from 900 (15 minutes) to the role's maximum session duration (at most 43200, 12 hours); STS defaults to 3600."}},
	{Option: moduleargs.Option{Name: "external_id", Description: "A unique identifier that third parties use to assume a role in their customers' accounts."}},
	{Option: moduleargs.Option{Name: "policy", Description: "An IAM policy in JSON that further limits the session's permissions."}},
	{Option: moduleargs.Option{Name: "mfa_serial_number", Description: "The serial number or ARN of the MFA device of the user making the call."}},
	{Option: moduleargs.Option{Name: "mfa_token", NoLog: true, Description: "The code the MFA device shows, when the role's trust policy requires MFA."}},
	// The session's options, which the Python module lacks.
	{Option: moduleargs.Option{Name: "policy_arns", Type: moduleargs.List, Elements: moduleargs.Str, Description: "The ARNs of IAM managed policies (at most 10) that further limit the session's permissions, as policy does."}, Extension: true},
	{Option: moduleargs.Option{Name: "tags", Type: moduleargs.Dict, Description: "Session tags (at most 50), a dict of keys and values, sent in the order of the keys, sorted. A number or a boolean value is sent as Python's str() writes it (1.5, True); a null, list or dict value fails before the call. The role's trust policy must allow sts:TagSession."}, Extension: true},
	{Option: moduleargs.Option{Name: "transitive_tag_keys", Type: moduleargs.List, Elements: moduleargs.Str, Description: "Keys of tags whose tags pass on to the sessions of the roles this session assumes in turn (role chaining); each must be a key of tags."}, Extension: true},
	{Option: moduleargs.Option{Name: "source_identity", Description: "The session's source identity, which CloudTrail records; it passes on through role chaining and cannot change there. The role's trust policy must allow sts:SetSourceIdentity."}, Extension: true},
}

// assumeRoleChecks are botocore's checks of the request assumeRoleInput
// builds, in request order: the Python module's, then the session's
// parameters, which it lacks, in the model's member order.
var assumeRoleChecks = []stsio.Param{
	{Name: "RoleArn", Option: "role_arn", Min: 20, Kind: stsio.String, Required: true},
	{Name: "RoleSessionName", Option: "role_session_name", Min: 2, Kind: stsio.String, Required: true},
	{Name: "Policy", Option: "policy", Min: 1, Kind: stsio.String},
	durationCheck,
	{Name: "ExternalId", Option: "external_id", Min: 2, Kind: stsio.String},
	serialNumberCheck,
	tokenCodeCheck,
	{Name: "PolicyArns", Option: "policy_arns", Min: 20, Kind: stsio.StringList, Field: "arn"},
	{Name: "Tags", Option: "tags", Min: 1, Kind: stsio.TagList},
	{Name: "TransitiveTagKeys", Option: "transitive_tag_keys", Min: 1, Kind: stsio.StringList},
	{Name: "SourceIdentity", Option: "source_identity", Min: 2, Kind: stsio.String},
}

// assumeRoleInput returns the AssumeRole request for args, which
// assumeRoleChecks have passed.
func assumeRoleInput(args *moduleargs.Args) *sts.AssumeRoleInput {
	return &sts.AssumeRoleInput{
		RoleArn:           stsio.Str(args, "role_arn"),
		RoleSessionName:   stsio.Str(args, "role_session_name"),
		Policy:            stsio.Str(args, "policy"),
		DurationSeconds:   stsio.Int32(args, "duration_seconds"),
		ExternalId:        stsio.Str(args, "external_id"),
		SerialNumber:      stsio.Str(args, "mfa_serial_number"),
		TokenCode:         stsio.Str(args, "mfa_token"),
		PolicyArns:        stsio.PolicyARNs(args, "policy_arns"),
		Tags:              stsio.Tags(args, "tags"),
		TransitiveTagKeys: stsio.Strings(args, "transitive_tag_keys"),
		SourceIdentity:    stsio.Str(args, "source_identity"),
	}
}

// AssumeRole is the sts_assume_role module.
var AssumeRole = Module{
	Name:    "sts_assume_role",
	Action:  "AssumeRole",
	Options: assumeRoleOptions,
	Params:  assumeRoleChecks,
	Doc:     withBeyond(assumeRoleDoc, assumeRoleOptions),
	Call: func(ctx context.Context, c *sts.Client, args *moduleargs.Args) (result.Result, error) {
		out, err := c.AssumeRole(ctx, assumeRoleInput(args))
		if err != nil {
			return nil, err
		}
		r, err := credentialsResult(out.Credentials)
		if err != nil {
			return nil, err
		}
		r["sts_user"] = stsio.AssumedRoleUser(out.AssumedRoleUser)
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
