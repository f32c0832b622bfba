package stscall

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// maxErrorBody bounds how much of an error answer is kept.
const maxErrorBody = 64 << 10

// Recorder keeps what the endpoint answered to one operation: how many
// attempts were sent, the last URL, status and headers, and the last error
// body (the SDK's deserializer would otherwise consume it). It serves one
// operation at a time.
type Recorder struct {
	Action   string // the STS operation, e.g. "AssumeRole"
	Attempts int    // requests sent, retries included
	URL      string // the URL of the last request
	Status   int    // 0 when no answer came
	Header   http.Header
	Body     []byte // the last non-2xx body
}

// NewRecorder returns a Recorder for the operation action.
func NewRecorder(action string) *Recorder { return &Recorder{Action: action} }

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
	r.Attempts++
	r.Status, r.Header, r.Body = 0, nil, nil
	if req, ok := in.Request.(*smithyhttp.Request); ok && req.URL != nil {
		r.URL = req.URL.String()
	}
	out, md, err := next.HandleDeserialize(ctx, in)
	resp, ok := out.RawResponse.(*smithyhttp.Response)
	if !ok || resp == nil {
		return out, md, err
	}
	r.Status, r.Header = resp.StatusCode, resp.Header.Clone()
	if err != nil || resp.StatusCode < 300 || resp.Body == nil {
		return out, md, err
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	r.Body = body
	resp.Body = io.NopCloser(bytes.NewReader(body))
	// A body cut short is decoded as far as it goes, as the SDK does.
	return out, md, decodeErrorAnswer(resp.StatusCode, body)
}
