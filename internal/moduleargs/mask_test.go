package moduleargs

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMask(t *testing.T) {
	secrets := []string{"123456", "s3cret"}
	obj := NewObject()
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
		"obj":       map[string]any{"s3cret_key": NoLogPlaceholder, "nested": []any{"x-********-y", NoLogPlaceholder, 12.5, true, nil}},
	}
	got := Mask(in, secrets).(map[string]any)
	o := got["obj"].(*Object)
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

func TestMaskNullAndBoolByTheirPythonText(t *testing.T) {
	// Python's remove_values compares str(None) and str(True): a secret
	// "on" hides a null, "ru" hides true.
	got := Mask([]any{nil, true, false}, []string{"on", "ru"})
	want := []any{NoLogPlaceholder, NoLogPlaceholder, false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Mask (-want +got):\n%s", diff)
	}
}

func TestPyStr(t *testing.T) {
	tests := map[string]struct {
		in   any
		want string
	}{
		"newline in repr": {[]any{"a\nb"}, `['a\nb']`},
		"both quotes":     {[]any{`it's "x"`}, `['it\'s "x"']`},
		"control char":    {[]any{"\x01"}, `['\x01']`},
		"unicode kept":    {[]any{"café"}, `['café']`},
		"large float":     {123456789012345678.0, "1.2345678901234568e+17"},
		"float 1e15":      {1e15, "1000000000000000.0"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, PyStr(tc.in)); diff != "" {
				t.Errorf("PyStr (-want +got):\n%s", diff)
			}
		})
	}
}
