package testenv

import "bytes"

// PythonJSON returns data, a module's JSON output, with the Infinity,
// -Infinity and NaN that Python's json.dumps writes (and ansible-core
// reads) turned into strings, outside strings, so that encoding/json can
// decode it.
func PythonJSON(data []byte) []byte {
	var out bytes.Buffer
	inString, escaped := false, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		default:
			if tok := nonFinite(data[i:]); tok != "" {
				out.WriteString(`"` + tok + `"`)
				i += len(tok) - 1
				continue
			}
		}
		out.WriteByte(c)
	}
	return out.Bytes()
}

func nonFinite(b []byte) string {
	for _, tok := range []string{"-Infinity", "Infinity", "NaN"} {
		if bytes.HasPrefix(b, []byte(tok)) {
			return tok
		}
	}
	return ""
}
