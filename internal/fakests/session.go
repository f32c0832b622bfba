package fakests

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Tag is a session tag.
type Tag struct {
	Key, Value string
}

// Messages of the session checks, as AWS words them.
const (
	// MsgDuplicateTagKeys answers two tags whose keys differ at most in
	// case (400 InvalidParameterValue).
	MsgDuplicateTagKeys = "Duplicate tag keys found. Please note that Tag keys are case insensitive."
	// MsgTransitiveKeyNotTagged answers a transitive tag key that is not
	// the key of a requested tag (400 InvalidParameterValue).
	MsgTransitiveKeyNotTagged = "The specified transitive tag key must be included in the requested tags."
	// MsgTransitiveTagConflict answers a tag whose key is that of a
	// transitive tag of the calling session (400 InvalidParameterValue).
	MsgTransitiveTagConflict = "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session."
	// MsgSourceIdentitySet answers a SourceIdentity other than the one
	// the calling session carries (400 ValidationError).
	MsgSourceIdentitySet = "The source identity is already set for this assume role session"
)

// packedBudget is the space, in bytes, that a session's policy, policy
// ARNs and tags share; PackedPolicySize is the percentage of it they use.
const packedBudget = 2048

// session is what an AssumeRole asks of the new session, beyond its
// role and duration: validated parameters, and what the calling
// session passes on.
type session struct {
	policy     string // session policy in compact form; "" if none
	hasPolicy  bool
	policyARNs []string
	// tags are the requested tags, then the caller's transitive ones.
	tags []Tag
	// transitive holds the lower-case keys of the transitive tags: the
	// requested ones, then the caller's.
	transitive []string
	// inheritedTags reports that the caller passed on transitive tags.
	inheritedTags bool
	// sourceIdentity is the requested one, or the caller's.
	sourceIdentity string
}

// requestedSession reads the session part of AssumeRole parameters p,
// which the model rules accepted, as c would get it. It checks the tags
// (duplicate keys, conflicts with the caller's transitive tags,
// transitive keys without a tag), the source identity against the
// caller's, and the packed size.
func requestedSession(c caller, p url.Values) (session, *apiError) {
	var s session
	if policy, ok := p["Policy"]; ok {
		compact, e := checkPolicy(policy[0])
		if e != nil {
			return s, e
		}
		s.policy, s.hasPolicy = compact, true
	}
	for _, it := range listItems(p, "PolicyArns") {
		s.policyARNs = append(s.policyARNs, it.fields["arn"])
	}
	keys := map[string]bool{}
	for _, it := range listItems(p, "Tags") {
		t := Tag{Key: it.fields["Key"], Value: it.fields["Value"]}
		k := strings.ToLower(t.Key)
		if keys[k] {
			return s, errInvalidParameter(MsgDuplicateTagKeys)
		}
		keys[k] = true
		s.tags = append(s.tags, t)
	}
	var inherited map[string]bool
	if c.temp != nil {
		inherited = map[string]bool{}
		for _, k := range c.temp.TransitiveTagKeys {
			inherited[k] = true
		}
	}
	for _, t := range s.tags {
		if inherited[strings.ToLower(t.Key)] {
			return s, errInvalidParameter(MsgTransitiveTagConflict)
		}
	}
	for _, it := range listItems(p, "TransitiveTagKeys") {
		k := strings.ToLower(it.fields[""])
		if !keys[k] {
			return s, errInvalidParameter(MsgTransitiveKeyNotTagged)
		}
		s.transitive = append(s.transitive, k)
	}
	s.sourceIdentity = p.Get("SourceIdentity")
	if c.temp != nil {
		for _, t := range c.temp.Tags {
			if inherited[strings.ToLower(t.Key)] {
				s.tags = append(s.tags, t)
				s.inheritedTags = true
			}
		}
		s.transitive = append(s.transitive, c.temp.TransitiveTagKeys...)
		if si := c.temp.SourceIdentity; si != "" {
			if s.sourceIdentity != "" && s.sourceIdentity != si {
				return s, errValidation(MsgSourceIdentitySet)
			}
			s.sourceIdentity = si
		}
	}
	if e := s.checkPackedSize(); e != nil {
		return s, e
	}
	return s, nil
}

// tagging reports whether the session gets tags, requested or passed on:
// the role's trust must allow sts:TagSession.
func (s session) tagging() bool { return len(s.tags) > 0 || len(s.transitive) > 0 }

// reportsPackedSize reports whether the AssumeRole result carries
// PackedPolicySize: when the session has a policy, policy ARNs or tags.
func (s session) reportsPackedSize() bool {
	return s.hasPolicy || len(s.policyARNs) > 0 || len(s.tags) > 0
}

// packedSizes returns the percentages of packedBudget that the session
// policy and policy ARNs use, and that they and the tags (keys and
// values, passed-on ones included) use together: rounded up, at least
// 1. AWS's packing is its own; this measure keeps its order: a compact
// policy counts what it contains, and tags share the budget.
func (s session) packedSizes() (policies, total int) {
	n := len(s.policy)
	for _, a := range s.policyARNs {
		n += len(a)
	}
	all := n
	for _, t := range s.tags {
		all += len(t.Key) + len(t.Value)
	}
	percent := func(n int) int { return max(1, (n*100+packedBudget-1)/packedBudget) }
	return percent(n), percent(all)
}

// checkPackedSize refuses a session whose policies, or policies and tags,
// exceed the packed budget, with AWS's PackedPolicyTooLarge texts.
func (s session) checkPackedSize() *apiError {
	policies, total := s.packedSizes()
	switch {
	case policies > 100:
		return newError(http.StatusBadRequest, "PackedPolicyTooLarge", fmt.Sprintf("Packed policy consumes %d%% of allotted space", policies))
	case total > 100:
		return newError(http.StatusBadRequest, "PackedPolicyTooLarge", fmt.Sprintf("Packed size of session tags consumes %d%% of allotted space.", total))
	}
	return nil
}

func errInvalidParameter(msg string) *apiError {
	return newError(http.StatusBadRequest, "InvalidParameterValue", msg)
}
