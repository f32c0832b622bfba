package fakests

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"regexp"
	"time"
)

// DefaultAccount is the account of users configured without an ARN.
const DefaultAccount = "123456789012"

// User is an IAM user whose long-term keys the handler accepts.
type User struct {
	// AccessKeyID and SecretAccessKey are the user's long-term keys; both
	// are required.
	AccessKeyID, SecretAccessKey string
	// ARN is the user's ARN, e.g. arn:aws:iam::123456789012:user/test; the
	// account is taken from it. Default: arn:aws:iam::123456789012:user/
	// followed by AccessKeyID.
	ARN string
	// UserID is the unique id, e.g. AIDAEXAMPLE. Default: "AIDA" followed
	// by 17 characters derived from ARN, 21 in all like IAM's.
	UserID string
	// MFASerial is the ARN of the user's virtual MFA device, e.g.
	// arn:aws:iam::123456789012:mfa/test; "" when the user has none.
	MFASerial string
	// MFACode, when set, is the only one-time code the device accepts;
	// when empty, any six digits are accepted. It needs MFASerial.
	MFACode string
	// RequireMFA denies the user GetSessionToken without MFA. It needs
	// MFASerial.
	RequireMFA bool
}

// Identity is the principal a set of credentials acts as.
type Identity struct {
	// ARN is a user ARN, or for a role session the assumed-role ARN
	// arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION.
	ARN string
	// UserID is the user id, or for a role session AROA...:SESSION.
	UserID string
	// Account is the 12-digit account id of the user or role.
	Account string
	// RoleARN is the assumed role's ARN; empty unless a role session.
	RoleARN string
	// SessionName is the role session name; empty unless a role session.
	SessionName string
}

// IsRoleSession reports whether id is an assumed-role session.
func (id Identity) IsRoleSession() bool { return id.RoleARN != "" }

// Credentials is a set of temporary credentials issued by the server.
type Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
	// Expiration is when the credentials stop working, exactly as sent.
	Expiration time.Time
	// Identity is the principal the credentials act as.
	Identity Identity
	// Action is the call that issued them: AssumeRole or GetSessionToken.
	Action string
	// IssuedTo is the access key id that requested them.
	IssuedTo string
	// Issued is the server time at which they were issued.
	Issued time.Time
	// MFA reports that GetSessionToken issued them for an accepted MFA
	// device and code; such credentials satisfy Role.RequireMFA.
	MFA bool
	// SourceIdentity is the session's source identity, set by the
	// AssumeRole that issued the credentials or passed on by its caller;
	// sessions chained from this one keep it.
	SourceIdentity string
	// Tags are the session tags: those requested, then the transitive
	// tags passed on by the caller.
	Tags []Tag
	// TransitiveTagKeys are the keys, in lower case, of the Tags that
	// pass on to sessions chained from this one.
	TransitiveTagKeys []string
}

// roleARNPattern is the form of an AssumeRole RoleArn, deliberately
// simpler than IAM's rules: an optional path and a role name made of the
// characters IAM allows.
var roleARNPattern = regexp.MustCompile(`^arn:(aws[a-z-]*):iam::(\d{12}):role/(?:[\x21-\x7e]*/)?([\w+=,.@-]+)$`)

// roleSession returns the identity of session name on roleARN, or false
// when roleARN is not a well-formed role ARN.
func roleSession(roleARN, name string) (Identity, bool) {
	m := roleARNPattern.FindStringSubmatch(roleARN)
	if m == nil {
		return Identity{}, false
	}
	partition, account, role := m[1], m[2], m[3]
	return Identity{
		ARN:         "arn:" + partition + ":sts::" + account + ":assumed-role/" + role + "/" + name,
		UserID:      derivedID("AROA", roleARN) + ":" + name,
		Account:     account,
		RoleARN:     roleARN,
		SessionName: name,
	}, true
}

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// derivedID returns prefix followed by 17 upper-case alphanumerics that
// depend only on seed: 21 characters in all for a four-letter prefix, as
// IAM's unique ids (AIDA..., AROA...) have.
func derivedID(prefix, seed string) string {
	sum := sha256.Sum256([]byte(seed))
	return prefix + idEncoding.EncodeToString(sum[:])[:17]
}

const (
	base32Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	base64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

// randomString returns n characters from alphabet, whose length must be a
// power of two not above 256.
func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	mask := byte(len(alphabet) - 1)
	for i := range b {
		b[i] = alphabet[b[i]&mask]
	}
	return string(b)
}

// newCredentials returns fresh random temporary keys in AWS's shapes:
// ASIA plus 16 characters, a 40-character secret and a long session token.
func newCredentials() Credentials {
	raw := make([]byte, 264)
	_, _ = rand.Read(raw)
	return Credentials{
		AccessKeyID:     "ASIA" + randomString(16, base32Chars),
		SecretAccessKey: randomString(40, base64Chars),
		SessionToken:    "IQoJb3JpZ2luX2VjE" + base64.StdEncoding.EncodeToString(raw),
	}
}

// newRequestID returns a random version 4 UUID.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// formatExpiration renders t like STS does: UTC with seconds, or with
// three fractional digits when fractional is set.
func formatExpiration(t time.Time, fractional bool) string {
	if fractional {
		return t.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// expirationAt returns now+d cut to the precision formatExpiration prints,
// so that stored and printed expirations agree.
func expirationAt(now time.Time, d time.Duration, fractional bool) time.Time {
	if fractional {
		return now.Add(d).UTC().Truncate(time.Millisecond)
	}
	return now.Add(d).UTC().Truncate(time.Second)
}
