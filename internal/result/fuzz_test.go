package result_test

import (
	"ansible-sts/internal/result"
	"ansible-sts/test/testenv"
	"net/url"
	"strings"
	"testing"
)

// The seeds are in testdata/fuzz/FuzzMask and in f.Add below; plain go test
// runs them. To fuzz the target for a while:
//
//	go test -run '^$' -fuzz '^FuzzMask$' -fuzztime 60s ./internal/result

// FuzzMask: whatever the string and the secrets, no secret that masking
// cannot itself write shows in the result, and an encoded secret put
// between spaces in the string is masked there.
func FuzzMask(f *testing.F) {
	f.Add("https://AKID:se%2Fcr%2Bet@host", "se/cr+et", "cr")
	f.Add("TokenCode=12%2F34%2B56%3D%3D", "12/34+56==", "34+5")
	f.Add(`{"k": "q\"uo\\te\u002f"}`, `q"uo\te/`, "uo")
	f.Add("tok123456tok", "123456", "tok123456tok")
	f.Add("%%2F%252F\\u002F+", "/", " ")
	f.Fuzz(func(t *testing.T, s, a, b string) {
		secrets := []string{a, b}
		if got, _ := result.Mask(s, secrets).(string); got != result.NoLogPlaceholder {
			for _, secret := range secrets {
				if testenv.Checkable(secret) && strings.Contains(got, secret) {
					t.Errorf("Mask(%q, %q) = %q shows %q", s, secrets, got, secret)
				}
			}
		}
		for _, secret := range secrets {
			if !testenv.Checkable(secret) {
				continue
			}
			for _, form := range []string{url.QueryEscape(secret), url.PathEscape(secret)} {
				in := s + " " + form + " " + s
				got, _ := result.Mask(in, secrets).(string)
				if strings.Count(got, form) >= strings.Count(in, form) {
					t.Errorf("Mask(%q, %q) = %q leaves %q", in, secrets, got, form)
				}
			}
		}
	})
}
