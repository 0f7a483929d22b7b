package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cybercba/cybercba/data"
)

// TestValidateWarnings checks that validate lists input warnings and that
// --strict turns them into problems with exit 3.
func TestValidateWarnings(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "wide.yaml")
	doc := strings.Replace(string(data.DefaultBytes()),
		"rate:       {lo: 0.03, hi: 0.2,", "rate:       {lo: 0.0001, hi: 0.2,", 1)
	if doc == string(data.DefaultBytes()) {
		t.Fatal("test bug: S1's rate line not found")
	}
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	r := cybercba(t, "validate", path)
	if r.code != exitOK || !strings.Contains(r.stdout, "warning: ") || !strings.Contains(r.stdout, "threats[S1].rate") {
		t.Errorf("validate: exit %d; want 0 with a warning on threats[S1].rate\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = cybercba(t, "validate", "--strict", path)
	if r.code != exitInput || !strings.Contains(r.stdout+r.stderr, "threats[S1].rate") {
		t.Errorf("validate --strict: exit %d; want 3 naming threats[S1].rate\n%s%s", r.code, r.stdout, r.stderr)
	}
}
