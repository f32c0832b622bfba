package awsauth

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"

	"ansible-sts/internal/boundedfile"
)

// readCABundle reads a CA bundle: a regular file of at most
// boundedfile.ConfigLimit bytes.
func readCABundle(v Value) ([]byte, error) {
	pem, err := boundedfile.Read(v.Value, boundedfile.ConfigLimit)
	if err != nil {
		return nil, fmt.Errorf("cannot read the CA bundle %s (from %s): %v", v.Value, v.Source, err)
	}
	return pem, nil
}

// maxHeaderBytes bounds an answer's headers (STS sends a few hundred
// bytes); the body is bounded by the STS client (stsio.MaxAnswer).
const maxHeaderBytes = 64 << 10

// certPool returns the roots of a CA bundle's contents, nil for none.
func certPool(pem []byte, v Value) (*x509.CertPool, error) {
	if pem == nil {
		return nil, nil
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("the CA bundle %s (from %s) holds no PEM certificate", v.Value, v.Source)
	}
	return roots, nil
}

// newHTTPClient builds the STS client's HTTP client: connect and read
// timeouts, a per-attempt deadline, TLS verification (or not) with roots
// (nil for the system's), and proxies (proxy, the environment's
// HTTP(S)_PROXY, unless aws_config names them). It does not ask for
// compressed answers, so that a small body cannot inflate into a large
// one. Its transport sends no request that follows a redirect
// (refuseRedirects), whichever client is built from it. Its dialer asks g (nil for none) before each connection; the SDK's
// clients built from it (the credential sources') copy that dialer.
func newHTTPClient(c ClientSettings, verify bool, roots *x509.CertPool, proxy func(*http.Request) (*url.URL, error), g *guard) (*awshttp.BuildableClient, error) {
	if c.Proxies != nil {
		proxies := map[string]*url.URL{}
		for scheme, raw := range c.Proxies {
			u, err := url.Parse(raw)
			if err != nil || u.Host == "" {
				return nil, fmt.Errorf("aws_config: proxies %s is not a URL: %q", scheme, redactUserinfo(raw))
			}
			proxies[scheme] = u
		}
		proxy = func(req *http.Request) (*url.URL, error) { return proxies[req.URL.Scheme], nil }
	}
	return awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = c.ConnectTimeout }, g.dialer).
		WithReadTimeout(c.ReadTimeout).
		WithTimeout(c.ConnectTimeout+c.ReadTimeout).
		WithTransportOptions(func(tr *http.Transport) {
			tr.Proxy = refuseRedirects(proxy)
			tr.DisableCompression = true
			tr.MaxResponseHeaderBytes = maxHeaderBytes
			tr.OnProxyConnectResponse = proxyRefusal
			tr.TLSHandshakeTimeout = c.ConnectTimeout
			if tr.TLSClientConfig == nil {
				tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
			}
			tr.TLSClientConfig.InsecureSkipVerify = !verify
		}, trustOnly(roots)), nil
}

// stsClient is the STS client's HTTP client, built from the settings of
// newHTTPClient's.
//
// It follows no redirect. botocore never does for STS: a 3xx answer is
// the call's failure, and nothing is sent to its Location, which would
// carry the signed request and its form (the role, the session name, the
// policy, the MFA code) to whatever server the endpoint names. The SDK's
// own client follows 307 and 308 whenever a request can be sent again,
// which the in-memory body below makes every request.
//
// It sends each request from its own in-memory copy of the body. The SDK
// closes the body it built as soon as the answer's headers arrive, while
// Go's transport may still be finishing the request (its last read of the
// body, to see the end); the transport then tears the connection down and
// cuts the answer's body short, which the retryer takes for a broken
// connection and sends the request again. A copy that only the transport
// holds is not closed under it.
type stsClient struct {
	*awshttp.BuildableClient // the settings it was built from
	hc                       *http.Client
}

