package main

import (
	"math"
	"path/filepath"
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
// page; minInputsPoints that of the Inputs sheet's.
const (
	minSummaryPoints = 8
	minInputsPoints  = 7
)

// TestWorkbookPrintsInLibreOffice prints the default run's report.xlsx
// with LibreOffice and checks that it takes at most maxWorkbookPages A4
// pages, the Summary sheet one, its text at least minSummaryPoints once
// printed, the Inputs sheet's at least minInputsPoints.
func TestWorkbookPrintsInLibreOffice(t *testing.T) {
	skipUnlessLong(t, "the default run and LibreOffice take half a minute")
	out := t.TempDir()
	args := []string{"run", "--quiet", "-o", out}
	mustSucceed(t, cybercba(t, args...), args)
	xlsx := filepath.Join(out, "report.xlsx")
	pdf := printtest.OfficePDF(t, xlsx)
	sheets, n := sheetPages(t, xlsx, pdf)
	if n > maxWorkbookPages {
		t.Errorf("report.xlsx prints on %d pages; want at most %d", n, maxWorkbookPages)
	}
	summary, inputs := checkPrintedSheets(t, pdf, sheets)
	t.Logf("report.xlsx: %d pages in LibreOffice, by sheet %v; the Summary's text at %.2f pt, the Inputs' at %.2f pt", n, sheets, summary, inputs)
}

// TestSocialWorkbookPrintsInLibreOffice prints the social view's
// report.xlsx: the Summary on one page at least minSummaryPoints, the
// Inputs at least minInputsPoints, and the plane's draws (thousands of
// rows of a figure's data) on one page, not hundreds.
func TestSocialWorkbookPrintsInLibreOffice(t *testing.T) {
	skipUnlessLong(t, "a social run and LibreOffice take half a minute")
	out := t.TempDir()
	args := []string{"run", "--view", "social", "--draws", "8", "--years", "200", "--decision-draws", "500", "--quiet", "-o", out}
	mustSucceed(t, cybercba(t, args...), args)
	xlsx := filepath.Join(out, "report.xlsx")
	pdf := printtest.OfficePDF(t, xlsx)
	sheets, n := sheetPages(t, xlsx, pdf)
	summary, inputs := checkPrintedSheets(t, pdf, sheets)
	if got := len(sheets["CE plane draws"]); got != 1 {
		t.Errorf("the CE plane draws sheet prints on %d pages; want 1", got)
	}
	t.Logf("report.xlsx (social view): %d pages in LibreOffice, by sheet %v; the Summary's text at %.2f pt, the Inputs' at %.2f pt", n, sheets, summary, inputs)
}

// checkPrintedSheets checks that the Summary prints on one page with its
// text at least minSummaryPoints, and the Inputs' text at least
// minInputsPoints on each of its pages, and returns the two sizes.
func checkPrintedSheets(t *testing.T, pdf string, sheets map[string][]int) (summary, inputs float64) {
	t.Helper()
	if len(sheets["Summary"]) != 1 {
		t.Fatalf("the Summary sheet prints on %d pages; want 1", len(sheets["Summary"]))
	}
	scale := bodyPoints / officeHeight(t, bodyPoints)
	summary = printedPoints(t, pdf, sheets["Summary"][0]) * scale
	if summary < minSummaryPoints {
		t.Errorf("the Summary's text prints at %.2f pt; want at least %d", summary, minSummaryPoints)
	}
	inputs = math.Inf(1)
	for _, p := range sheets["Inputs"] {
		inputs = min(inputs, printedPoints(t, pdf, p)*scale)
	}
	if !(inputs >= minInputsPoints) || math.IsInf(inputs, 1) {
		t.Errorf("the Inputs' text prints at %.2f pt (pages %v); want at least %d", inputs, sheets["Inputs"], minInputsPoints)
	}
	return summary, inputs
}

// sheetPages returns the pages (from 1) on which each sheet of a workbook
// prints, by the sheet's name in each page's footer, and the number of
// pages.
func sheetPages(t *testing.T, xlsx, pdf string) (map[string][]int, int) {
	t.Helper()
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	names := f.GetSheetList()
	f.Close()
	pages := printtest.Text(t, pdf, true)
	sheets := map[string][]int{}
	for i, page := range pages {
		lines := strings.Split(strings.TrimRight(page, "\n\f "), "\n")
		foot := lines[len(lines)-1]
		// The sheet named in the footer: the longest name it holds (LEC
		// chart, not LEC).
		sheet := ""
		for _, s := range names {
			if strings.Contains(foot, "  "+s+"  ") && len(s) > len(sheet) {
				sheet = s
			}
		}
		sheets[sheet] = append(sheets[sheet], i+1)
	}
	return sheets, len(pages)
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
	sheets, n := sheetPages(t, out, pdf)
	pages := len(sheets["Comparison"])
	if pages != 1 {
		t.Errorf("the Comparison sheet prints on %d pages; want 1", pages)
	}
	t.Logf("results.xlsx: %d pages in LibreOffice, the comparison %d", n, pages)
}
