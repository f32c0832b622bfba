package awsauth

import (
	"context"
	"fmt"

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
func checkSharedFiles(sys System) error {
	for _, f := range sharedFiles(sys) {
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
func sharedFiles(sys System) [2]sharedFile {
	files := [2]sharedFile{
		{"shared config file", config.DefaultSharedConfigFilename(), "default"},
		{"shared credentials file", config.DefaultSharedCredentialsFilename(), "default"},
	}
	for i, env := range []string{configFileEnv, credentialsFileEnv} {
		if p := sys.getenv(env); p != "" {
			files[i].path, files[i].source = p, "env "+env
		}
	}
	return files
}

// sharedCABundle reads the ca_bundle of the shared config profile the
// SDK's loader uses (default when profile is empty), bounded, for the
// loader, which would otherwise read that file itself. Nothing is returned
// without a ca_bundle, or for a profile the loader will not find, which it
// reports itself.
func sharedCABundle(ctx context.Context, profile string, sys System) (Value, []byte, error) {
	name := profile
	if name == "" {
		name = "default"
	}
	files := sharedFiles(sys)
	sc, err := config.LoadSharedConfigProfile(ctx, name, func(o *config.LoadSharedConfigOptions) {
		o.ConfigFiles = []string{files[0].path}
		o.CredentialsFiles = []string{files[1].path}
	})
	if err != nil || sc.CustomCABundle == "" {
		return Value{}, nil, nil
	}
	v := Value{sc.CustomCABundle, "shared config " + profileName(profile)}
	pem, err := readCABundle(v)
	return v, pem, err
}

// envCABundle reads AWS_CA_BUNDLE for the SDK's loader when certificates
// are verified but the option gave it no bundle that is read (an http://
// endpoint, or aws_ca_bundle given as null): the loader would otherwise
// read the file itself, unbounded.
func envCABundle(sys System) (Value, []byte, error) {
	p := sys.getenv(caBundleEnv)
	if p == "" {
		return Value{}, nil, nil
	}
	v := Value{p, "env " + caBundleEnv}
	pem, err := readCABundle(v)
	return v, pem, err
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
