package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/cybercba/cybercba/reports/printtest"
)

// maxReportPages is the most A4 pages report.html may print to for the
// default run.
const maxReportPages = 15

// TestReportInBrowser opens report.html in headless Chromium, as a reader
// would, and checks that the page logs no console error, throws no
// exception and requests nothing but itself; that it renders (a
// screenshot that is not blank); and that printed to A4 it takes at most
// maxReportPages pages, with the whole decision summary, recommendation
// first, on page 1.
//
// It runs in the long tier (CYBERCBA_LONG=1, as .ci/run sets), on the
// default run's own report: starting Chromium and printing take longer
// than the quick tier can spare. With CYBERCBA_REPORT_HTML set to a
// report.html, it checks that file instead, in either tier. CYBERCBA_BROWSER_OUT, if set, names
// a folder to keep the screenshot and the PDF in.
func TestReportInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the browser test starts Chromium")
	}
	if printtest.Chromium() == "" {
		t.Skip("no Chromium found (chromium, chromium-browser or google-chrome on the PATH, or CYBERCBA_CHROMIUM): " +
			"this test opens report.html in a real browser; .ci/run installs Debian's chromium and poppler-utils")
	}
	printtest.Tool(t, "pdftotext")
	page := os.Getenv("CYBERCBA_REPORT_HTML")
	if page == "" {
		skipUnlessLong(t, "starts Chromium and prints the default run's report")
		out := t.TempDir()
		args := []string{"run", "--quiet", "-o", out} // the default run itself
		mustSucceed(t, cybercba(t, args...), args)
		page = filepath.Join(out, "report.html")
	}
	page, err := filepath.Abs(page)
	if err != nil {
		t.Fatal(err)
	}
	keep := os.Getenv("CYBERCBA_BROWSER_OUT")
	if keep == "" {
		keep = t.TempDir()
	}

	ctx, cancel := context.WithTimeout(t.Context(), 120*time.Second) // generous: CI machines are shared
	defer cancel()
	bctx, stderr := printtest.Browser(t, ctx, "opens report.html")

	var mu sync.Mutex
	var problems, requests []string
	note := func(list *[]string, format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		*list = append(*list, fmt.Sprintf(format, args...))
	}
	if err := chromedp.Listen(bctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				note(&problems, "console.%s: %s", ev.Type, strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			note(&problems, "exception: %s", ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				note(&problems, "console error (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			note(&requests, "%s", ev.Request.URL)
		}
	}); err != nil {
		t.Fatalf("starting Chromium (%s): %v\n%s", printtest.Chromium(), err, stderr.String())
	}

	url := "file://" + filepath.ToSlash(page)
	if err := chromedp.Do(bctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.ID("recommendation"))); err != nil {
		t.Fatalf("loading %s in Chromium: %v\n%s", url, err, stderr.String())
	}
	recommendation, err := chromedp.Run(bctx, chromedp.Text(chromedp.ID("recommendation")))
	if err != nil {
		t.Fatalf("reading the recommendation: %v", err)
	}
	lastOfSummary, err := chromedp.Run(bctx, chromedp.Evaluate[string](
		`(() => { const ps = document.querySelectorAll("#decision p"); return ps[ps.length-1].innerText; })()`))
	if err != nil {
		t.Fatalf("reading the decision summary: %v", err)
	}
	// Each figure's first line of title (its SVG's largest text) and the
	// first words of its caption.
	figures, err := chromedp.Run(bctx, chromedp.Evaluate[[][]string](
		`Array.from(document.querySelectorAll("figure")).map(f => {
			const size = e => parseFloat(getComputedStyle(e).fontSize) || 0;
			const t = Array.from(f.querySelectorAll("svg text")).sort((a, b) => size(b) - size(a))[0];
			const c = f.querySelector("figcaption");
			return [t ? t.textContent : "", c ? c.innerText.split(/\s+/).slice(0, 8).join(" ") : ""];
		})`))
	if err != nil {
		t.Fatalf("reading the figures: %v", err)
	}
	// The command that reproduces the run, one argument a word.
	command, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("code.command .arg")).map(a => a.textContent)`))
	if err != nil {
		t.Fatalf("reading the command: %v", err)
	}
	shot, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	pdf, err := printtest.PrintA4(bctx)
	if err != nil {
		t.Fatalf("printing to PDF: %v", err)
	}

	mu.Lock()
	for _, p := range problems {
		t.Errorf("report.html: %s", p)
	}
	for _, u := range requests {
		if u != url && !strings.HasPrefix(u, "data:") {
			t.Errorf("report.html requested %s: the page must fetch nothing", u)
		}
	}
	mu.Unlock()

	shotPath, pdfPath := filepath.Join(keep, "report.png"), filepath.Join(keep, "report.pdf")
	for path, b := range map[string][]byte{shotPath: shot, pdfPath: pdf} {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 800 || b.Dy() < 800 {
		t.Errorf("screenshot is %v; want the 1200×1600 window", b)
	}
	inked := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y += 4 {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x += 4 {
			if r, g, b, _ := img.At(x, y).RGBA(); r+g+b < 3*0x8000 {
				inked++
			}
		}
	}
	if inked < 1000 {
		t.Errorf("the screenshot is nearly blank (%d dark samples): the page did not render", inked)
	}

	pages := printtest.Text(t, pdfPath, false)
	t.Logf("report.html prints to %d A4 pages; screenshot %s, PDF %s", len(pages), shotPath, pdfPath)
	if len(pages) > maxReportPages {
		t.Errorf("report.html prints to %d A4 pages; want at most %d", len(pages), maxReportPages)
	}
	flat := func(s string) string { return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u2060", "")), " ") }
	// No amount broken after its sign: no line ends in a minus sign, or in
	// a sign and a currency symbol, with the amount on the next.
	for p, page := range pages {
		for line := range strings.SplitSeq(page, "\n") {
			l := strings.TrimRight(strings.ReplaceAll(line, "\u2060", ""), " ")
			if strings.HasSuffix(l, "−") || strings.HasSuffix(l, "-£") || strings.HasSuffix(l, "−£") {
				t.Errorf("page %d: a line ends inside an amount: %q", p+1, l)
			}
		}
	}
	// The command breaks only between its arguments: each prints whole on
	// a line.
	if len(command) == 0 {
		t.Error("report.html has no command to reproduce the run (code.command .arg)")
	}
	lines := strings.Split(strings.Join(pages, "\n"), "\n")
	for _, a := range command {
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, a) }) {
			t.Errorf("the command's argument %q prints broken across lines", a)
		}
	}
	// Every figure's caption on the page of its figure.
	pageOf := func(s string) int {
		for p, page := range pages {
			if strings.Contains(flat(page), flat(s)) {
				return p
			}
		}
		return -1
	}
	for _, f := range figures {
		title, caption := f[0], f[1]
		if title == "" || caption == "" {
			continue
		}
		pc := pageOf(caption)
		if pc < 0 {
			t.Logf("figure %q: caption %q not found in the PDF's text", title, caption)
			continue
		}
		if !strings.Contains(flat(pages[pc]), flat(title)) {
			t.Errorf("figure %q is not on page %d with its caption %q", title, pc+1, caption)
		}
	}
	first := flat(pages[0])
	if rec := flat(recommendation); rec == "" || !strings.Contains(first, rec) {
		t.Errorf("page 1 does not hold the recommendation %q:\n%s", rec, first)
	}
	if last := flat(lastOfSummary); !strings.Contains(first, last) {
		t.Errorf("the decision summary runs past page 1: its last paragraph %q is not on it", last)
	}
	if len(pages) > 1 && strings.Contains(flat(pages[1]), "Headline figures") {
		t.Error("the headline figures are on page 2")
	}
}
