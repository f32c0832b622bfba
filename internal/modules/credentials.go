package modules

import (
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"ansible-sts/internal/result"
	"ansible-sts/internal/stsio"
)

// credentialsResult returns the result keys of new credentials c: sts_creds,
// as the Python modules return it, and aws_env, the same credentials as
// the environment variables the AWS SDKs and CLIs read, for a later
// task's environment keyword. AWS_SECURITY_TOKEN repeats the session
// token for older tools (boto 2, some SDKs' older releases) that read
// only that name.
func credentialsResult(c *types.Credentials) (result.Result, error) {
	creds, err := stsio.Credentials(c)
	if err != nil {
		return nil, err
	}
	env := map[string]any{
		"AWS_ACCESS_KEY_ID":     creds["access_key"],
		"AWS_SECRET_ACCESS_KEY": creds["secret_key"],
		"AWS_SESSION_TOKEN":     creds["session_token"],
		"AWS_SECURITY_TOKEN":    creds["session_token"],
	}
	return result.Result{"sts_creds": creds, "aws_env": env}, nil
}

// returnedSecrets returns the secrets of the new credentials in r: the
// secret key and the session token (aws_env repeats them). They stay in
// the result in clear, as the Python modules return them, for later tasks
// to use; a controller that masks secrets is told of them too, so that it
// hides them from every display, this task's included. The access key ID
// is not a secret: it names the session in logs and in CloudTrail.
func returnedSecrets(r result.Result) []string {
	creds, _ := r["sts_creds"].(map[string]any)
	var out []string
	for _, k := range []string{"secret_key", "session_token"} {
		if s, ok := creds[k].(string); ok {
			out = append(out, s)
		}
	}
	return out
}
