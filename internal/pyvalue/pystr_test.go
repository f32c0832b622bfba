package pyvalue

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStr(t *testing.T) {
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
			if diff := cmp.Diff(tc.want, Str(tc.in)); diff != "" {
				t.Errorf("Str (-want +got):\n%s", diff)
			}
		})
	}
}
