package awsauth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// processAnswer is what a credential_process prints (the format the SDK's
// processcreds.CredentialProcessResponse reads). Each field is decoded on
// its own, so that a problem can be named without quoting any value.
type processAnswer struct {
	Version         json.RawMessage
	AccessKeyID     json.RawMessage `json:"AccessKeyId"`
	SecretAccessKey json.RawMessage
	SessionToken    json.RawMessage
	Expiration      json.RawMessage
	AccountID       json.RawMessage `json:"AccountId"`
}

// parseProcessAnswer reads a credential_process answer as the SDK does:
// Version 1, AccessKeyId and SecretAccessKey required, SessionToken,
// Expiration (RFC 3339) and AccountId optional. Its errors say which field
// is wrong and how, never what it holds.
func parseProcessAnswer(out []byte) (aws.Credentials, error) {
	var c aws.Credentials
	if len(bytes.TrimSpace(out)) == 0 {
		return c, errors.New("it is empty")
	}
	var a processAnswer
	if err := json.Unmarshal(out, &a); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return c, fmt.Errorf("it is not valid JSON (at byte %d)", syntax.Offset)
		}
		return c, fmt.Errorf("it is %s, not a JSON object", jsonKind(out))
	}
	if err := checkVersion(a.Version); err != nil {
		return c, err
	}
	var err error
	if c.AccessKeyID, err = stringField("AccessKeyId", a.AccessKeyID, true); err != nil {
		return c, err
	}
	if c.SecretAccessKey, err = stringField("SecretAccessKey", a.SecretAccessKey, true); err != nil {
		return c, err
	}
	if c.SessionToken, err = stringField("SessionToken", a.SessionToken, false); err != nil {
		return c, err
	}
	if c.AccountID, err = stringField("AccountId", a.AccountID, false); err != nil {
		return c, err
	}
	if present(a.Expiration) {
		var t time.Time
		if jsonKind(a.Expiration) != "a string" || t.UnmarshalJSON(a.Expiration) != nil {
			return c, errors.New("its Expiration is not a date and time in RFC 3339 form, such as 2026-11-22T14:00:00Z")
		}
		c.CanExpire, c.Expires = true, t
	}
	return c, nil
}

func checkVersion(raw json.RawMessage) error {
	if !present(raw) {
		return errors.New("its Version is missing; it must be 1")
	}
	if kind := jsonKind(raw); kind != "a number" {
		return fmt.Errorf("its Version is %s; it must be the number 1", kind)
	}
	if string(raw) != "1" {
		return fmt.Errorf("its Version is %s; it must be 1", raw)
	}
	return nil
}

// stringField decodes a string field; a required one must not be empty.
func stringField(name string, raw json.RawMessage, required bool) (string, error) {
	if !present(raw) {
		if required {
			return "", fmt.Errorf("its %s is missing", name)
		}
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("its %s is %s, not a string", name, jsonKind(raw))
	}
	if required && s == "" {
		return "", fmt.Errorf("its %s is empty", name)
	}
	return s, nil
}

// present reports whether a field was given a value other than null.
func present(raw json.RawMessage) bool {
	return len(raw) > 0 && string(raw) != "null"
}

// jsonKind names the kind of a JSON value from its first byte.
func jsonKind(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "empty"
	}
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
