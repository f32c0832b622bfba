package stsio

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/aws/smithy-go"
)

// APIError is an error answer (HTTP 300 and above) as botocore's query
// parser reads it, whatever the shape of the document:
//
//	<ErrorResponse><Error>…</Error><RequestId>…</RequestId></ErrorResponse>
//	<ErrorResponse><Errors><Error>…</Error></Errors><RequestId>…</RequestId></ErrorResponse>
//	<Response><Errors><Error>…</Error></Errors><RequestID>…</RequestID></Response>
//
// The root's name does not matter; an Errors member is unwrapped; the
// first of repeated elements counts. A body with no Error member (not XML,
// HTML, empty) is botocore's generic error: the status code and its text.
// It is the error the SDK's retryer sees, so that a Throttling code is
// retried in any shape.
type APIError struct {
	Status int
	// Fields are the Error element's members, snake-cased as amazon.aws's
	// fail_json_aws reports them (code, message, type, and any other): a
	// string, nil for an empty element, or a map for nested elements.
	Fields map[string]any
	// RequestID is the document's RequestId, botocore's request id; nil
	// when absent.
	RequestID *string
	// OtherRequestID is an EC2-style RequestID member, which botocore's
	// query parser leaves at the top of the response (fail_json_aws
	// reports it as request_id); nil when absent.
	OtherRequestID *string
}

// decodeErrorAnswer decodes the error answer with status and body.
func decodeErrorAnswer(status int, body []byte) *APIError {
	e := &APIError{Status: status}
	var fields any
	if root, err := parseXML(body); err == nil && !genericAnswer(status, body) {
		top := root.members()
		if errs, ok := top["Errors"].(map[string]any); ok {
			for k, v := range errs {
				top[k] = v
			}
		}
		fields = top["Error"]
		if id, ok := top["RequestId"].(string); ok {
			e.RequestID = &id
		}
		if id, ok := top["RequestID"].(string); ok {
			e.OtherRequestID = &id
		}
	}
	if m, ok := fields.(map[string]any); ok {
		e.Fields = snakeKeys(m)
		return e
	}
	// botocore's generic error, for a body that is not an AWS error.
	e.Fields = map[string]any{"code": fmt.Sprint(status), "message": http.StatusText(status)}
	e.RequestID, e.OtherRequestID = nil, nil
	return e
}

// genericAnswer is botocore's test for a server error that is not an AWS
// document (a proxy's page, nothing at all), read without parsing it.
func genericAnswer(status int, body []byte) bool {
	body = bytes.TrimSpace(body)
	return status >= 500 && (len(body) == 0 || bytes.HasPrefix(body, []byte("<html>")))
}

// ErrorCode returns the Error's Code, "Unknown" (botocore's word) when
// the document has none.
func (e *APIError) ErrorCode() string { return e.field("code") }

// ErrorMessage returns the Error's Message, or "Unknown".
func (e *APIError) ErrorMessage() string { return e.field("message") }

// ErrorFault returns the fault as the Error's Type says (Sender,
// Receiver), else from the status.
func (e *APIError) ErrorFault() smithy.ErrorFault {
	switch t, _ := e.Fields["type"].(string); {
	case t == "Sender":
		return smithy.FaultClient
	case t == "Receiver":
		return smithy.FaultServer
	case e.Status >= 500:
		return smithy.FaultServer
	}
	return smithy.FaultClient
}

func (e *APIError) Error() string {
	return fmt.Sprintf("api error %s: %s", e.ErrorCode(), e.ErrorMessage())
}

func (e *APIError) field(key string) string {
	if s, ok := e.Fields[key].(string); ok {
		return s
	}
	return "Unknown"
}

// xmlNode is an element: its local name, its text, its child elements.
type xmlNode struct {
	name     string
	text     strings.Builder
	children []*xmlNode
}

// parseXML reads the document's root element.
func parseXML(body []byte) (*xmlNode, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	var stack []*xmlNode
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &xmlNode{name: t.Name.Local}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			}
			stack = append(stack, n)
		case xml.CharData:
			// ElementTree's text: what comes before the first child.
			if len(stack) > 0 && len(stack[len(stack)-1].children) == 0 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.EndElement:
			n := stack[len(stack)-1]
			if stack = stack[:len(stack)-1]; len(stack) == 0 {
				return n, nil
			}
		}
	}
}

// members returns the children by name, as botocore's
// _build_name_to_xml_node and _replace_nodes make them: an element with
// children becomes a map, a leaf its text (nil when empty); the first of
// repeated names counts.
func (n *xmlNode) members() map[string]any {
	out := make(map[string]any, len(n.children))
	for _, c := range n.children {
		if _, seen := out[c.name]; seen {
			continue
		}
		switch {
		case len(c.children) > 0:
			out[c.name] = c.members()
		case c.text.Len() > 0:
			out[c.name] = c.text.String()
		default:
			out[c.name] = nil
		}
	}
	return out
}

// snakeREs are camelToSnake's patterns, compiled by the first failure
// that needs them: a run that succeeds does not pay for them at start.
var snakeREs = sync.OnceValue(func() [3]*regexp.Regexp {
	return [3]*regexp.Regexp{
		regexp.MustCompile(`[A-Z]{3,}s$`),
		regexp.MustCompile(`(.)([A-Z][a-z]+)`),
		regexp.MustCompile(`([a-z0-9])([A-Z]+)`),
	}
})

// camelToSnake is ansible-core's _camel_to_snake, which fail_json_aws
// applies to the keys of botocore's response: Code → code, RequestId →
// request_id, TargetGroupARNs → target_group_arns.
func camelToSnake(name string) string {
	re := snakeREs()
	pluralAbbrev, firstCap, allCap := re[0], re[1], re[2]
	s1 := pluralAbbrev.ReplaceAllStringFunc(name, func(m string) string { return "_" + strings.ToLower(m) })
	if strings.HasPrefix(s1, "_") && !strings.HasPrefix(name, "_") {
		s1 = s1[1:]
	}
	s2 := firstCap.ReplaceAllString(s1, "${1}_${2}")
	return strings.ToLower(allCap.ReplaceAllString(s2, "${1}_${2}"))
}

// snakeKeys returns m with its keys snake-cased, recursively.
func snakeKeys(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			v = snakeKeys(sub)
		}
		out[camelToSnake(k)] = v
	}
	return out
}
