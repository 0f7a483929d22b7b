package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestBatchWritesHTML checks that batch prints a line per scenario (beta,
// with a budget, recommending its portfolio), writes its page beside the
// results workbook, that a shard leaves the page to the merge, and that the merged
// page compares the same scenarios, in the same figures, as the single
// run's.
func TestBatchWritesHTML(t *testing.T) {
	t.Parallel()
	in := newInputs(t, func(f *excelize.File) {
		addScenarios(t, f, []any{"alpha"}, []any{"beta", nil, "50m"}, []any{"gamma", "acute-trust"})
	})
	dir := filepath.Dir(in)
	single := filepath.Join(dir, "single.xlsx")
	args := slices.Concat([]string{"batch", in, "-o", single}, batchSmall)
	r := cybercba(t, args...)
	mustSucceed(t, r, args)
	for _, want := range []string{"Scenario", "Recommends", "\nalpha ", "\nbeta ", "(portfolio)", "\ngamma "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("batch's table lacks %q:\n%s", want, r.stdout)
		}
	}
	page := filepath.Join(dir, "single.html")
	if !strings.Contains(r.stdout, "wrote "+single+" and "+page) {
		t.Errorf("batch stdout %q does not name the page", r.stdout)
	}
	out := filepath.Join(dir, "results.xlsx")
	var parts []string
	for i := 1; i <= 2; i++ {
		args := slices.Concat([]string{"batch", in, "-o", out, "--shard", fmt.Sprintf("%d/2", i)}, batchSmall)
		mustSucceed(t, cybercba(t, args...), args)
		parts = append(parts, filepath.Join(dir, fmt.Sprintf("results.part-%d-of-2.xlsx", i)))
	}
	if _, err := os.Stat(filepath.Join(dir, "results.html")); err == nil {
		t.Error("a shard wrote results.html; want the page from the merge alone")
	}
	merged := filepath.Join(dir, "merged.xlsx")
	r = cybercba(t, append([]string{"merge", "-o", merged}, parts...)...)
	mustSucceed(t, r, nil)
	comparison := func(path string) string {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		i, j := strings.Index(s, `<section id="comparison"`), strings.Index(s, `<section id="provenance">`)
		if i < 0 || j < i {
			t.Fatalf("%s has no comparison and provenance sections", path)
		}
		return s[i:j]
	}
	a, b := comparison(page), comparison(filepath.Join(dir, "merged.html"))
	for _, name := range []string{"alpha", "beta", "gamma"} {
		if !strings.Contains(a, "Scenario: "+name) {
			t.Errorf("single.html has no section for %s", name)
		}
	}
	if a != b {
		t.Error("the merged page's scenarios differ from the single run's")
	}
}
