package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
)

// Exit statuses for a command that cannot run, as the shell uses them.
const (
	exitNotRunnable = 126
	exitNotFound    = 127
)

// forwarded are the signals passed on to the command.
var forwarded = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// wrap runs argv with the endpoint's variables in its environment and the
// standard streams passed through, forwarding signals to it, and returns
// its exit status (128+N when signal N ended it).
func wrap(e *endpoint, argv []string, stdout, stderr io.Writer) int {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = childEnv(os.Environ(), e.exports(), e.guard != nil)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr

	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, forwarded...)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "local-sts: run %s: %v\n", argv[0], err)
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
			return exitNotFound
		}
		return exitNotRunnable
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-sigs:
				_ = cmd.Process.Signal(sig) // fails only once the command is gone
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	return exitStatus(err, stderr, argv[0])
}

// exitStatus turns the outcome of Wait into an exit status.
func exitStatus(err error, stderr io.Writer, name string) int {
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		fmt.Fprintf(stderr, "local-sts: run %s: %v\n", name, err)
		return exitFailure
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ee.ExitCode()
}

// childEnv returns environ without the variables that could point AWS
// clients elsewhere (every AWS_*, EC2_*, S3_URL and BOTO_CONFIG, but
// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE), nor, when guarded,
// those that set a proxy, nor those that exported sets; followed by
// exported.
func childEnv(environ, exported []string, guarded bool) []string {
	set := map[string]bool{}
	for _, kv := range exported {
		name, _, _ := strings.Cut(kv, "=")
		set[name] = true
	}
	var env []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !set[name] && !cleared(name) && !(guarded && proxyVar(name)) {
			env = append(env, kv)
		}
	}
	return append(env, exported...)
}

// cleared reports whether the inherited variable name is left out of the
// command's environment.
func cleared(name string) bool {
	switch name {
	case "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE":
		return false
	case "S3_URL", "BOTO_CONFIG":
		return true
	}
	return strings.HasPrefix(name, "AWS_") || strings.HasPrefix(name, "EC2_")
}
