package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// serve prints the exported variables as shell export lines and serves
// until SIGINT or SIGTERM; it returns the exit status.
func serve(e *endpoint, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var b strings.Builder
	for _, kv := range e.exports() {
		name, value, _ := strings.Cut(kv, "=")
		fmt.Fprintf(&b, "export %s=%s\n", name, shellQuote(value))
	}
	// The banner first: a caller that reads the exports may make a request
	// at once, and its log line must come after the banner.
	fmt.Fprintf(stderr, "local-sts: serving STS at %s as %s; admin API at %s%s; stop with Ctrl-C\n",
		e.srv.URL, e.user.ARN, e.srv.URL, adminPrefix)
	if _, err := io.WriteString(stdout, b.String()); err != nil {
		fmt.Fprintf(stderr, "local-sts: write exports: %v\n", err)
		return exitFailure
	}
	<-ctx.Done()
	return 0
}

// shellQuote returns s as one POSIX shell word: unchanged when it is made
// of characters the shell leaves alone, else in single quotes.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
