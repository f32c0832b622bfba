package awsauth

import (
	"context"
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
	for _, f := range sharedFiles() {
		if err := boundedfile.Check(f.path, boundedfile.ConfigLimit); boundedfile.Refused(err) {
			return fmt.Errorf("cannot read the %s %s (from %s): %v", f.what, f.path, f.source, err)
		}
	}
	return nil
}

type sharedFile struct{ what, path, source string }

// sharedFiles are the shared config file and the shared credentials file
// the SDK's loader reads: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE,
// or the default paths.
func sharedFiles() [2]sharedFile {
	files := [2]sharedFile{
		{"shared config file", config.DefaultSharedConfigFilename(), "default"},
		{"shared credentials file", config.DefaultSharedCredentialsFilename(), "default"},
	}
	for i, env := range []string{"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"} {
		if p := os.Getenv(env); p != "" {
			files[i].path, files[i].source = p, "env "+env
		}
	}
	return files
}

// sharedCABundle reads the ca_bundle of the shared config profile the
// SDK's loader uses (profile, else AWS_PROFILE, else default) for the
// loader, when neither the module nor AWS_CA_BUNDLE gives it one: the
// loader would otherwise read that file itself, unbounded. A bundle that
// is not a regular file or is too large is refused; anything else (no
// ca_bundle, a profile the loader will not find, a missing file) is left
// to the loader, which reports it as before.
func sharedCABundle(ctx context.Context, profile string) ([]byte, error) {
	if profile == "" {
		profile = os.Getenv("AWS_PROFILE")
	}
	name := profile
	if name == "" {
		name = "default"
	}
	files := sharedFiles()
	sc, err := config.LoadSharedConfigProfile(ctx, name, func(o *config.LoadSharedConfigOptions) {
		o.ConfigFiles = []string{files[0].path}
		o.CredentialsFiles = []string{files[1].path}
	})
	if err != nil || sc.CustomCABundle == "" {
		return nil, nil
	}
	pem, err := boundedfile.Read(sc.CustomCABundle, boundedfile.ConfigLimit)
	if boundedfile.Refused(err) {
		return nil, fmt.Errorf("cannot read the CA bundle %s (from shared config %s): %v", sc.CustomCABundle, profileName(profile), err)
	}
	if err != nil {
		return nil, nil
	}
	return pem, nil
}

// envCABundle reads AWS_CA_BUNDLE for the SDK's loader when certificates
// are verified but the module passes it no CA bundle (an http:// endpoint,
// or aws_ca_bundle given as null): the loader would otherwise read the
// file itself, unbounded.
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
