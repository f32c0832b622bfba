// Package module runs one STS module from its arguments file to its JSON
// result. Both binaries are a Module value and a call to Run; everything
// they share (validation, check mode, credential resolution, the client,
// failures, output) happens here, once.
package module

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"ansible-sts/internal/awsauth"
	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/result"
	"ansible-sts/internal/stscall"
)

// Module describes one STS module.
type Module struct {
	Name    string          // the module's name, used when the controller sends none
	Options moduleargs.Spec // the module's own options; the AWS ones are added
	Action  string          // the STS operation, e.g. "AssumeRole"
	// Params are the request parameters, checked as botocore checks them.
	Params []stscall.Param
	// Call makes the STS call and returns the result keys on success.
	Call func(ctx context.Context, c *sts.Client, args *moduleargs.Args) (result.Result, error)
}

// Spec returns the full argument spec: the AWS options, then the module's
// own, the order in which amazon.aws merges them.
func (m Module) Spec() moduleargs.Spec {
	return append(append(moduleargs.Spec{}, awsauth.Options...), m.Options...)
}

// Version is the modules' version, stamped at build time.
var Version = "dev"

// Run runs the module with the command-line arguments (the arguments file
// first), writes exactly one JSON result to stdout and returns the exit
// status, on every path, a panic included.
func Run(m Module, argv []string, stdout io.Writer) (code int) {
	var args *moduleargs.Args
	defer func() {
		if p := recover(); p != nil {
			code = result.Write(stdout, result.Failure(fmt.Sprintf("internal error in %s: %v\n%s", m.Name, p, debug.Stack())), args)
		}
	}()
	res := run(m, argv, &args)
	return result.Write(stdout, res, args)
}

func run(m Module, argv []string, argsOut **moduleargs.Args) result.Result {
	path := ""
	if len(argv) > 0 {
		path = argv[0]
	}
	args, err := moduleargs.ReadFile(path, m.Spec(), m.Name)
	*argsOut = args
	if err != nil {
		return result.Failure(err.Error())
	}
	if args.CheckMode {
		return result.Skipped(args.ModuleName)
	}

	withActions := func(r result.Result, called bool) result.Result {
		if args.Bool("debug_botocore_endpoint_logs") {
			actions := []string{}
			if called {
				actions = append(actions, "sts:"+m.Action)
			}
			r["resource_actions"] = actions
		}
		return r
	}

	resolved, err := awsauth.Resolve(args)
	if err != nil {
		return withActions(result.Failure(err.Error()), false)
	}
	ctx, cancel := context.WithTimeout(context.Background(), resolved.Client.Deadline())
	defer cancel()
	cfg, err := resolved.Config(ctx)
	if err != nil {
		return withActions(result.Failure(err.Error()), false)
	}
	if err := stscall.Check(args, m.Params); err != nil {
		return withActions(result.Failure(err.Error()), false)
	}
	if cfg.Region == "" {
		return withActions(result.Failure(awsauth.ErrEndpointWithoutRegion.Error()), false)
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return withActions(result.Failure(credentialsMessage(err, resolved)), false)
	}

	rec := stscall.NewRecorder(m.Action)
	client := sts.NewFromConfig(cfg, rec.Apply, userAgent(resolved))
	out, err := m.Call(ctx, client, args)
	if err != nil {
		return withActions(rec.Failure(err), rec.Attempts > 0)
	}
	out["changed"] = true
	return withActions(out, true)
}

// userAgent appends "Ansible/<version>", the modules' own name and version,
// and aws_config's user_agent_extra to the SDK's User-Agent.
func userAgent(r *awsauth.Resolved) func(*sts.Options) {
	return func(o *sts.Options) {
		if r.UserAgent != "" {
			o.APIOptions = append(o.APIOptions, awsmiddleware.AddUserAgentKey(r.UserAgent))
		}
		o.APIOptions = append(o.APIOptions, awsmiddleware.AddUserAgentKeyValue("ansible-sts", Version))
		if r.Client.UserAgentExtra != "" {
			o.APIOptions = append(o.APIOptions, awsmiddleware.AddUserAgentKey(r.Client.UserAgentExtra))
		}
	}
}

// credentialsMessage explains that no credentials were found. The module
// runs on the managed host, which is the usual surprise.
func credentialsMessage(err error, r *awsauth.Resolved) string {
	where := "the default chain (environment, shared files, SSO, process, web identity, container and instance roles)"
	if r.Profile.Value != "" {
		where = fmt.Sprintf("profile %s (from %s)", r.Profile.Value, r.Profile.Source)
	}
	return fmt.Sprintf("Unable to locate credentials in %s: %v. Give aws_access_key and aws_secret_key, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use a profile; the module runs on the managed host (delegate_to: localhost runs it on the controller)", where, err)
}
