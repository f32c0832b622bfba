package modules

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"ansible-sts/internal/module"
	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/result"
	"ansible-sts/internal/stscall"
)

// SessionToken is the sts_session_token module.
var SessionToken = module.Module{
	Name:   "sts_session_token",
	Action: "GetSessionToken",
	Options: moduleargs.Spec{
		{Name: "duration_seconds", Type: moduleargs.Int, Description: "The session's duration in seconds, from 900 (15 minutes) to 129600 (36 hours) for IAM users, 3600 for the root user; STS defaults to 43200."},
		{Name: "mfa_serial_number", Description: "The serial number or ARN of the MFA device of the user making the call."},
		{Name: "mfa_token", NoLog: true, Description: "The code the MFA device shows, when the user's policy requires MFA."},
	},
	Params: []stscall.Param{
		{Name: "DurationSeconds", Option: "duration_seconds", Min: 900, Int: true},
		{Name: "SerialNumber", Option: "mfa_serial_number", Min: 9},
		{Name: "TokenCode", Option: "mfa_token", Min: 6},
	},
	Doc: sessionTokenDoc,
	Call: func(ctx context.Context, c *sts.Client, args *moduleargs.Args) (result.Result, error) {
		out, err := c.GetSessionToken(ctx, &sts.GetSessionTokenInput{
			DurationSeconds: stscall.Int32(args, "duration_seconds"),
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
		return result.Result{"sts_creds": creds}, nil
	},
}
