package main

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"ansible-sts/test/testenv"

	"github.com/google/go-cmp/cmp"
)

var (
	urlRE   = regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`)
	guardRE = regexp.MustCompile(`^http://127\.0\.0\.1:\d+` + guardPath + `$`)
)

func TestWrapEnvironment(t *testing.T) {
	home := testenv.Isolate(t)
	inherited := map[string]string{
		"AWS_PROFILE": "leak", "AWS_SESSION_TOKEN": "leak", "AWS_CA_BUNDLE": "/leak.pem", "AWS_DEFAULT_REGION": "leak",
		"AWS_ACCESS_KEY_ID": "leak", "EC2_URL": "http://leak", "S3_URL": "http://leak", "BOTO_CONFIG": "/leak.cfg",
		"LOCAL_STS_URL": "http://stale", "KEEP_ME": "kept", "AWS_EC2_METADATA_DISABLED": "false",
		"HTTPS_PROXY": "http://leak:3128", "no_proxy": "*", "ALL_PROXY": "socks5://leak", "ftp_proxy": "http://leak",
	}
	for k, v := range inherited {
		t.Setenv(k, v)
	}
	var stdout, stderr bytes.Buffer
	status := run([]string{"-region", "eu-west-1", "--", os.Args[0], commandArg, "env", "3"}, &stdout, &stderr)
	if status != 3 {
		t.Fatalf("status = %d, want the command's 3; stderr: %s", status, stderr.String())
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr without -v: %q", stderr.String())
	}
	var env map[string]string
	if err := json.Unmarshal(stdout.Bytes(), &env); err != nil {
		t.Fatalf("decode environment %q: %v", stdout.String(), err)
	}
	if !urlRE.MatchString(env["AWS_URL"]) {
		t.Errorf("AWS_URL = %q, want http://127.0.0.1:PORT", env["AWS_URL"])
	}
	got := map[string]string{}
	for k, v := range env {
		if cleared(k) || k == "S3_URL" || k == "BOTO_CONFIG" || strings.HasPrefix(k, "AWS_") || strings.HasPrefix(k, "LOCAL_STS") || k == "KEEP_ME" || proxyVar(k) {
			got[k] = v
		}
	}
	url, guard := env["AWS_URL"], env["HTTPS_PROXY"]
	if !guardRE.MatchString(guard) || strings.HasPrefix(guard, url+"/") {
		t.Errorf("HTTPS_PROXY = %q, want the guard's http://127.0.0.1:PORT%s beside the endpoint %s", guard, guardPath, url)
	}
	const noProxy = "127.0.0.1,localhost,::1,[::1],127.0.0.0/8"
	want := map[string]string{
		"AWS_URL": url, "AWS_ENDPOINT_URL_STS": url, "LOCAL_STS_URL": url,
		"AWS_ACCESS_KEY_ID": ciKeys.ID, "AWS_SECRET_ACCESS_KEY": ciKeys.Secret,
		"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-1", "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_CONFIG_FILE": home.Config, "AWS_SHARED_CREDENTIALS_FILE": home.Credentials,
		"KEEP_ME": "kept",
		// The inherited proxy variables give way to the guard's.
		"HTTPS_PROXY": guard, "https_proxy": guard, "HTTP_PROXY": guard, "http_proxy": guard, "ALL_PROXY": guard, "all_proxy": guard,
		"NO_PROXY": noProxy, "no_proxy": noProxy,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("command environment mismatch (-want +got):\n%s", diff)
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantStatus int
		wantStdout string
		wantStderr string // regular expression
	}{
		{name: "success", args: []string{"--", os.Args[0], commandArg, "env", "0"}, wantStdout: "{", wantStderr: `^$`},
		{name: "SDK with the exported identity", args: []string{"--", os.Args[0], commandArg, "sdk"}, wantStdout: ciARN + "\n", wantStderr: `^$`},
		{name: "SDK as another user", args: []string{"-as", "partner", "--", os.Args[0], commandArg, "sdk"}, wantStdout: partnerARN + "\n", wantStderr: `^$`},
		{name: "SDK over TLS", args: []string{"-tls", "--", os.Args[0], commandArg, "sdk"}, wantStdout: ciARN + "\n", wantStderr: `^$`},
		{
			name: "requests logged with -v", args: []string{"-v", "--", os.Args[0], commandArg, "sdk"}, wantStdout: ciARN + "\n",
			wantStderr: `^GetCallerIdentity ` + regexp.QuoteMeta(ciARN) + ` -> 200\n$`,
		},
		{
			name: "faults from flags", args: []string{"-v", "-throttle", "1", "--", os.Args[0], commandArg, "sdk"}, wantStdout: ciARN + "\n",
			wantStderr: `^GetCallerIdentity ` + regexp.QuoteMeta(ciARN) + ` -> 400 Throttling\nGetCallerIdentity ` + regexp.QuoteMeta(ciARN) + ` -> 200\n$`,
		},
		{
			name: "plain request refused by the guard, logged with -v", args: []string{"-v", "--", os.Args[0], commandArg, "egress", "http://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity"},
			wantStdout: "403 " + refusal("sts.us-east-1.amazonaws.com:80") + "\n" + refusal("sts.us-east-1.amazonaws.com:80") + "\n",
			wantStderr: `^GET sts\.us-east-1\.amazonaws\.com:80 -> 403 EgressRefused\n$`,
		},
		{
			name: "CONNECT refused by the guard, logged with -v", args: []string{"-v", "--", os.Args[0], commandArg, "egress", "https://sts.us-east-1.amazonaws.com/"}, wantStatus: 1,
			wantStdout: `Get "https://sts.us-east-1.amazonaws.com/": ` + refusal("sts.us-east-1.amazonaws.com:443") + "\n",
			wantStderr: `^CONNECT sts\.us-east-1\.amazonaws\.com:443 -> 403 EgressRefused\n$`,
		},
		{name: "command fails", args: []string{"--", os.Args[0], commandArg, "env", "42"}, wantStatus: 42, wantStdout: "{", wantStderr: `^$`},
		{name: "command not found", args: []string{"--", "/nonexistent/command"}, wantStatus: 127, wantStderr: `^local-sts: run /nonexistent/command: .*no such file or directory\n$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testenv.Isolate(t)
			var stdout, stderr bytes.Buffer
			status := run(tt.args, &stdout, &stderr)
			if status != tt.wantStatus {
				t.Errorf("status = %d, want %d; stderr: %s", status, tt.wantStatus, stderr.String())
			}
			if !strings.HasPrefix(stdout.String(), tt.wantStdout) {
				t.Errorf("stdout = %q, want it to start with %q", stdout.String(), tt.wantStdout)
			}
			if !regexp.MustCompile(tt.wantStderr).MatchString(stderr.String()) {
				t.Errorf("stderr = %q, want a match for %s", stderr.String(), tt.wantStderr)
			}
			if strings.Contains(stderr.String(), ciKeys.Secret) {
				t.Errorf("stderr shows the secret key")
			}
		})
	}
}

func TestChildEnv(t *testing.T) {
	proxies := []string{"HTTPS_PROXY=h", "https_proxy=h", "NO_PROXY=n", "no_proxy=n", "ALL_PROXY=a", "FTP_PROXY=f", "socks_proxy=s", "Http_Proxy=m"}
	tests := []struct {
		name     string
		environ  []string
		exported []string
		guarded  bool
		want     []string
	}{
		{
			name:     "cleared and kept",
			environ:  []string{"PATH=/bin", "AWS_PROFILE=p", "AWS_CONFIG_FILE=/c", "AWS_SHARED_CREDENTIALS_FILE=/k", "EC2_REGION=r", "S3_URL=u", "BOTO_CONFIG=b", "BOTO_OTHER=o", "S3_OTHER=s"},
			exported: []string{"AWS_URL=x"},
			want:     []string{"PATH=/bin", "AWS_CONFIG_FILE=/c", "AWS_SHARED_CREDENTIALS_FILE=/k", "BOTO_OTHER=o", "S3_OTHER=s", "AWS_URL=x"},
		},
		{
			name:     "exported replace inherited",
			environ:  []string{"LOCAL_STS_URL=old", "HOME=/h"},
			exported: []string{"LOCAL_STS_URL=new"},
			want:     []string{"HOME=/h", "LOCAL_STS_URL=new"},
		},
		{
			name:     "guarded: every proxy variable cleared, in any case",
			environ:  append([]string{"HOME=/h", "PROXY=p", "NO_PROXY_X=x"}, proxies...),
			exported: []string{"HTTP_PROXY=g"},
			guarded:  true,
			want:     []string{"HOME=/h", "PROXY=p", "NO_PROXY_X=x", "HTTP_PROXY=g"},
		},
		{
			name:    "unguarded: proxy variables kept",
			environ: append([]string{"HOME=/h"}, proxies...),
			want:    append([]string{"HOME=/h"}, proxies...),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, childEnv(tt.environ, tt.exported, tt.guarded)); diff != "" {
				t.Errorf("environment mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWrapTLS(t *testing.T) {
	testenv.Isolate(t)
	var stdout, stderr bytes.Buffer
	if status := run([]string{"-tls", "--", os.Args[0], commandArg, "env", "0"}, &stdout, &stderr); status != 0 {
		t.Fatalf("status = %d; stderr: %s", status, stderr.String())
	}
	var env map[string]string
	if err := json.Unmarshal(stdout.Bytes(), &env); err != nil {
		t.Fatalf("decode environment %q: %v", stdout.String(), err)
	}
	ca, hasCA := env["LOCAL_STS_CA_BUNDLE"]
	_, hasAWSCA := env["AWS_CA_BUNDLE"]
	got := map[string]bool{
		"https URL":           regexp.MustCompile(`^https://127\.0\.0\.1:\d+$`).MatchString(env["AWS_URL"]),
		"LOCAL_STS_CA_BUNDLE": hasCA && ca != "",
		"AWS_CA_BUNDLE":       hasAWSCA,
	}
	want := map[string]bool{"https URL": true, "LOCAL_STS_CA_BUNDLE": true, "AWS_CA_BUNDLE": false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("exports mismatch (-want +got):\n%s; environment: %v", diff, env)
	}
	if _, err := os.Stat(ca); !os.IsNotExist(err) {
		t.Errorf("certificate file %q after the run: %v, want it removed", ca, err)
	}
}
