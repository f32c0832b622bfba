package fakests

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
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
	// list, when set, makes the member a list sent as PARAM.member.N...
	list *listRule
}

// listRule is what a list member holds: at most maxItems elements (0: no
// bound), each a structure of fields, or when fields has a single rule
// whose param is "", that one value.
type listRule struct {
	maxItems int
	fields   []rule
}

func stringRule(param string, required bool, minLen, maxLen int, pattern, goPattern string) rule {
	r := rule{param: param, member: lowerFirst(param), required: required, minLen: minLen, maxLen: maxLen, pattern: pattern}
	if goPattern != "" {
		r.re = regexp.MustCompile(`^(?:` + goPattern + `)$`)
	}
	return r
}

// listOf returns the rule of list member param of at most maxItems
// elements made of fields.
func listOf(param string, maxItems int, fields ...rule) rule {
	return rule{param: param, member: lowerFirst(param), list: &listRule{maxItems: maxItems, fields: fields}}
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
	// arnPattern is the model's arnType; Go writes code points above
	// U+FFFF as \x{...}.
	arnPattern      = `[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+`
	arnGoPattern    = `[\x{0009}\x{000A}\x{000D}\x{0020}-\x{007E}\x{0085}\x{00A0}-\x{D7FF}\x{E000}-\x{FFFD}\x{10000}-\x{10FFFF}]+`
	tagKeyPattern   = `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`
	tagValuePattern = `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`
)

// Bounds of the session's lists, from the STS model and API reference.
const (
	// maxPolicyARNs is how many managed policy ARNs AssumeRole takes
	// (the API reference: "You can provide up to 10 managed policy
	// ARNs").
	maxPolicyARNs = 10
	// maxTags bounds Tags and TransitiveTagKeys (tagListType and
	// tagKeyListType).
	maxTags = 50
)

// element returns the field rule of a list element: the Tag's Key, the
// PolicyDescriptorType's arn, or with field "" the element itself.
func element(field string, required bool, minLen, maxLen int, pattern, goPattern string) rule {
	r := stringRule(field, required, minLen, maxLen, pattern, goPattern)
	r.member = lowerFirst(field)
	return r
}

// Constraints of the STS model (botocore sts 2011-06-15), in member order.
var (
	assumeRoleRules = []rule{
		stringRule("RoleArn", true, 20, 2048, "", ""),
		stringRule("RoleSessionName", true, 2, 64, namePattern, namePattern),
		listOf("PolicyArns", maxPolicyARNs, element("arn", false, 20, 2048, arnPattern, arnGoPattern)),
		stringRule("Policy", false, 1, 2048, policyPattern, policyGoPattern),
		intRule("DurationSeconds", 900, 43200),
		listOf("Tags", maxTags,
			element("Key", true, 1, 128, tagKeyPattern, tagKeyPattern),
			element("Value", true, 0, 256, tagValuePattern, tagValuePattern)),
		listOf("TransitiveTagKeys", maxTags, element("", false, 1, 128, tagKeyPattern, tagKeyPattern)),
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
		if r.list != nil {
			violations = append(violations, r.listViolations(params)...)
			continue
		}
		vs, present := params[r.param]
		violations = append(violations, r.violations(r.member, vs, present)...)
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

// violations words what is wrong with the value vs[0] (present: sent at
// all) of r, found at path, e.g. tags.1.member.key.
func (r rule) violations(path string, vs []string, present bool) []string {
	if !present || len(vs) == 0 {
		if r.required {
			return []string{fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", path)}
		}
		return nil
	}
	var out []string
	for _, c := range r.check(vs[0]) {
		out = append(out, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must %s", vs[0], path, c))
	}
	return out
}

// listViolations words what is wrong with list member r in params: its
// length (AWS names no value for a list), then each element's fields.
func (r rule) listViolations(params url.Values) []string {
	items := listItems(params, r.param)
	var out []string
	if r.list.maxItems > 0 && len(items) > r.list.maxItems {
		out = append(out, fmt.Sprintf("Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", r.member, r.list.maxItems))
	}
	for _, it := range items {
		for _, f := range r.list.fields {
			path := fmt.Sprintf("%s.%d.member", r.member, it.n)
			if f.param != "" {
				path += "." + f.member
			}
			v, ok := it.fields[f.param]
			out = append(out, f.violations(path, []string{v}, ok)...)
		}
	}
	return out
}

// item is element n of a list parameter: its fields by name, "" for a
// list of plain values.
type item struct {
	n      int
	fields map[string]string
}

// listItems returns the elements of list parameter param in params, sent
// as PARAM.member.N[.FIELD] (N from 1), in the order of N. Keys of
// other shapes are ignored, as AWS ignores unknown parameters.
func listItems(params url.Values, param string) []item {
	prefix := param + ".member."
	byN := map[int]*item{}
	for k, vs := range params {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok || len(vs) == 0 {
			continue
		}
		num, field, _ := strings.Cut(rest, ".")
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 || strconv.Itoa(n) != num {
			continue
		}
		it := byN[n]
		if it == nil {
			it = &item{n: n, fields: map[string]string{}}
			byN[n] = it
		}
		it.fields[field] = vs[0]
	}
	out := make([]item, 0, len(byN))
	for _, it := range byN {
		out = append(out, *it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].n < out[j].n })
	return out
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
// object, and otherwise its compact form, whose length counts towards
// PackedPolicySize.
func checkPolicy(policy string) (string, *apiError) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		return "", newError(http.StatusBadRequest, "MalformedPolicyDocument", MsgMalformedPolicyDocument)
	}
	compact, _ := json.Marshal(doc) // re-marshalling decoded JSON cannot fail
	return string(compact), nil
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
