package awsauth

import (
	"net/http"
	"testing"

	"ansible-sts/test/testenv"
	"github.com/google/go-cmp/cmp"
)

// TestProxyErrorHidesUserinfo: a proxy URL that does not parse is named
// without its userinfo, whatever characters its password holds.
func TestProxyErrorHidesUserinfo(t *testing.T) {
	tests := map[string]struct{ proxy, want string }{
		"password with a slash": {"http://user:p/ss@proxy.example:3128", `aws_config: proxies https is not a URL: "http://xxxxx@proxy.example:3128"`},
		"password with an @":    {"http://user:p@ss:w/rd@proxy:port", `aws_config: proxies https is not a URL: "http://xxxxx@proxy:port"`},
		"no scheme":             {"user:p/ss@proxy", `aws_config: proxies https is not a URL: "xxxxx@proxy"`},
		"no userinfo":           {"proxy", `aws_config: proxies https is not a URL: "proxy"`},
		"bad port":              {"http://proxy:port", `aws_config: proxies https is not a URL: "http://proxy:port"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			testenv.Isolate(t)
			s, err := clientSettings(ClientConfig{Proxies: map[string]string{"https": tc.proxy}}, OS())
			if err != nil {
				t.Fatal(err)
			}
			_, err = newHTTPClient(s, true, nil, http.ProxyFromEnvironment, nil)
			if err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}
