package stsio_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// TestConnectionHeader: response_metadata.http_headers lists the answer's
// headers as the endpoint sent them, "connection: close" among them when
// it was sent, though Go's client takes it out of the header it reads.
func TestConnectionHeader(t *testing.T) {
	const body = `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`
	tests := map[string]struct {
		connection string // the Connection header sent, "" for none
		chunked    bool
		want       any // http_headers.connection, nil for absent
	}{
		"close, with a length":      {connection: "close", want: "close"},
		"close, chunked":            {connection: "close", chunked: true, want: "close"},
		"keep-alive, with a length": {want: nil},
		"keep-alive, chunked":       {chunked: true, want: nil},
		"keep-alive said":           {connection: "keep-alive", want: "keep-alive"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				h := w.Header()
				h.Set("Content-Type", "text/xml")
				if tc.connection != "" {
					h.Set("Connection", tc.connection)
				}
				if !tc.chunked {
					h.Set("Content-Length", strconv.Itoa(len(body)))
				}
				w.WriteHeader(http.StatusForbidden)
				if tc.chunked {
					w.(http.Flusher).Flush()
				}
				_, _ = w.Write([]byte(body))
			}))
			t.Cleanup(srv.Close)
			code, r := assumeRole(t, srv.URL, oneAttempt)
			meta, _ := r["response_metadata"].(map[string]any)
			headers, ok := meta["http_headers"].(map[string]any)
			if code != 1 || !ok {
				t.Fatalf("exit %d, result %v", code, r)
			}
			if tc.chunked && headers["transfer-encoding"] != "chunked" {
				t.Errorf("http_headers %v: the answer was not chunked", headers)
			}
			if got := headers["connection"]; got != tc.want {
				t.Errorf("http_headers.connection = %v, want %v (headers %v)", got, tc.want, headers)
			}
		})
	}
}