func newSTSClient(b *awshttp.BuildableClient) stsClient {
	tr := b.GetTransport()
	if d, ok := b.GetReadTimeout(); ok && d > 0 {
		readTimeout(tr, d)
	}
	return stsClient{b, &http.Client{
		Transport:     tr,
		Timeout:       b.GetTimeout(),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (c stsClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return c.hc.Do(req)
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	sent := req.Clone(req.Context())
	sent.ContentLength = int64(len(body))
	sent.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	sent.Body, _ = sent.GetBody()
	return c.hc.Do(sent)
}

// readTimeout fails a read from the transport's connections that waits
// longer than d for a byte, as the SDK's client does with a read timeout
// (and with its error, which the retryer and the failure message know).
func readTimeout(tr *http.Transport, d time.Duration) {
	dial := tr.DialContext
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &deadlineConn{conn, d}, nil
	}
}

type deadlineConn struct {
	net.Conn
	timeout time.Duration
}

func (c *deadlineConn) Read(p []byte) (int, error) {
	if err := c.Conn.SetReadDeadline(time.Now().Add(c.timeout)); err != nil {
		return 0, err
	}
	n, err := c.Conn.Read(p)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return n, &awshttp.ResponseTimeoutError{TimeoutDur: c.timeout}
	}
	return n, err
}

// RedirectRefusedError is a request that a redirect would have sent: the
// transport of every client built here refuses it before it is sent. The
// STS client sees no such request (it takes the 3xx as the answer); the
// SDK's credential sources, which build their clients from newHTTPClient's
// and follow 307 and 308 where they can, get this error instead.
type RedirectRefusedError struct {
	Status   string // the 3xx answer's status line, e.g. "307 Temporary Redirect"
	From, To string // the URLs, userinfo and query removed
}

func (e *RedirectRefusedError) Error() string {
	return fmt.Sprintf("%s answered %s with a redirect to %s, which is not followed", e.From, e.Status, e.To)
}

// RetryableError says not to retry: the endpoint would redirect again.
func (e *RedirectRefusedError) RetryableError() bool { return false }

// refuseRedirects wraps a transport's proxy function, which the transport
// calls for every request before it connects or sends anything: a request
// made to follow a redirect (one with a Response) fails there.
func refuseRedirects(proxy func(*http.Request) (*url.URL, error)) func(*http.Request) (*url.URL, error) {
	return func(req *http.Request) (*url.URL, error) {
		if resp := req.Response; resp != nil {
			return nil, &RedirectRefusedError{Status: resp.Status, From: bareURL(resp.Request.URL), To: bareURL(req.URL)}
		}
		if proxy == nil {
			return nil, nil
		}
		return proxy(req)
	}
}

// bareURL is u without userinfo, query and fragment.
func bareURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	b := *u
	b.User, b.RawQuery, b.ForceQuery, b.Fragment, b.RawFragment = nil, "", false, "", ""
	return b.String()
}

// trustOnly makes a transport trust roots instead of the system's; nil
// leaves it as it is.
func trustOnly(roots *x509.CertPool) func(*http.Transport) {
	return func(tr *http.Transport) {
		if roots == nil {
			return
		}
		if tr.TLSClientConfig == nil {
			tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		tr.TLSClientConfig.RootCAs = roots
	}
}

// redactUserinfo returns a URL as given with its userinfo, if any, replaced
// by "xxxxx" (user name included: a proxy may take a token there). It works
// on text that does not parse: the userinfo is taken to end at the last
// "@", as URL parsers take it, so that no part of a password that holds
// "/", "?" or "@" is left.
func redactUserinfo(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		scheme, rest = "", raw
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return raw
	}
	rest = "xxxxx@" + rest[at+1:]
	if ok {
		return scheme + "://" + rest
	}
	return rest
}

// proxyRefusal names the proxy and its answer when it does not open the
// tunnel to an https endpoint (Go's own error is the bare status text).
func proxyRefusal(_ context.Context, proxy *url.URL, _ *http.Request, resp *http.Response) error {
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the proxy %s answered the tunnel request (CONNECT) with %s", proxy.Redacted(), resp.Status)
	}
	return nil
}
