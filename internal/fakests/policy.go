package fakests

import (
	"fmt"
	"strings"
	"time"
)

// Role is an IAM role the server knows.
type Role struct {
	// ARN is the role's ARN, e.g. arn:aws:iam::123456789012:role/deploy.
	ARN string
	// Trust lists the principals that may assume the role: a user ARN, a
	// role ARN (whose sessions may chain into this role),
	// "arn:aws:iam::ACCOUNT:root" (any principal of that account) or "*".
	Trust []string
	// ExternalID, when set, must be sent as AssumeRole's ExternalId.
	ExternalID string
	// RequireMFA makes AssumeRole demand MFA: a valid SerialNumber and
	// TokenCode in the request, or credentials from GetSessionToken with
	// MFA.
	RequireMFA bool
	// MaxSessionDuration bounds AssumeRole's DurationSeconds: between
	// [DefaultMaxSessionDuration] and [MaxMaxSessionDuration], by default
	// Config.MaxSessionDuration.
	MaxSessionDuration time.Duration
	// DenyTagSession refuses sts:TagSession: AssumeRole with Tags or
	// TransitiveTagKeys, or by a session with transitive tags to pass
	// on, is AccessDenied. By default the trust allows it.
	DenyTagSession bool
	// DenySetSourceIdentity refuses sts:SetSourceIdentity: AssumeRole
	// with a SourceIdentity, or by a session that carries one, is
	// AccessDenied. By default the trust allows it.
	DenySetSourceIdentity bool
}

// Messages of the policy checks; the callers' and roles' ARNs are filled
// into the "not authorized" messages.
const (
	// MsgMFASerialInvalid answers an MFA serial number that is not the
	// calling user's device (403 AccessDenied).
	MsgMFASerialInvalid = "MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user."
	// MsgMFACodeInvalid answers a wrong MFA code (403 AccessDenied); the
	// trailing space is AWS's.
	MsgMFACodeInvalid = "MultiFactorAuthentication failed with invalid MFA one time pass code. "
)

// errNotAuthorized is AWS's denial of AssumeRole on roleARN.
func errNotAuthorized(callerARN, roleARN string) *apiError {
	return errNotAuthorizedTo(callerARN, "sts:AssumeRole", roleARN)
}

// errNotAuthorizedTo is AWS's denial of action (sts:AssumeRole,
// sts:TagSession, sts:SetSourceIdentity) on roleARN.
func errNotAuthorizedTo(callerARN, action, roleARN string) *apiError {
	return errAccessDenied(fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %s", callerARN, action, roleARN))
}

// errMFARequired denies GetSessionToken without MFA to a user with
// RequireMFA. AWS expresses this with an IAM policy condition and then
// answers with its generic "not authorized" text; the reason at the end
// is the server's own.
func errMFARequired(userARN string) *apiError {
	return errAccessDenied(fmt.Sprintf("User: %s is not authorized to perform: sts:GetSessionToken because no MFA was presented", userARN))
}

// callerUser returns the IAM user behind c: the user itself, or the user
// whose GetSessionToken issued c's credentials; false for role sessions.
func (s *Handler) callerUser(c caller) (User, bool) {
	key := c.accessKeyID
	if c.temp != nil {
		if c.temp.Action != "GetSessionToken" {
			return User{}, false
		}
		key = c.temp.IssuedTo
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[key]
	return u, ok
}

// checksMFA reports whether MFA parameters are checked for calls by u:
// always when roles are configured, and for users with MFA settings.
// Otherwise any well-formed MFA serial and code are accepted, as before
// MFA devices could be configured.
func (s *Handler) checksMFA(u User) bool {
	return len(s.roles) > 0 || u.MFASerial != "" || u.RequireMFA
}

// presentedMFA checks the MFA device and code in p against u (hasUser
// false: the caller is no user and owns no device) and reports whether
// MFA was presented. A lone serial or code was refused earlier.
func presentedMFA(u User, hasUser bool, serial, code string) (bool, *apiError) {
	if serial == "" || code == "" {
		return false, nil
	}
	if !hasUser || u.MFASerial == "" || serial != u.MFASerial {
		return false, errAccessDenied(MsgMFASerialInvalid)
	}
	if !isTokenCode(code) || (u.MFACode != "" && code != u.MFACode) {
		return false, errAccessDenied(MsgMFACodeInvalid)
	}
	return true, nil
}

// isTokenCode reports whether code is six digits.
func isTokenCode(code string) bool {
	if len(code) != 6 {
		return false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// trusts reports whether role's trust admits id.
func trusts(role Role, id Identity) bool {
	root := ""
	if parts := strings.SplitN(id.ARN, ":", 3); len(parts) == 3 {
		root = "arn:" + parts[1] + ":iam::" + id.Account + ":root"
	}
	for _, p := range role.Trust {
		switch p {
		case "*", id.ARN, root:
			return true
		}
		if id.IsRoleSession() && p == id.RoleARN {
			return true
		}
	}
	return false
}
