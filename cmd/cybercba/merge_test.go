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

// TestMergeRefusesEditedPart edits one result of part 2 of 3, as issue 13
// found merged silently, and checks that merge refuses it, naming the part
// and the cell, and writes nothing; the parts as written still merge.
func TestMergeRefusesEditedPart(t *testing.T) {
	t.Parallel()
	in := newInputs(t, func(f *excelize.File) {
		addScenarios(t, f, []any{"a"}, []any{"b"}, []any{"c"}, []any{"d"}, []any{"e"})
	})
	dir := filepath.Dir(in)
	out := filepath.Join(dir, "results.xlsx")
	var parts []string
	for i := 1; i <= 3; i++ {
		r := cybercba(t, slices.Concat([]string{"batch", in, "-o", out, "--shard", fmt.Sprintf("%d/3", i)}, batchSmall)...)
		mustSucceed(t, r, nil)
		parts = append(parts, filepath.Join(dir, fmt.Sprintf("results.part-%d-of-3.xlsx", i)))
	}
	for i, p := range parts {
		if b := readResults(t, p); b.Shard != i+1 || b.Shards != 3 || b.Host == "" {
			t.Errorf("%s records shard %d of %d on host %q", p, b.Shard, b.Shards, b.Host)
		}
	}
	f, err := excelize.OpenFile(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	setCell(t, f, "Summary", "O2", 123)
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	merged := filepath.Join(dir, "merged.xlsx")
	r := cybercba(t, append([]string{"merge", "-o", merged}, parts...)...)
	if want := parts[1] + ": Summary!O2 (ALE (£/yr)) was changed after cybercba wrote it"; r.code != exitInput || !strings.Contains(r.stderr, want) {
		t.Errorf("merge with an edited part: exit %d, stderr %q; want %d, %q", r.code, r.stderr, exitInput, want)
	}
	if tmp := tempsIn(t, dir); len(tmp) > 0 || fileExists(merged) {
		t.Errorf("a refused merge left %q, or wrote %s", tmp, merged)
	}
	// Part 2 written again merges.
	r = cybercba(t, slices.Concat([]string{"batch", in, "-o", out, "--shard", "2/3"}, batchSmall)...)
	mustSucceed(t, r, nil)
	r = cybercba(t, append([]string{"merge", "-o", merged}, parts...)...)
	mustSucceed(t, r, nil)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
