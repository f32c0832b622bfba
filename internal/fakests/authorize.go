package fakests

import (
	"net/url"
	"time"
)

// authorizeAssumeRole runs after validation: it checks the MFA device and
// code sent, then, when roles are configured, the role's trust, external
// id and MFA requirement, whether it allows the session's tags (requested
// or passed on: sts:TagSession) and source identity (requested or passed
// on: sts:SetSourceIdentity), and last the role's MaxSessionDuration.
func (s *Handler) authorizeAssumeRole(c caller, p url.Values) *apiError {
	roleARN := p.Get("RoleArn")
	limit := s.cfg.MaxSessionDuration
	if u, hasUser := s.callerUser(c); s.checksMFA(u) {
		mfa, e := presentedMFA(u, hasUser, p.Get("SerialNumber"), p.Get("TokenCode"))
		if e != nil {
			return e
		}
		if len(s.roles) > 0 {
			role, ok := s.roles[roleARN]
			switch {
			case !ok || !trusts(role, c.identity):
				return errNotAuthorized(c.identity.ARN, roleARN)
			case role.ExternalID != "" && p.Get("ExternalId") != role.ExternalID:
				return errNotAuthorized(c.identity.ARN, roleARN)
			case role.RequireMFA && !mfa && (c.temp == nil || !c.temp.MFA):
				return errNotAuthorized(c.identity.ARN, roleARN)
			}
			sess, _ := requestedSession(c, p) // validated
			switch {
			case role.DenyTagSession && sess.tagging():
				return errNotAuthorizedTo(c.identity.ARN, "sts:TagSession", roleARN)
			case role.DenySetSourceIdentity && sess.sourceIdentity != "":
				return errNotAuthorizedTo(c.identity.ARN, "sts:SetSourceIdentity", roleARN)
			}
			limit = role.MaxSessionDuration
		}
	}
	if durationParam(p, time.Hour) > limit {
		return errValidation(MsgMaxSessionDuration)
	}
	return nil
}

// authorizeGetSessionToken runs after validation: it checks the MFA device
// and code sent and the user's MFA requirement.
func (s *Handler) authorizeGetSessionToken(c caller, p url.Values) *apiError {
	u, hasUser := s.callerUser(c)
	if !s.checksMFA(u) {
		return nil
	}
	mfa, e := presentedMFA(u, hasUser, p.Get("SerialNumber"), p.Get("TokenCode"))
	if e != nil {
		return e
	}
	if u.RequireMFA && !mfa {
		return errMFARequired(u.ARN)
	}
	return nil
}
