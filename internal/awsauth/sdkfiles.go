package awsauth

import (
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"

	"ansible-sts/internal/boundedfile"
)

// CredentialSourceError is the failure of a source of credentials that is
// configured (a credential_process, a web identity token file), as
// distinct from finding no credentials at all. Its text is the module's
// msg.
type CredentialSourceError struct{ Msg string }

func (e *CredentialSourceError) Error() string { return e.Msg }

// checkSharedFiles refuses a shared config or credentials file that is
// there but is not a regular file, or is larger than
// boundedfile.ConfigLimit, before the SDK opens it by name: its plain open
// would block on a named pipe and its read consume a device until memory
// runs out. Anything else, a missing file first of all, is left to the SDK
// as before.
func checkSharedFiles() error {
	files := []struct{ what, env, path string }{
		{"shared config file", "AWS_CONFIG_FILE", config.DefaultSharedConfigFilename()},
		{"shared credentials file", "AWS_SHARED_CREDENTIALS_FILE", config.DefaultSharedCredentialsFilename()},
	}
	for _, f := range files {
		source := "default"
		if p := os.Getenv(f.env); p != "" {
			f.path, source = p, "env "+f.env
		}
		if err := boundedfile.Check(f.path, boundedfile.ConfigLimit); boundedfile.Refused(err) {
			return fmt.Errorf("cannot read the %s %s (from %s): %v", f.what, f.path, source, err)
		}
	}
	return nil
}

// envCABundle reads AWS_CA_BUNDLE for the SDK's loader when the module
// passes it no CA bundle (validate_certs off, or an http:// endpoint): the
// loader would otherwise read the file itself, unbounded.
func envCABundle() ([]byte, error) {
	p := os.Getenv("AWS_CA_BUNDLE")
	if p == "" {
		return nil, nil
	}
	return readCABundle(Value{p, "env AWS_CA_BUNDLE"})
}

// boundedTokenFile makes the web identity provider read its token file
// (AWS_WEB_IDENTITY_TOKEN_FILE, or a profile's web_identity_token_file)
// through boundedfile rather than with a plain read.
func boundedTokenFile(o *stscreds.WebIdentityRoleOptions) {
	if f, ok := o.TokenRetriever.(stscreds.IdentityTokenFile); ok {
		o.TokenRetriever = tokenFile(f)
	}
}

// tokenFile is a web identity token file, read when the credentials are.
type tokenFile string

func (f tokenFile) GetIdentityToken() ([]byte, error) {
	b, err := boundedfile.Read(string(f), boundedfile.ConfigLimit)
	if err != nil {
		return nil, &CredentialSourceError{Msg: fmt.Sprintf("cannot read the web identity token file: %v", err)}
	}
	return b, nil
}
