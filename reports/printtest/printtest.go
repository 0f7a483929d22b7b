// Package printtest holds helpers for the tests that print cybercba's
// outputs with real programs and read the pages back: headless Chromium
// (report.html), LibreOffice (the workbooks) and poppler's pdfinfo and
// pdftotext. Each helper skips its test, saying why, when the program it
// needs is missing; .ci/run installs chromium, libreoffice-calc and
// poppler-utils.
package printtest

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Chromium returns the path of a Chromium or Chrome, from CYBERCBA_CHROMIUM
// or the PATH, or "" when there is none.
func Chromium() string {
	if p := os.Getenv("CYBERCBA_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Browser starts headless Chromium (a profile of its own, a 1200×1600
// window, no network chatter) for the life of ctx and returns a context
// of its first tab, and the browser's output, for error messages. It
// skips t, saying what the test does (why), when there is no Chromium.
func Browser(t testing.TB, ctx context.Context, why string) (context.Context, *bytes.Buffer) {
	t.Helper()
	exe := Chromium()
	if exe == "" {
		t.Skipf("no Chromium found (chromium, chromium-browser or google-chrome on the PATH, or CYBERCBA_CHROMIUM): "+
			"this test %s in a real browser; .ci/run installs Debian's chromium", why)
	}
	var stderr bytes.Buffer
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), // a container's small /dev/shm must not crash it
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 1600),
		chromedp.CombinedOutput(&stderr),
	)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	return bctx, &stderr
}

// PrintA4 prints the page open in ctx to PDF as a reader would to A4: the
// page's own @page size and margins, backgrounds printed.
func PrintA4(ctx context.Context) ([]byte, error) {
	return chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground()))
}

// Tool returns the path of one of poppler's tools (pdfinfo, pdftotext),
// skipping t when it is missing.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("no %s (Debian's poppler-utils): this test reads printed pages with it; .ci/run installs it", name)
	}
	return p
}

// OfficePDF converts a workbook to PDF with headless LibreOffice, with a
// profile of its own (so that a LibreOffice already running, or a
// parallel test, does not take the conversion over), and returns the
// PDF's path. It skips t when LibreOffice or pdfinfo is missing.
func OfficePDF(t testing.TB, xlsx string) string {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("no soffice (Debian's libreoffice-calc): this test prints the workbook with LibreOffice; .ci/run installs it")
	}
	Tool(t, "pdfinfo")
	out := t.TempDir()
	profile := "-env:UserInstallation=file://" + filepath.Join(out, "profile")
	cmd := exec.Command(soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", out, xlsx)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice --convert-to pdf %s: %v\n%s", xlsx, err, b)
	}
	return filepath.Join(out, strings.TrimSuffix(filepath.Base(xlsx), filepath.Ext(xlsx))+".pdf")
}

// Pages returns the number of pages of a PDF, by pdfinfo.
func Pages(t testing.TB, pdf string) int {
	t.Helper()
	b, err := exec.Command(Tool(t, "pdfinfo"), pdf).Output()
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

// Text returns the text of each page of a PDF, by pdftotext (with
// -layout if layout is set).
func Text(t testing.TB, pdf string, layout bool) []string {
	t.Helper()
	args := []string{pdf, "-"}
	if layout {
		args = append([]string{"-layout"}, args...)
	}
	b, err := exec.Command(Tool(t, "pdftotext"), args...).Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", pdf, err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\f"), "\f")
}

// Word is one word of pdftotext -bbox, in points from the page's top left
// corner.
type Word struct {
	Text                   string
	XMin, YMin, XMax, YMax float64
}

// Height is the word's height: for upright text, its font's ascent plus
// descent times its size.
func (w Word) Height() float64 { return w.YMax - w.YMin }

// PageWords returns the words of page p (from 1) of a PDF, by pdftotext
// -bbox, with the page's width and height in points.
func PageWords(t testing.TB, pdf string, p int) (words []Word, w, h float64) {
	t.Helper()
	b, err := exec.Command(Tool(t, "pdftotext"), "-bbox", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox page %d of %s: %v", p, pdf, err)
	}
	return ParseWords(t, b)
}

// ParseWords parses pdftotext -bbox output: the words of its pages and
// the last page's width and height.
func ParseWords(t testing.TB, out []byte) (words []Word, w, h float64) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(out))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	num := func(se xml.StartElement, name string) float64 {
		for _, a := range se.Attr {
			if a.Name.Local == name {
				v, _ := strconv.ParseFloat(a.Value, 64)
				return v
			}
		}
		return 0
	}
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "page":
			w, h = num(se, "width"), num(se, "height")
		case "word":
			var s string
			if err := d.DecodeElement(&s, &se); err != nil {
				t.Fatalf("pdftotext -bbox: %v", err)
			}
			words = append(words, Word{s, num(se, "xMin"), num(se, "yMin"), num(se, "xMax"), num(se, "yMax")})
		}
	}
	return words, w, h
}
