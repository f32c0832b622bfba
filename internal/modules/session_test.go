package modules_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/fakests"
	"ansible-sts/internal/modules"
)

// The roles of the session tests: deploy trusts the test user, audit
// trusts deploy's sessions, and the locked roles refuse tags or a source
// identity.
const (
	userARN    = "arn:aws:iam::123456789012:user/" + keyID
	deployRole = "arn:aws:iam::123456789012:role/deploy"
	auditRole  = "arn:aws:iam::123456789012:role/audit"
	noTagsRole = "arn:aws:iam::123456789012:role/no-tags"
	noSIRole   = "arn:aws:iam::123456789012:role/no-source-identity"
	readOnly   = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	viewOnly   = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
)

func sessionConfig() fakests.Config {
	return fakests.Config{Roles: []fakests.Role{
		{ARN: deployRole, Trust: []string{userARN}},
		{ARN: auditRole, Trust: []string{deployRole}},
		{ARN: noTagsRole, Trust: []string{userARN, deployRole}, DenyTagSession: true},
		{ARN: noSIRole, Trust: []string{userARN, deployRole}, DenySetSourceIdentity: true},
	}}
}

// assume runs sts_assume_role of role with the extra options (JSON
// members, each after a comma) and returns its exit status and result.
func (f *fixture) assume(t *testing.T, role, extra string) (int, map[string]any) {
	t.Helper()
	args := fmt.Sprintf(`{"role_arn": %q, "role_session_name": "s1", "aws_config": {"retries": {"total_max_attempts": 1}}%s}`, role, extra)
	return f.run(t, modules.AssumeRole, writeArgs(t, args))
}

// lastParams returns the parameters of the last request the endpoint
// received, without Action and Version.
func (f *fixture) lastParams(t *testing.T) url.Values {
	t.Helper()
	reqs := f.srv.Requests()
	if len(reqs) == 0 {
		t.Fatal("no request was sent")
	}
	p := reqs[len(reqs)-1].Params
	p.Del("Action")
	p.Del("Version")
	return p
}

