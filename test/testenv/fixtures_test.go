package testenv

import (
	"net"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"ansible-sts/internal/moduleargs"
)

func TestClock(t *testing.T) {
	var running Clock
	running.Add(time.Hour)
	if d := time.Until(running.Now()); d < 59*time.Minute || d > time.Hour {
		t.Errorf("a running clock moved on by an hour is %v ahead, want an hour", d)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	stopped := &Clock{}
	stopped.Set(at)
	time.Sleep(time.Millisecond)
	stopped.Add(time.Minute)
	if got := stopped.Now(); !got.Equal(at.Add(time.Minute)) {
		t.Errorf("a clock stopped at %v and moved on by a minute shows %v", at, got)
	}
}

func TestClosedURL(t *testing.T) {
	u := ClosedURL(t)
	if !strings.HasPrefix(u, "http://127.0.0.1:") {
		t.Fatalf("ClosedURL = %q, want a loopback http URL", u)
	}
	if c, err := net.DialTimeout("tcp", strings.TrimPrefix(u, "http://"), time.Second); err == nil {
		c.Close()
		t.Errorf("something listens on %s", u)
	}
}

func TestStringValues(t *testing.T) {
	v, err := moduleargs.Decode([]byte(`{"a": "x", "b": ["y", 1, {"c": "z"}], "d": {"e": null}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []any{v, map[string]any{"a": "x", "b": []any{"y", 1.0, map[string]any{"c": "z"}}}, []string{"x", "y", "z"}} {
		got := StringValues(in)
		slices.Sort(got)
		if !slices.Equal(got, []string{"x", "y", "z"}) {
			t.Errorf("StringValues(%#v) = %q, want x, y, z", in, got)
		}
	}
}

func TestCheckable(t *testing.T) {
	for s, want := range map[string]bool{"": false, "secret": true, "se*cret": false, "VALUE": false, "NO_LOG": false, "12/34+56==": true} {
		if got := Checkable(s); got != want {
			t.Errorf("Checkable(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestWriteFiles(t *testing.T) {
	h := NewHome(t)
	h.WriteFiles(t, Files{Config: "[default]\n"})
	if b, err := os.ReadFile(h.Config); err != nil || string(b) != "[default]\n" {
		t.Errorf("config %q, %v; want [default]", b, err)
	}
	for _, p := range []string{h.Credentials, h.Boto} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s written for empty contents (%v)", p, err)
		}
	}
}
