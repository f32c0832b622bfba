package fakests

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Bounds of MaxSessionDuration, as IAM has them for a role.
const (
	// DefaultMaxSessionDuration is the MaxSessionDuration of a role
	// that gives none, when Config gives none either.
	DefaultMaxSessionDuration = time.Hour
	// MaxMaxSessionDuration is the longest MaxSessionDuration.
	MaxMaxSessionDuration = 12 * time.Hour
)

// Bounds of Role.ExternalID, as STS has them for AssumeRole's ExternalId.
const (
	minExternalID = 2
	maxExternalID = 1224
)

// Forms of the ARNs and ids of a Config: IAM's, for names and paths.
var (
	userARNForm    = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}):user/(?:[\w+=,.@-]+/)*[\w+=,.@-]+$`)
	roleARNForm    = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role/(?:[\w+=,.@-]+/)*[\w+=,.@-]+$`)
	rootARNForm    = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:root$`)
	mfaARNForm     = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:mfa/(?:[\w+=,.@-]+/)*[\w+=,.@-]+$`)
	externalIDForm = regexp.MustCompile(`^[\w+=,.@:/-]*$`)
)

// Problem is what is wrong with a field of a Config.
type Problem int

// The problems of a field.
const (
	// Missing: the field is empty, but required, or needed by another
	// field (MFASerial, for MFACode and RequireMFA).
	Missing Problem = iota + 1
	// Malformed: the field is not of the form it must have, or out of
	// its bounds.
	Malformed
	// Duplicate: an earlier user has the same AccessKeyID, or an earlier
	// role the same ARN.
	Duplicate
)

// ConfigError is a problem New found with a field of one of the users
// or roles of a Config.
type ConfigError struct {
	// Role is set for a problem of Config.Roles[Index], else it is one
	// of Config.Users[Index].
	Role  bool
	Index int
	// Field is the name of the User or Role field at fault, e.g.
	// "MFASerial".
	Field   string
	Problem Problem
	// Value is the value at fault (for Trust, the entry), "" when it is
	// empty or a secret (MFACode).
	Value string
	// msg says what is wrong, after the user or role.
	msg string
}

func (e *ConfigError) Error() string {
	kind := "user"
	if e.Role {
		kind = "role"
	}
	return fmt.Sprintf("fakests: %s %d: %s", kind, e.Index+1, e.msg)
}

// configErr returns the ConfigError of field of user or role i; msg
// follows the field's name, and its value when shown.
func configErr(role bool, i int, field string, p Problem, value, msg string) *ConfigError {
	text := field
	if value != "" {
		text += " " + strconv.Quote(value)
	}
	return &ConfigError{Role: role, Index: i, Field: field, Problem: p, Value: value, msg: text + " " + msg}
}

// Check returns the first problem New finds with cfg, nil if none: a
// [*ConfigError] for a problem of one of its users or roles.
func Check(cfg Config) error {
	_, err := checkConfig(cfg)
	return err
}

// checkConfig returns cfg with its defaults applied, or its first
// problem: of each user in turn, then of each role, in field order.
func checkConfig(cfg Config) (Config, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	switch d := cfg.MaxSessionDuration; {
	case d == 0:
		cfg.MaxSessionDuration = DefaultMaxSessionDuration
	case d < DefaultMaxSessionDuration || d > MaxMaxSessionDuration:
		return cfg, fmt.Errorf("fakests: MaxSessionDuration %v is not between %v and %v", d, DefaultMaxSessionDuration, MaxMaxSessionDuration)
	}
	cfg.Timeouts = cfg.Timeouts.withDefaults()
	users := make([]User, len(cfg.Users))
	keys := map[string]bool{}
	for i, u := range cfg.Users {
		u, err := checkUser(i, u)
		if err != nil {
			return cfg, err
		}
		if keys[u.AccessKeyID] {
			return cfg, configErr(false, i, "AccessKeyID", Duplicate, u.AccessKeyID, "is used twice")
		}
		keys[u.AccessKeyID] = true
		users[i] = u
	}
	roles := make([]Role, len(cfg.Roles))
	arns := map[string]bool{}
	for i, r := range cfg.Roles {
		r, err := checkRole(i, r, cfg.MaxSessionDuration)
		if err != nil {
			return cfg, err
		}
		if arns[r.ARN] {
			return cfg, configErr(true, i, "ARN", Duplicate, r.ARN, "is used twice")
		}
		arns[r.ARN] = true
		roles[i] = r
	}
	cfg.Users, cfg.Roles = users, roles
	return cfg, nil
}

