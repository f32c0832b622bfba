package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"

	"ansible-sts/internal/fakests"
)

// endpoint is a running local STS endpoint and the identity it exports.
type endpoint struct {
	srv    *fakests.Server
	faults *fakests.Faults
	user   userConfig
	region string
	// caFile is the PEM file of the certificate with -tls, else "".
	caFile string
	// guard is the egress guard, nil without one.
	guard *egressGuard
}

// start loads the configuration and starts the endpoint o describes, and
// its egress guard if o asks for one. Each request, and each refused
// egress attempt, is logged to log as one line, unless log is nil.
func start(o options, log io.Writer) (*endpoint, error) {
	cfg, err := loadConfig(o.config)
	if err != nil {
		return nil, err
	}
	user, err := cfg.user(o.as)
	if err != nil {
		return nil, fmt.Errorf("-as: %w", err)
	}
	e := &endpoint{faults: new(fakests.Faults), user: user, region: o.region}
	e.faults.Set(fakests.FaultSettings{Throttle: o.throttle, ServerErrors: o.serverErrors, Delay: o.delay})
	sc := cfg.serverConfig()
	sc.Faults = e.faults
	var logf func(string)
	if log != nil {
		var mu sync.Mutex
		logf = func(line string) {
			mu.Lock()
			defer mu.Unlock()
			_, _ = io.WriteString(log, line+"\n")
		}
		sc.Observe = func(r fakests.Request) { logf(logLine(r)) }
	}
	sts, err := fakests.New(sc)
	if err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	if o.guard {
		e.guard = newGuard(logf)
	}
	var cert *tls.Certificate
	if o.tls {
		c, pem, err := fakests.SelfSignedCert()
		if err != nil {
			return nil, fmt.Errorf("tls: %w", err)
		}
		if e.caFile, err = writeTemp("local-sts-ca-*.pem", pem); err != nil {
			return nil, fmt.Errorf("tls: %w", err)
		}
		cert = &c
	}
	api := &admin{sts: sts, faults: e.faults, egress: e.guard}
	if e.srv, err = listen(o.listen, sts, api, cert); err != nil {
		return nil, errors.Join(fmt.Errorf("start: %w", err), e.removeCA())
	}
	if e.guard != nil {
		// After the endpoint, whose -listen port it could otherwise take,
		// and on its address, which is known to exist.
		u, err := url.Parse(e.srv.URL)
		if err == nil {
			err = e.guard.listen(u.Hostname())
		}
		if err != nil {
			return nil, errors.Join(fmt.Errorf("start: %w", err), e.Close())
		}
	}
	return e, nil
}

// Close stops the server and the guard and removes the certificate file.
func (e *endpoint) Close() error {
	return errors.Join(e.srv.Close(), e.closeGuard(), e.removeCA())
}

func (e *endpoint) closeGuard() error {
	if e.guard == nil {
		return nil
	}
	return e.guard.close()
}

func (e *endpoint) removeCA() error {
	if e.caFile == "" {
		return nil
	}
	if err := os.Remove(e.caFile); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove certificate: %w", err)
	}
	return nil
}

// exports returns the variables the endpoint exports, as NAME=value, in a
// fixed order.
func (e *endpoint) exports() []string {
	env := []string{
		"AWS_URL=" + e.srv.URL,
		"AWS_ENDPOINT_URL_STS=" + e.srv.URL,
		"AWS_ACCESS_KEY_ID=" + e.user.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + e.user.SecretAccessKey,
		"AWS_REGION=" + e.region,
		// botocore as Debian ships it (boto3 1.26) and AWS CLI v1 read
		// only this one.
		"AWS_DEFAULT_REGION=" + e.region,
		"AWS_EC2_METADATA_DISABLED=true",
		"LOCAL_STS_URL=" + e.srv.URL,
	}
	if e.caFile != "" {
		env = append(env, "LOCAL_STS_CA_BUNDLE="+e.caFile)
	}
	if e.guard != nil {
		env = append(env, proxyVars(e.guard.URL, e.srv.URL)...)
	}
	return env
}

// writeTemp writes data to a new temporary file named after pattern and
// returns its path.
func writeTemp(pattern string, data []byte) (string, error) {
	f, err := os.CreateTemp("", pattern)
	if err != nil {
		return "", fmt.Errorf("create temporary file: %w", err)
	}
	_, werr := f.Write(data)
	if err := errors.Join(werr, f.Close()); err != nil {
		return "", errors.Join(fmt.Errorf("write %s: %w", f.Name(), err), os.Remove(f.Name()))
	}
	return f.Name(), nil
}

// logLine describes r as "ACTION CALLER -> STATUS [CODE]". The caller is
// the authenticated ARN, else the access key id; neither secrets, session
// tokens nor parameters are shown.
func logLine(r fakests.Request) string {
	who := r.Caller
	if who == "" {
		who = r.AccessKeyID
	}
	status := "-"
	if r.Status != 0 {
		status = strconv.Itoa(r.Status)
	}
	line := printable(r.Action) + " " + printable(who) + " -> " + status
	if r.Err != "" {
		line += " " + r.Err
	}
	return line
}

// printable returns s with anything but printable ASCII other than space
// replaced by '?', or "-" for an empty s, so that a client cannot forge
// log lines.
func printable(s string) string {
	if s == "" {
		return "-"
	}
	return strings.Map(func(r rune) rune {
		if r <= ' ' || r > '~' {
			return '?'
		}
		return r
	}, s)
}
