package reports

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// writePage writes a report's page, failing the test on an error.
func writePage(t *testing.T, r *Report) (*html.Node, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r, nil); err != nil {
		t.Fatalf("WriteHTML: %v", err)
	}
	doc, err := html.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("parsing report.html: %v", err)
	}
	return doc, buf.String()
}

// walk calls f on every element node under n.
func walk(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

// attr returns an attribute's value, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// textOf returns the text under n, with runs of space collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// byID returns the element with the id, or nil.
func byID(doc *html.Node, id string) *html.Node {
	var found *html.Node
	walk(doc, func(n *html.Node) {
		if found == nil && attr(n, "id") == id {
			found = n
		}
	})
	return found
}

// cssURL matches a url(...) in CSS that is not a data: URL.
var cssURL = regexp.MustCompile(`url\(\s*["']?([^)"']*)`)

// TestWriteHTML checks the page of each kind of run: self-contained (no
// script but the what-if panel's, nothing to fetch, a policy that forbids
// fetching), accessible (a language, one h1, figures with alt text, tables
// with captions and column headers), with the sections the run calls for, and the decision
// summary stating the recommendation in the figures the other outputs use.
func TestWriteHTML(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		get      func() (*Report, error)
		sections []string
		absent   []string
	}{
		{"typical", typical, nil, []string{"social", "portfolio", "sensitivity"}},
		{"none recommended", noneRecommended, nil, []string{"social", "portfolio", "sensitivity"}},
		{"social", social, []string{"social"}, []string{"portfolio", "sensitivity"}},
		{"sensitivity", sensitive, []string{"sensitivity"}, []string{"social", "portfolio"}},
		{"portfolio", chosenNPV, []string{"portfolio"}, []string{"social", "sensitivity"}},
		{"empty portfolio", chosenEmpty, []string{"portfolio"}, []string{"social", "sensitivity"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := report(t, tt.get)
			doc, page := writePage(t, r)
			cur := currencyOf(r)

			var h1, svgs, tables int
			csp := false
			walk(doc, func(n *html.Node) {
				switch n.Data {
				case "html":
					if attr(n, "lang") == "" {
						t.Error("<html> has no lang")
					}
				case "h1":
					h1++
				case "script":
					if !panelScript(n) {
						t.Error("page has a <script> that is not the what-if panel's")
					}
				case "link", "img", "iframe", "object", "embed", "base", "form":
					t.Errorf("page has a <%s> element", n.Data)
				case "meta":
					if strings.EqualFold(attr(n, "http-equiv"), "Content-Security-Policy") {
						csp = strings.Contains(attr(n, "content"), "default-src 'none'")
					}
				case "svg":
					svgs++
					if attr(n, "role") != "img" || attr(n, "aria-label") == "" {
						t.Errorf("an <svg> lacks role=img or alt text: %v", n.Attr)
					}
				case "table":
					tables++
					var caption, thead bool
					for c := n.FirstChild; c != nil; c = c.NextSibling {
						caption = caption || c.Data == "caption" && textOf(c) != ""
						thead = thead || c.Data == "thead"
					}
					if !caption {
						t.Errorf("a table has no caption: %.80s", textOf(n))
					}
					if !thead && !strings.Contains(attr(n, "class"), "kv") {
						t.Errorf("a table has no header row: %.80s", textOf(n))
					}
				}
				for _, a := range n.Attr {
					switch a.Key {
					case "src", "xlink:href", "action", "poster", "srcset", "data":
						if !strings.HasPrefix(a.Val, "data:") {
							t.Errorf("<%s %s=%q> would be fetched", n.Data, a.Key, a.Val)
						}
					case "href":
						if n.Data != "a" {
							t.Errorf("<%s href=%q> would be fetched", n.Data, a.Val)
						}
					}
				}
			})
			if !csp {
				t.Error("no Content-Security-Policy forbidding fetches")
			}
			if h1 != 1 {
				t.Errorf("%d h1 elements; want 1", h1)
			}
			figs, err := Figures(r)
			if err != nil {
				t.Fatal(err)
			}
			if svgs != len(figs) {
				t.Errorf("%d inline figures; want %d, one per figure", svgs, len(figs))
			}
			for _, m := range cssURL.FindAllStringSubmatch(page, -1) {
				if !strings.HasPrefix(m[1], "data:") {
					t.Errorf("CSS would fetch %q", m[1])
				}
			}
			for _, id := range append([]string{"decision", "recommendation", "ranking", "losses", "calibration", "assumptions", "inputs", "sources", "provenance"}, tt.sections...) {
				if byID(doc, id) == nil {
					t.Errorf("no element with id %q", id)
				}
			}
			for _, id := range tt.absent {
				if byID(doc, id) != nil {
					t.Errorf("section %q present; this run has none", id)
				}
			}

			rec := textOf(byID(doc, "recommendation"))
			ids, res, _ := recommendation(r)
			if len(ids) == 0 {
				if !strings.Contains(rec, "Fund none") {
					t.Errorf("recommendation %q; want it to fund none", rec)
				}
			}
			for _, id := range ids {
				if !strings.Contains(rec, id+" ") {
					t.Errorf("recommendation %q lacks control %s", rec, id)
				}
			}
			if res != nil {
				for _, want := range []string{cur.text(res.DecisionNPV.Mean), cur.text(res.DecisionNPV.Lo) + " to " + cur.text(res.DecisionNPV.Hi), cur.text(res.EAC.Mean)} {
					if !strings.Contains(rec, want) {
						t.Errorf("recommendation %q lacks %q", rec, want)
					}
				}
			}
			summary := textOf(byID(doc, "decision"))
			base := r.Analysis.Baseline
			for _, want := range []string{cur.text(base.ALE), cur.text(base.P95), cur.text(r.Analysis.GordonLoeb), cur.text(r.Calibration.Target)} {
				if !strings.Contains(summary, want) {
					t.Errorf("decision summary lacks %q", want)
				}
			}
			for _, s := range r.Sources {
				if src := byID(doc, "src-"+s.ID); src == nil || !strings.Contains(textOf(src), s.Title) {
					t.Errorf("source %s is not listed with its title", s.ID)
				}
			}
			if inputs := byID(doc, "inputs"); inputs != nil {
				rows := 0
				walk(inputs, func(n *html.Node) {
					if n.Data == "tr" && n.Parent.Data == "tbody" {
						rows++
					}
				})
				if rows != len(r.Inputs) {
					t.Errorf("inputs table has %d rows; want %d", rows, len(r.Inputs))
				}
			}
			prov := textOf(byID(doc, "provenance"))
			for _, want := range []string{r.Settings.InputsDigest, "2026-01-02T03:04:05Z", thousands(r.Analysis.Sim.Draws) + " outer draws"} {
				if !strings.Contains(prov, want) {
					t.Errorf("provenance lacks %q", want)
				}
			}
		})
	}
}

