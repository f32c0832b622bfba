package awsauth

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// System is what a module run takes from the machine it runs on besides
// its arguments: the environment, the network and the clock. The binaries
// run with OS(); tests and the fuzzers pass their own.
type System struct {
	// LookupEnv reads the environment: every variable the modules read
	// themselves (the chains, the client settings, the files' paths, the
	// secrets to mask). The SDK's loader, when it runs, reads the process
	// environment itself for its credential chain, so a LookupEnv that
	// differs from it there gives a run that mixes the two.
	LookupEnv func(key string) (string, bool)
	// Proxy chooses the proxy of a request when aws_config names none
	// (http.ProxyFromEnvironment); nil sends every request directly.
	Proxy func(*http.Request) (*url.URL, error)
	// Connect, when set, is asked before each connection the run opens
	// (to the STS endpoint, a proxy, a credential source's endpoint, a DNS
	// server), with the network and the address, an IP address and port:
	// an error refuses the connection, and is the cause the dial fails
	// with. nil allows every connection.
	Connect func(network, address string) error
	// Now is the clock the run's deadline starts from (time.Now).
	Now func() time.Time
}

// OS is the machine the module runs on: its environment, its network and
// proxies, its clock.
func OS() System {
	return System{LookupEnv: os.LookupEnv, Proxy: http.ProxyFromEnvironment, Now: time.Now}
}

// Env looks the variable key up with LookupEnv; a nil LookupEnv is an
// empty environment.
func (s System) Env(key string) (string, bool) {
	if s.LookupEnv == nil {
		return "", false
	}
	return s.LookupEnv(key)
}

// getenv returns the variable key, "" when unset (as os.Getenv).
func (s System) getenv(key string) string {
	v, _ := s.Env(key)
	return v
}

func (s System) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// ConnectRefusedError is a connection System.Connect refused. The SDK's
// retryers do not retry it: it would be refused again.
type ConnectRefusedError struct {
	Network, Address string
	Err              error // Connect's error
}

func (e *ConnectRefusedError) Error() string        { return e.Err.Error() }
func (e *ConnectRefusedError) Unwrap() error        { return e.Err }
func (e *ConnectRefusedError) RetryableError() bool { return false }

// guard is System.Connect for the dialers of one run.
type guard struct {
	connect func(network, address string) error
	// refusedDNS are the DNS servers connect refused: a name lookup
	// through them failed for that reason, which the lookup's error (a
	// *net.DNSError, which keeps only the text of its cause) no longer
	// says.
	refusedDNS sync.Map
}

// newGuard returns the guard of a run on s, nil when s allows every
// connection.
func (s System) newGuard() *guard {
	if s.Connect == nil {
		return nil
	}
	return &guard{connect: s.Connect}
}

func (g *guard) check(network, address string) error {
	if err := g.connect(network, address); err != nil {
		return &ConnectRefusedError{Network: network, Address: address, Err: err}
	}
	return nil
}

// dialer makes a dialer ask connect before each connection, its DNS
// queries' included (through the Go resolver, which dials with it); a nil
// guard leaves the dialer as it is.
func (g *guard) dialer(d *net.Dialer) {
	if g == nil {
		return
	}
	control := func(_ context.Context, network, address string, _ syscall.RawConn) error {
		return g.check(network, address)
	}
	d.ControlContext = control
	d.Resolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		if err := g.check(network, address); err != nil {
			g.refusedDNS.Store(address, true)
			return nil, err
		}
		return (&net.Dialer{ControlContext: control}).DialContext(ctx, network, address)
	}}
}

// refused says not to retry a connection the guard refused, a name lookup
// through a DNS server it refused included.
func (g *guard) refused(err error) aws.Ternary {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		if _, ok := g.refusedDNS.Load(dns.Server); ok {
			return aws.FalseTernary
		}
	}
	var refused *ConnectRefusedError
	if errors.As(err, &refused) {
		return aws.FalseTernary
	}
	return aws.UnknownTernary
}
