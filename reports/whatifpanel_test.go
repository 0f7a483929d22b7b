package reports

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"

	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports/format"
)

// panelScript reports whether n is one of the what-if panel's two script
// elements: its data (not run) or its program, inside the panel.
func panelScript(n *html.Node) bool {
	if n.Parent == nil || attr(n.Parent, "id") != "whatif" {
		return false
	}
	if attr(n, "type") == "application/json" {
		return attr(n, "id") == "whatif-data"
	}
	return attr(n, "src") == "" && n.FirstChild != nil && n.FirstChild.Data == whatIfScript
}

// panelOf returns the what-if panel's data as the page embeds it.
func panelOf(t *testing.T, doc *html.Node) panelData {
	t.Helper()
	el := byID(doc, "whatif-data")
	if el == nil || el.FirstChild == nil {
		t.Fatal("no what-if data in the page")
	}
	var d panelData
	if err := json.Unmarshal([]byte(el.FirstChild.Data), &d); err != nil {
		t.Fatalf("the what-if data is not JSON: %v", err)
	}
	return d
}

// panelColumn returns column c's draws from the panel's data.
func panelColumn(t *testing.T, d panelData, c panelCol) []float64 {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(d.Draws)
	if err != nil {
		t.Fatalf("the what-if draws are not base64: %v", err)
	}
	v := make([]float64, d.N)
	for i := range v {
		v[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*(c.At+i):]))
	}
	return v
}

// TestWhatIfPanelPage checks the panel of each kind of run as a reader
// without scripts sees it, and as a browser's security policy does: its
// data and program are in the page, the program is the one the page's
// Content-Security-Policy allows by hash and fetches nothing, the
// controls are hidden until the program shows them, and the figures are
// there as text: the recommendation's exact expected NPV, its 90%
// interval and P(NPV > 0) across the workbook's draws (the k-th smallest,
// as the What-if sheet takes them), and in the social view its deaths.
func TestWhatIfPanelPage(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		get  func() (*Report, error)
	}{
		{"typical", typical}, {"none recommended", noneRecommended}, {"social", social}, {"sensitivity", sensitive},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := report(t, tt.get)
			doc, page := writePage(t, r)
			panel := byID(doc, "whatif")
			if panel == nil {
				t.Fatal("no what-if panel")
			}
			d := panelOf(t, doc)

			// The program: the page's only script, allowed by its hash.
			var scripts []*html.Node
			csp := ""
			walk(doc, func(n *html.Node) {
				switch {
				case n.Data == "script":
					scripts = append(scripts, n)
				case n.Data == "meta" && strings.EqualFold(attr(n, "http-equiv"), "Content-Security-Policy"):
					csp = attr(n, "content")
				}
			})
			if len(scripts) != 2 || !panelScript(scripts[0]) || !panelScript(scripts[1]) {
				t.Fatalf("%d script elements; want the panel's data and program", len(scripts))
			}
			h := sha256.Sum256([]byte(scripts[1].FirstChild.Data))
			if want := "script-src 'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"; !strings.Contains(csp, want) {
				t.Errorf("the page's policy %q does not allow the panel's program (%s)", csp, want)
			}
			if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline'; script") || strings.Contains(csp, "'unsafe-eval'") {
				t.Errorf("the page's policy %q: want default-src 'none' and the program allowed by its hash alone", csp)
			}
			for _, bad := range []string{"http:", "https:", "fetch(", "XMLHttpRequest", "WebSocket", "import(", "eval(", "Function(", "innerHTML", "document.write", "src"} {
				if strings.Contains(whatIfScript, bad) {
					t.Errorf("the panel's program contains %q: it must fetch nothing and write no markup", bad)
				}
			}
			if strings.Count(page, "<script") != 2 {
				t.Errorf("the page has %d <script tags; want 2", strings.Count(page, "<script"))
			}

			// Scripts off: the controls hidden, the figures as text.
			walk(panel, func(n *html.Node) {
				if n.Data == "input" || n.Data == "button" {
					for p := n.Parent; p != panel; p = p.Parent {
						if _, live := attrOK(p, "data-live"); live {
							if _, hidden := attrOK(p, "hidden"); !hidden {
								t.Errorf("<%s> in a live block that is not hidden", n.Data)
							}
							return
						}
					}
					t.Errorf("<%s> outside the blocks shown only with scripting", n.Data)
				}
			})
			boxes := 0
			walk(panel, func(n *html.Node) {
				if n.Data != "input" || attr(n, "type") != "checkbox" {
					return
				}
				boxes++
				c, err := strconv.Atoi(attr(n, "data-control"))
				if err != nil || c < 0 || c >= len(r.Model.Controls) {
					t.Errorf("a toggle's data-control = %q", attr(n, "data-control"))
					return
				}
				_, checked := attrOK(n, "checked")
				if in := slices.Contains(recommended(r), c); checked != in {
					t.Errorf("%s's toggle checked = %v; want %v (preset to the recommendation)", r.Model.Controls[c].ID, checked, in)
				}
			})
			if boxes != len(r.Model.Controls) {
				t.Errorf("%d toggles; want one per control (%d)", boxes, len(r.Model.Controls))
			}

			cur := currencyOf(r)
			a := r.Analysis.Appraisal
			exp := model.ClosedFormAppraisal(r.Model, a, recommended(r))
			tb, err := sheetDraws(r)
			if err != nil {
				t.Fatal(err)
			}
			npvs := slices.Sorted(slices.Values(tb.DecisionNPV[0]))
			lo, hi := int(math.Ceil(0.05*float64(tb.Draws))), int(math.Ceil(0.95*float64(tb.Draws)))
			pos := 0
			for _, x := range npvs {
				if x > 0 {
					pos++
				}
			}
			if d.N != tb.Draws || d.Lo != lo || d.Hi != hi || tb.Draws < sheetDrawsMin {
				t.Errorf("panel: %d draws, ranks %d and %d; want %d (at least %d), %d and %d", d.N, d.Lo, d.Hi, tb.Draws, sheetDrawsMin, lo, hi)
			}
			join := func(s string) string { return strings.ReplaceAll(s, "\u2212", "\u2212"+wordJoiner) }
			want := map[string]string{
				"wi-npv": cur.text(exp.DecisionNPV), "wi-rec": cur.text(exp.DecisionNPV), "wi-beats": "no: the same expected NPV",
				"wi-int": cur.interval(npvs[lo-1], npvs[hi-1]), "wi-p": pctText(float64(pos) / float64(len(npvs))),
			}
			if r.Model.Harm != nil {
				want["wi-deaths"], want["wi-basedeaths"] = format.Number(exp.Deaths), format.Number(exp.BaselineDeaths)
			} else if byID(doc, "wi-deaths") != nil {
				t.Error("deaths shown without the social view's inputs")
			}
			for id, w := range want {
				el := byID(doc, id)
				if el == nil {
					t.Errorf("no #%s", id)
					continue
				}
				if got := textOf(el); got != join(w) {
					t.Errorf("#%s = %q; want %q", id, got, join(w))
				}
			}
			if exp.DecisionNPV != 0 && !relClose(exp.DecisionNPV, headlineNPV(r)) {
				t.Errorf("panel's expected NPV %g; the decision summary's %g", exp.DecisionNPV, headlineNPV(r))
			}
		})
	}
}