// checkUser returns u, user i, with its defaults applied, or its first
// problem.
func checkUser(i int, u User) (User, error) {
	switch {
	case u.AccessKeyID == "":
		return u, configErr(false, i, "AccessKeyID", Missing, "", "is empty")
	case u.SecretAccessKey == "":
		return u, configErr(false, i, "SecretAccessKey", Missing, "", "is empty")
	}
	if u.ARN == "" {
		u.ARN = "arn:aws:iam::" + DefaultAccount + ":user/" + u.AccessKeyID
	}
	switch {
	case !userARNForm.MatchString(u.ARN):
		return u, configErr(false, i, "ARN", Malformed, u.ARN, "is not an IAM user ARN (arn:aws:iam::<12 digits>:user/<name>)")
	case u.MFASerial != "" && !mfaARNForm.MatchString(u.MFASerial):
		return u, configErr(false, i, "MFASerial", Malformed, u.MFASerial, "is not an MFA device ARN (arn:aws:iam::<12 digits>:mfa/<name>)")
	case u.MFACode != "" && !isTokenCode(u.MFACode):
		return u, configErr(false, i, "MFACode", Malformed, "", "is not six digits")
	case (u.MFACode != "" || u.RequireMFA) && u.MFASerial == "":
		return u, configErr(false, i, "MFASerial", Missing, "", "is empty, but MFACode and RequireMFA need it")
	}
	if u.UserID == "" {
		u.UserID = derivedID("AIDA", u.ARN)
	}
	return u, nil
}

// checkRole returns r, role i, with its defaults applied (maxSession for
// MaxSessionDuration), or its first problem.
func checkRole(i int, r Role, maxSession time.Duration) (Role, error) {
	switch {
	case r.ARN == "":
		return r, configErr(true, i, "ARN", Missing, "", "is empty")
	case !roleARNForm.MatchString(r.ARN):
		return r, configErr(true, i, "ARN", Malformed, r.ARN, "is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)")
	}
	for _, p := range r.Trust {
		if p != "*" && !userARNForm.MatchString(p) && !roleARNForm.MatchString(p) && !rootARNForm.MatchString(p) {
			return r, configErr(true, i, "Trust", Malformed, p, `is not a user, role or account root ARN or "*"`)
		}
	}
	if n := len(r.ExternalID); n > 0 && (n < minExternalID || n > maxExternalID || !externalIDForm.MatchString(r.ExternalID)) {
		return r, configErr(true, i, "ExternalID", Malformed, r.ExternalID, fmt.Sprintf(`is not %d to %d of the characters [\w+=,.@:/-]`, minExternalID, maxExternalID))
	}
	switch d := r.MaxSessionDuration; {
	case d == 0:
		r.MaxSessionDuration = maxSession
	case d < DefaultMaxSessionDuration || d > MaxMaxSessionDuration:
		return r, configErr(true, i, "MaxSessionDuration", Malformed, d.String(), fmt.Sprintf("is not between %v and %v", DefaultMaxSessionDuration, MaxMaxSessionDuration))
	}
	r.Trust = append([]string(nil), r.Trust...)
	return r, nil
}

// userIdentityOf returns the identity of u, a checked user.
func userIdentityOf(u User) Identity {
	return Identity{ARN: u.ARN, UserID: u.UserID, Account: userARNForm.FindStringSubmatch(u.ARN)[1]}
}
