package modules

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"ansible-sts/internal/awsauth"
	"ansible-sts/internal/moduleargs"
	"ansible-sts/internal/result"
	"ansible-sts/internal/stsio"
)

// Module describes one STS module.
type Module struct {
	Name    string   // the module's name, used when the controller sends none
	Options []Option // the module's own options; the AWS ones are added
	Action  string   // the STS operation, e.g. "AssumeRole"
	// Params are botocore's checks of the request Call sends, one a
	// request parameter, in request order.
	Params []stsio.Param
	// Call makes the STS call and returns the result keys on success.
	Call func(ctx context.Context, c *sts.Client, args *moduleargs.Args) (result.Result, error)
	// Doc is the documentation ansible-doc shows.
	Doc Doc
}

// Spec returns the full argument spec: the AWS options, then the module's
// own, the order in which amazon.aws merges them.
func (m Module) Spec() moduleargs.Spec {
	return append(append(moduleargs.Spec{}, awsSpec...), spec(m.Options)...)
}

// System is what a run takes from the machine it runs on: the
// environment, the network and the clock (see awsauth.System).
type System = awsauth.System

// OS is the machine the module runs on, which the binaries pass.
func OS() System { return awsauth.OS() }

// Version is the modules' version, stamped at build time (make build);
// "--version" prints it.
var Version = "dev"

// Run runs the module on sys with the command-line arguments (the
// arguments file first), writes exactly one JSON result to stdout and
// returns the exit status, on every path, a panic included.
func Run(m Module, sys System, argv []string, stdout io.Writer) int {
	if len(argv) == 1 && argv[0] == "--version" {
		fmt.Fprintf(stdout, "%s %s\n", m.Name, Version)
		return 0
	}
	path := ""
	if len(argv) > 0 {
		path = argv[0]
	}
	return run(m, sys, stdout, func(spec moduleargs.Spec) (*moduleargs.Args, error) {
		return moduleargs.ReadFile(path, spec, m.Name, sys.Env)
	})
}

// run runs m on sys with the arguments load returns, and writes its one
// result.
func run(m Module, sys System, stdout io.Writer, load func(moduleargs.Spec) (*moduleargs.Args, error)) (code int) {
	inv := &invocation{Module: m, sys: sys}
	defer func() {
		if p := recover(); p != nil {
			stack := debug.Stack()
			if cp, ok := p.(*callPanic); ok {
				p, stack = cp.value, cp.stack
			}
			msg := fmt.Sprintf("internal error in %s: %v\n%s", m.Name, p, stack)
			code = result.Write(stdout, result.Failure(msg), inv.written())
		}
	}()
	return result.Write(stdout, inv.run(load), inv.written())
}

// invocation is one run of a module. args is set as soon as the arguments
// file is read, so that even a panic's message is masked.
type invocation struct {
	Module
	sys  System
	args *moduleargs.Args
	// conn is the arguments' connection options, once they are read.
	conn awsauth.Connection
	// returned are the secrets the result returns in clear.
	returned []string
}

// written returns what the result is written with: the invocation and the
// warnings of the arguments, every secret the run used and those the
// result returns, for the controller the arguments name; nil before the
// arguments are read.
func (inv *invocation) written() *result.Run {
	a := inv.args
	if a == nil {
		return nil
	}
	run := &result.Run{Warnings: a.Warnings, Secrets: a.NoLogValues, Returned: inv.returned, ControllerMasks: a.MasksSecrets()}
	if a.IncludesInvocation() {
		run.Invocation = a.Invocation()
	}
	return run
}

