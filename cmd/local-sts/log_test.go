package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"ansible-sts/internal/ststest"
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
// ststest.MaxRecords requests.
func TestRequestLogLengthBounded(t *testing.T) {
	e := startEndpoint(t, defaultOptions())
	client := &http.Client{Timeout: 10 * time.Second}
	for range ststest.MaxRecords + 10 {
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
	if len(got) != ststest.MaxRecords {
		t.Errorf("%d requests listed, want %d", len(got), ststest.MaxRecords)
	}
}
