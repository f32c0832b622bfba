package result

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"

	"ansible-sts/internal/pyvalue"
)

// encode writes v as JSON the way AnsibleModule's json.dumps does for the
// values a result holds, and cannot fail: Python's inf, -inf and nan (an
// argument such as 1e400 is inf) are written Infinity, -Infinity and NaN,
// which ansible-core reads back; map keys are sorted, Objects keep their
// order, nothing is HTML-escaped. A value of any other type is written as
// encoding/json writes it, else as its text.
func encode(b *bytes.Buffer, v any) {
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case string:
		encodeString(b, t)
	case float64:
		encodeFloat(b, t)
	case float32:
		encodeFloat(b, float64(t))
	case int:
		b.WriteString(strconv.Itoa(t))
	case int64:
		b.WriteString(strconv.FormatInt(t, 10))
	case json.Number:
		b.WriteString(string(t))
	case Result:
		encodeMap(b, t)
	case map[string]any:
		encodeMap(b, t)
	case map[string]string:
		encodeMap(b, t)
	case []any:
		encodeList(b, t)
	case []string:
		encodeList(b, t)
	case *pyvalue.Object:
		b.WriteByte('{')
		for i, k := range t.Keys() {
			if i > 0 {
				b.WriteByte(',')
			}
			encodeString(b, k)
			b.WriteByte(':')
			e, _ := t.Get(k)
			encode(b, e)
		}
		b.WriteByte('}')
	default:
		var tmp bytes.Buffer
		enc := json.NewEncoder(&tmp)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			encodeString(b, fmt.Sprint(v))
			return
		}
		b.Write(bytes.TrimSuffix(tmp.Bytes(), []byte("\n")))
	}
}

func encodeList[T any](b *bytes.Buffer, list []T) {
	b.WriteByte('[')
	for i, e := range list {
		if i > 0 {
			b.WriteByte(',')
		}
		encode(b, e)
	}
	b.WriteByte(']')
}

func encodeMap[T any](b *bytes.Buffer, m map[string]T) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		encodeString(b, k)
		b.WriteByte(':')
		encode(b, m[k])
	}
	b.WriteByte('}')
}

// encodeFloat writes a finite number as encoding/json does and the others
// as Python's json.dumps does.
func encodeFloat(b *bytes.Buffer, f float64) {
	switch {
	case math.IsInf(f, 1):
		b.WriteString("Infinity")
	case math.IsInf(f, -1):
		b.WriteString("-Infinity")
	case math.IsNaN(f):
		b.WriteString("NaN")
	default:
		out, _ := json.Marshal(f) // cannot fail for a finite number
		b.Write(out)
	}
}

// encodeString writes s as encoding/json does, without HTML escaping; a
// string cannot fail to encode (invalid UTF-8 becomes U+FFFD).
func encodeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	b.Truncate(b.Len() - 1) // Encode's newline
}
