package modules

import (
	"context"

	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/result"
	"ansible-sts/internal/stscall"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// sessionTokenOptions are sts_session_token's own options.
var sessionTokenOptions = table{
	{Option: moduleargs.Option{Name: "duration_seconds", Type: moduleargs.Int, Description: "The session's duration in seconds, from 900 (15 minutes) to 129600 (36 hours) for IAM users, 3600 for the root user; STS defaults to 43200."},
		Param: "DurationSeconds", Min: 900, Order: 1},
	{Option: moduleargs.Option{Name: "mfa_serial_number", Description: "The serial number or ARN of the MFA device of the user making the call."},
		Param: "SerialNumber", Min: 9, Order: 2},
	{Option: moduleargs.Option{Name: "mfa_token", NoLog: true, Description: "The code the MFA device shows, when the user's policy requires MFA."},
		Param: "TokenCode", Min: 6, Order: 3},
}

var sessionTokenParams = sessionTokenOptions.params()

// SessionToken is the sts_session_token module.
var SessionToken = Module{
	Name:    "sts_session_token",
	Action:  "GetSessionToken",
	Options: sessionTokenOptions.spec(),
	Params:  sessionTokenParams,
	Doc:     sessionTokenDoc,
	Call: func(ctx context.Context, c *sts.Client, args *moduleargs.Args) (result.Result, error) {
		in := &sts.GetSessionTokenInput{}
		stscall.Fill(in, args, sessionTokenParams)
		out, err := c.GetSessionToken(ctx, in)
		if err != nil {
			return nil, err
		}
		return credentialsResult(out.Credentials)
	},
}
