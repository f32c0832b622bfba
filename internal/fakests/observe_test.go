package fakests

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
)

func TestObserve(t *testing.T) {
	var (
		mu   sync.Mutex
		seen []Request
	)
	srv := Start(t, Config{Users: []User{alice}, Observe: func(r Request) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r)
	}})
	if _, err := callerIdentity(newClient(t, srv, userKeys(alice))); err != nil {
		t.Fatal(err)
	}
	_, _ = callerIdentity(newClient(t, srv, keys{alice.AccessKeyID, "wrong", ""}))

	type summary struct {
		Action, Caller, Err string
		Status              int
	}
	want := []summary{
		{Action: "GetCallerIdentity", Caller: alice.ARN, Status: 200},
		// Unauthenticated: recorded without what it asked for.
		{Err: "SignatureDoesNotMatch", Status: 403},
	}
	summarize := func(reqs []Request) []summary {
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
	observed := make(chan Request, 1)
	srv := Start(t, Config{
		Users:   []User{alice},
		Hook:    func(*Request) *Response { return &Response{Hang: true} },
		Observe: func(r Request) { observed <- r },
	})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := newClient(t, srv, userKeys(alice)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err == nil {
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

func TestWrap(t *testing.T) {
	srv := Start(t, Config{Users: []User{alice}, Wrap: func(s *Server, sts http.Handler) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("/", sts)
		mux.HandleFunc("/extra", func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, s.URL)
		})
		return mux
	}})
	tests := []struct {
		name string
		path string
		want string
	}{
		{name: "extra path", path: "/extra", want: srv.URL},
		{name: "STS path", path: "/", want: "MissingAuthenticationToken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, srv.URL+tt.path, nil)
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
}
