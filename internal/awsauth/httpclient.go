package awsauth

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"

	"ansible-sts/internal/boundedfile"
)

// caBundle reads the CA bundle, when one is set and the endpoint may use
// TLS (like botocore, which loads it only for an https connection): a
// regular file of at most boundedfile.ConfigLimit bytes.
func (r *Resolved) caBundle() ([]byte, error) {
	if r.CABundle.Value == "" || strings.HasPrefix(r.Endpoint.Value, "http://") {
		return nil, nil
	}
	return readCABundle(r.CABundle)
}

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

// httpClient builds the STS client's HTTP client: connect and read
// timeouts, a per-attempt deadline, TLS verification or the CA bundle, and
// proxies (the environment's HTTP(S)_PROXY unless aws_config names them).
// It does not ask for compressed answers, so that a small body cannot
// inflate into a large one.
func (r *Resolved) httpClient(pem []byte) (*awshttp.BuildableClient, error) {
	c := r.Client
	var roots *x509.CertPool
	if pem != nil {
		roots = x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("the CA bundle %s (from %s) holds no PEM certificate", r.CABundle.Value, r.CABundle.Source)
		}
	}
	proxy := http.ProxyFromEnvironment
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
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = c.ConnectTimeout }).
		WithReadTimeout(c.ReadTimeout).
		WithTimeout(c.ConnectTimeout + c.ReadTimeout).
		WithTransportOptions(func(tr *http.Transport) {
			tr.Proxy = proxy
			tr.DisableCompression = true
			tr.MaxResponseHeaderBytes = maxHeaderBytes
			tr.OnProxyConnectResponse = proxyRefusal
			tr.TLSHandshakeTimeout = c.ConnectTimeout
			if tr.TLSClientConfig == nil {
				tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
			}
			tr.TLSClientConfig.InsecureSkipVerify = !r.ValidateCerts
			if roots != nil {
				tr.TLSClientConfig.RootCAs = roots
			}
		}), nil
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
