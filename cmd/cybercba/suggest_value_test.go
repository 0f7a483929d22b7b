package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestEnumeratedValueSuggestion checks that a flag's value not among its
// choices is bad usage (exit 2) with the nearest choice suggested.
func TestEnumeratedValueSuggestion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{runArgs("--view", "socail"), `did you mean "social"?`},
		{runArgs("--metric", "bcrr"), `did you mean "bcr"?`},
		{runArgs("--objective", "dtvr"), `did you mean "dtvar"?`},
		// A scope is among the dataset's, known only once it is loaded:
		// still a name not among the flag's choices.
		{runArgs("--scope", "acute-trus"), `did you mean "acute-trust"?`},
		{[]string{"sensitivity", "--no-files", "--scope", "acute-trus"}, `did you mean "acute-trust"?`},
		{[]string{"template", "--scope", "acute-trus", "-o", filepath.Join(t.TempDir(), "inputs.xlsx")}, `did you mean "acute-trust"?`},
		{runArgs("--budget-plan", "2026-27:5m", "--budget-plan-kind", "capitl"), `did you mean "capital"?`},
		// With files: --no-files leaves --format unread.
		{[]string{"run", "--draws", "8", "--years", "200", "-o", t.TempDir(), "--format", "png,pnq"}, `did you mean "png"?`},
	} {
		r := cybercba(t, tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("cybercba %s: exit %d, stderr %q; want exit %d and %q", strings.Join(tc.args, " "), r.code, r.stderr, exitUsage, tc.want)
		}
	}
}
