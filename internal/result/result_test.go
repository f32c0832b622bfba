package result

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/moduleargs"
)

func TestExpiration(t *testing.T) {
	tests := map[string]struct {
		in   time.Time
		want string
	}{
		"whole seconds":   {time.Date(2016, 4, 8, 11, 59, 47, 0, time.UTC), "2016-04-08T11:59:47+00:00"},
		"milliseconds":    {time.Date(2011, 7, 11, 19, 55, 29, 611e6, time.UTC), "2011-07-11T19:55:29.611000+00:00"},
		"nanoseconds cut": {time.Date(2011, 7, 11, 19, 55, 29, 1500, time.UTC), "2011-07-11T19:55:29.000001+00:00"},
		"other zone":      {time.Date(2026, 1, 1, 1, 0, 0, 0, time.FixedZone("x", 3600)), "2026-01-01T00:00:00+00:00"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Expiration(tc.in)); diff != "" {
				t.Errorf("Expiration (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWrite(t *testing.T) {
	spec := moduleargs.Spec{{Name: "mfa_token", NoLog: true}, {Name: "role_arn"}, {Name: "region", Aliases: []string{"aws_region"}}}
	args, err := moduleargs.Parse([]byte(`{"mfa_token": "123456", "role_arn": "arn:aws:iam::123456789012:role/r", "region": "a", "aws_region": "b"}`), spec, "m", func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	code := Write(&out, Result{"changed": true, "failed": false, "sts_user": map[string]any{"arn": "arn:aws:sts::123456789012:assumed-role/r/s"}}, args)
	if code != 0 {
		t.Errorf("exit status %d", code)
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"changed":  true,
		"failed":   false,
		"sts_user": map[string]any{"arn": "arn:aws:sts::********789012:assumed-role/r/s"},
		"warnings": []any{"Both option region and its alias aws_region are set."},
		"invocation": map[string]any{"module_args": map[string]any{
			"mfa_token": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER", "role_arn": "arn:aws:iam::********789012:role/r", "region": "b", "aws_region": "b",
		}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if !bytes.HasSuffix(out.Bytes(), []byte("}\n")) || bytes.Count(out.Bytes(), []byte("\n")) != 1 {
		t.Errorf("not one line: %q", out.Bytes())
	}
	if code := Write(&out, Failure("x"), nil); code != 1 {
		t.Errorf("failure exit status %d", code)
	}
}
