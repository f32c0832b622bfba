package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// kv is one entry of an ordered mapping.
type kv struct {
	Key   string
	Value any
}

// ymap is a YAML mapping that keeps its order.
type ymap []kv

// block is a string written as a YAML literal block (|).
type block string

// writeYAML writes v at indent in block style. Strings are double-quoted
// with JSON's escapes, which YAML reads the same way.
func writeYAML(b *strings.Builder, v any, indent int) {
	pad := strings.Repeat("  ", indent)
	switch t := v.(type) {
	case ymap:
		for _, e := range t {
			b.WriteString(pad + e.Key + ":")
			writeValue(b, e.Value, indent, len(pad)+len(e.Key)+2)
		}
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		m := ymap{}
		for _, k := range keys {
			m = append(m, kv{k, t[k]})
		}
		writeYAML(b, m, indent)
	}
}

// writeValue writes the value of a mapping entry, after its key; a
// scalar starts at column col.
func writeValue(b *strings.Builder, v any, indent, col int) {
	pad := strings.Repeat("  ", indent+1)
	switch t := v.(type) {
	case ymap, map[string]any:
		b.WriteString("\n")
		writeYAML(b, t, indent+1)
	case []string:
		b.WriteString("\n")
		for _, s := range t {
			b.WriteString(pad + "- " + fold(quote(s), len(pad)+2, pad+"  ") + "\n")
		}
	case []ymap:
		b.WriteString("\n")
		for _, m := range t {
			var item strings.Builder
			writeYAML(&item, m, indent+2)
			s := item.String()
			b.WriteString(pad + "- " + strings.TrimPrefix(s, pad+"  "))
		}
	case block:
		b.WriteString(" |\n")
		for _, line := range strings.Split(strings.TrimRight(string(t), "\n"), "\n") {
			if line == "" {
				b.WriteString("\n")
				continue
			}
			b.WriteString(pad + line + "\n")
		}
	default:
		b.WriteString(" " + fold(scalar(t), col, pad) + "\n")
	}
}

// width is where fold breaks lines.
const width = 100

// fold breaks a double-quoted scalar that starts at column col across
// lines of at most width columns where it can, continued at indent. It
// breaks only at a lone space: YAML folds the line break back into one
// space, so the value stays the same.
func fold(q string, col int, indent string) string {
	if !strings.HasPrefix(q, `"`) || col+len(q) <= width {
		return q
	}
	var b strings.Builder
	line := col
	for len(q) > 0 {
		cut := -1
		if line+len(q) > width {
			for i := 1; i < len(q)-1 && line+i <= width; i++ {
				if q[i] == ' ' && q[i-1] != ' ' && q[i+1] != ' ' {
					cut = i
				}
			}
		}
		if cut < 0 {
			b.WriteString(q)
			break
		}
		b.WriteString(q[:cut] + "\n" + indent)
		q, line = q[cut+1:], len(indent)
	}
	return b.String()
}

func scalar(v any) string {
	switch t := v.(type) {
	case string:
		return quote(t)
	case bool, int, int64:
		return fmt.Sprint(t)
	case nil:
		return "null"
	}
	panic(fmt.Sprintf("gendocs: no YAML for %T", v))
}

func quote(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}
