package awsauth

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// CheckSendable fails for credentials that no request can carry: the
// access key id (in the Authorization header) or the session token (in
// X-Amz-Security-Token) holding a control character, such as a newline
// pasted with it. Every attempt would fail the same way before anything
// is sent, so this is said once, before the call, naming where the value
// came from and never the value.
func (r Settings) CheckSendable(c aws.Credentials) error {
	keySource, tokenSource := r.AccessKeyID.Source, r.SessionToken.Source
	if !r.HasStaticKeys() || c.AccessKeyID != r.AccessKeyID.Value {
		keySource, tokenSource = c.Source, c.Source
		if r.Profile.Value != "" {
			keySource = fmt.Sprintf("profile %s (%s)", r.Profile.Value, c.Source)
			tokenSource = keySource
		}
	}
	for _, f := range []struct{ name, value, source string }{
		{"access key id", c.AccessKeyID, keySource},
		{"session token", c.SessionToken, tokenSource},
	} {
		if !headerSafe(f.value) {
			return fmt.Errorf("the %s from %s holds a control character (such as a newline), which an HTTP header cannot carry; nothing was sent", f.name, f.source)
		}
	}
	return nil
}

// headerSafe reports whether s is a valid HTTP header field value (no
// control character but tab), as Go's HTTP client requires.
func headerSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < ' ' && b != '\t' || b == 0x7f {
			return false
		}
	}
	return true
}
