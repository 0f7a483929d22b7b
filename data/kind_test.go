package data

import (
	"strings"
	"testing"
)

// TestKindOf checks that files of the wrong kind given as a dataset are
// named as what they are before any parsing: a CSV (by name or by its
// first line) and not a YAML error; a YAML or JSON dataset passes.
func TestKindOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body, want string
	}{
		{"plots/ranking.csv", "Control,NPV (£),5%\nR-C1,1,2\n", "a CSV file"},
		{"ranking.txt", "\ufeffControl,NPV (£),5%\nR-C1,1,2\n", "a CSV file"},
		{"nhs.yaml", "version: 1\nthreats: [a, b, c]\n", ""},
		{"d.json", `{"version": 1, "a": [1, 2, 3]}`, ""},
	} {
		if got := kindOf([]byte(tc.body), tc.name); got != tc.want {
			t.Errorf("kindOf(%q) = %q; want %q", tc.name, got, tc.want)
		}
		if tc.want != "" {
			if _, err := LoadBytes([]byte(tc.body), tc.name); err == nil || !strings.Contains(err.Error(), "this is "+tc.want+", not a dataset") {
				t.Errorf("LoadBytes(%q) error = %v; want it named %s", tc.name, err, tc.want)
			}
		}
	}
}