// attrOK returns an attribute's value and whether it is present.
func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// headlineNPV is the expected NPV the decision summary shows for the
// recommendation (0 when there is none).
func headlineNPV(r *Report) float64 {
	if _, res, _ := recommendation(r); res != nil {
		return res.DecisionNPV.Mean
	}
	return 0
}

// TestWhatIfPanelDraws checks that the panel carries the workbook's live
// model as the workbook stores it: every input column of the Draws sheet,
// by its header, with the same values in every draw and the same central
// value in the run, bit for bit, and no other column.
func TestWhatIfPanelDraws(t *testing.T) {
	t.Parallel()
	eachView(t, func(t *testing.T, r *Report) {
		doc, _ := writePage(t, r)
		d := panelOf(t, doc)
		f, _ := openBook(t, r)
		rs := rows(t, f, SheetDraws)
		head := rs[drHead-1]
		// The input columns run from B to the first formula column (a
		// threat's multiplier m_f).
		last := slices.IndexFunc(head, func(h string) bool { return strings.HasSuffix(h, " m_f") })
		if last < 0 {
			t.Fatal("no formula columns on the Draws sheet")
		}
		var names []string
		for _, c := range d.Cols {
			names = append(names, c.Name)
		}
		if !slices.Equal(names, head[1:last]) {
			t.Fatalf("the panel's columns %q; the Draws sheet's %q", names, head[1:last])
		}
		if len(rs) != drawRow0-1+d.N {
			t.Errorf("the Draws sheet has %d draws; the panel %d", len(rs)-drawRow0+1, d.N)
		}
		for i, c := range d.Cols {
			col := i + 1
			if run := number(t, c.Name+" run", rs[drRun-1][col]); run != c.Run {
				t.Errorf("%s: central in the run %v on the sheet, %v in the panel", c.Name, run, c.Run)
			}
			if c.At < 0 {
				if c.Run != 0 {
					t.Errorf("%s: no draws in the panel, though its central value is %v", c.Name, c.Run)
				}
				continue
			}
			v := panelColumn(t, d, c)
			for k := range d.N {
				if s := number(t, c.Name, rs[drawRow0-1+k][col]); s != v[k] {
					t.Errorf("%s, draw %d: %v on the sheet, %v in the panel", c.Name, k+1, s, v[k])
					break
				}
			}
		}
	})
}

// TestSheetFloat checks sheetFloat against excelize's own writing of a
// number: the value read back from a workbook.
func TestSheetFloat(t *testing.T) {
	t.Parallel()
	for _, x := range []float64{0, 1, -1, 0.1, 1.0 / 3, 2.0 / 3 * 1e8, 232158916.81357512, 1e-20 / 3, 123456789012345678, -987654321.123456789, math.Pi * 1e15, math.MaxFloat64} {
		s := formatCellFloatTest(x)
		want, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%v: %v", x, err)
		}
		if got := sheetFloat(x); got != want {
			t.Errorf("sheetFloat(%v) = %v; the workbook holds %s", x, got, s)
		}
	}
}

// formatCellFloatTest returns x as a workbook written by excelize's
// stream writer holds it.
func formatCellFloatTest(x float64) string {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		panic(err)
	}
	if err := sw.SetRow("A1", []any{x}); err != nil {
		panic(err)
	}
	if err := sw.Flush(); err != nil {
		panic(err)
	}
	s, err := f.GetCellValue("Sheet1", "A1", raw)
	if err != nil {
		panic(err)
	}
	return s
}
