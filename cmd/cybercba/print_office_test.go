package main

import (
	"math"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/reports/printtest"
)

// maxWorkbookPages is the most A4 pages LibreOffice may print the default
// run's report.xlsx on.
const maxWorkbookPages = 12

// minSummaryPoints is the least size, in points, of the Summary's text
// once printed: its font size times the print scale that fits it to one
// page.
const minSummaryPoints = 8

// TestWorkbookPrintsInLibreOffice prints the default run's report.xlsx
// with LibreOffice and checks that it takes at most maxWorkbookPages A4
// pages (each page's footer names its sheet), the Summary sheet one, its
// text at least minSummaryPoints once printed.
func TestWorkbookPrintsInLibreOffice(t *testing.T) {
	skipUnlessLong(t, "the default run and LibreOffice take half a minute")
	out := t.TempDir()
	args := []string{"run", "--quiet", "-o", out}
	mustSucceed(t, cybercba(t, args...), args)
	pdf := printtest.OfficePDF(t, filepath.Join(out, "report.xlsx"))
	n := printtest.Pages(t, pdf)
	sheets := map[string]int{}
	summary := 0
	f, err := excelize.OpenFile(filepath.Join(out, "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	names := f.GetSheetList()
	f.Close()
	for p := 1; p <= n; p++ {
		b, err := exec.Command("pdftotext", "-layout", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), pdf, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext page %d: %v", p, err)
		}
		lines := strings.Split(strings.TrimRight(string(b), "\n\f "), "\n")
		foot := lines[len(lines)-1]
		// The sheet named in the footer: the longest name it holds (LEC
		// chart, not LEC).
		sheet := ""
		for _, s := range names {
			if strings.Contains(foot, "  "+s+"  ") && len(s) > len(sheet) {
				sheet = s
			}
		}
		sheets[sheet]++
		if sheet == "Summary" {
			summary = p
		}
	}
	if n > maxWorkbookPages {
		t.Errorf("report.xlsx prints on %d pages; want at most %d", n, maxWorkbookPages)
	}
	if sheets["Summary"] != 1 {
		t.Fatalf("the Summary sheet prints on %d pages; want 1", sheets["Summary"])
	}
	pt := printedPoints(t, pdf, summary) * bodyPoints / officeHeight(t, bodyPoints)
	if pt < minSummaryPoints {
		t.Errorf("the Summary's text prints at %.2f pt; want at least %d", pt, minSummaryPoints)
	}
	t.Logf("report.xlsx: %d pages in LibreOffice, by sheet %v; the Summary's text at %.2f pt", n, sheets, pt)
}

// bodyPoints is the size of the workbook's text, Calibri 11 point.
const bodyPoints = 11

// printedPoints returns the height of the smallest words of page p of a
// PDF, outside its header and footer (the half inch at the top and the
// foot), as pdftotext -bbox gives them: a measure of the smallest text's
// printed size, by a factor that depends on the font (officeHeight).
func printedPoints(t *testing.T, pdf string, p int) float64 {
	t.Helper()
	words, _, height := printtest.PageWords(t, pdf, p)
	least := math.Inf(1)
	for _, w := range words {
		if w.YMin > 36 && w.YMax < height-36 {
			least = min(least, w.Height())
		}
	}
	if math.IsInf(least, 1) {
		t.Fatalf("page %d of %s has no text", p, pdf)
	}
	return least
}

// officeHeight returns the height pdftotext gives a word of size points
// printed by LibreOffice at 100%: a workbook of one cell in the workbook's
// font, on a page with no fitting.
func officeHeight(t *testing.T, size float64) float64 {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	st, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "Calibri", Size: size}})
	if err != nil {
		t.Fatal(err)
	}
	scale, portrait, fit := 100, "portrait", false
	for _, err := range []error{
		f.SetCellValue("Sheet1", "A1", "Calibration"),
		f.SetCellStyle("Sheet1", "A1", "A1", st),
		f.SetPageLayout("Sheet1", &excelize.PageLayoutOptions{AdjustTo: new(uint(scale)), Orientation: &portrait}),
		f.SetSheetProps("Sheet1", &excelize.SheetPropsOptions{FitToPage: &fit}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "calibration.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return printedPoints(t, printtest.OfficePDF(t, path), 1)
}

// TestBatchComparisonPrints runs the template's scenarios in bulk and
// prints results.xlsx with LibreOffice: its first sheet, the scenario
// comparison, takes one page (each page's footer names its sheet).
func TestBatchComparisonPrints(t *testing.T) {
	skipUnlessLong(t, "a bulk run of the template's scenarios and LibreOffice take half a minute")
	dir := t.TempDir()
	in, out := filepath.Join(dir, "inputs.xlsx"), filepath.Join(dir, "results.xlsx")
	for _, args := range [][]string{{"template", "-o", in}, {"batch", in, "-o", out, "--quiet"}} {
		mustSucceed(t, cybercba(t, args...), args)
	}
	pdf := printtest.OfficePDF(t, out)
	n := printtest.Pages(t, pdf)
	pages := 0
	for p := 1; p <= n; p++ {
		b, err := exec.Command("pdftotext", "-layout", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), pdf, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext page %d: %v", p, err)
		}
		lines := strings.Split(strings.TrimRight(string(b), "\n\f "), "\n")
		if strings.Contains(lines[len(lines)-1], "Comparison") {
			pages++
		}
	}
	if pages != 1 {
		t.Errorf("the Comparison sheet prints on %d pages; want 1", pages)
	}
	t.Logf("results.xlsx: %d pages in LibreOffice, the comparison %d", n, pages)
}
