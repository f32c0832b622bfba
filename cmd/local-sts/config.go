package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"ansible-sts/internal/boundedfile"
	"ansible-sts/internal/fakests"
)

// exampleConfig is example.json, the configuration used without -config.
//
//go:embed example.json
var exampleConfig []byte

// config is a local-sts configuration file.
type config struct {
	Users []userConfig `json:"users"`
	Roles []roleConfig `json:"roles"`
}

// userConfig is an IAM user with long-term keys.
type userConfig struct {
	Name            string `json:"name"`
	ARN             string `json:"arn"`
	AccessKeyID     string `json:"access_key_id"`
	SecretAccessKey string `json:"secret_access_key"`
	MFASerial       string `json:"mfa_serial"`
	MFACode         string `json:"mfa_code"`
	RequireMFA      bool   `json:"require_mfa"`
}

// roleConfig is an IAM role; MaxSessionDuration is in seconds, 0 for
// fakests' default. TagSession and SetSourceIdentity say whether its
// trust allows sts:TagSession and sts:SetSourceIdentity; absent, it
// does.
type roleConfig struct {
	ARN                string   `json:"arn"`
	Trust              []string `json:"trust"`
	ExternalID         string   `json:"external_id"`
	RequireMFA         bool     `json:"require_mfa"`
	MaxSessionDuration int      `json:"max_session_duration"`
	TagSession         *bool    `json:"tag_session"`
	SetSourceIdentity  *bool    `json:"set_source_identity"`
}

// loadConfig reads and checks the configuration file at path (a regular
// file of at most boundedfile.ConfigLimit bytes), or the example
// configuration when path is "".
func loadConfig(path string) (config, error) {
	if path == "" {
		return parseConfig(bytes.NewReader(exampleConfig))
	}
	data, err := boundedfile.Read(path, boundedfile.ConfigLimit)
	if err != nil {
		return config{}, fmt.Errorf("read config: %w", err)
	}
	c, err := parseConfig(bytes.NewReader(data))
	if err != nil {
		return config{}, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// parseConfig decodes one JSON object from r, refusing unknown fields and
// trailing data, and checks it.
func parseConfig(r io.Reader) (config, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var c config
	if err := dec.Decode(&c); err != nil {
		return config{}, fmt.Errorf("decode: %w", err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return config{}, errors.New("decode: data after the configuration object")
	}
	if err := c.check(); err != nil {
		return config{}, err
	}
	return c, nil
}

// check reports the first problem of c: the rules of the file (users,
// with names of their own and ARNs) first, then those of the STS.
func (c config) check() error {
	if len(c.Users) == 0 {
		return errors.New("no users")
	}
	names := map[string]bool{}
	for i, u := range c.Users {
		switch {
		case u.Name == "":
			return fmt.Errorf("user %d: name is empty", i+1)
		case u.ARN == "":
			return fmt.Errorf("user %q: arn is empty", u.Name)
		case names[u.Name]:
			return fmt.Errorf("user %q: name used twice", u.Name)
		}
		names[u.Name] = true
	}
	var ce *fakests.ConfigError
	if err := fakests.Check(c.serverConfig()); errors.As(err, &ce) {
		return c.describe(ce)
	} else if err != nil {
		return err
	}
	return nil
}

// describe words e in the terms of the file: its field names, and users
// by name.
func (c config) describe(e *fakests.ConfigError) error {
	if !e.Role {
		u := c.Users[e.Index]
		var msg string
		switch {
		case e.Field == "AccessKeyID" && e.Problem == fakests.Missing:
			msg = "access_key_id is empty"
		case e.Field == "AccessKeyID" && e.Problem == fakests.Duplicate:
			msg = "access_key_id used twice"
		case e.Field == "SecretAccessKey" && e.Problem == fakests.Missing:
			msg = "secret_access_key is empty"
		case e.Field == "ARN":
			msg = fmt.Sprintf("arn %q is not an IAM user ARN (arn:aws:iam::<12 digits>:user/<name>)", u.ARN)
		case e.Field == "MFASerial" && e.Problem == fakests.Missing:
			msg = "mfa_code and require_mfa need an mfa_serial"
		case e.Field == "MFASerial":
			msg = fmt.Sprintf("mfa_serial %q is not an MFA device ARN (arn:aws:iam::<12 digits>:mfa/<name>)", u.MFASerial)
		case e.Field == "MFACode":
			msg = "mfa_code is not six digits"
		default:
			return e
		}
		return fmt.Errorf("user %q: %s", u.Name, msg)
	}
	r := c.Roles[e.Index]
	var msg string
	switch {
	case e.Field == "ARN" && e.Problem == fakests.Missing:
		return fmt.Errorf("role %d: arn is empty", e.Index+1)
	case e.Field == "ARN" && e.Problem == fakests.Duplicate:
		msg = "configured twice"
	case e.Field == "ARN":
		msg = "arn is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)"
	case e.Field == "Trust":
		msg = fmt.Sprintf("trust entry %q is not a user, role or account root ARN or \"*\"", e.Value)
	case e.Field == "ExternalID":
		msg = fmt.Sprintf("external_id %q is not 2 to 1224 of the characters [\\w+=,.@:/-]", r.ExternalID)
	case e.Field == "MaxSessionDuration":
		msg = fmt.Sprintf("max_session_duration %d is not between %d and %d seconds", r.MaxSessionDuration,
			fakests.DefaultMaxSessionDuration/time.Second, fakests.MaxMaxSessionDuration/time.Second)
	default:
		return e
	}
	return fmt.Errorf("role %q: %s", r.ARN, msg)
}

// refused reports whether allowed, absent for true, is false.
func refused(allowed *bool) bool { return allowed != nil && !*allowed }

// user returns the user called name, or the first user when name is "".
func (c config) user(name string) (userConfig, error) {
	if name == "" {
		return c.Users[0], nil
	}
	var names []string
	for _, u := range c.Users {
		if u.Name == name {
			return u, nil
		}
		names = append(names, u.Name)
	}
	return userConfig{}, fmt.Errorf("no user %q in the configuration (users: %q)", name, names)
}

// serverConfig returns the users and roles of c for the STS server.
func (c config) serverConfig() fakests.Config {
	var sc fakests.Config
	for _, u := range c.Users {
		sc.Users = append(sc.Users, fakests.User{
			AccessKeyID: u.AccessKeyID, SecretAccessKey: u.SecretAccessKey, ARN: u.ARN,
			MFASerial: u.MFASerial, MFACode: u.MFACode, RequireMFA: u.RequireMFA,
		})
	}
	for _, r := range c.Roles {
		d := time.Duration(r.MaxSessionDuration) * time.Second
		if d/time.Second != time.Duration(r.MaxSessionDuration) {
			d = -1 // too long to count in nanoseconds: out of bounds too
		}
		sc.Roles = append(sc.Roles, fakests.Role{
			ARN: r.ARN, Trust: r.Trust, ExternalID: r.ExternalID, RequireMFA: r.RequireMFA, MaxSessionDuration: d,
			DenyTagSession: refused(r.TagSession), DenySetSourceIdentity: refused(r.SetSourceIdentity),
		})
	}
	return sc
}
