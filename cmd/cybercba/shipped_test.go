package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// internalRef matches what must never reach a user: the project's internal
// guides, a reviewer's or author's note-to-self, and a path on a
// developer's machine. (The data package's test of the embedded dataset
// uses the same pattern.)
var internalRef = regexp.MustCompile(`(?i)\b(DATA|MODEL|STYLE|DEVELOPERS)\.md\b|reviewer|\bverify\b|\bto check\b|\bTODO\b|\bFIXME\b|/work/|/home/|/Users/`)

// TestOutputsShipNoInternalText runs the default dataset in both views,
// and calibrate, and scans everything they write for internal references:
// the terminal output, every cell of every sheet of the workbook (Inputs
// and Reproduce carry the dataset's notes), and every text file (each
// figure's SVG and CSV, any HTML page).
func TestOutputsShipNoInternalText(t *testing.T) {
	skipUnlessLong(t, "writes a whole default run's files; CI runs it")
	t.Parallel()
	out := t.TempDir()
	var texts []struct{ where, text string }
	add := func(where, text string) { texts = append(texts, struct{ where, text string }{where, text}) }
	for _, view := range []string{"financial", "social"} {
		dir := filepath.Join(out, view)
		args := fileArgs(dir, "--view", view, "--format", "svg")
		r := cybercba(t, args...)
		mustSucceed(t, r, args)
		add(view+": stdout", r.stdout)
		f, err := excelize.OpenFile(filepath.Join(dir, "report.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range f.GetSheetList() {
			rows, err := f.GetRows(s)
			if err != nil {
				t.Fatal(err)
			}
			for i, row := range rows {
				add(view+": report.xlsx "+s+" row "+strconv.Itoa(i+1), strings.Join(row, " | "))
			}
		}
		f.Close()
		// Every text file written: figures' SVG and CSV, and any page.
		err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			switch filepath.Ext(p) {
			case ".xlsx", ".png", ".pdf":
				return nil
			}
			b, err := os.ReadFile(p)
			add(view+": "+filepath.Base(p), string(b))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	r := cybercba(t, "calibrate")
	mustSucceed(t, r, []string{"calibrate"})
	add("calibrate", r.stdout)
	for _, x := range texts {
		for line := range strings.Lines(x.text) {
			if m := internalRef.FindString(line); m != "" {
				t.Errorf("%s: %q in %.200s", x.where, m, strings.TrimSpace(line))
			}
		}
	}
}
