package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cybercba/cybercba/reports/printtest"
)

// What a printed health-economics figure must be: at least
// minFigureShare of the text's width, its smallest text at least
// minPrintedPoints once printed.
const (
	minFigureShare   = 0.9
	minPrintedPoints = 7
	// footerPoints is the size of the page footer ("Page 3 of 21"),
	// report.css's @page rule: the printed text of known size that the
	// figures' text is measured against.
	footerPoints = 7.5
)

// TestHealthFiguresPrint prints report.html of a social-view run to A4
// with headless Chromium and measures each health-economics figure (the
// cost-effectiveness planes, the acceptability curves, EVPI, EVPPI) on
// the PDF: one figure a page (no page holds two of them), each figure at
// least minFigureShare of the text's width and its smallest text (its
// ticks, its key) at least minPrintedPoints printed. A figure's printed
// scale is the height pdftotext gives its title's first word over that of
// the footer's "Page", times the footer's size over the title's: the
// figures' SVG and the page are set in the same font, Liberation Sans.
//
// It runs in the long tier: a social run, Chromium and poppler.
func TestHealthFiguresPrint(t *testing.T) {
	skipUnlessLong(t, "a social run printed by Chromium")
	printtest.Tool(t, "pdftotext")
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	bctx, stderr := printtest.Browser(t, ctx, "prints report.html")
	out := t.TempDir()
	args := []string{"run", "--view", "social", "--draws", "8", "--years", "200", "--decision-draws", "500", "--quiet", "-o", out}
	mustSucceed(t, cybercba(t, args...), args)
	url := "file://" + filepath.ToSlash(filepath.Join(out, "report.html"))
	if err := chromedp.Do(bctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.ID("recommendation"))); err != nil {
		t.Fatalf("loading %s in Chromium: %v\n%s", url, err, stderr.String())
	}
	// Each health figure: its id, its title's first line (its largest
	// text), its caption's first words, its width in points and its
	// largest and smallest text in points, unscaled.
	type figure struct {
		ID, Title, Caption string
		Width, Largest     float64
		Smallest           float64
	}
	figs, err := chromedp.Run(bctx, chromedp.Evaluate[[]figure](
		`Array.from(document.querySelectorAll("figure")).filter(f => /^fig-(ce-plane|ceac|evpi|evppi|budget-acceptability)/.test(f.id)).map(f => {
			const svg = f.querySelector("svg");
			const size = e => parseFloat(getComputedStyle(e).fontSize) || 0;
			const texts = Array.from(svg.querySelectorAll("text")).filter(e => e.textContent.trim() !== "").sort((a, b) => size(b) - size(a));
			return {ID: f.id, Title: texts[0].textContent, Caption: f.querySelector("figcaption").innerText.split(/\s+/).slice(0, 8).join(" "),
				Width: svg.viewBox.baseVal.width, Largest: size(texts[0]), Smallest: size(texts[texts.length - 1])};
		})`))
	if err != nil {
		t.Fatalf("reading the figures: %v", err)
	}
	if len(figs) < 4 {
		t.Fatalf("report.html has %d health-economics figures (%v); want the planes, acceptability, EVPI and EVPPI", len(figs), figs)
	}
	pdf, err := printtest.PrintA4(bctx)
	if err != nil {
		t.Fatalf("printing to PDF: %v", err)
	}
	keep := os.Getenv("CYBERCBA_BROWSER_OUT")
	if keep == "" {
		keep = t.TempDir()
	}
	pdfPath := filepath.Join(keep, "report-social.pdf")
	if err := os.WriteFile(pdfPath, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	pages := printtest.Text(t, pdfPath, false)
	t.Logf("report.html of the social view prints to %d A4 pages (%s)", len(pages), pdfPath)
	flat := func(s string) string { return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u2060", "")), " ") }
	onPage := map[int][]string{}
	for _, f := range figs {
		p := -1
		for i, page := range pages {
			if strings.Contains(flat(page), flat(f.Title)) && strings.Contains(flat(page), flat(f.Caption)) {
				p = i
				break
			}
		}
		if p < 0 {
			t.Errorf("%s: no page holds both its title %q and its caption %q", f.ID, f.Title, f.Caption)
			continue
		}
		onPage[p] = append(onPage[p], f.ID)
		words, width, _ := printtest.PageWords(t, pdfPath, p+1)
		first := strings.Fields(f.Title)[0]
		var title, footer printtest.Word
		left := width
		for _, w := range words {
			if w.Text == first && w.Height() > title.Height() {
				title = w
			}
			if w.Text == "Page" && w.YMin > footer.YMin {
				footer = w
			}
			left = min(left, w.XMin)
		}
		if title.Height() == 0 || footer.Height() == 0 {
			t.Errorf("%s: page %d has no word %q of its title, or no footer", f.ID, p+1, first)
			continue
		}
		scale := title.Height() / footer.Height() * footerPoints / f.Largest
		text := width - 2*left // the margins are even
		share := scale * f.Width / text
		small := scale * f.Smallest
		t.Logf("%s: page %d, %.0f%% of the text's width, smallest text %.1f pt printed", f.ID, p+1, 100*share, small)
		if share < minFigureShare {
			t.Errorf("%s prints %.0f%% of the text's width; want at least %.0f%%", f.ID, 100*share, 100*minFigureShare)
		}
		if small < minPrintedPoints {
			t.Errorf("%s: its smallest text (%.0f pt in the figure) prints at %.1f pt; want at least %d", f.ID, f.Smallest, small, minPrintedPoints)
		}
	}
	for p, ids := range onPage {
		if len(ids) > 1 {
			t.Errorf("page %d holds %d health-economics figures %v; want one a page", p+1, len(ids), ids)
		}
	}
}
