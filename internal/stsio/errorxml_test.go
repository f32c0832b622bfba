package stsio

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func ptr(s string) *string { return &s }

// TestDecodeErrorAnswer: every document shape botocore's query parser
// reads gives the same code, message and request id.
func TestDecodeErrorAnswer(t *testing.T) {
	const (
		code = "<Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message>"
		want = "SignatureDoesNotMatch"
	)
	sig := map[string]any{"code": want, "message": "The request signature we calculated does not match"}
	tests := map[string]struct {
		status int
		body   string
		want   *APIError
	}{
		"flat ErrorResponse/Error": {
			status: 403,
			body:   `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>` + code + `</Error><RequestId>r-1</RequestId></ErrorResponse>`,
			want:   &APIError{Status: 403, Fields: map[string]any{"type": "Sender", "code": want, "message": sig["message"]}, RequestID: ptr("r-1")},
		},
		"ErrorResponse/Errors/Error": {
			status: 403,
			body:   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse>\n  <Errors>\n    <Error><Code>SignatureDoesNotMatch</Code><Message><![CDATA[The request signature we calculated does not match]]></Message></Error>\n  </Errors>\n  <RequestId>r-2</RequestId>\n</ErrorResponse>",
			want:   &APIError{Status: 403, Fields: sig, RequestID: ptr("r-2")},
		},
		"EC2 Response/Errors/Error with RequestID": {
			status: 400,
			body:   `<Response><Errors><Error>` + code + `</Error></Errors><RequestID>r-3</RequestID></Response>`,
			want:   &APIError{Status: 400, Fields: sig, OtherRequestID: ptr("r-3")},
		},
		"extra members, snake-cased": {
			status: 400,
			body:   `<ErrorResponse><Error><Code>X</Code><Message>m</Message><BucketName>b</BucketName><Detail/><TargetGroupARNs><A>1</A></TargetGroupARNs></Error></ErrorResponse>`,
			want:   &APIError{Status: 400, Fields: map[string]any{"code": "X", "message": "m", "bucket_name": "b", "detail": nil, "target_group_arns": map[string]any{"a": "1"}}},
		},
		"first of repeated errors": {
			status: 400,
			body:   `<Response><Errors><Error><Code>First</Code></Error><Error><Code>Second</Code></Error></Errors></Response>`,
			want:   &APIError{Status: 400, Fields: map[string]any{"code": "First"}},
		},
		"not XML": {
			status: 502,
			body:   "bad gateway",
			want:   &APIError{Status: 502, Fields: map[string]any{"code": "502", "message": "Bad Gateway"}},
		},
		"HTML from a proxy": {
			status: 503,
			body:   "<html><body><Error><Code>Fake</Code></Error></body></html>",
			want:   &APIError{Status: 503, Fields: map[string]any{"code": "503", "message": "Service Unavailable"}},
		},
		"empty": {
			status: 500,
			want:   &APIError{Status: 500, Fields: map[string]any{"code": "500", "message": "Internal Server Error"}},
		},
		"XML without an Error": {
			status: 403,
			body:   "<Other><RequestId>r</RequestId></Other>",
			want:   &APIError{Status: 403, Fields: map[string]any{"code": "403", "message": "Forbidden"}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := decodeErrorAnswer(tc.status, []byte(tc.body))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestErrorCodeDefaults: an Error without Code or Message reads as
// botocore's "Unknown".
func TestErrorCodeDefaults(t *testing.T) {
	e := decodeErrorAnswer(400, []byte("<ErrorResponse><Error><Type>Sender</Type></Error></ErrorResponse>"))
	if e.ErrorCode() != "Unknown" || e.ErrorMessage() != "Unknown" {
		t.Errorf("code %q, message %q; want Unknown, Unknown", e.ErrorCode(), e.ErrorMessage())
	}
}

func TestCamelToSnake(t *testing.T) {
	for in, want := range map[string]string{
		"Code": "code", "RequestId": "request_id", "RequestID": "request_id", "HTTPStatusCode": "http_status_code",
		"TargetGroupARNs": "target_group_arns", "MaxAttemptsReached": "max_attempts_reached", "_x": "_x",
	} {
		if got := camelToSnake(in); got != want {
			t.Errorf("camelToSnake(%q) = %q, want %q", in, got, want)
		}
	}
}
