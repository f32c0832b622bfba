package awsauth

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestNoClientFollowsRedirects: neither the STS client's HTTP client nor
// one the SDK derives from the HTTP client it is given (as its instance
// metadata client does, with dialer and transport options) sends a
// request to where a redirect points, for every redirect status and
// method; the STS client gets the 3xx answer itself.
func TestNoClientFollowsRedirects(t *testing.T) {
	var hits atomic.Int64
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	t.Cleanup(target.Close)
	for _, status := range []int{301, 302, 303, 307, 308} {
		from := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Redirect(w, &http.Request{}, target.URL+"/next", status)
		}))
		t.Cleanup(from.Close)
		hc, err := newHTTPClient(ClientSettings{ConnectTimeout: time.Second, ReadTimeout: time.Second}, true, nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		derived := hc.WithDialerOptions(func(d *net.Dialer) { d.Timeout = 250 * time.Millisecond }).
			WithTransportOptions(func(tr *http.Transport) { tr.ResponseHeaderTimeout = 500 * time.Millisecond })
		for _, method := range []string{"GET", "PUT", "POST"} {
			req, _ := http.NewRequest(method, from.URL, strings.NewReader("Action=AssumeRole"))
			resp, err := newSTSClient(hc).Do(req)
			if err != nil || resp.StatusCode != status {
				t.Errorf("%d %s: the STS client: %v, %v; want the %d answer", status, method, resp, err, status)
			} else {
				resp.Body.Close()
			}
			req, _ = http.NewRequest(method, from.URL, strings.NewReader("x"))
			resp, err = derived.Do(req)
			var refused *RedirectRefusedError
			switch {
			case status == 307 || status == 308:
				// The SDK's client follows these, and the transport refuses.
				if !errors.As(err, &refused) || refused.To != target.URL+"/next" {
					t.Errorf("%d %s: a derived client: %v, want the redirect refused", status, method, err)
				}
			case err != nil || resp.StatusCode != status:
				t.Errorf("%d %s: a derived client: %v, %v; want the %d answer", status, method, resp, err, status)
			default:
				resp.Body.Close()
			}
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the redirects' target got %d requests", n)
	}
}