// TestSessionOptionsOnTheWire: each session option is sent in the query
// shapes of the STS model, tags in the order of their keys with their
// values as Python's str() writes them; the result carries what STS
// answered.
func TestSessionOptionsOnTheWire(t *testing.T) {
	f := newFixture(t, sessionConfig())
	base := url.Values{"RoleArn": {deployRole}, "RoleSessionName": {"s1"}}
	with := func(kv ...string) url.Values {
		v := url.Values{}
		for k, vs := range base {
			v[k] = vs
		}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	tests := map[string]struct {
		extra  string
		params url.Values
		packed any // packed_policy_size, nil when absent
		si     any // source_identity, nil when absent
	}{
		"policy_arns": {
			extra:  `, "policy_arns": ["` + readOnly + `", "` + viewOnly + `"]`,
			params: with("PolicyArns.member.1.arn", readOnly, "PolicyArns.member.2.arn", viewOnly),
			packed: float64(5),
		},
		"policy_arns as a comma-separated string": {
			extra:  `, "policy_arns": "` + readOnly + `,` + viewOnly + `"`,
			params: with("PolicyArns.member.1.arn", readOnly, "PolicyArns.member.2.arn", viewOnly),
			packed: float64(5),
		},
		"tags, sorted by key, values as str()": {
			extra: `, "tags": {"team": "platform", "Cost": 1.5, "enabled": true, "count": 3}`,
			params: with("Tags.member.1.Key", "Cost", "Tags.member.1.Value", "1.5",
				"Tags.member.2.Key", "count", "Tags.member.2.Value", "3",
				"Tags.member.3.Key", "enabled", "Tags.member.3.Value", "True",
				"Tags.member.4.Key", "team", "Tags.member.4.Value", "platform"),
			packed: float64(2),
		},
		"tags from key=value": {
			extra:  `, "tags": "team=platform, env=ci"`,
			params: with("Tags.member.1.Key", "env", "Tags.member.1.Value", "ci", "Tags.member.2.Key", "team", "Tags.member.2.Value", "platform"),
			packed: float64(1),
		},
		"an empty tag value": {
			extra:  `, "tags": {"team": ""}`,
			params: with("Tags.member.1.Key", "team", "Tags.member.1.Value", ""),
			packed: float64(1),
		},
		"transitive_tag_keys": {
			extra: `, "tags": {"team": "platform", "env": "ci"}, "transitive_tag_keys": ["team", "env"]`,
			params: with("Tags.member.1.Key", "env", "Tags.member.1.Value", "ci", "Tags.member.2.Key", "team", "Tags.member.2.Value", "platform",
				"TransitiveTagKeys.member.1", "team", "TransitiveTagKeys.member.2", "env"),
			packed: float64(1),
		},
		"source_identity": {
			extra:  `, "source_identity": "alice@example.com"`,
			params: with("SourceIdentity", "alice@example.com"),
			si:     "alice@example.com",
		},
		"empty lists and dict are sent empty, as botocore sends them": {
			extra:  `, "policy_arns": [], "tags": {}, "transitive_tag_keys": []`,
			params: with("PolicyArns", "", "Tags", "", "TransitiveTagKeys", ""),
		},
		"null options are not sent": {
			extra:  `, "policy_arns": null, "tags": null, "transitive_tag_keys": null, "source_identity": null`,
			params: base,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			code, r := f.assume(t, deployRole, tc.extra)
			wantCredentials(t, code, r)
			if diff := cmp.Diff(tc.params, f.lastParams(t)); diff != "" {
				t.Errorf("parameters sent (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.packed, r["packed_policy_size"]); diff != "" {
				t.Errorf("packed_policy_size (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.si, r["source_identity"]); diff != "" {
				t.Errorf("source_identity (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSessionClientChecks: the session options are checked as botocore
// checks the request (minimum lengths only, each element in turn, in
// request order after the Python module's parameters), and nothing is
// sent. The texts are botocore's, which internal/stsio's
// TestBotocoreTexts reproduces with botocore itself.
func TestSessionClientChecks(t *testing.T) {
	f := newFixture(t, sessionConfig())
	tests := map[string]struct{ extra, want string }{
		"a short policy ARN": {
			extra: `, "policy_arns": ["` + readOnly + `", "arn:aws:iam::x"]`,
			want:  "Invalid length for parameter PolicyArns[1].arn, value: 14, valid min length: 20",
		},
		"an empty tag key, indexed in key order": {
			extra: `, "tags": {"team": "a", "": "b"}`,
			want:  "Invalid length for parameter Tags[0].Key, value: 0, valid min length: 1",
		},
		"tag values that are not scalars": {
			extra: `, "tags": {"a": null, "b": [1, "x"], "c": {"d": 1}, "e": 2}`,
			want: "Invalid type for parameter Tags[0].Value, value: None, type: <class 'NoneType'>, valid types: <class 'str'>\n" +
				"Invalid type for parameter Tags[1].Value, value: [1, 'x'], type: <class 'list'>, valid types: <class 'str'>\n" +
				"Invalid type for parameter Tags[2].Value, value: {'d': 1}, type: <class 'dict'>, valid types: <class 'str'>",
		},
		"an empty transitive key": {
			extra: `, "tags": {"team": "a"}, "transitive_tag_keys": ["team", ""]`,
			want:  "Invalid length for parameter TransitiveTagKeys[1], value: 0, valid min length: 1",
		},
		"a short source identity": {
			extra: `, "source_identity": "a"`,
			want:  "Invalid length for parameter SourceIdentity, value: 1, valid min length: 2",
		},
		"all four, after the Python module's parameters": {
			extra: `, "role_session_name": "x", "policy_arns": ["p"], "tags": {"": "v"}, "transitive_tag_keys": [""], "source_identity": "é", "external_id": "e"`,
			want: "Invalid length for parameter RoleSessionName, value: 1, valid min length: 2\n" +
				"Invalid length for parameter ExternalId, value: 1, valid min length: 2\n" +
				"Invalid length for parameter PolicyArns[0].arn, value: 1, valid min length: 20\n" +
				"Invalid length for parameter Tags[0].Key, value: 0, valid min length: 1\n" +
				"Invalid length for parameter TransitiveTagKeys[0], value: 0, valid min length: 1\n" +
				"Invalid length for parameter SourceIdentity, value: 1, valid min length: 2",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			code, r := f.assume(t, deployRole, tc.extra)
			if want := "Parameter validation failed:\n" + tc.want; code != 1 || r["msg"] != want {
				t.Errorf("exit status %d, msg %q; want 1, %q", code, r["msg"], want)
			}
		})
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	code, r := f.assume(t, deployRole, `, "policy_arns": {"arn": "`+readOnly+`"}`)
	wantFailure(t, code, r, "argument 'policy_arns' is of type <class 'dict'> and we were unable to convert to list: <class 'dict'> cannot be converted to a list")
}

// manyTags returns a tags option of n tags, key KEYi and value v.
func manyTags(n int, v string) string {
	tags := map[string]string{}
	for i := range n {
		tags[fmt.Sprintf("k%02d", i)] = v
	}
	b, _ := json.Marshal(tags)
	return `, "tags": ` + string(b)
}

// TestSessionServerRefusals: what botocore leaves to STS (maximums,
// patterns, duplicate keys, trust) is sent, and STS's refusal is the
// module's failure, in amazon.aws's words around AWS's.
func TestSessionServerRefusals(t *testing.T) {
	f := newFixture(t, sessionConfig())
	arns := make([]string, 11)
	for i := range arns {
		arns[i] = fmt.Sprintf(`"arn:aws:iam::aws:policy/Policy%02d"`, i)
	}
	const prefix = "An error occurred "
	tests := map[string]struct{ role, extra, want string }{
		"51 tags": {role: deployRole, extra: manyTags(51, "v"),
			want: "(ValidationError) when calling the AssumeRole operation: 1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"},
		"11 policy ARNs": {role: deployRole, extra: `, "policy_arns": [` + strings.Join(arns, ", ") + `]`,
			want: "(ValidationError) when calling the AssumeRole operation: 1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10"},
		"a long tag key": {role: deployRole, extra: `, "tags": {"` + strings.Repeat("k", 129) + `": "v"}`,
			want: "(ValidationError) when calling the AssumeRole operation: 1 validation error detected: Value '" + strings.Repeat("k", 129) + "' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"},
		"a source identity with a space": {role: deployRole, extra: `, "source_identity": "alice smith"`,
			want: `(ValidationError) when calling the AssumeRole operation: 1 validation error detected: Value 'alice smith' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		"a long source identity": {role: deployRole, extra: `, "source_identity": "` + strings.Repeat("a", 65) + `"`,
			want: "(ValidationError) when calling the AssumeRole operation: 1 validation error detected: Value '" + strings.Repeat("a", 65) + "' at 'sourceIdentity' failed to satisfy constraint: Member must have length less than or equal to 64"},
		"tag keys differing in case": {role: deployRole, extra: `, "tags": {"Team": "a", "team": "b"}`,
			want: "(InvalidParameterValue) when calling the AssumeRole operation: " + fakests.MsgDuplicateTagKeys},
		"a transitive key without its tag": {role: deployRole, extra: `, "tags": {"team": "a"}, "transitive_tag_keys": ["env"]`,
			want: "(InvalidParameterValue) when calling the AssumeRole operation: " + fakests.MsgTransitiveKeyNotTagged},
		"tags over the packed size": {role: deployRole, extra: manyTags(20, strings.Repeat("v", 200)),
			want: "(PackedPolicyTooLarge) when calling the AssumeRole operation: Packed size of session tags consumes 199% of allotted space."},
		"a role that refuses tags": {role: noTagsRole, extra: `, "tags": {"team": "a"}`,
			want: "(AccessDenied) when calling the AssumeRole operation: User: " + userARN + " is not authorized to perform: sts:TagSession on resource: " + noTagsRole},
		"a role that refuses a source identity": {role: noSIRole, extra: `, "source_identity": "alice"`,
			want: "(AccessDenied) when calling the AssumeRole operation: User: " + userARN + " is not authorized to perform: sts:SetSourceIdentity on resource: " + noSIRole},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f.srv.Reset()
			code, r := f.assume(t, tc.role, tc.extra)
			if want := prefix + tc.want; code != 1 || r["msg"] != want {
				t.Errorf("exit status %d, msg %q; want 1, %q", code, r["msg"], want)
			}
			if n := len(f.srv.Requests()); n != 1 {
				t.Errorf("%d requests sent, want the one STS refused", n)
			}
		})
	}
}

// creds returns the options that sign with the keys of result r.
func creds(t *testing.T, r map[string]any) string {
	t.Helper()
	c, _ := r["sts_creds"].(map[string]any)
	return fmt.Sprintf(`, "aws_access_key": %q, "aws_secret_key": %q, "security_token": %q`, c["access_key"], c["secret_key"], c["session_token"])
}

// TestSessionChain: the transitive tags and the source identity of a
// session pass on to the role it assumes with its credentials, as STS
// passes them on; the second call shows them in its packed size and
// source identity, in what it cannot override, and in a role that
// refuses them.
func TestSessionChain(t *testing.T) {
	f := newFixture(t, sessionConfig())
	code, first := f.assume(t, deployRole, `, "tags": {"team": "platform", "env": "ci"}, "transitive_tag_keys": ["team"], "source_identity": "alice"`)
	wantCredentials(t, code, first)
	if first["source_identity"] != "alice" || first["packed_policy_size"] != float64(1) {
		t.Errorf("first call: source_identity %v, packed_policy_size %v; want alice, 1", first["source_identity"], first["packed_policy_size"])
	}
	chained := creds(t, first)

	// No option of its own: the team tag and alice pass on.
	code, second := f.assume(t, auditRole, chained)
	wantCredentials(t, code, second)
	if second["source_identity"] != "alice" || second["packed_policy_size"] != float64(1) {
		t.Errorf("chained call: source_identity %v, packed_policy_size %v; want alice, 1 (the team tag)", second["source_identity"], second["packed_policy_size"])
	}
	if user, _ := second["sts_user"].(map[string]any); user["arn"] != "arn:aws:sts::123456789012:assumed-role/audit/s1" {
		t.Errorf("chained call: sts_user %v", user)
	}
	if p := f.lastParams(t); p.Has("SourceIdentity") || p.Has("Tags.member.1.Key") {
		t.Errorf("chained call sent %v; the session passes them on by itself", p)
	}
	// The same source identity may be given again, and a tag that is
	// not transitive set anew.
	code, again := f.assume(t, auditRole, chained+`, "source_identity": "alice", "tags": {"env": "prod"}`)
	wantCredentials(t, code, again)
	if again["source_identity"] != "alice" {
		t.Errorf("chained call with the same source identity: %v", again["source_identity"])
	}

	refusals := map[string]struct{ role, extra, want string }{
		"another source identity": {auditRole, `, "source_identity": "bob"`,
			"An error occurred (ValidationError) when calling the AssumeRole operation: " + fakests.MsgSourceIdentitySet},
		"a transitive tag set again": {auditRole, `, "tags": {"Team": "other"}`,
			"An error occurred (InvalidParameterValue) when calling the AssumeRole operation: " + fakests.MsgTransitiveTagConflict},
		"a role that refuses the passed-on tags": {noTagsRole, "",
			"An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:sts::123456789012:assumed-role/deploy/s1 is not authorized to perform: sts:TagSession on resource: " + noTagsRole},
		"a role that refuses the passed-on source identity": {noSIRole, "",
			"An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:sts::123456789012:assumed-role/deploy/s1 is not authorized to perform: sts:SetSourceIdentity on resource: " + noSIRole},
		"more than an hour": {auditRole, `, "duration_seconds": 7200`,
			"An error occurred (ValidationError) when calling the AssumeRole operation: " + fakests.MsgChainedDuration},
	}
	for name, tc := range refusals {
		t.Run(name, func(t *testing.T) {
			code, r := f.assume(t, tc.role, chained+tc.extra)
			if code != 1 || r["msg"] != tc.want {
				t.Errorf("exit status %d, msg %q; want 1, %q", code, r["msg"], tc.want)
			}
		})
	}
}

// TestSessionTokenChainCap: a role assumed with GetSessionToken's
// credentials gets an hour at most, as in AWS.
func TestSessionTokenChainCap(t *testing.T) {
	f := newFixture(t, sessionConfig())
	code, session := f.run(t, modules.SessionToken, writeArgs(t, `{"duration_seconds": 7200}`))
	wantCredentials(t, code, session)
	code, r := f.assume(t, deployRole, creds(t, session)+`, "duration_seconds": 7200`)
	want := "An error occurred (ValidationError) when calling the AssumeRole operation: The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
	if code != 1 || r["msg"] != want {
		t.Errorf("exit status %d, msg %q; want 1, %q", code, r["msg"], want)
	}
	if e, _ := r["error"].(map[string]any); e["code"] != "ValidationError" || e["type"] != "Sender" {
		t.Errorf("error %v, want ValidationError from the Sender", r["error"])
	}
	code, r = f.assume(t, deployRole, creds(t, session)+`, "duration_seconds": 3600`)
	wantCredentials(t, code, r)
}

// TestAWSEnv: both modules return the new credentials as environment
// variables too, the same values as sts_creds; a check-mode run returns
// neither.
func TestAWSEnv(t *testing.T) {
	f := newFixture(t, sessionConfig())
	for _, m := range modules.All {
		t.Run(m.Name, func(t *testing.T) {
			args := `{"_ansible_module_name": "` + m.Name + `"}`
			if m.Name == modules.AssumeRole.Name {
				args = `{"role_arn": "` + deployRole + `", "role_session_name": "s1"}`
			}
			code, r := f.run(t, m, writeArgs(t, args))
			wantCredentials(t, code, r)
			c, _ := r["sts_creds"].(map[string]any)
			want := map[string]any{
				"AWS_ACCESS_KEY_ID":     c["access_key"],
				"AWS_SECRET_ACCESS_KEY": c["secret_key"],
				"AWS_SESSION_TOKEN":     c["session_token"],
				"AWS_SECURITY_TOKEN":    c["session_token"],
			}
			if diff := cmp.Diff(want, r["aws_env"]); diff != "" {
				t.Errorf("aws_env (-want +got):\n%s", diff)
			}
			if s, _ := c["secret_key"].(string); !strings.HasPrefix(fmt.Sprint(c["access_key"]), "ASIA") || s == "" || strings.Contains(s, "*") {
				t.Errorf("sts_creds %v: want the new keys, unmasked", c)
			}

			code, r = f.run(t, m, writeArgs(t, strings.Replace(args, "{", `{"_ansible_check_mode": true, `, 1)))
			if _, ok := r["aws_env"]; code != 0 || r["skipped"] != true || ok {
				t.Errorf("check mode: exit status %d, %v; want skipped without aws_env", code, r)
			}
		})
	}
}
