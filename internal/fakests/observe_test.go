package fakests_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"

	"ansible-sts/internal/fakests"
	"ansible-sts/test/testenv"
)

func TestObserve(t *testing.T) {
	var (
		mu   sync.Mutex
		seen []fakests.Request
	)
	srv := testenv.StartSTS(t, fakests.Config{Users: []fakests.User{alice}, Observe: func(r fakests.Request) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r)
	}})
	if _, err := callerIdentity(newClient(t, srv, testenv.UserKeys(alice))); err != nil {
		t.Fatal(err)
	}
	_, _ = callerIdentity(newClient(t, srv, testenv.Keys{ID: alice.AccessKeyID, Secret: "wrong"}))

	type summary struct {
		Action, Caller, Err string
		Status              int
	}
	want := []summary{
		{Action: "GetCallerIdentity", Caller: alice.ARN, Status: 200},
		// Unauthenticated: recorded without what it asked for.
		{Err: "SignatureDoesNotMatch", Status: 403},
	}
	summarize := func(reqs []fakests.Request) []summary {
		var out []summary
		for _, r := range reqs {
			out = append(out, summary{r.Action, r.Caller, r.Err, r.Status})
		}
		return out
	}
	mu.Lock()
	got := summarize(seen)
	mu.Unlock()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("observed requests mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, summarize(srv.Requests())); diff != "" {
		t.Errorf("recorded requests mismatch (-want +got):\n%s", diff)
	}
}

func TestObserveAbandoned(t *testing.T) {
	observed := make(chan fakests.Request, 1)
	srv := testenv.StartSTS(t, fakests.Config{
		Users:   []fakests.User{alice},
		Hook:    func(*fakests.Request) *fakests.Response { return &fakests.Response{Hang: true} },
		Observe: func(r fakests.Request) { observed <- r },
	})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := newClient(t, srv, testenv.UserKeys(alice)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err == nil {
		t.Fatal("call against a hanging server succeeded")
	}
	select {
	case r := <-observed:
		if r.Status != 0 || r.Action != "GetCallerIdentity" {
			t.Errorf("observed %q with status %d, want GetCallerIdentity with 0", r.Action, r.Status)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("abandoned request not observed")
	}
}

// TestMounted: the handler serves next to other routes of the caller's
// mux, with the deadlines of its Config, and records only what it serves.
func TestMounted(t *testing.T) {
	testenv.Isolate(t)
	h, err := fakests.New(fakests.Config{Users: []fakests.User{alice}})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", h)
	mux.HandleFunc("/extra", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "extra")
	})
	hs := h.HTTPServer(mux, nil)
	if hs.ReadHeaderTimeout != fakests.DefaultTimeouts.ReadHeader || hs.WriteTimeout != fakests.DefaultTimeouts.Write {
		t.Errorf("timeouts %v, %v, want those of DefaultTimeouts", hs.ReadHeaderTimeout, hs.WriteTimeout)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = hs.Serve(ln)
	}()
	t.Cleanup(func() {
		if err := hs.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		<-served
		h.Close()
	})
	url := "http://" + ln.Addr().String()
	tests := []struct {
		name string
		path string
		want string
	}{
		{name: "extra path", path: "/extra", want: "extra"},
		{name: "STS path", path: "/", want: "MissingAuthenticationToken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, url+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := do(t, nil, req)
			if got.Code != "" {
				got.Body = got.Code
			}
			if diff := cmp.Diff(tt.want, got.Body); diff != "" {
				t.Errorf("body mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if n := len(h.Requests()); n != 1 {
		t.Errorf("%d requests recorded, want the STS one", n)
	}
}
