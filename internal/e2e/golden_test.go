package e2e

import (
	"path/filepath"
	"sort"
	"testing"

	"ansible-sts/internal/golden"
)

// goldenFile compares got with testdata/e2e/<name>.json, or rewrites it.
func goldenFile(t *testing.T, name string, got any) {
	t.Helper()
	golden.File(t, filepath.Join("..", "..", "testdata", "e2e", name+".json"), got, *update)
}

// sortedStrings returns the keys of m, sorted.
func sortedStrings(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