// TestHTMLSensitivitySwing checks that with a sensitivity analysis the
// sensitivity section gives the input with the largest swing, and that
// without the decision's sentences (Report.Explain) no weak point is made
// up: every output says the one sentence a run gives (sentences.go).
func TestHTMLSensitivitySwing(t *testing.T) {
	t.Parallel()
	r := report(t, sensitiveAll)
	doc, _ := writePage(t, r)
	cur := currencyOf(r)
	top := r.Sensitivity.Tornado.Bars[0]
	if !strings.Contains(textOf(byID(doc, "sensitivity")), cur.text(top.Swing())) {
		t.Errorf("sensitivity section lacks the top swing %s", cur.text(top.Swing()))
	}
	if weak := textOf(byID(doc, "decision")); strings.Contains(weak, "leans most on") || strings.Contains(weak, "Weak point of") {
		t.Errorf("a weak point sentence not from the run's sentences:\n%s", weak)
	}
}

// TestHTMLBadReport checks that a report lacking its analysis is an error,
// and nothing is written.
func TestHTMLBadReport(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, &Report{}, nil); err == nil || buf.Len() > 0 {
		t.Errorf("WriteHTML(empty report) = %v, %d bytes; want an error and nothing written", err, buf.Len())
	}
}

// TestWriteBatchHTML checks a batch's page: self-contained, a comparison
// first with a row and a section per scenario that ran, the problems of
// those that did not, and every amount as the workbook's notes write it.
func TestWriteBatchHTML(t *testing.T) {
	t.Parallel()
	b := testBatch()
	var buf bytes.Buffer
	if err := WriteBatchHTML(&buf, b); err != nil {
		t.Fatalf("WriteBatchHTML: %v", err)
	}
	doc, err := html.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var svgs int
	walk(doc, func(n *html.Node) {
		switch n.Data {
		case "script", "link", "img", "iframe", "object":
			t.Errorf("page has a <%s> element", n.Data)
		case "svg":
			svgs++
			if attr(n, "aria-label") == "" {
				t.Error("the figure has no alt text")
			}
		}
	})
	if svgs != 1 {
		t.Errorf("%d figures; want the comparison figure", svgs)
	}
	cmp := byID(doc, "comparison")
	if cmp == nil {
		t.Fatal("no comparison section")
	}
	text := textOf(cmp)
	cur := b.currency()
	for _, r := range b.Rows {
		if byID(doc, "scenario-"+fmt.Sprint(r.Index)) == nil {
			t.Errorf("no section for scenario %d %q", r.Index, r.Name)
		}
		for _, want := range []string{r.Name, withSE(cur, r.ALE, r.ALESE)} {
			if !strings.Contains(text, strings.Join(strings.Fields(want), " ")) {
				t.Errorf("comparison lacks %q", want)
			}
		}
	}
	if !strings.Contains(text, "4 of 5 scenarios ran; 1 could not run") {
		t.Errorf("comparison summary %q; want 4 of 5 ran", textOf(byID(doc, "recommendation")))
	}
	// Row 2 recommends its portfolio, not its best single control.
	if !strings.Contains(text, "C1+C2") || !strings.Contains(text, cur.text(3e6)) {
		t.Error("the budget scenario's recommendation is not its portfolio (C1+C2, NPV £3m)")
	}
	errs := textOf(byID(doc, "errors"))
	for _, e := range b.Errors {
		if !strings.Contains(errs, e.Cell) || !strings.Contains(errs, e.Msg) {
			t.Errorf("errors section lacks %s: %s", e.Cell, e.Msg)
		}
	}
	if prov := textOf(byID(doc, "provenance")); !strings.Contains(prov, b.Digest) || !strings.Contains(prov, "2017") {
		t.Errorf("provenance lacks the digest or seed: %s", prov)
	}
}

