package awsauth

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// TestCheckSendable: a control character in the access key id or the
// session token fails once, naming the source and not the value.
func TestCheckSendable(t *testing.T) {
	static := &Settings{
		AccessKeyID:  Value{"AKIDOPT", "option aws_access_key"},
		SessionToken: Value{"tok\nen", "env AWS_SESSION_TOKEN"},
	}
	tests := map[string]struct {
		r     *Settings
		creds aws.Credentials
		want  string
	}{
		"fine": {r: &Settings{AccessKeyID: Value{"AKIDOPT", "option aws_access_key"}}, creds: aws.Credentials{AccessKeyID: "AKIDOPT", SessionToken: "a\tb"}},
		"token with a newline": {r: static, creds: aws.Credentials{AccessKeyID: "AKIDOPT", SessionToken: "tok\nen"},
			want: "the session token from env AWS_SESSION_TOKEN holds a control character (such as a newline), which an HTTP header cannot carry; nothing was sent"},
		"key with a carriage return": {r: &Settings{AccessKeyID: Value{"AKID\r", "option access_key"}}, creds: aws.Credentials{AccessKeyID: "AKID\r"},
			want: "the access key id from option access_key holds a control character"},
		"token from a profile": {r: &Settings{Profile: Value{"dev", "option profile"}}, creds: aws.Credentials{AccessKeyID: "AKID", SessionToken: "x\x00", Source: "ProcessProvider"},
			want: "the session token from profile dev (ProcessProvider) holds a control character"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			err := tc.r.CheckSendable(tc.creds)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.want)):
				t.Fatalf("error %v, want the prefix %q", err, tc.want)
			}
			for _, v := range []string{tc.creds.AccessKeyID, tc.creds.SessionToken} {
				if err != nil && v != "" && strings.Contains(err.Error(), v) {
					t.Fatalf("the message shows the value: %v", err)
				}
			}
		})
	}
}
