package awsauth

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"

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
// bytes); the body is bounded by the STS client (stscall.MaxAnswer).
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
// one. Its dialer asks g (nil for none) before each connection; the SDK's
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
			tr.Proxy = proxy
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

// wholeBody is the HTTP client that sends each request from its own
// in-memory copy of the body. The SDK closes the body it built as soon as
// the answer's headers arrive, while Go's transport may still be finishing
// the request (its last read of the body, to see the end); the transport
// then tears the connection down and cuts the answer's body short, which
// the retryer takes for a broken connection and sends the request again.
// A copy that only the transport holds is not closed under it.
type wholeBody struct{ *awshttp.BuildableClient }

func (c wholeBody) Do(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return c.BuildableClient.Do(req)
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	sent := req.Clone(req.Context())
	sent.ContentLength = int64(len(body))
	sent.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	sent.Body, _ = sent.GetBody()
	return c.BuildableClient.Do(sent)
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
