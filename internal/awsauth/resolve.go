package awsauth

import (
	"errors"
	"fmt"
	"net/url"

	"ansible-sts/internal/moduleargs"
)

// Resolved is every connection setting a module run uses, each with its
// source, found without any network call.
type Resolved struct {
	// AccessKeyID, SecretAccessKey and SessionToken are set when the keys
	// were given explicitly (option, environment or boto config file);
	// otherwise the SDK's chain finds credentials for Profile.
	AccessKeyID, SecretAccessKey, SessionToken Value
	Profile                                    Value
	// Region is empty when only the shared config file can tell; see Config.
	Region   Value
	Endpoint Value

	ValidateCerts bool
	CABundle      Value // PEM file replacing the system roots, when ValidateCerts
	Client        ClientSettings
	// UserAgent is appended to the SDK's User-Agent, as botocore appends
	// "Ansible/<version>".
	UserAgent string
}

// HasStaticKeys reports whether the keys were given explicitly.
func (r *Resolved) HasStaticKeys() bool { return r.AccessKeyID.Value != "" }

// ErrProfileWithKeys is amazon.aws's refusal of a profile together with key
// or token options (its text is the user-facing message, verbatim).
//
//lint:ignore ST1005 the text users of the Python modules know, verbatim
var ErrProfileWithKeys = errors.New("Passing both a profile and access tokens is not supported.")

// Resolve finds the credentials, region, endpoint, profile and client
// settings for a validated module run, following the chains in chain.go.
// It reads the environment and, only when needed, the boto config file; the
// shared AWS files are the SDK's business (see Config).
func Resolve(args *moduleargs.Args) (*Resolved, error) {
	r := &Resolved{ValidateCerts: args.Bool("validate_certs")}
	if args.Version != "" {
		r.UserAgent = "Ansible/" + args.Version
	}

	r.Region = regionChain.first(args)
	// botocore validates the region before the endpoint and credentials.
	if err := checkRegion(r.Region.Value); err != nil {
		return nil, err
	}
	r.Endpoint = endpointChain.first(args)
	if e := r.Endpoint.Value; e != "" {
		if u, err := url.Parse(e); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			// botocore's ValueError, as amazon.aws's boto3_conn reports it.
			//lint:ignore ST1005 the text users of the Python modules know, verbatim
			return nil, fmt.Errorf("Couldn't connect to AWS: Invalid endpoint: %s", e)
		}
	}

	_, accessOpt := accessKeyChain.fromOption(args)
	_, secretOpt := secretKeyChain.fromOption(args)
	_, tokenOpt := tokenChain.fromOption(args)
	if v, ok := profileChain.fromOption(args); ok {
		r.Profile = v
	} else if !accessOpt && !secretOpt {
		r.Profile, _ = profileChain.fromEnv()
	}
	if r.Profile.Value != "" && (accessOpt || secretOpt || tokenOpt) {
		return nil, ErrProfileWithKeys
	}

	if r.Profile.Value == "" {
		r.AccessKeyID = accessKeyChain.first(args)
		r.SecretAccessKey = secretKeyChain.first(args)
		switch {
		case r.AccessKeyID.Value != "" && r.SecretAccessKey.Value == "":
			return nil, partialCredentials("aws_secret_access_key")
		case r.AccessKeyID.Value == "" && r.SecretAccessKey.Value != "":
			return nil, partialCredentials("aws_access_key_id")
		case r.AccessKeyID.Value != "":
			r.SessionToken = tokenChain.first(args)
		}
	}

	if r.ValidateCerts {
		if s, ok := args.Str("aws_ca_bundle"); ok && s != "" {
			r.CABundle = Value{s, args.Sources["aws_ca_bundle"]}
		}
	}
	var err error
	r.Client, err = clientSettings(args.Dict("aws_config"))
	if err != nil {
		return nil, err
	}
	return r, nil
}

// partialCredentials is botocore's PartialCredentialsError text, which the
// Python modules report for half a key pair, wherever the half came from.
func partialCredentials(missing string) error {
	//lint:ignore ST1005 the text users of the Python modules know, verbatim
	return fmt.Errorf("Partial credentials found in explicit, missing: %s", missing)
}
