package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

// counter is a loopback server that counts the requests it gets and
// answers each as a redirect to location, or, with no location, as STS
// answers a successful call, so that a module that followed a redirect
// to it would succeed.
type counter struct {
	*httptest.Server
	hits atomic.Int64
}

func startCounter(t *testing.T, useTLS bool, status int, location string) *counter {
	c := &counter{}
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		c.hits.Add(1)
		if location == "" {
			w.Header().Set("Content-Type", "text/xml")
			_, _ = fmt.Fprint(w, assumeRoleAnswer)
			return
		}
		w.Header().Set("Location", location)
		w.WriteHeader(status)
	})
	if useTLS {
		c.Server = httptest.NewTLSServer(h)
	} else {
		c.Server = httptest.NewServer(h)
	}
	t.Cleanup(c.Close)
	return c
}

const assumeRoleAnswer = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>` +
	`<Credentials><AccessKeyId>ASIAFOLLOWED</AccessKeyId><SecretAccessKey>followed</SecretAccessKey><SessionToken>followed</SessionToken>` +
	`<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROA:s1</AssumedRoleId>` +
	`<Arn>arn:aws:sts::123456789012:assumed-role/demo/s1</Arn></AssumedRoleUser></AssumeRoleResult>` +
	`<ResponseMetadata><RequestId>followed</RequestId></ResponseMetadata></AssumeRoleResponse>`

// TestRedirectsNotFollowed: an endpoint's 3xx answer is the call's
// failure, in botocore's shape with the status as the code, and not
// retried; the server it points at gets no request at all: not on another
// port, not under another name for the host, not over http from an https
// endpoint.
func TestRedirectsNotFollowed(t *testing.T) {
	targets := map[string]struct {
		tls  bool
		from func(target *counter) string // the Location, given the second server
	}{
		"another port":            {from: func(c *counter) string { return c.URL + "/" }},
		"localhost for 127.0.0.1": {from: func(c *counter) string { return strings.Replace(c.URL, "127.0.0.1", "localhost", 1) + "/" }},
		"https to http":           {tls: true, from: func(c *counter) string { return c.URL + "/" }},
	}
	modules := map[string]string{"sts_assume_role": "AssumeRole", "sts_session_token": "GetSessionToken"}
	for name, target := range targets {
		// The harness can tell a followed redirect: a client that follows
		// one reaches the second server.
		t.Run(name+"/control", func(t *testing.T) {
			second := startCounter(t, false, 0, "")
			first := startCounter(t, target.tls, http.StatusTemporaryRedirect, target.from(second))
			resp, err := first.Client().Post(first.URL, "application/x-www-form-urlencoded", strings.NewReader("Action=AssumeRole"))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if second.hits.Load() != 1 {
				t.Fatalf("a client that follows redirects did not reach the second server (%d requests)", second.hits.Load())
			}
		})
		for _, status := range []int{301, 302, 303, 307, 308} {
			for module, op := range modules {
				if module == "sts_session_token" && status != 307 {
					continue
				}
				t.Run(fmt.Sprintf("%s/%d/%s", name, status, module), func(t *testing.T) {
					second := startCounter(t, false, 0, "")
					location := target.from(second)
					first := startCounter(t, target.tls, status, location)
					args := merge(ansibleKeys(module), conn(map[string]any{"ec2_url": first.URL, "validate_certs": false, "mfa_serial_number": mfaSerial, "mfa_token": "572839"}))
					if module == "sts_assume_role" {
						args = merge(args, role(nil))
					}
					r := runModule(t, module, args, newHome(t).Environ())
					if n := second.hits.Load(); n != 0 {
						t.Errorf("the server the redirect named got %d requests", n)
					}
					if n := first.hits.Load(); n != 1 {
						t.Errorf("the endpoint got %d requests, want 1 (a redirect is not retried)", n)
					}
					want := fmt.Sprintf("An error occurred (%d) when calling the %s operation: %s", status, op, http.StatusText(status))
					if msg, _ := r.Result["msg"].(string); r.Code != 1 || msg != want {
						t.Fatalf("exit %d, msg %q, want 1 and %q", r.Code, msg, want)
					}
					errFields, _ := r.Result["error"].(map[string]any)
					meta, _ := r.Result["response_metadata"].(map[string]any)
					headers, _ := meta["http_headers"].(map[string]any)
					if errFields["code"] != strconv.Itoa(status) || meta["http_status_code"] != float64(status) || headers["location"] != location {
						t.Errorf("error %v, response_metadata %v: want code %d and the location %s", errFields, meta, status, location)
					}
				})
			}
		}
	}
}

// TestCredentialSourceRedirectNotFollowed: the SDK's credential sources
// send their requests through a transport that refuses to follow a
// redirect: a container credentials endpoint answering 307 gets the
// module no credentials, and the server it names gets no request.
func TestCredentialSourceRedirectNotFollowed(t *testing.T) {
	sts := testenv.StartSTS(t, fakests.Config{Users: users})
	for _, status := range []int{302, 307, 308} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			second := startCounter(t, false, 0, "")
			first := startCounter(t, false, status, second.URL+"/creds")
			args := merge(ansibleKeys("sts_assume_role"), role(nil), map[string]any{"region": "us-east-1", "ec2_url": sts.URL})
			r := runModule(t, "sts_assume_role", args, newHome(t).Environ("AWS_CONTAINER_CREDENTIALS_FULL_URI="+first.URL+"/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN=Bearer-redirect-test"))
			if n := second.hits.Load(); n != 0 {
				t.Errorf("the server the redirect named got %d requests", n)
			}
			msg, _ := r.Result["msg"].(string)
			if r.Code != 1 || first.hits.Load() == 0 {
				t.Fatalf("exit %d, %d requests to the credentials endpoint: %s", r.Code, first.hits.Load(), r.Stdout)
			}
			if status != 302 && !strings.Contains(msg, "with a redirect to "+second.URL+"/creds, which is not followed") {
				t.Errorf("msg %q does not say the redirect was refused", msg)
			}
			if u, _ := url.Parse(second.URL); strings.Contains(string(r.Stdout), "Bearer-redirect-test") {
				t.Errorf("the container token shows in the result (%s)", u.Host)
			}
		})
	}
}

// TestSecretInHeaderName: an endpoint that echoes a secret in a header's
// name gets it masked there too: the MFA code, the secret key and the
// session token the task gave.
func TestSecretInHeaderName(t *testing.T) {
	const (
		code   = "572839"
		secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY2"
		token  = "FwoGZXIvYXdzEJr-session-token-0123456789"
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("x-seen-code-"+r.PostForm.Get("TokenCode"), "1")
		w.Header().Set("x-seen-secret-"+secret, "2")
		w.Header().Set("x-seen-token-"+r.Header.Get("X-Amz-Security-Token"), "3")
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusForbidden)
		_, _ = fmt.Fprint(w, `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`)
	}))
	t.Cleanup(srv.Close)
	for module, extra := range map[string]map[string]any{"sts_assume_role": role(nil), "sts_session_token": {}} {
		t.Run(module, func(t *testing.T) {
			args := merge(ansibleKeys(module), conn(map[string]any{"ec2_url": srv.URL, "aws_secret_key": secret, "security_token": token,
				"mfa_serial_number": mfaSerial, "mfa_token": code}), extra)
			r := runModule(t, module, args, newHome(t).Environ())
			meta, _ := r.Result["response_metadata"].(map[string]any)
			headers, _ := meta["http_headers"].(map[string]any)
			for name, value := range map[string]string{"x-seen-code-********": "1", "x-seen-secret-********": "2", "x-seen-token-********": "3"} {
				if headers[name] != value {
					t.Errorf("http_headers[%q] = %v, want %s (headers %v)", name, headers[name], value, headers)
				}
			}
			assertAbsent(t, r, code, secret, token, strings.ToLower(secret), strings.ToLower(token))
		})
	}
}
