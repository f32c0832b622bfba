package stsio

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"ansible-sts/internal/result"
)

// Credentials returns sts_creds as the Python modules build it (a member
// STS did not send is null). An answer with no access key fails: it is a
// 200 from something that is not STS (an empty or non-XML body, which the
// SDK reads as an empty answer); botocore would return null credentials,
// and a failure naming the endpoint beats a later task failing.
func Credentials(c *types.Credentials) (map[string]any, error) {
	if c == nil || c.AccessKeyId == nil {
		return nil, &smithy.DeserializationError{Err: errors.New("the answer holds no credentials")}
	}
	creds := map[string]any{"access_key": nil, "secret_key": nil, "session_token": nil, "expiration": nil}
	set := func(key string, v *string) {
		if v != nil {
			creds[key] = *v
		}
	}
	set("access_key", c.AccessKeyId)
	set("secret_key", c.SecretAccessKey)
	set("session_token", c.SessionToken)
	if c.Expiration != nil {
		creds["expiration"] = result.Expiration(*c.Expiration)
	}
	return creds, nil
}

// AssumedRoleUser returns sts_user: the members STS sent, in snake case.
func AssumedRoleUser(u *types.AssumedRoleUser) map[string]any {
	user := map[string]any{}
	if u == nil {
		return user
	}
	if u.AssumedRoleId != nil {
		user["assumed_role_id"] = *u.AssumedRoleId
	}
	if u.Arn != nil {
		user["arn"] = *u.Arn
	}
	return user
}
