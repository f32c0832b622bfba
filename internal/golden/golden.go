// Package golden supports the tests that compare module results: it
// replaces what legitimately differs from run to run (temporary
// credentials, expirations, request ids, dates, the endpoint's port) after
// checking its shape, and compares with or rewrites golden JSON files.
package golden

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var (
	expirationRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$`)
	// TempKeyRE matches an access key of temporary credentials.
	TempKeyRE = regexp.MustCompile(`^ASIA[A-Z0-9]{16}$`)
)

// secretNames names the temporary secrets of sts_creds and aws_env by
// their keys; aws_env's values get sts_creds' placeholders.
var secretNames = map[string]string{
	"secret_key": "secret key", "AWS_SECRET_ACCESS_KEY": "secret key",
	"session_token": "session token", "AWS_SESSION_TOKEN": "session token", "AWS_SECURITY_TOKEN": "session token",
}

// Normalise returns v with the volatile values replaced by placeholders:
// temporary keys, secrets and tokens, expirations (checked to be Python's
// isoformat), request ids and dates. urls rewrites strings (endpoint URLs
// with random ports).
func Normalise(t testing.TB, v any, urls *strings.Replacer) any {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			s, isStr := e.(string)
			switch {
			case (k == "access_key" || k == "AWS_ACCESS_KEY_ID") && isStr && TempKeyRE.MatchString(s):
				out[k] = "<temporary access key>"
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
		return urls.Replace(x)
	}
	return v
}

// File compares got with the JSON in path, or rewrites path when update.
func File(t testing.TB, path string, got any, update bool) {
	t.Helper()
	data, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	if update {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file: %v (rerun the test with -update to create it)", err)
	}
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("golden file %s: %v", path, err)
	}
	_ = json.Unmarshal(data, &g)
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}
