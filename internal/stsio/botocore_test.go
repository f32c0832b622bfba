package stsio_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/modules"
	"ansible-sts/internal/stsio"
)

// validateScript prints, for each request of the JSON list it reads, what
// botocore's validate_parameters says of it against the AssumeRole input
// shape of its STS model: "" when it passes.
const validateScript = `
import json, sys
import botocore.session
from botocore.exceptions import ParamValidationError
from botocore.validate import validate_parameters

shape = botocore.session.get_session().get_service_model("sts").operation_model("AssumeRole").input_shape
out = []
for params in json.load(sys.stdin):
    try:
        validate_parameters(params, shape)
        out.append("")
    except ParamValidationError as e:
        out.append(str(e))
print(json.dumps(out))
`

// botocoreTexts returns botocore's verdict on each request, run by
// Debian's /usr/bin/python3 (python3-boto3's botocore, the reference's).
func botocoreTexts(t *testing.T, requests []string) []string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("/usr/bin/python3 with botocore (Debian's python3-boto3) is required in CI")
		}
		t.Skip("/usr/bin/python3 not available")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/usr/bin/python3", "-c", validateScript)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir(), "AWS_EC2_METADATA_DISABLED=true"}
	cmd.Stdin = strings.NewReader("[" + strings.Join(requests, ",") + "]")
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("botocore: %v: %s", err, exit.Stderr)
		}
		t.Fatalf("botocore: %v", err)
	}
	var texts []string
	if err := json.Unmarshal(out, &texts); err != nil {
		t.Fatalf("botocore's answer %q: %v", out, err)
	}
	return texts
}

// TestBotocoreTexts: for the session options, Check says what botocore
// says of the request the module builds (tags sorted by key, scalar
// values as str(), null, list and dict values as given), word for word;
// and like botocore it checks no maximum.
func TestBotocoreTexts(t *testing.T) {
	const base = `"role_arn": "arn:aws:iam::123456789012:role/demo", "role_session_name": "s1"`
	const baseRequest = `"RoleArn": "arn:aws:iam::123456789012:role/demo", "RoleSessionName": "s1"`
	long := func(n int) string { return `"` + strings.Repeat("a", n) + `"` }
	tests := []struct {
		name, options, request string
	}{
		{"short policy ARNs",
			`"policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::x", ""]`,
			`"PolicyArns": [{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}, {"arn": "arn:aws:iam::x"}, {"arn": ""}]`},
		{"an empty tag key",
			`"tags": {"team": "a", "": "b"}`,
			`"Tags": [{"Key": "", "Value": "b"}, {"Key": "team", "Value": "a"}]`},
		{"tag values botocore refuses",
			`"tags": {"a": null, "b": [1, "x"], "c": {"d": 1}, "e": 2, "f": true}`,
			`"Tags": [{"Key": "a", "Value": null}, {"Key": "b", "Value": [1, "x"]}, {"Key": "c", "Value": {"d": 1}}, {"Key": "e", "Value": "2"}, {"Key": "f", "Value": "True"}]`},
		{"empty transitive keys",
			`"transitive_tag_keys": ["", "team", ""]`,
			`"TransitiveTagKeys": ["", "team", ""]`},
		{"a short source identity, in characters",
			`"source_identity": "é"`,
			`"SourceIdentity": "é"`},
		{"every one, in request order",
			`"role_session_name": "x", "external_id": "e", "source_identity": "a", "transitive_tag_keys": [""], "tags": {"": null}, "policy_arns": ["p"]`,
			`"RoleArn": "arn:aws:iam::123456789012:role/demo", "RoleSessionName": "x", "ExternalId": "e", "PolicyArns": [{"arn": "p"}], "Tags": [{"Key": "", "Value": null}], "TransitiveTagKeys": [""], "SourceIdentity": "a"`},
		{"no maximum: 51 tags, 11 policy ARNs, long keys and source identity",
			`"tags": {` + manyKeys(51) + `, ` + long(129) + `: ` + long(257) + `}, "policy_arns": [` + strings.Repeat(long(2049)+`, `, 10) + long(20) + `], "transitive_tag_keys": [` + strings.Repeat(`"k", `, 50) + long(129) + `], "source_identity": ` + long(65),
			`"Tags": [{"Key": ` + long(129) + `, "Value": ` + long(257) + `}, ` + manyTags(51) + `], "PolicyArns": [` + strings.Repeat(`{"arn": `+long(2049)+`}, `, 10) + `{"arn": ` + long(20) + `}], "TransitiveTagKeys": [` + strings.Repeat(`"k", `, 50) + long(129) + `], "SourceIdentity": ` + long(65)},
		{"empty lists and dict",
			`"policy_arns": [], "tags": {}, "transitive_tag_keys": []`,
			`"PolicyArns": [], "Tags": [], "TransitiveTagKeys": []`},
	}
	var requests, ours []string
	for _, tc := range tests {
		request := "{" + baseRequest + ", " + tc.request + "}"
		if strings.HasPrefix(tc.request, `"RoleArn"`) {
			request = "{" + tc.request + "}"
		}
		requests = append(requests, request)
		args, err := moduleargs.Parse([]byte("{"+base+", "+tc.options+"}"), modules.AssumeRole.Spec(), "sts_assume_role", func(string) (string, bool) { return "", false })
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := ""
		if err := stsio.Check(args, modules.AssumeRole.Params); err != nil {
			got = err.Error()
		}
		ours = append(ours, got)
	}
	texts := botocoreTexts(t, requests)
	for i, tc := range tests {
		if diff := cmp.Diff(texts[i], ours[i]); diff != "" {
			t.Errorf("%s (-botocore +Check):\n%s", tc.name, diff)
		}
		if (ours[i] == "") != (i >= len(tests)-2) {
			t.Errorf("%s: Check says %q", tc.name, ours[i])
		}
	}
}

// manyKeys returns n JSON members "kNN": "v", in key order.
func manyKeys(n int) string {
	var members []string
	for i := range n {
		members = append(members, fmt.Sprintf(`"k%02d": "v"`, i))
	}
	return strings.Join(members, ", ")
}

// manyTags returns the request's Tags of manyKeys(n).
func manyTags(n int) string {
	var tags []string
	for i := range n {
		tags = append(tags, fmt.Sprintf(`{"Key": "k%02d", "Value": "v"}`, i))
	}
	return strings.Join(tags, ", ")
}
