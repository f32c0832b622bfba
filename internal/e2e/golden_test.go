package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/ststest"
)

var (
	expirationRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$`)
	tempKeyRE    = regexp.MustCompile(`^ASIA[A-Z0-9]{16}$`)
)

// normalise replaces what differs from run to run: the server's port, the
// temporary credentials, the expiration and the request ids, after
// checking their shape.
func normalise(t *testing.T, v any, urls *strings.Replacer) any {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			switch {
			case k == "access_key" && isString(e) && tempKeyRE.MatchString(e.(string)):
				out[k] = "<temporary access key>"
			case (k == "secret_key" || k == "session_token") && isString(e) && len(e.(string)) >= 40 && !strings.Contains(e.(string), "VALUE_SPECIFIED"):
				out[k] = "<temporary " + strings.ReplaceAll(k, "_", " ") + ">"
			case k == "expiration" && isString(e):
				if !expirationRE.MatchString(e.(string)) {
					t.Errorf("expiration %q is not Python's isoformat", e)
					out[k] = e
				} else if strings.Contains(e.(string), ".") {
					out[k] = "<expiration with microseconds>"
				} else {
					out[k] = "<expiration>"
				}
			case k == "request_id" || k == "x-amzn-requestid":
				out[k] = "<request id>"
			case k == "date":
				out[k] = "<date>"
			default:
				out[k] = normalise(t, e, urls)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalise(t, e, urls)
		}
		return out
	case string:
		return urls.Replace(x)
	}
	return v
}

func isString(v any) bool { _, ok := v.(string); return ok }

// requestSummary is what the golden files record of each request the
// server received: the operation, what was sent, and with which key,
// token and region it was signed.
func requestSummary(reqs []ststest.Request, users []ststest.User) []map[string]any {
	var out []map[string]any
	for _, r := range reqs {
		params := map[string]any{}
		for k, v := range r.Params {
			if k != "Action" && k != "Version" {
				params[k] = strings.Join(v, ",")
			}
		}
		key := r.AccessKeyID
		if tempKeyRE.MatchString(key) {
			key = "<temporary access key>"
		}
		token := r.SessionToken
		if len(token) > 40 {
			token = "<temporary session token>"
		}
		m := map[string]any{"action": r.Action, "params": params, "access_key": key, "region": r.Region, "status": r.Status}
		if token != "" {
			m["session_token"] = token
		}
		if r.Err != "" {
			m["error"] = r.Err
		}
		out = append(out, m)
	}
	return out
}

// golden compares got with testdata/e2e/<name>.json, or rewrites it.
func golden(t *testing.T, name string, got any) {
	t.Helper()
	data, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	path := filepath.Join("..", "..", "testdata", "e2e", name+".json")
	if *update {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file: %v (run go test ./internal/e2e -update to create it)", err)
	}
	var w, g any
	_ = json.Unmarshal(want, &w)
	_ = json.Unmarshal(data, &g)
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

// sortedStrings returns the keys of m, sorted.
func sortedStrings(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
