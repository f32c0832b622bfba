package moduleargs

import "testing"

// controllerSpec has a no_log option with aliases and an environment
// fallback, another no_log option, and an option that is no secret.
var controllerSpec = Spec{
	{Name: "aws_secret_key", Aliases: []string{"secret_key", "ec2_secret_key"}, NoLog: true, EnvFallback: []string{"SECRET_FALLBACK"}},
	{Name: "mfa_token", NoLog: true},
	{Name: "role_arn"},
	{Name: "duration_seconds", Type: Int},
}

func TestMasksSecrets(t *testing.T) {
	for version, want := range map[string]bool{
		"2.14.18":     false,
		"2.19.11":     false,
		"2.21.4rc1":   false,
		"2.22.0b2":    true,
		"2.22.0":      true,
		"2.22":        true,
		"2.23.0.dev0": true,
		"3.0.0":       true,
		"2.2.0":       false,
		"":            false,
		"devel":       false,
		"v2.22.0":     false,
		"2.x":         false,
		"2.":          false,
		"2":           false,
		"2.221":       true,
	} {
		if got := (Internal{Version: version}).MasksSecrets(); got != want {
			t.Errorf("MasksSecrets() for _ansible_version %q = %v, want %v", version, got, want)
		}
	}
	// A version that is not a string is no version.
	a, err := Parse([]byte(`{"_ansible_version": 2.22}`), controllerSpec, "m", noEnv)
	if err != nil || a.MasksSecrets() {
		t.Errorf("_ansible_version 2.22 as a number: MasksSecrets() = %v (%v), want false", a.MasksSecrets(), err)
	}
}

func noEnv(string) (string, bool) { return "", false }