func (inv *invocation) run(load func(moduleargs.Spec) (*moduleargs.Args, error)) result.Result {
	args, err := load(inv.Spec())
	inv.args = args
	// Every secret the run uses joins the no_log values as it is found,
	// from here on: the result is masked with all of them.
	args.AddSecrets(inputSecrets(args, inv.sys)...)
	if err != nil {
		return result.Failure(err.Error())
	}
	if args.CheckMode {
		return result.Skipped(args.ModuleName)
	}

	inv.conn = connection(args)
	settings, cfg, err := awsauth.Load(inv.conn, inv.sys)
	args.AddSecrets(settings.Secrets()...)
	if err != nil {
		return inv.withActions(result.Failure(err.Error()), false)
	}
	ctx, cancel := context.WithDeadline(context.Background(), settings.Deadline)
	defer cancel()
	// Load failed where botocore fails building the client. At the call
	// botocore checks, in this order, the parameters, the region to sign
	// for (NoRegionError) and the credentials (NoCredentialsError), then
	// sends the request.
	if err := stsio.Check(args, inv.Params); err != nil {
		return inv.withActions(result.Failure(err.Error()), false)
	}
	if err := settings.SigningRegion(); err != nil {
		return inv.withActions(result.Failure(err.Error()), false)
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return inv.withActions(result.Failure(credentialsMessage(err, settings)), false)
	}
	// The keys the chain found (a profile, credential_process, SSO, a
	// container or instance role); not the new ones STS returns.
	args.AddSecrets(creds.SecretAccessKey, creds.SessionToken)
	if err := settings.CheckSendable(creds); err != nil {
		return inv.withActions(result.Failure(err.Error()), false)
	}

	rec := stsio.NewRecorder(inv.Action)
	client := sts.NewFromConfig(cfg, rec.Apply, userAgent(settings))
	out, err := within(ctx, settings.Client.Longest(), func() (result.Result, error) { return inv.Call(ctx, client, args) })
	if err != nil {
		return inv.withActions(rec.Failure(err), rec.Sent())
	}
	out["changed"] = true
	inv.returned = append(inv.returned, returnedSecrets(out)...)
	return inv.withActions(out, true)
}

// deadlineGrace is how long a call may overrun its deadline to report its
// own error (the SDK's timeout errors say more) before it is abandoned.
const deadlineGrace = 500 * time.Millisecond

// within runs call under the deadline of ctx, which lasts d, and returns
// by then (plus deadlineGrace) whatever the endpoint does: a connection
// the HTTP stack no longer watches cannot hold the module. A call that
// fails once the deadline passed fails with a DeadlineError. A panic of
// call is raised again in the caller's goroutine, where the run recovers
// it.
func within(ctx context.Context, d time.Duration, call func() (result.Result, error)) (result.Result, error) {
	type outcome struct {
		r        result.Result
		err      error
		panicked *callPanic
	}
	done := make(chan outcome, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- outcome{panicked: &callPanic{p, debug.Stack()}}
			}
		}()
		r, err := call()
		done <- outcome{r: r, err: err}
	}()
	var o outcome
	select {
	case o = <-done:
	case <-ctx.Done():
		select {
		case o = <-done:
		case <-time.After(deadlineGrace):
			o.err = ctx.Err()
		}
	}
	if o.panicked != nil {
		panic(o.panicked)
	}
	if o.err != nil && ctx.Err() != nil {
		o.err = &stsio.DeadlineError{Deadline: d, Err: o.err}
	}
	return o.r, o.err
}

// callPanic is a panic of the call, with the stack where it happened.
type callPanic struct {
	value any
	stack []byte
}

// withActions adds resource_actions when debug_botocore_endpoint_logs is
// on: the operation when a request was sent, else an empty list.
func (inv *invocation) withActions(r result.Result, called bool) result.Result {
	if inv.conn.DebugLogs {
		actions := []string{}
		if called {
			actions = append(actions, "sts:"+inv.Action)
		}
		r["resource_actions"] = actions
	}
	return r
}

// userAgent appends "Ansible/<version>", the modules' own name and version,
// and aws_config's user_agent_extra to the SDK's User-Agent.
func userAgent(r awsauth.Settings) func(*sts.Options) {
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
// runs on the managed host, which is the usual surprise. A configured
// source that failed (a credential_process, a token file) says so instead.
func credentialsMessage(err error, r awsauth.Settings) string {
	var failed *awsauth.CredentialSourceError
	if errors.As(err, &failed) {
		return failed.Error()
	}
	where := "the default chain (environment, shared files, SSO, process, web identity, container and instance roles)"
	if r.Profile.Value != "" {
		where = fmt.Sprintf("profile %s (from %s)", r.Profile.Value, r.Profile.Source)
	}
	return fmt.Sprintf("Unable to locate credentials in %s: %v. Give aws_access_key and aws_secret_key, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use a profile; the module runs on the managed host (delegate_to: localhost runs it on the controller)", where, err)
}
