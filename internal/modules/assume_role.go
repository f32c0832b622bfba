package modules

import (
	"context"

	"ansible-sts/internal/ansible"
	"ansible-sts/internal/stscall"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// assumeRoleOptions are sts_assume_role's own options.
var assumeRoleOptions = table{
	{Option: ansible.Option{Name: "role_arn", Required: true, Description: "The Amazon Resource Name (ARN) of the role to assume."},
		Param: "RoleArn", Min: 20, Order: 1},
	{Option: ansible.Option{Name: "role_session_name", Required: true, Description: "Name of the role's session; CloudTrail records it."},
		Param: "RoleSessionName", Min: 2, Order: 2},
	{Option: ansible.Option{Name: "duration_seconds", Type: ansible.Int, Description: "The session's duration in seconds, from 900 (15 minutes) to the role's maximum session duration (at most 43200, 12 hours); STS defaults to 3600."},
		Param: "DurationSeconds", Min: 900, Order: 4},
	{Option: ansible.Option{Name: "external_id", Description: "A unique identifier that third parties use to assume a role in their customers' accounts."},
		Param: "ExternalId", Min: 2, Order: 5},
	{Option: ansible.Option{Name: "policy", Description: "An IAM policy in JSON that further limits the session's permissions."},
		Param: "Policy", Min: 1, Order: 3},
	{Option: ansible.Option{Name: "mfa_serial_number", Description: "The serial number or ARN of the MFA device of the user making the call."},
		Param: "SerialNumber", Min: 9, Order: 6},
	{Option: ansible.Option{Name: "mfa_token", NoLog: true, Description: "The code the MFA device shows, when the role's trust policy requires MFA."},
		Param: "TokenCode", Min: 6, Order: 7},
}

var assumeRoleParams = assumeRoleOptions.params()

// AssumeRole is the sts_assume_role module.
var AssumeRole = Module{
	Name:    "sts_assume_role",
	Action:  "AssumeRole",
	Options: assumeRoleOptions.spec(),
	Params:  assumeRoleParams,
	Doc:     assumeRoleDoc,
	Call: func(ctx context.Context, c *sts.Client, args *ansible.Args) (ansible.Result, error) {
		in := &sts.AssumeRoleInput{}
		stscall.Fill(in, args, assumeRoleParams)
		out, err := c.AssumeRole(ctx, in)
		if err != nil {
			return nil, err
		}
		creds, err := stscall.Credentials(out.Credentials)
		if err != nil {
			return nil, err
		}
		return ansible.Result{"sts_creds": creds, "sts_user": stscall.AssumedRoleUser(out.AssumedRoleUser)}, nil
	},
}
