package result

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/pyvalue"
)

func TestMask(t *testing.T) {
	secrets := []string{"123456", "s3cret"}
	obj := pyvalue.NewObject()
	obj.Set("s3cret_key", "s3cret")
	obj.Set("nested", []any{"x-s3cret-y", int64(1234567), 12.5, true, nil})
	in := map[string]any{
		"equal":     "123456",
		"substring": "arn:aws:iam::123456789012:role/demo",
		"int":       int64(91234567),
		"float":     1.123456,
		"other_int": 42,
		"list":      []string{"a123456b"},
		"obj":       obj,
	}
	want := map[string]any{
		"equal":     NoLogPlaceholder,
		"substring": "arn:aws:iam::********789012:role/demo",
		"int":       NoLogPlaceholder,
		"float":     NoLogPlaceholder,
		"other_int": 42,
		"list":      []any{"a********b"},
		"obj":       map[string]any{"********_key": NoLogPlaceholder, "nested": []any{"x-********-y", NoLogPlaceholder, 12.5, true, nil}},
	}
	got := Mask(in, secrets).(map[string]any)
	o := got["obj"].(*pyvalue.Object)
	gotObj := map[string]any{}
	for _, k := range o.Keys() {
		v, _ := o.Get(k)
		gotObj[k] = v
	}
	got["obj"] = gotObj
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Mask (-want +got):\n%s", diff)
	}
	if s, _ := in["equal"].(string); s != "123456" {
		t.Error("Mask changed its input")
	}
}

// TestMaskKeys: a key is masked as a value is, in any case of its
// letters, and two keys that mask to
// the same text both survive, the later ones (in sorted order for a map,
// in its own for an Object) with a number.
func TestMaskKeys(t *testing.T) {
	secrets := []string{"572839", "wJalrXUtnFEMI"}
	headers := map[string]any{
		"x-seen-code-572839":          "1",
		"x-seen-code-********":        "sent so by the endpoint",
		"x-seen-code-572839572839":    "2",
		"x-seen-secret-wJalrXUtnFEMI": "3",
		"x-seen-lower-wjalrxutnfemi":  "5",
		"572839":                      "4",
		"content-type":                "text/xml",
	}
	want := map[string]any{
		"x-seen-code-********":         "sent so by the endpoint",
		"x-seen-code-******** (2)":     "1",
		"x-seen-code-****************": "2",
		"x-seen-secret-********":       "3",
		"x-seen-lower-********":        "5",
		NoLogPlaceholder:               "4",
		"content-type":                 "text/xml",
	}
	got := Mask(map[string]any{"http_headers": headers}, secrets).(map[string]any)
	if diff := cmp.Diff(want, got["http_headers"]); diff != "" {
		t.Errorf("Mask (-want +got):\n%s", diff)
	}

	obj := pyvalue.NewObject()
	obj.Set("b-572839", 1)
	obj.Set("a-572839", 2)
	obj.Set("a-********", 3)
	masked := Mask(obj, secrets).(*pyvalue.Object)
	var pairs []string
	for _, k := range masked.Keys() {
		v, _ := masked.Get(k)
		pairs = append(pairs, fmt.Sprintf("%s=%v", k, v))
	}
	wantPairs := []string{"b-********=1", "a-******** (2)=2", "a-********=3"}
	if diff := cmp.Diff(wantPairs, pairs); diff != "" {
		t.Errorf("Object keys (-want +got):\n%s", diff)
	}
}

func TestMaskNullAndBoolByTheirPythonText(t *testing.T) {
	// Python's remove_values compares str(None) and str(True): a secret
	// "on" hides a null, "ru" hides true.
	got := Mask([]any{nil, true, false}, []string{"on", "ru"})
	want := []any{NoLogPlaceholder, NoLogPlaceholder, false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Mask (-want +got):\n%s", diff)
	}
}

func TestMaskEncodedForms(t *testing.T) {
	secrets := []string{"se/cr+et", "12/34+56==", `q"uo\te`, "pass phraseé"}
	tests := map[string]struct{ in, want string }{
		"userinfo, query-encoded":      {"https://AKID:se%2Fcr%2Bet@127.0.0.1:1/", "https://AKID:********@127.0.0.1:1/"},
		"lower-case hex":               {"https://AKID:se%2fcr%2bet@host", "https://AKID:********@host"},
		"path-encoded, + kept":         {"/x/se%2Fcr+et/y", "/x/********/y"},
		"every byte encoded":           {"%73%65%2F%63%72%2B%65%74", NoLogPlaceholder},
		"form body echoed":             {"bad request: Action=GetSessionToken&TokenCode=12%2F34%2B56%3D%3D&Version=2011-06-15", "bad request: Action=GetSessionToken&TokenCode=********&Version=2011-06-15"},
		"space as +":                   {"x=pass+phrase%C3%A9&y=1", "x=********&y=1"},
		"space as %20":                 {"x=pass%20phrase%c3%a9", "x=********"},
		"JSON escapes":                 {`{"code": "12\/34+56=="}`, `{"code": "********"}`},
		"JSON unicode escapes":         {`"\u0031\u0032\u002f34\u002B56=="`, `"********"`},
		"JSON-escaped quote and slash": {`{"k": "q\"uo\\te"}`, `{"k": "********"}`},
		"JSON then percent":            {`msg=q%5C%22uo%5C%5Cte.`, `msg=********.`},
		"double percent-encoding":      {"u=se%252Fcr%252Bet", "u=********"},
		"equal once decoded":           {"se%2Fcr%2Bet", NoLogPlaceholder},
		"raw and encoded in one":       {"se/cr+et se%2Fcr%2Bet", "******** ********"},
		"not an escape":                {"100% of %zz and a+b", "100% of %zz and a+b"},
		"a bare backslash":             {`C:\temp\`, `C:\temp\`},
		"non-ASCII around":             {"é se/cr+et é", "é ******** é"},
		"non-ASCII secret, escaped":    {`"pass phrase\u00e9" and pass%20phrase%C3%A9`, `"********" and ********`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Mask(tc.in, secrets)); diff != "" {
				t.Errorf("Mask(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestMaskLongestFirst(t *testing.T) {
	tests := map[string]struct {
		secrets  []string
		in, want string
	}{
		"shorter inside longer":      {[]string{"123456", "tok123456tok"}, "echo tok123456tok.", "echo ********."},
		"listed the other way round": {[]string{"tok123456tok", "123456"}, "echo tok123456tok.", "echo ********."},
		"shorter at the start":       {[]string{"xs3c", "s3cretKEY"}, "a xs3cretKEY b", "a ******** b"},
		"overlapping, not nested":    {[]string{"abcd", "cdef"}, "-abcdef-", "-********-"},
		"encoded longer, raw short":  {[]string{"34+5", "12/34+56=="}, "TokenCode=12%2F34%2B56%3D%3D", "TokenCode=********"},
		"touching occurrences count": {[]string{"s3cret"}, "s3crets3cret", "****************"},
		"as str.replace counts":      {[]string{"aba"}, "ababa", "********ba"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Mask(tc.in, tc.secrets)); diff != "" {
				t.Errorf("Mask (-want +got):\n%s", diff)
			}
		})
	}
}
