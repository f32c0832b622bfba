package fakests

import (
	"strings"
	"unicode/utf8"
)

// xmlNamespace is the namespace of every STS response document.
const xmlNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// node is an XML element with either text or children.
type node struct {
	name     string
	text     string
	children []node
}

func leaf(name, text string) node { return node{name: name, text: text} }

func elem(name string, children ...node) node { return node{name: name, children: children} }

// render returns root as an STS document: namespace on the root, two-space
// indentation, one element per line and a final newline.
func render(root node) []byte {
	var b strings.Builder
	b.WriteString(`<` + root.name + ` xmlns="` + xmlNamespace + `">` + "\n")
	for _, c := range root.children {
		writeNode(&b, c, 1)
	}
	b.WriteString(`</` + root.name + ">\n")
	return []byte(b.String())
}

func writeNode(b *strings.Builder, n node, depth int) {
	indent := strings.Repeat("  ", depth)
	if n.children == nil {
		b.WriteString(indent + "<" + n.name + ">" + escapeText(n.text) + "</" + n.name + ">\n")
		return
	}
	b.WriteString(indent + "<" + n.name + ">\n")
	for _, c := range n.children {
		writeNode(b, c, depth+1)
	}
	b.WriteString(indent + "</" + n.name + ">\n")
}

// escapeText escapes s for XML character data the way AWS does: only &, <
// and > are escaped. Characters XML cannot carry become U+FFFD.
func escapeText(s string) string {
	var b strings.Builder
	for _, r := range s { // invalid UTF-8 arrives as U+FFFD
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case !xmlChar(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// xmlChar reports whether r may appear in an XML 1.0 document.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// errorDocument returns AWS's ErrorResponse body.
func errorDocument(faultType, code, message, requestID string) []byte {
	return render(elem("ErrorResponse",
		elem("Error",
			leaf("Type", faultType),
			leaf("Code", code),
			leaf("Message", message),
		),
		leaf("RequestId", requestID),
	))
}

// resultDocument returns the success body of action with the given result
// members.
func resultDocument(action, requestID string, result ...node) []byte {
	res := elem(action+"Result", result...)
	if len(result) == 0 {
		res = leaf(action+"Result", "")
	}
	return render(elem(action+"Response",
		res,
		elem("ResponseMetadata", leaf("RequestId", requestID)),
	))
}

// credentialsNode is the Credentials member of a result.
func credentialsNode(c Credentials, fractional bool) node {
	return elem("Credentials",
		leaf("AccessKeyId", c.AccessKeyID),
		leaf("SecretAccessKey", c.SecretAccessKey),
		leaf("SessionToken", c.SessionToken),
		leaf("Expiration", formatExpiration(c.Expiration, fractional)),
	)
}
