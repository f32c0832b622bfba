package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
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

// roleConfig is an IAM role; MaxSessionDuration is in seconds.
type roleConfig struct {
	ARN                string   `json:"arn"`
	Trust              []string `json:"trust"`
	ExternalID         string   `json:"external_id"`
	RequireMFA         bool     `json:"require_mfa"`
	MaxSessionDuration int      `json:"max_session_duration"`
}

const (
	defaultMaxSessionDuration = 3600
	maxMaxSessionDuration     = 43200
)

var (
	userARN    = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:user/(?:[\w+=,.@-]+/)*[\w+=,.@-]+$`)
	roleARN    = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role/(?:[\w+=,.@-]+/)*[\w+=,.@-]+$`)
	rootARN    = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:root$`)
	mfaARN     = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:mfa/(?:[\w+=,.@-]+/)*[\w+=,.@-]+$`)
	mfaCode    = regexp.MustCompile(`^\d{6}$`)
	externalID = regexp.MustCompile(`^[\w+=,.@:/-]+$`)
)

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

// check reports the first problem of c.
func (c config) check() error {
	if len(c.Users) == 0 {
		return errors.New("no users")
	}
	names, keys := map[string]bool{}, map[string]bool{}
	for i, u := range c.Users {
		if u.Name == "" {
			return fmt.Errorf("user %d: name is empty", i+1)
		}
		if err := u.check(); err != nil {
			return fmt.Errorf("user %q: %w", u.Name, err)
		}
		if names[u.Name] {
			return fmt.Errorf("user %q: name used twice", u.Name)
		}
		if keys[u.AccessKeyID] {
			return fmt.Errorf("user %q: access_key_id used twice", u.Name)
		}
		names[u.Name], keys[u.AccessKeyID] = true, true
	}
	roles := map[string]bool{}
	for i, r := range c.Roles {
		if r.ARN == "" {
			return fmt.Errorf("role %d: arn is empty", i+1)
		}
		if err := r.check(); err != nil {
			return fmt.Errorf("role %q: %w", r.ARN, err)
		}
		if roles[r.ARN] {
			return fmt.Errorf("role %q: configured twice", r.ARN)
		}
		roles[r.ARN] = true
	}
	return nil
}

func (u userConfig) check() error {
	switch {
	case u.AccessKeyID == "":
		return errors.New("access_key_id is empty")
	case u.SecretAccessKey == "":
		return errors.New("secret_access_key is empty")
	case u.ARN == "":
		return errors.New("arn is empty")
	case !userARN.MatchString(u.ARN):
		return fmt.Errorf("arn %q is not an IAM user ARN (arn:aws:iam::<12 digits>:user/<name>)", u.ARN)
	case u.MFASerial != "" && !mfaARN.MatchString(u.MFASerial):
		return fmt.Errorf("mfa_serial %q is not an MFA device ARN (arn:aws:iam::<12 digits>:mfa/<name>)", u.MFASerial)
	case u.MFACode != "" && !mfaCode.MatchString(u.MFACode):
		return errors.New("mfa_code is not six digits")
	case (u.MFACode != "" || u.RequireMFA) && u.MFASerial == "":
		return errors.New("mfa_code and require_mfa need an mfa_serial")
	}
	return nil
}

func (r roleConfig) check() error {
	if !roleARN.MatchString(r.ARN) {
		return errors.New("arn is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)")
	}
	for _, p := range r.Trust {
		if p != "*" && !userARN.MatchString(p) && !roleARN.MatchString(p) && !rootARN.MatchString(p) {
			return fmt.Errorf("trust entry %q is not a user, role or account root ARN or \"*\"", p)
		}
	}
	if n := len(r.ExternalID); n > 0 && (n < 2 || n > 1224 || !externalID.MatchString(r.ExternalID)) {
		return fmt.Errorf("external_id %q is not 2 to 1224 of the characters [\\w+=,.@:/-]", r.ExternalID)
	}
	if d := r.MaxSessionDuration; d != 0 && (d < defaultMaxSessionDuration || d > maxMaxSessionDuration) {
		return fmt.Errorf("max_session_duration %d is not between %d and %d seconds", d, defaultMaxSessionDuration, maxMaxSessionDuration)
	}
	return nil
}

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
		d := r.MaxSessionDuration
		if d == 0 {
			d = defaultMaxSessionDuration
		}
		sc.Roles = append(sc.Roles, fakests.Role{
			ARN: r.ARN, Trust: r.Trust, ExternalID: r.ExternalID, RequireMFA: r.RequireMFA,
			MaxSessionDuration: time.Duration(d) * time.Second,
		})
	}
	return sc
}
