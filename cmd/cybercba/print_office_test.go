package main

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
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
// with LibreOffice and checks that it takes at most maxWorkbookPages A4
// pages, the Summary sheet one (its name in the footer of page 1 alone).
func TestWorkbookPrintsInLibreOffice(t *testing.T) {
	skipUnlessLong(t, "the default run and LibreOffice take half a minute")
	out := t.TempDir()
	args := []string{"run", "--quiet", "-o", out}
	mustSucceed(t, cybercba(t, args...), args)
	pdf := officePDF(t, filepath.Join(out, "report.xlsx"))
	n := pdfPages(t, pdf)
	if n > maxWorkbookPages {
		t.Errorf("report.xlsx prints on %d pages; want at most %d", n, maxWorkbookPages)
	}
	if n >= 2 {
		b, err := exec.Command("pdftotext", "-f", "2", "-l", "2", pdf, "-").Output()
		if err == nil && strings.Contains(string(b), "Summary\n") {
			t.Errorf("the Summary sheet runs onto page 2:\n%s", b)
		}
	}
	t.Logf("report.xlsx: %d pages in LibreOffice", n)
}
