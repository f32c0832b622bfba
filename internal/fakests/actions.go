package fakests

import (
	"net/url"
	"strconv"
	"time"
)

// action is one STS operation: validate runs after authentication, then
// authorize (if set) applies the configured roles and MFA settings; run
// only for valid, authorized calls.
type action struct {
	validate  func(s *Handler, c caller, p url.Values) *apiError
	authorize func(s *Handler, c caller, p url.Values) *apiError
	run       func(s *Handler, c caller, p url.Values, now time.Time) []node
}

var actions = map[string]action{
	"AssumeRole": {
		validate:  (*Handler).validateAssumeRole,
		authorize: (*Handler).authorizeAssumeRole,
		run:       (*Handler).assumeRole,
	},
	"GetSessionToken": {
		validate:  (*Handler).validateGetSessionToken,
		authorize: (*Handler).authorizeGetSessionToken,
		run:       (*Handler).getSessionToken,
	},
	"GetCallerIdentity": {
		validate: func(*Handler, caller, url.Values) *apiError { return nil },
		run:      (*Handler).getCallerIdentity,
	},
}

// durationParam returns DurationSeconds from p, or def when absent; p has
// been validated.
func durationParam(p url.Values, def time.Duration) time.Duration {
	v := p.Get("DurationSeconds")
	if v == "" {
		return def
	}
	n, _ := strconv.ParseInt(v, 10, 64)
	return time.Duration(n) * time.Second
}

// validateAssumeRole applies the model constraints, then checks the role
// ARN's shape (arn:aws:iam::<12 digits>:role/[path/]name, otherwise
// ValidationError "<arn> is invalid"), the policy, MFA parameters, the
// one hour limit of role chaining (see [caller.chaining]), and the
// session's tags, source identity and packed size (see
// requestedSession). The role's MaxSessionDuration, and whether it
// allows tags and a source identity, are checked by authorizeAssumeRole.
func (s *Handler) validateAssumeRole(c caller, p url.Values) *apiError {
	if e := validate(p, assumeRoleRules); e != nil {
		return e
	}
	roleARN := p.Get("RoleArn")
	if _, ok := roleSession(roleARN, p.Get("RoleSessionName")); !ok {
		return errValidation(roleARN + " is invalid")
	}
	if policy, ok := p["Policy"]; ok {
		if _, e := checkPolicy(policy[0]); e != nil {
			return e
		}
	}
	if e := checkMFA(p); e != nil {
		return e
	}
	if c.chaining() && durationParam(p, time.Hour) > time.Hour {
		return errValidation(MsgChainedDuration)
	}
	_, e := requestedSession(c, p)
	return e
}

func (s *Handler) assumeRole(c caller, p url.Values, now time.Time) []node {
	id, _ := roleSession(p.Get("RoleArn"), p.Get("RoleSessionName"))
	sess, _ := requestedSession(c, p) // validated
	cred := s.issue(c, id, "AssumeRole", durationParam(p, time.Hour), false, sess, now)
	result := []node{
		credentialsNode(cred, s.cfg.FractionalExpiration),
		elem("AssumedRoleUser",
			leaf("AssumedRoleId", id.UserID),
			leaf("Arn", id.ARN),
		),
	}
	if sess.reportsPackedSize() {
		_, size := sess.packedSizes()
		result = append(result, leaf("PackedPolicySize", strconv.Itoa(size)))
	}
	if sess.sourceIdentity != "" {
		result = append(result, leaf("SourceIdentity", sess.sourceIdentity))
	}
	return result
}

// validateGetSessionToken refuses temporary callers, then applies the
// model constraints and checks the MFA parameters.
func (s *Handler) validateGetSessionToken(c caller, p url.Values) *apiError {
	if c.temp != nil {
		return errAccessDenied(MsgSessionTokenWithSession)
	}
	if e := validate(p, getSessionTokenRules); e != nil {
		return e
	}
	return checkMFA(p)
}

func (s *Handler) getSessionToken(c caller, p url.Values, now time.Time) []node {
	mfa := p.Get("SerialNumber") != "" && p.Get("TokenCode") != ""
	cred := s.issue(c, c.identity, "GetSessionToken", durationParam(p, 12*time.Hour), mfa, session{}, now)
	return []node{credentialsNode(cred, s.cfg.FractionalExpiration)}
}

func (s *Handler) getCallerIdentity(c caller, _ url.Values, _ time.Time) []node {
	return []node{
		leaf("Arn", c.identity.ARN),
		leaf("UserId", c.identity.UserID),
		leaf("Account", c.identity.Account),
	}
}

// issue creates, remembers and returns temporary credentials acting as id,
// valid for d from now, with the tags and source identity of sess; mfa
// records that MFA was presented.
func (s *Handler) issue(c caller, id Identity, action string, d time.Duration, mfa bool, sess session, now time.Time) Credentials {
	s.mu.Lock()
	defer s.mu.Unlock()
	cred := newCredentials()
	for s.issued[cred.AccessKeyID] != nil || s.users[cred.AccessKeyID].AccessKeyID != "" {
		cred = newCredentials()
	}
	cred.Expiration = expirationAt(now, d, s.cfg.FractionalExpiration)
	cred.Identity = id
	cred.Action = action
	cred.IssuedTo = c.accessKeyID
	cred.Issued = now
	cred.MFA = mfa
	cred.SourceIdentity = sess.sourceIdentity
	cred.Tags = sess.tags
	cred.TransitiveTagKeys = sess.transitive
	s.issued[cred.AccessKeyID] = &cred
	s.order = append(s.order, cred.AccessKeyID)
	return cred
}
