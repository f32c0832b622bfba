package fakests_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

func TestFaults(t *testing.T) {
	gci := form("Action", "GetCallerIdentity", "Version", fakests.APIVersion)
	throttled := rawResponse{Status: 400, Type: "Sender", Code: "Throttling", Message: "Rate exceeded"}
	failed := rawResponse{Status: 500, Type: "Receiver", Code: "InternalFailure", Message: fakests.MsgInternalFailure}
	ok := rawResponse{Status: 200}
	tests := []struct {
		name      string
		set       fakests.FaultSettings
		calls     int
		want      []rawResponse
		wantLeft  fakests.FaultSettings
		wantDelay time.Duration
	}{
		{name: "none", calls: 1, want: []rawResponse{ok}},
		{name: "throttle twice", set: fakests.FaultSettings{Throttle: 2}, calls: 3, want: []rawResponse{throttled, throttled, ok}},
		{name: "server error once", set: fakests.FaultSettings{ServerErrors: 1}, calls: 2, want: []rawResponse{failed, ok}},
		{name: "throttling before server errors", set: fakests.FaultSettings{Throttle: 1, ServerErrors: 1}, calls: 3, want: []rawResponse{throttled, failed, ok}},
		{name: "counts left", set: fakests.FaultSettings{Throttle: 3}, calls: 1, want: []rawResponse{throttled}, wantLeft: fakests.FaultSettings{Throttle: 2}},
		{name: "negative is zero", set: fakests.FaultSettings{Throttle: -1, ServerErrors: -1, Delay: -time.Second}, calls: 1, want: []rawResponse{ok}},
		{
			name: "delay", set: fakests.FaultSettings{Delay: 100 * time.Millisecond}, calls: 1, want: []rawResponse{ok},
			wantLeft: fakests.FaultSettings{Delay: 100 * time.Millisecond}, wantDelay: 100 * time.Millisecond,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var faults fakests.Faults
			faults.Set(tt.set)
			srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}, Faults: &faults})
			var got []rawResponse
			start := time.Now()
			for range tt.calls {
				r := do(t, nil, signedRequest(t, srv, http.MethodPost, gci, testenv.UserKeys(alice), time.Now(), nil))
				got = append(got, rawResponse{Status: r.Status, Type: r.Type, Code: r.Code, Message: r.Message})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("answers mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantLeft, faults.Get()); diff != "" {
				t.Errorf("faults left mismatch (-want +got):\n%s", diff)
			}
			if d := time.Since(start); d < tt.wantDelay {
				t.Errorf("calls took %v, want at least %v", d, tt.wantDelay)
			}
			var codes []string
			for _, r := range srv.Requests() {
				codes = append(codes, r.Err)
			}
			var wantCodes []string
			for _, w := range tt.want {
				wantCodes = append(wantCodes, w.Code)
			}
			if diff := cmp.Diff(wantCodes, codes); diff != "" {
				t.Errorf("recorded codes mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFaultsSpareRejectedRequests(t *testing.T) {
	var faults fakests.Faults
	faults.Set(fakests.FaultSettings{Throttle: 1})
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}, Faults: &faults})
	gci := form("Action", "GetCallerIdentity", "Version", fakests.APIVersion)
	bad := testenv.Keys{ID: alice.AccessKeyID, Secret: "wrong"}
	tests := []struct {
		name     string
		keys     testenv.Keys
		wantCode string
	}{
		{name: "bad signature", keys: bad, wantCode: "SignatureDoesNotMatch"},
		{name: "first signed call", keys: testenv.UserKeys(alice), wantCode: "Throttling"},
		{name: "second signed call", keys: testenv.UserKeys(alice)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := do(t, nil, signedRequest(t, srv, http.MethodPost, gci, tt.keys, time.Now(), nil))
			if got.Code != tt.wantCode {
				t.Errorf("code = %q, want %q", got.Code, tt.wantCode)
			}
		})
	}
}

func TestFaultsConcurrent(t *testing.T) {
	var faults fakests.Faults
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}, Faults: &faults})
	gci := form("Action", "GetCallerIdentity", "Version", fakests.APIVersion)
	client := &http.Client{Timeout: 10 * time.Second}
	var wg sync.WaitGroup
	for i := range 8 {
		req := signedRequest(t, srv, http.MethodPost, gci, testenv.UserKeys(alice), time.Now(), nil)
		wg.Go(func() {
			faults.Set(fakests.FaultSettings{Throttle: i % 2})
			_ = faults.Get()
		})
		wg.Go(func() {
			resp, err := client.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
		})
	}
	wg.Wait()
	if n := len(srv.Requests()); n != 8 {
		t.Errorf("%d requests recorded, want 8", n)
	}
}
