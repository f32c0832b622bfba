package result

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
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
	code := Write(&out, Result{"changed": true, "failed": false, "sts_user": map[string]any{"arn": "arn:aws:sts::123456789012:assumed-role/r/s"}}, runOf(args))
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

// TestWriteNonFinite: Python reads 1e400 as inf; the result still holds
// the real outcome and the invocation, with inf, -inf and nan written as
// Python's json.dumps writes them.
func TestWriteNonFinite(t *testing.T) {
	spec := moduleargs.Spec{{Name: "aws_config", Type: moduleargs.Dict}}
	args, err := moduleargs.Parse([]byte(`{"aws_config": {"user_agent_extra": 1e400, "x": [-1e400, 1.5, 3]}}`), spec, "m", func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	r := Failure("An error occurred (Throttling) when calling the AssumeRole operation: Rate exceeded")
	r["nan"] = math.NaN()
	r["chan"] = make(chan int) // no JSON form: written as its text
	if code := Write(&out, r, runOf(args)); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	got := out.String()
	for _, want := range []string{
		`"msg":"An error occurred (Throttling) when calling the AssumeRole operation: Rate exceeded"`,
		`"invocation":{"module_args":{"aws_config":{"user_agent_extra":Infinity,"x":[-Infinity,1.5,3]}}}`,
		`"nan":NaN`,
		`"failed":true`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output %s\ndoes not contain %s", got, want)
		}
	}
	if strings.Count(got, "\n") != 1 || !strings.HasPrefix(got, "{") || !strings.HasSuffix(got, "}\n") {
		t.Errorf("not one object on one line: %q", got)
	}
}

// TestEncodeLikeEncodingJSON: for finite values the output is what
// encoding/json wrote before (keys sorted, no HTML escaping).
func TestEncodeLikeEncodingJSON(t *testing.T) {
	v := map[string]any{"b": []any{1.0, 1e21, 0.1, int64(-3), "<&>\u2028\x01", nil, true}, "a": map[string]string{"z": "\xff"}, "c": []string{"x"}, "d": json.Number("123456789012345678901234567890")}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	encode(&got, v)
	got.WriteByte('\n')
	if diff := cmp.Diff(want.String(), got.String()); diff != "" {
		t.Errorf("(-encoding/json +ours)\n%s", diff)
	}
}
