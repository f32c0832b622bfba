package modules

import (
	"context"

	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/result"
	"ansible-sts/internal/stsio"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// sessionTokenOptions are sts_session_token's own options.
var sessionTokenOptions = []Option{
	{Option: moduleargs.Option{Name: "duration_seconds", Type: moduleargs.Int, Description: "The session's duration in seconds, from 900 (15 minutes) to 129600 (36 hours) for IAM users, 3600 for the root user; STS defaults to 43200."}},
	{Option: moduleargs.Option{Name: "mfa_serial_number", Description: "The serial number or ARN of the MFA device of the user making the call."}},
	{Option: moduleargs.Option{Name: "mfa_token", NoLog: true, Description: "The code the MFA device shows, when the user's policy requires MFA."}},
}

// sessionTokenChecks are botocore's checks of the request
// sessionTokenInput builds, in request order.
var sessionTokenChecks = []stsio.Param{durationCheck, serialNumberCheck, tokenCodeCheck}

// The checks of the parameters both requests have, which botocore's STS
// model constrains alike in AssumeRole and GetSessionToken.
var (
	durationCheck     = stsio.Param{Name: "DurationSeconds", Option: "duration_seconds", Min: 900, Kind: stsio.Integer}
	serialNumberCheck = stsio.Param{Name: "SerialNumber", Option: "mfa_serial_number", Min: 9, Kind: stsio.String}
	tokenCodeCheck    = stsio.Param{Name: "TokenCode", Option: "mfa_token", Min: 6, Kind: stsio.String}
)

// sessionTokenInput returns the GetSessionToken request for args, which
// sessionTokenChecks have passed.
func sessionTokenInput(args *moduleargs.Args) *sts.GetSessionTokenInput {
	return &sts.GetSessionTokenInput{
		DurationSeconds: stsio.Int32(args, "duration_seconds"),
		SerialNumber:    stsio.Str(args, "mfa_serial_number"),
		TokenCode:       stsio.Str(args, "mfa_token"),
	}
}

// SessionToken is the sts_session_token module.
var SessionToken = Module{
	Name:    "sts_session_token",
	Action:  "GetSessionToken",
	Options: sessionTokenOptions,
	Params:  sessionTokenChecks,
	Doc:     withBeyond(sessionTokenDoc, sessionTokenOptions),
	Call: func(ctx context.Context, c *sts.Client, args *moduleargs.Args) (result.Result, error) {
		out, err := c.GetSessionToken(ctx, sessionTokenInput(args))
		if err != nil {
			return nil, err
		}
		return credentialsResult(out.Credentials)
	},
}
