package modules

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"ansible-sts/internal/module"
	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/result"
	"ansible-sts/internal/stscall"
)

// AssumeRole is the sts_assume_role module.
var AssumeRole = module.Module{
	Name:   "sts_assume_role",
	Action: "AssumeRole",
	Options: moduleargs.Spec{
		{Name: "role_arn", Required: true, Description: "The Amazon Resource Name (ARN) of the role to assume."},
		{Name: "role_session_name", Required: true, Description: "Name of the role's session; CloudTrail records it."},
		{Name: "duration_seconds", Type: moduleargs.Int, Description: "The session's duration in seconds, from 900 (15 minutes) to the role's maximum session duration (at most 43200, 12 hours); STS defaults to 3600."},
		{Name: "external_id", Description: "A unique identifier that third parties use to assume a role in their customers' accounts."},
		{Name: "policy", Description: "An IAM policy in JSON that further limits the session's permissions."},
		{Name: "mfa_serial_number", Description: "The serial number or ARN of the MFA device of the user making the call."},
		{Name: "mfa_token", NoLog: true, Description: "The code the MFA device shows, when the role's trust policy requires MFA."},
	},
	// The order of the Python module's request, which is botocore's report order.
	Params: []stscall.Param{
		{Name: "RoleArn", Option: "role_arn", Min: 20, Required: true},
		{Name: "RoleSessionName", Option: "role_session_name", Min: 2, Required: true},
		{Name: "Policy", Option: "policy", Min: 1},
		{Name: "DurationSeconds", Option: "duration_seconds", Min: 900, Int: true},
		{Name: "ExternalId", Option: "external_id", Min: 2},
		{Name: "SerialNumber", Option: "mfa_serial_number", Min: 9},
		{Name: "TokenCode", Option: "mfa_token", Min: 6},
	},
	Doc: assumeRoleDoc,
	Call: func(ctx context.Context, c *sts.Client, args *moduleargs.Args) (result.Result, error) {
		out, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{
			RoleArn:         stscall.String(args, "role_arn"),
			RoleSessionName: stscall.String(args, "role_session_name"),
			Policy:          stscall.String(args, "policy"),
			DurationSeconds: stscall.Int32(args, "duration_seconds"),
			ExternalId:      stscall.String(args, "external_id"),
			SerialNumber:    stscall.String(args, "mfa_serial_number"),
			TokenCode:       stscall.String(args, "mfa_token"),
		})
		if err != nil {
			return nil, err
		}
		creds, err := stscall.Credentials(out.Credentials)
		if err != nil {
			return nil, err
		}
		return result.Result{"sts_creds": creds, "sts_user": stscall.AssumedRoleUser(out.AssumedRoleUser)}, nil
	},
}
