package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// TestRequestLogUnsignedFlood: unsigned 1 MiB POSTs leave only their
// metadata in the log the admin API shows, and DELETE empties it.
func TestRequestLogUnsignedFlood(t *testing.T) {
	e := startEndpoint(t, defaultOptions())
	const calls, size = 400, 1 << 20
	junk := "Action=GetCallerIdentity&Version=2011-06-15&Junk="
	body := junk + strings.Repeat("j", size-len(junk))
	client := &http.Client{Timeout: 10 * time.Second}
	for range calls {
		resp, err := client.Post(e.srv.URL+"/", "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	status, out := adminCall(t, e, http.MethodGet, "/local-sts/requests", "", "", nil)
	if status != http.StatusOK {
		t.Fatalf("GET requests: %d", status)
	}
	// Some 250 bytes of indented JSON each; 400 MiB were sent.
	if limit := calls * 400; len(out) > limit {
		t.Errorf("GET requests returned %d bytes, want at most %d", len(out), limit)
	}
	if strings.Contains(out, "jjjj") {
		t.Error("GET requests shows the bodies")
	}
	var got []requestRecord
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != calls {
		t.Fatalf("%d requests listed, want %d", len(got), calls)
	}
	want := requestRecord{Method: "POST", Path: "/", Size: size, Status: 403, Error: "MissingAuthenticationToken", Params: map[string]string{}}
	if r := got[0]; r.Time.IsZero() || r.Method != want.Method || r.Path != want.Path || r.Size != want.Size ||
		r.Status != want.Status || r.Error != want.Error || r.Action != "" || len(r.Params) != 0 {
		t.Errorf("listed %+v, want %+v", r, want)
	}
	if status, _ := adminCall(t, e, http.MethodDelete, "/local-sts/requests", "", "", nil); status != http.StatusNoContent {
		t.Fatalf("DELETE requests: %d", status)
	}
	if n := len(e.srv.Requests()); n != 0 {
		t.Errorf("%d requests kept after DELETE", n)
	}
}

// TestRequestLogLengthBounded: the admin API lists the last
// fakests.MaxRecords requests.
func TestRequestLogLengthBounded(t *testing.T) {
	e := startEndpoint(t, defaultOptions())
	client := &http.Client{Timeout: 10 * time.Second}
	for range fakests.MaxRecords + 10 {
		resp, err := client.Get(e.srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	_, out := adminCall(t, e, http.MethodGet, "/local-sts/requests", "", "", nil)
	var got []requestRecord
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != fakests.MaxRecords {
		t.Errorf("%d requests listed, want %d", len(got), fakests.MaxRecords)
	}
}

// TestRequestLogPresignedURL: a presigned URL's signature and session
// token, which would let the URL be replayed, are not shown.
func TestRequestLogPresignedURL(t *testing.T) {
	e := startEndpoint(t, defaultOptions())
	session, err := newClient(e, ciKeys).GetSessionToken(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	k := testenv.TempKeys(session.Credentials)
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+"/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Expires=300", nil)
	if err != nil {
		t.Fatal(err)
	}
	creds := aws.Credentials{AccessKeyID: k.ID, SecretAccessKey: k.Secret, SessionToken: k.Token}
	const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, emptySHA256, "sts", "us-east-1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	signature := signed[strings.Index(signed, "X-Amz-Signature=")+len("X-Amz-Signature="):]
	signature, _, _ = strings.Cut(signature, "&")
	if len(signature) != 64 {
		t.Fatalf("no signature in %s", signed)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(signed)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("presigned GET: %d", resp.StatusCode)
	}

	_, out := adminCall(t, e, http.MethodGet, "/local-sts/requests", "", "", nil)
	for _, secret := range []string{signature, k.Token, k.Secret} {
		if strings.Contains(out, secret) {
			t.Errorf("GET requests shows a secret of the presigned URL: %s", out)
		}
	}
	var got []requestRecord
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d requests listed, want 2", len(got))
	}
	p := got[1].Params
	if got[1].Action != "GetCallerIdentity" || p["X-Amz-Signature"] != redacted || p["X-Amz-Security-Token"] != redacted ||
		!strings.HasPrefix(p["X-Amz-Credential"], k.ID+"/") {
		t.Errorf("presigned GET listed as %s %v, want its signature and token redacted, its credential shown", got[1].Action, p)
	}
}