// BenchmarkWriteHTML writes report.html of the benchmarks' run of
// 1,000,000 simulated years, its figures built beforehand (as the command
// builds them once for the files and the page): the figures drawn as
// inline SVG, and the tables.
func BenchmarkWriteHTML(b *testing.B) {
	r := report(b, bigReport)
	figs, err := Figures(r)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteHTML(io.Discard, r, figs); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSVGFontSurgery checks fontFaces and cutDefs against the regular
// expressions they replace, on an SVG shaped as vgsvg writes one with
// embedded fonts, and on one without.
func TestSVGFontSurgery(t *testing.T) {
	t.Parallel()
	face := regexp.MustCompile(`(?s)@font-face\{.*?\n\t\t\}`)
	defs := regexp.MustCompile(`(?s)<defs>\s*<style>.*?</style>\s*</defs>\s*`)
	for _, svg := range []string{
		"<?xml?>\n<svg w=\"1\">\n<defs>\n\t<style>\n\t\t@font-face{\n\t\t\tfont-family:A;src:url(data:AAAA);\n\t\t}\n\t\t@font-face{\n\t\t\tfont-family:B;\n\t\t}\n\t</style>\n</defs>\n<g><text>x</text></g></svg>",
		"<svg><defs><clipPath id=\"c\"/></defs><g/></svg>",
		"<svg><g/></svg>",
	} {
		if got, want := fontFaces(svg), face.FindAllString(svg, -1); !slices.Equal(got, want) {
			t.Errorf("fontFaces = %q; want %q", got, want)
		}
		if got, want := cutDefs(svg), defs.ReplaceAllString(svg, ""); got != want {
			t.Errorf("cutDefs = %q; want %q", got, want)
		}
	}
}
