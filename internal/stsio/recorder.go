package stsio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// MaxAnswer bounds the body of an answer, success or error, read from the
// endpoint: an STS answer is a few KB, so anything near this is not one,
// and reading it would only cost memory.
const MaxAnswer = 1 << 20

// Recorder keeps what the endpoint answered to one operation: how many
// attempts were sent, the last URL, status and headers. It serves one
// operation at a time; its methods may be called while the operation runs.
type Recorder struct {
	Action string // the STS operation, e.g. "AssumeRole"

	mu       sync.Mutex
	attempts int    // requests sent, retries included
	url      string // the URL of the last request
	status   int    // 0 when no answer came
	header   http.Header
}

// NewRecorder returns a Recorder for the operation action.
func NewRecorder(action string) *Recorder { return &Recorder{Action: action} }

// Sent reports whether a request was sent.
func (r *Recorder) Sent() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.attempts > 0
}

// Apply installs the recorder on an STS client's options.
func (r *Recorder) Apply(o *sts.Options) {
	o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
		// Last in the deserialize step, inside the retry loop: runs once
		// per request sent, with the final URL, and sees the raw answer
		// before the SDK's deserializer. An error answer is decoded here,
		// so that the retryer sees its code whatever the document's shape.
		return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("RecordResponse", r.record), middleware.After)
	})
}

func (r *Recorder) record(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
	url := ""
	if req, ok := in.Request.(*smithyhttp.Request); ok && req.URL != nil {
		url = req.URL.String()
	}
	r.mu.Lock()
	r.attempts++
	r.url, r.status, r.header = url, 0, nil
	r.mu.Unlock()

	out, md, err := next.HandleDeserialize(ctx, in)
	resp, ok := out.RawResponse.(*smithyhttp.Response)
	if !ok || resp == nil {
		return out, md, err
	}
	r.mu.Lock()
	r.status, r.header = resp.StatusCode, sentHeader(resp.Response)
	r.mu.Unlock()
	if err != nil {
		return out, md, err
	}
	if err := bound(resp); err != nil {
		return out, md, err
	}
	if resp.StatusCode < 300 {
		return out, md, nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var tooLarge *AnswerTooLargeError
	if errors.As(err, &tooLarge) {
		return out, md, &smithy.DeserializationError{Err: err}
	}
	// A body cut short is decoded as far as it goes, as the SDK does.
	return out, md, decodeErrorAnswer(resp.StatusCode, body)
}

// sentHeader is a copy of the answer's header as the endpoint sent it, as
// botocore reports it. Go's client takes two headers out of an HTTP/1.1
// answer's header, and says them otherwise:
//   - Transfer-Encoding, kept in TransferEncoding ("chunked");
//   - Connection when it holds "close", which sets Close. Close is also set
//     for a body that ends when the connection does, which RFC 9112 (9.6)
//     has a server announce with "close" all the same. The value is put
//     back as "close", the token Go looked for.
func sentHeader(resp *http.Response) http.Header {
	h := resp.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if resp.ProtoMajor != 1 || resp.ProtoMinor < 1 {
		return h
	}
	if len(resp.TransferEncoding) > 0 && h.Get("Transfer-Encoding") == "" {
		h.Set("Transfer-Encoding", strings.Join(resp.TransferEncoding, ", "))
	}
	if resp.Close && h.Get("Connection") == "" {
		h.Set("Connection", "close")
	}
	return h
}

// AnswerTooLargeError is an answer whose body exceeds MaxAnswer.
type AnswerTooLargeError struct{}

func (*AnswerTooLargeError) Error() string {
	return fmt.Sprintf("the answer is larger than %d MiB, and an STS answer is a few KB: not read further", MaxAnswer>>20)
}

// bound refuses what is not an answer to read (a protocol switch, an
// encoding the client did not ask for, a body declared too large) and caps
// the body's size.
func bound(resp *smithyhttp.Response) error {
	refuse := func(err error) error {
		resp.Body.Close()
		return &smithy.DeserializationError{Err: err}
	}
	switch enc := resp.Header.Get("Content-Encoding"); {
	case resp.StatusCode < 200:
		// The body is the raw connection, which no deadline watches.
		return refuse(fmt.Errorf("the endpoint answered %s, which is not an STS answer", resp.Status))
	case enc != "" && enc != "identity":
		return refuse(fmt.Errorf("the answer is encoded (Content-Encoding: %s), which the client did not ask for", enc))
	case resp.ContentLength > MaxAnswer:
		return refuse(&AnswerTooLargeError{})
	}
	resp.Body = &cappedBody{ReadCloser: resp.Body, left: MaxAnswer}
	return nil
}

// cappedBody fails a read past its limit rather than returning more.
type cappedBody struct {
	io.ReadCloser
	left int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells a body of exactly the limit from a longer one.
		var one [1]byte
		n, err := b.ReadCloser.Read(one[:])
		if n > 0 {
			return 0, &AnswerTooLargeError{}
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}
