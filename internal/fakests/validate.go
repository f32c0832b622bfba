package fakests

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// rule is one input member's constraints from the STS API model.
type rule struct {
	param    string // form parameter, e.g. RoleSessionName
	member   string // name AWS uses in messages, e.g. roleSessionName
	required bool
	// minLen and maxLen bound a string's length; maxLen 0 means no bound.
	minLen, maxLen int
	pattern        string // AWS spelling, shown in messages
	re             *regexp.Regexp
	// integer members are bounded by minVal and maxVal.
	integer        bool
	minVal, maxVal int64
}

func stringRule(param string, required bool, minLen, maxLen int, pattern, goPattern string) rule {
	r := rule{param: param, member: lowerFirst(param), required: required, minLen: minLen, maxLen: maxLen, pattern: pattern}
	if goPattern != "" {
		r.re = regexp.MustCompile(`^(?:` + goPattern + `)$`)
	}
	return r
}

func intRule(param string, minVal, maxVal int64) rule {
	return rule{param: param, member: lowerFirst(param), integer: true, minVal: minVal, maxVal: maxVal}
}

const (
	namePattern     = `[\w+=,.@-]*`
	policyPattern   = `[\u0009\u000A\u000D\u0020-\u00FF]+`
	policyGoPattern = `[\x{0009}\x{000A}\x{000D}\x{0020}-\x{00FF}]+`
	serialPattern   = `[\w+=/:,.@-]*`
	tokenPattern    = `[\d]*`
)

// Constraints of the STS model (botocore sts 2011-06-15), in member order.
var (
	assumeRoleRules = []rule{
		stringRule("RoleArn", true, 20, 2048, "", ""),
		stringRule("RoleSessionName", true, 2, 64, namePattern, namePattern),
		stringRule("Policy", false, 1, 2048, policyPattern, policyGoPattern),
		intRule("DurationSeconds", 900, 43200),
		stringRule("ExternalId", false, 2, 1224, `[\w+=,.@:\/-]*`, `[\w+=,.@:\/-]*`),
		stringRule("SerialNumber", false, 9, 256, serialPattern, serialPattern),
		stringRule("TokenCode", false, 6, 6, tokenPattern, tokenPattern),
		stringRule("SourceIdentity", false, 2, 64, namePattern, namePattern),
	}
	getSessionTokenRules = []rule{
		intRule("DurationSeconds", 900, 129600),
		stringRule("SerialNumber", false, 9, 256, serialPattern, serialPattern),
		stringRule("TokenCode", false, 6, 6, tokenPattern, tokenPattern),
	}
)

// validate checks params against rules and returns AWS's ValidationError
// listing every violation, or nil.
func validate(params url.Values, rules []rule) *apiError {
	var violations []string
	for _, r := range rules {
		vs, present := params[r.param]
		if !present || len(vs) == 0 {
			if r.required {
				violations = append(violations, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", r.member))
			}
			continue
		}
		for _, c := range r.check(vs[0]) {
			violations = append(violations, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must %s", vs[0], r.member, c))
		}
	}
	switch len(violations) {
	case 0:
		return nil
	case 1:
		return errValidation("1 validation error detected: " + violations[0])
	default:
		return errValidation(fmt.Sprintf("%d validation errors detected: %s", len(violations), strings.Join(violations, "; ")))
	}
}

// check returns the constraints v breaks, phrased as AWS does after
// "Member must ".
func (r rule) check(v string) []string {
	if r.integer {
		// The model has no wording for a non-number; this one is ours.
		n, err := strconv.ParseInt(v, 10, 64)
		switch {
		case err != nil:
			return []string{"be a number"}
		case n < r.minVal:
			return []string{fmt.Sprintf("have value greater than or equal to %d", r.minVal)}
		case n > r.maxVal:
			return []string{fmt.Sprintf("have value less than or equal to %d", r.maxVal)}
		}
		return nil
	}
	var out []string
	n := utf8.RuneCountInString(v)
	if n < r.minLen {
		out = append(out, fmt.Sprintf("have length greater than or equal to %d", r.minLen))
	}
	if r.maxLen > 0 && n > r.maxLen {
		out = append(out, fmt.Sprintf("have length less than or equal to %d", r.maxLen))
	}
	if r.re != nil && !r.re.MatchString(v) {
		out = append(out, "satisfy regular expression pattern: "+r.pattern)
	}
	return out
}

// checkPolicy returns MalformedPolicyDocument unless policy is a JSON
// object, and otherwise its PackedPolicySize: the percentage of the
// 2048-character budget its compact form uses, at least 1.
func checkPolicy(policy string) (int, *apiError) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		return 0, newError(http.StatusBadRequest, "MalformedPolicyDocument", MsgMalformedPolicyDocument)
	}
	compact, _ := json.Marshal(doc) // re-marshalling decoded JSON cannot fail
	return max(1, (len(compact)*100+2047)/2048), nil
}

// checkMFA rejects a serial number without a token code and vice versa.
func checkMFA(params url.Values) *apiError {
	if (params.Get("SerialNumber") == "") != (params.Get("TokenCode") == "") {
		return errAccessDenied(MsgMFAIncomplete)
	}
	return nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
