package cases

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Golden returns o as want.json holds it: indented, HTML characters as
// they are, and without the options left null in the result's
// invocation.module_args (every option the task did not set, which the
// option tables already list).
func Golden(o Outcome) ([]byte, error) {
	o.Result = dropNullArgs(o.Result)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(o); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// dropNullArgs returns result with the null options of
// invocation.module_args left out.
func dropNullArgs(result any) any {
	r, ok := result.(map[string]any)
	if !ok {
		return result
	}
	inv, ok := r["invocation"].(map[string]any)
	if !ok {
		return result
	}
	args, ok := inv["module_args"].(map[string]any)
	if !ok {
		return result
	}
	kept := map[string]any{}
	for k, v := range args {
		if v != nil {
			kept[k] = v
		}
	}
	out := map[string]any{}
	for k, v := range r {
		out[k] = v
	}
	out["invocation"] = map[string]any{}
	for k, v := range inv {
		out["invocation"].(map[string]any)[k] = v
	}
	out["invocation"].(map[string]any)["module_args"] = kept
	return out
}

// CheckWant compares o with the case's want.json, or rewrites the section
// when update.
func (c *Case) CheckWant(t testing.TB, o Outcome, update bool) {
	t.Helper()
	got, err := Golden(o)
	if err != nil {
		t.Fatal(err)
	}
	if update {
		if err := c.SetWant(got); err != nil {
			t.Fatal(err)
		}
		return
	}
	if c.Want == nil {
		t.Fatalf("%s has no want.json section (rerun the test with -update to write it)", c.Path)
	}
	var w, g any
	if err := json.Unmarshal(c.Want, &w); err != nil {
		t.Fatalf("%s: want.json: %v", c.Path, err)
	}
	_ = json.Unmarshal(got, &g)
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("%s (-want +got):\n%s", c.Path, diff)
	}
}
