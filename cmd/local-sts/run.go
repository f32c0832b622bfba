package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"sync"
	"time"
)

// version is the program's version; set it at link time with
// -ldflags "-X main.version=v1.2.3".
var version string

// options are the settings of one run, from the command line.
type options struct {
	config, listen, as, region string
	throttle, serverErrors     int
	delay                      time.Duration
	tls, verbose, version      bool
	// command is the command to run, empty to serve until interrupted.
	command []string
	// guard starts an egress guard for the command: with a command,
	// unless -no-egress-guard.
	guard bool
}

// Exit statuses of local-sts itself.
const (
	exitFailure = 1
	exitUsage   = 2
)

// run is the program: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		fmt.Fprintf(stderr, "local-sts: %v\n", err)
		return exitUsage
	case o.version:
		fmt.Fprintf(stdout, "local-sts %s\n", programVersion())
		return 0
	}
	if _, ok := stderr.(*os.File); !ok {
		// The request log and the command share it.
		stderr = &lockedWriter{w: stderr}
	}
	var log io.Writer
	if len(o.command) == 0 || o.verbose {
		log = stderr
	}
	e, err := start(o, log)
	if err != nil {
		fmt.Fprintf(stderr, "local-sts: %v\n", err)
		return exitFailure
	}
	status := 0
	if len(o.command) == 0 {
		status = serve(e, stdout, stderr)
	} else {
		status = wrap(e, o.command, stdout, stderr)
	}
	if err := e.Close(); err != nil {
		fmt.Fprintf(stderr, "local-sts: %v\n", err)
		if status == 0 {
			status = exitFailure
		}
	}
	return status
}

// parseFlags parses args; usage errors are printed to stderr.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	var noGuard bool
	fs := flag.NewFlagSet("local-sts", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: local-sts [flags] [-- COMMAND [ARGS...]]")
		fs.PrintDefaults()
	}
	fs.StringVar(&o.config, "config", "", "JSON `file` of users and roles (default: the demo identities of example.json)")
	fs.StringVar(&o.listen, "listen", "127.0.0.1:0", "loopback `address` to listen on")
	fs.StringVar(&o.as, "as", "", "`user` whose keys are exported (default: the first user)")
	fs.StringVar(&o.region, "region", "us-east-1", "`region` exported as AWS_REGION and AWS_DEFAULT_REGION")
	fs.IntVar(&o.throttle, "throttle", 0, "throttle the next `N` STS calls")
	fs.IntVar(&o.serverErrors, "server-errors", 0, "answer the next `N` STS calls with 500 InternalFailure")
	fs.DurationVar(&o.delay, "delay", 0, "wait this `duration` before answering each STS call")
	fs.BoolVar(&o.tls, "tls", false, "serve HTTPS with a fresh self-signed certificate, exported as LOCAL_STS_CA_BUNDLE")
	fs.BoolVar(&o.verbose, "v", false, "with a command, log each request, and each attempt the egress guard refused, to stderr")
	fs.BoolVar(&noGuard, "no-egress-guard", false, "pass the command the inherited proxy variables, instead of pointing them at a loopback proxy that refuses every request")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if rest := fs.Args(); len(rest) > 0 {
		if i := len(args) - len(rest) - 1; i < 0 || args[i] != "--" {
			return o, fmt.Errorf("unexpected argument %q; put the command after --", rest[0])
		}
		o.command = slices.Clone(rest)
		o.guard = !noGuard
	}
	switch {
	case o.throttle < 0:
		return o, errors.New("-throttle must not be negative")
	case o.serverErrors < 0:
		return o, errors.New("-server-errors must not be negative")
	case o.delay < 0:
		return o, errors.New("-delay must not be negative")
	case o.region == "":
		return o, errors.New("-region must not be empty")
	}
	if _, err := listenAddr(o.listen); err != nil {
		return o, fmt.Errorf("-listen %q: %w", o.listen, err)
	}
	return o, nil
}

func programVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// lockedWriter serializes the writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
