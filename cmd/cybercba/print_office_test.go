package main

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cybercba/cybercba/reports"
)

// maxWorkbookPages is the most A4 pages LibreOffice may print the default
// run's report.xlsx on.
const maxWorkbookPages = 12

// officePDF converts a workbook to PDF with LibreOffice (headless) and
// returns the PDF's path, skipping t when LibreOffice or poppler's tools
// are missing.
func officePDF(t *testing.T, xlsx string) string {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("no soffice (Debian's libreoffice-calc): this test prints the workbook with LibreOffice; .ci/run installs it")
	}
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Skip("no pdfinfo (Debian's poppler-utils): this test counts the printed pages with it; .ci/run installs it")
	}
	out := t.TempDir()
	// A profile of its own, so that a LibreOffice already running (or a
	// parallel test) does not take the conversion over.
	profile := "-env:UserInstallation=file://" + filepath.Join(out, "profile")
	cmd := exec.Command(soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", out, xlsx)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice --convert-to pdf %s: %v\n%s", xlsx, err, b)
	}
	return filepath.Join(out, strings.TrimSuffix(filepath.Base(xlsx), filepath.Ext(xlsx))+".pdf")
}

// pdfPages returns the number of pages of a PDF, by pdfinfo.
func pdfPages(t *testing.T, pdf string) int {
	t.Helper()
	b, err := exec.Command("pdfinfo", pdf).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", pdf, err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count in %q", pdf, b)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// TestWorkbookPrintsInLibreOffice prints the default run's report.xlsx
// with LibreOffice and checks that its results sheets take at most
// maxWorkbookPages A4 pages, the Summary sheet one. The live What-if sheet
// (reports.LiveSheets), a spreadsheet model for the reader to edit, is
// counted apart: each page's footer names its sheet.
func TestWorkbookPrintsInLibreOffice(t *testing.T) {
	skipUnlessLong(t, "the default run and LibreOffice take half a minute")
	out := t.TempDir()
	args := []string{"run", "--quiet", "-o", out}
	mustSucceed(t, cybercba(t, args...), args)
	pdf := officePDF(t, filepath.Join(out, "report.xlsx"))
	n := pdfPages(t, pdf)
	sheets := map[string]int{}
	results := 0
	for p := 1; p <= n; p++ {
		b, err := exec.Command("pdftotext", "-layout", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), pdf, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext page %d: %v", p, err)
		}
		lines := strings.Split(strings.TrimRight(string(b), "\n\f "), "\n")
		foot := lines[len(lines)-1]
		live := false
		for _, s := range reports.LiveSheets {
			if strings.Contains(foot, s) {
				sheets[s]++
				live = true
			}
		}
		if !live {
			results++
			if strings.Contains(foot, "Summary") {
				sheets["Summary"]++
			}
		}
	}
	if results > maxWorkbookPages {
		t.Errorf("report.xlsx's results sheets print on %d pages; want at most %d", results, maxWorkbookPages)
	}
	if sheets[reports.SheetDraws] != 1 {
		t.Errorf("the Draws sheet prints on %d pages; want 1 (its header and first draws)", sheets[reports.SheetDraws])
	}
	if sheets["Summary"] != 1 {
		t.Errorf("the Summary sheet prints on %d pages; want 1", sheets["Summary"])
	}
	t.Logf("report.xlsx: %d pages in LibreOffice, %d of them the results sheets; by sheet %v", n, results, sheets)
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
	pdf := officePDF(t, out)
	n := pdfPages(t, pdf)
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
