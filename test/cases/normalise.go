package cases

import (
	"regexp"
	"strings"
	"testing"

	"ansible-sts/test/testenv"
)

// secretNames names the temporary secrets of sts_creds and aws_env by
// their keys; aws_env's values get sts_creds' placeholders.
var secretNames = map[string]string{
	"secret_key": "secret key", "AWS_SECRET_ACCESS_KEY": "secret key",
	"session_token": "session token", "AWS_SESSION_TOKEN": "session token", "AWS_SECURITY_TOKEN": "session token",
}

var expirationRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$`)

// Normalise returns v with the volatile values replaced by placeholders:
// temporary keys (under any name), secrets and tokens, expirations (checked to be Python's
// isoformat), request ids, dates and the length of a response. urls
// rewrites strings (endpoint URLs with random ports).
func Normalise(t testing.TB, v any, urls *strings.Replacer) any {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			s, isStr := e.(string)
			switch {
			case secretNames[k] != "" && isStr && len(s) >= 40 && !strings.Contains(s, "VALUE_SPECIFIED"):
				out[k] = "<temporary " + secretNames[k] + ">"
			case k == "expiration" && isStr:
				switch {
				case !expirationRE.MatchString(s):
					t.Errorf("expiration %q is not Python's isoformat", s)
					out[k] = s
				case strings.Contains(s, "."):
					out[k] = "<expiration with microseconds>"
				default:
					out[k] = "<expiration>"
				}
			case k == "request_id" || k == "x-amzn-requestid":
				out[k] = "<request id>"
			case k == "date":
				out[k] = "<date>"
			case k == "content-length":
				out[k] = "<content length>"
			default:
				out[k] = Normalise(t, e, urls)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = Normalise(t, e, urls)
		}
		return out
	case string:
		if testenv.TemporaryKey.MatchString(x) {
			return "<temporary access key>"
		}
		return urls.Replace(x)
	}
	return v
}
