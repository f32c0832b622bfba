package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ansible-sts/internal/fakests"

	"github.com/google/go-cmp/cmp"
)

func TestParseConfig(t *testing.T) {
	const (
		userJSON = `{"name": "u", "arn": "arn:aws:iam::123456789012:user/u", "access_key_id": "AKIAU", "secret_access_key": "s"}`
		roleARN  = "arn:aws:iam::123456789012:role/r"
	)
	withUser := func(roles string) string { return `{"users": [` + userJSON + `], "roles": [` + roles + `]}` }
	tests := []struct {
		name    string
		json    string
		want    fakests.Config
		wantErr string
	}{
		{
			name: "full",
			json: `{"users": [{"name": "u", "arn": "arn:aws:iam::123456789012:user/path/u", "access_key_id": "AKIAU", "secret_access_key": "s",
				"mfa_serial": "arn:aws:iam::123456789012:mfa/u", "mfa_code": "123456", "require_mfa": true}],
				"roles": [{"arn": "arn:aws:iam::123456789012:role/path/r", "trust": ["*", "arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:role/x"],
				"external_id": "ext:1/a", "require_mfa": true, "max_session_duration": 43200}]}`,
			want: fakests.Config{
				Users: []fakests.User{{
					AccessKeyID: "AKIAU", SecretAccessKey: "s", ARN: "arn:aws:iam::123456789012:user/path/u",
					MFASerial: "arn:aws:iam::123456789012:mfa/u", MFACode: "123456", RequireMFA: true,
				}},
				Roles: []fakests.Role{{
					ARN: "arn:aws:iam::123456789012:role/path/r", Trust: []string{"*", "arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:role/x"},
					ExternalID: "ext:1/a", RequireMFA: true, MaxSessionDuration: 12 * time.Hour,
				}},
			},
		},
		{
			// fakests applies the default, an hour (TestSessionDurations).
			name: "default session duration",
			json: withUser(`{"arn": "` + roleARN + `"}`),
			want: fakests.Config{
				Users: []fakests.User{{AccessKeyID: "AKIAU", SecretAccessKey: "s", ARN: "arn:aws:iam::123456789012:user/u"}},
				Roles: []fakests.Role{{ARN: roleARN}},
			},
		},
		{
			name: "refusing tags and source identities",
			json: withUser(`{"arn": "` + roleARN + `", "tag_session": false, "set_source_identity": false},
				{"arn": "arn:aws:iam::123456789012:role/allowing", "tag_session": true, "set_source_identity": true}`),
			want: fakests.Config{
				Users: []fakests.User{{AccessKeyID: "AKIAU", SecretAccessKey: "s", ARN: "arn:aws:iam::123456789012:user/u"}},
				Roles: []fakests.Role{
					{ARN: roleARN, DenyTagSession: true, DenySetSourceIdentity: true},
					{ARN: "arn:aws:iam::123456789012:role/allowing"},
				},
			},
		},
		{name: "unknown top-level field", json: `{"users": [], "groups": []}`, wantErr: `decode: json: unknown field "groups"`},
		{name: "unknown user field", json: `{"users": [{"name": "u", "password": "x"}]}`, wantErr: `decode: json: unknown field "password"`},
		{name: "unknown role field", json: withUser(`{"arn": "` + roleARN + `", "policy": {}}`), wantErr: `decode: json: unknown field "policy"`},
		{name: "not JSON", json: `users:`, wantErr: "decode: invalid character 'u' looking for beginning of value"},
		{name: "wrong type", json: `{"users": {}}`, wantErr: "decode: json: cannot unmarshal object into Go struct field config.users of type []main.userConfig"},
		{name: "trailing data", json: withUser("") + ` {}`, wantErr: "decode: data after the configuration object"},
		{name: "no users", json: `{"roles": []}`, wantErr: "no users"},
		{name: "user without name", json: `{"users": [{"arn": "arn:aws:iam::123456789012:user/u"}]}`, wantErr: "user 1: name is empty"},
		{name: "user without key", json: `{"users": [{"name": "u", "secret_access_key": "s", "arn": "arn:aws:iam::123456789012:user/u"}]}`, wantErr: `user "u": access_key_id is empty`},
		{name: "user without secret", json: `{"users": [{"name": "u", "access_key_id": "AKIAU", "arn": "arn:aws:iam::123456789012:user/u"}]}`, wantErr: `user "u": secret_access_key is empty`},
		{name: "user without ARN", json: `{"users": [{"name": "u", "access_key_id": "AKIAU", "secret_access_key": "s"}]}`, wantErr: `user "u": arn is empty`},
		{
			name: "user with a role ARN", json: `{"users": [{"name": "u", "access_key_id": "AKIAU", "secret_access_key": "s", "arn": "arn:aws:iam::123456789012:role/u"}]}`,
			wantErr: `user "u": arn "arn:aws:iam::123456789012:role/u" is not an IAM user ARN (arn:aws:iam::<12 digits>:user/<name>)`,
		},
		{
			name: "user ARN with a short account", json: `{"users": [{"name": "u", "access_key_id": "AKIAU", "secret_access_key": "s", "arn": "arn:aws:iam::1234:user/u"}]}`,
			wantErr: `user "u": arn "arn:aws:iam::1234:user/u" is not an IAM user ARN (arn:aws:iam::<12 digits>:user/<name>)`,
		},
		{
			name: "bad MFA serial", json: `{"users": [{"name": "u", "access_key_id": "AKIAU", "secret_access_key": "s", "arn": "arn:aws:iam::123456789012:user/u", "mfa_serial": "GAHT12345678"}]}`,
			wantErr: `user "u": mfa_serial "GAHT12345678" is not an MFA device ARN (arn:aws:iam::<12 digits>:mfa/<name>)`,
		},
		{
			name: "bad MFA code", json: `{"users": [{"name": "u", "access_key_id": "AKIAU", "secret_access_key": "s", "arn": "arn:aws:iam::123456789012:user/u", "mfa_serial": "arn:aws:iam::123456789012:mfa/u", "mfa_code": "12345a"}]}`,
			wantErr: `user "u": mfa_code is not six digits`,
		},
		{
			name: "MFA required without device", json: `{"users": [{"name": "u", "access_key_id": "AKIAU", "secret_access_key": "s", "arn": "arn:aws:iam::123456789012:user/u", "require_mfa": true}]}`,
			wantErr: `user "u": mfa_code and require_mfa need an mfa_serial`,
		},
		{name: "duplicate name", json: `{"users": [` + userJSON + `, ` + strings.Replace(userJSON, "AKIAU", "AKIAV", 1) + `]}`, wantErr: `user "u": name used twice`},
		{name: "duplicate key", json: `{"users": [` + userJSON + `, ` + strings.Replace(userJSON, `"u"`, `"v"`, 1) + `]}`, wantErr: `user "v": access_key_id used twice`},
		{name: "role without ARN", json: withUser(`{"trust": ["*"]}`), wantErr: "role 1: arn is empty"},
		{name: "role with a user ARN", json: withUser(`{"arn": "arn:aws:iam::123456789012:user/r"}`), wantErr: `role "arn:aws:iam::123456789012:user/r": arn is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)`},
		{name: "bad trust entry", json: withUser(`{"arn": "` + roleARN + `", "trust": ["ci"]}`), wantErr: `role "` + roleARN + `": trust entry "ci" is not a user, role or account root ARN or "*"`},
		{name: "external id too short", json: withUser(`{"arn": "` + roleARN + `", "external_id": "x"}`), wantErr: `role "` + roleARN + `": external_id "x" is not 2 to 1224 of the characters [\w+=,.@:/-]`},
		{name: "MFA code without device", json: `{"users": [{"name": "u", "access_key_id": "AKIAU", "secret_access_key": "s", "arn": "arn:aws:iam::123456789012:user/u", "mfa_code": "123456"}]}`,
			wantErr: `user "u": mfa_code and require_mfa need an mfa_serial`},
		{name: "account root as user", json: `{"users": [{"name": "u", "access_key_id": "AKIAU", "secret_access_key": "s", "arn": "arn:aws:iam::123456789012:root"}]}`,
			wantErr: `user "u": arn "arn:aws:iam::123456789012:root" is not an IAM user ARN (arn:aws:iam::<12 digits>:user/<name>)`},
		{name: "bad external id", json: withUser(`{"arn": "` + roleARN + `", "external_id": "a b"}`), wantErr: `role "` + roleARN + `": external_id "a b" is not 2 to 1224 of the characters [\w+=,.@:/-]`},
		{name: "short session duration", json: withUser(`{"arn": "` + roleARN + `", "max_session_duration": 900}`), wantErr: `role "` + roleARN + `": max_session_duration 900 is not between 3600 and 43200 seconds`},
		{name: "long session duration", json: withUser(`{"arn": "` + roleARN + `", "max_session_duration": 43201}`), wantErr: `role "` + roleARN + `": max_session_duration 43201 is not between 3600 and 43200 seconds`},
		{name: "session duration beyond nanoseconds", json: withUser(`{"arn": "` + roleARN + `", "max_session_duration": 18446744073709555}`), wantErr: `role "` + roleARN + `": max_session_duration 18446744073709555 is not between 3600 and 43200 seconds`},
		{name: "duplicate role", json: withUser(`{"arn": "` + roleARN + `"}, {"arn": "` + roleARN + `"}`), wantErr: `role "` + roleARN + `": configured twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(strings.NewReader(tt.json))
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if diff := cmp.Diff(tt.wantErr, gotErr); diff != "" {
				t.Fatalf("error mismatch (-want +got):\n%s", diff)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tt.want, c.serverConfig()); diff != "" {
				t.Errorf("server config mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	example, err := os.ReadFile("example.json")
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.json")
	bad := filepath.Join(dir, "bad.json")
	for path, data := range map[string]string{good: string(example), bad: `{"users": [], "extra": 1}`} {
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name      string
		path      string
		wantUsers []string
		wantErr   string
	}{
		{name: "embedded example", wantUsers: []string{"ci", "partner"}},
		{name: "file", path: good, wantUsers: []string{"ci", "partner"}},
		{name: "unknown field", path: bad, wantErr: "config " + bad + `: decode: json: unknown field "extra"`},
		{name: "missing file", path: filepath.Join(dir, "none.json"), wantErr: "read config: open " + filepath.Join(dir, "none.json") + ": no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadConfig(tt.path)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if diff := cmp.Diff(tt.wantErr, gotErr); diff != "" {
				t.Fatalf("error mismatch (-want +got):\n%s", diff)
			}
			var names []string
			for _, u := range c.Users {
				names = append(names, u.Name)
			}
			if diff := cmp.Diff(tt.wantUsers, names); diff != "" {
				t.Errorf("users mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConfigUser(t *testing.T) {
	c, err := loadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		as      string
		wantARN string
		wantErr string
	}{
		{name: "default is the first", wantARN: ciARN},
		{name: "by name", as: "partner", wantARN: partnerARN},
		{name: "unknown", as: "root", wantErr: `no user "root" in the configuration (users: ["ci" "partner"])`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := c.user(tt.as)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if diff := cmp.Diff([]string{tt.wantARN, tt.wantErr}, []string{u.ARN, gotErr}); diff != "" {
				t.Errorf("user mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
