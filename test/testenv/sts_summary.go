package testenv

import (
	"regexp"
	"strings"

	"ansible-sts/internal/fakests"
)

// TemporaryKey matches the access key of temporary credentials.
var TemporaryKey = regexp.MustCompile(`^ASIA[A-Z0-9]{16}$`)

// Summary describes recorded requests for expected results and comparisons:
// the operation, the parameters sent (Action and Version left out), the
// key, token and region that signed it and the status answered, with
// temporary keys and tokens replaced by placeholders.
func Summary(reqs []fakests.Request) []map[string]any {
	out := []map[string]any{}
	for _, r := range reqs {
		params := map[string]any{}
		for k, v := range r.Params {
			if k != "Action" && k != "Version" {
				params[k] = strings.Join(v, ",")
			}
		}
		key := r.AccessKeyID
		if TemporaryKey.MatchString(key) {
			key = "<temporary access key>"
		}
		m := map[string]any{"action": r.Action, "params": params, "access_key": key, "region": r.Region, "status": r.Status}
		if r.SessionToken != "" {
			m["session_token"] = "<session token>"
		}
		if r.Err != "" {
			m["error"] = r.Err
		}
		out = append(out, m)
	}
	return out
}
