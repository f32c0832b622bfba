package ststest

import (
	"net/url"
	"strconv"
	"time"
)

// action is one STS operation: validate runs after authentication and
// before Config.Authorize, run only for valid, authorized calls.
type action struct {
	validate func(s *Server, c caller, p url.Values) *apiError
	run      func(s *Server, c caller, p url.Values, now time.Time) []node
}

var actions = map[string]action{
	"AssumeRole":        {validate: (*Server).validateAssumeRole, run: (*Server).assumeRole},
	"GetSessionToken":   {validate: (*Server).validateGetSessionToken, run: (*Server).getSessionToken},
	"GetCallerIdentity": {validate: func(*Server, caller, url.Values) *apiError { return nil }, run: (*Server).getCallerIdentity},
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
// ValidationError "<arn> is invalid"), the policy, MFA parameters, the one
// hour limit of role chaining and the role's MaxSessionDuration.
func (s *Server) validateAssumeRole(c caller, p url.Values) *apiError {
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
	d := durationParam(p, time.Hour)
	if c.identity.IsRoleSession() && d > time.Hour {
		return errValidation(MsgChainedDuration)
	}
	if d > s.cfg.MaxSessionDuration {
		return errValidation(MsgMaxSessionDuration)
	}
	return nil
}

func (s *Server) assumeRole(c caller, p url.Values, now time.Time) []node {
	id, _ := roleSession(p.Get("RoleArn"), p.Get("RoleSessionName"))
	cred := s.issue(c, id, "AssumeRole", durationParam(p, time.Hour), now)
	result := []node{
		credentialsNode(cred, s.cfg.FractionalExpiration),
		elem("AssumedRoleUser",
			leaf("AssumedRoleId", id.UserID),
			leaf("Arn", id.ARN),
		),
	}
	if policy, ok := p["Policy"]; ok {
		size, _ := checkPolicy(policy[0])
		result = append(result, leaf("PackedPolicySize", strconv.Itoa(size)))
	}
	if si := p.Get("SourceIdentity"); si != "" {
		result = append(result, leaf("SourceIdentity", si))
	}
	return result
}

// validateGetSessionToken refuses temporary callers, then applies the
// model constraints and checks the MFA parameters.
func (s *Server) validateGetSessionToken(c caller, p url.Values) *apiError {
	if c.temp != nil {
		return errAccessDenied(MsgSessionTokenWithSession)
	}
	if e := validate(p, getSessionTokenRules); e != nil {
		return e
	}
	return checkMFA(p)
}

func (s *Server) getSessionToken(c caller, p url.Values, now time.Time) []node {
	cred := s.issue(c, c.identity, "GetSessionToken", durationParam(p, 12*time.Hour), now)
	return []node{credentialsNode(cred, s.cfg.FractionalExpiration)}
}

func (s *Server) getCallerIdentity(c caller, _ url.Values, _ time.Time) []node {
	return []node{
		leaf("Arn", c.identity.ARN),
		leaf("UserId", c.identity.UserID),
		leaf("Account", c.identity.Account),
	}
}

// issue creates, remembers and returns temporary credentials acting as id,
// valid for d from now.
func (s *Server) issue(c caller, id Identity, action string, d time.Duration, now time.Time) Credentials {
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
	s.issued[cred.AccessKeyID] = &cred
	s.order = append(s.order, cred.AccessKeyID)
	return cred
}
