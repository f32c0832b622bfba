package awsauth

import (
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

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// maxCABundle bounds the CA bundle read (system bundles are a few hundred
// KiB), so that a device or a huge file cannot exhaust memory.
const maxCABundle = 8 << 20

// caBundle reads the CA bundle, when one is set and the endpoint may use
// TLS (like botocore, which loads it only for an https connection). It
// must be a regular file.
func (r *Resolved) caBundle() ([]byte, error) {
	if r.CABundle.Value == "" || strings.HasPrefix(r.Endpoint.Value, "http://") {
		return nil, nil
	}
	fail := func(err error) ([]byte, error) {
		return nil, fmt.Errorf("cannot read the CA bundle %s (from %s): %v", r.CABundle.Value, r.CABundle.Source, err)
	}
	f, err := os.Open(r.CABundle.Value)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil {
		return fail(err)
	} else if !info.Mode().IsRegular() {
		return fail(errors.New("not a regular file"))
	}
	pem, err := io.ReadAll(io.LimitReader(f, maxCABundle+1))
	if err != nil {
		return fail(err)
	}
	if len(pem) > maxCABundle {
		return fail(fmt.Errorf("larger than %d MiB", maxCABundle>>20))
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
				return nil, fmt.Errorf("aws_config: proxies %s is not a URL: %q", scheme, raw)
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

// proxyRefusal names the proxy and its answer when it does not open the
// tunnel to an https endpoint (Go's own error is the bare status text).
func proxyRefusal(_ context.Context, proxy *url.URL, _ *http.Request, resp *http.Response) error {
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the proxy %s answered the tunnel request (CONNECT) with %s", proxy.Redacted(), resp.Status)
	}
	return nil
}
