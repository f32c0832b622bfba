package stsio

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

func answer(status int, header http.Header, body io.Reader, length int64) *smithyhttp.Response {
	if header == nil {
		header = http.Header{}
	}
	return &smithyhttp.Response{Response: &http.Response{
		StatusCode: status, Status: http.StatusText(status), Header: header,
		Body: io.NopCloser(body), ContentLength: length,
	}}
}

// TestBound: what is not an answer to read is refused before reading, and
// a body is read up to MaxAnswer and no further.
func TestBound(t *testing.T) {
	tests := map[string]struct {
		resp     *smithyhttp.Response
		refused  string // the error, or "" to read the body
		readErr  bool   // reading the body fails
		wantRead int
	}{
		"switching protocols": {resp: answer(101, nil, strings.NewReader("x"), -1), refused: "the endpoint answered"},
		"gzip":                {resp: answer(200, http.Header{"Content-Encoding": {"gzip"}}, strings.NewReader("x"), 1), refused: "Content-Encoding: gzip"},
		"declared too large":  {resp: answer(200, nil, strings.NewReader("x"), MaxAnswer+1), refused: "larger than 1 MiB"},
		"exactly the limit":   {resp: answer(200, http.Header{"Content-Encoding": {"identity"}}, bytes.NewReader(make([]byte, MaxAnswer)), -1), wantRead: MaxAnswer},
		"one byte more":       {resp: answer(200, nil, bytes.NewReader(make([]byte, MaxAnswer+1)), -1), readErr: true},
		"small":               {resp: answer(403, nil, strings.NewReader("<x/>"), 4), wantRead: 4},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			err := bound(tc.resp)
			if tc.refused != "" {
				var de *smithy.DeserializationError
				if !errors.As(err, &de) || !strings.Contains(err.Error(), tc.refused) {
					t.Fatalf("error %v, want a refusal with %q", err, tc.refused)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(tc.resp.Body)
			var tooLarge *AnswerTooLargeError
			if tc.readErr != errors.As(err, &tooLarge) {
				t.Fatalf("read error %v, want AnswerTooLargeError %v", err, tc.readErr)
			}
			if !tc.readErr && len(body) != tc.wantRead {
				t.Errorf("read %d bytes, want %d", len(body), tc.wantRead)
			}
			if tc.readErr && len(body) > MaxAnswer {
				t.Errorf("read %d bytes, more than MaxAnswer", len(body))
			}
		})
	}
}

// TestDeadlineMessages: a deadline that passed says so, with or without a
// request sent.
func TestDeadlineMessages(t *testing.T) {
	err := &DeadlineError{Deadline: 2 * time.Millisecond, Err: context.DeadlineExceeded}
	r := NewRecorder("AssumeRole")
	if got, want := r.Failure(err)["msg"], "No request was sent within the module's deadline of 2ms (aws_config connect_timeout plus read_timeout for each attempt, plus backoff)"; got != want {
		t.Errorf("msg %q, want %q", got, want)
	}
	r.attempts, r.url = 1, "http://127.0.0.1:1/"
	if got, want := r.Failure(err)["msg"], `Read timeout on endpoint URL: "http://127.0.0.1:1/" (no complete answer within the module's deadline of 2ms)`; got != want {
		t.Errorf("msg %q, want %q", got, want)
	}
}
