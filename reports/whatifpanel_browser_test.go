package reports

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports/format"
	"github.com/cybercba/cybercba/reports/printtest"
)

// nhsReport returns the report of a small run of the default dataset in
// view, as the command builds it (model.Decide, then the report).
func nhsReport(t *testing.T, view string) *Report {
	t.Helper()
	job := defaultJob(t, func(spec *data.RunSpec) {
		spec.Draws, spec.Years, spec.View = 20, 200, view
	})
	j := NewRun(job, "test", "")
	d, err := model.Decide(t.Context(), j.Model, j.DecideOptions(false, 0))
	if err != nil {
		t.Fatal(err)
	}
	return j.Report(d)
}

// panelFigures are the what-if panel's figures as the page shows them:
// each output's text, and its number as the script computed it.
type panelFigures map[string][4]string // id → text, data-v, data-lo, data-hi

// readPanel reads the panel's figures in the browser.
func readPanel(ctx context.Context) (panelFigures, error) {
	got, err := chromedp.Run(ctx, chromedp.Evaluate[map[string][]string](`(() => {
		const out = {};
		document.querySelectorAll("#whatif-figures td[id]").forEach(td => {
			out[td.id] = [td.textContent, td.getAttribute("data-v") || "", td.getAttribute("data-lo") || "", td.getAttribute("data-hi") || ""];
		});
		return out;
	})()`))
	f := panelFigures{}
	for id, v := range got {
		f[id] = [4]string{v[0], v[1], v[2], v[3]}
	}
	return f, err
}

// num parses a figure's number.
func (f panelFigures) num(t *testing.T, id string, k int) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(f[id][k], 64)
	if err != nil {
		t.Fatalf("#%s: number %q: %v", id, f[id][k], err)
	}
	return x
}

// scaleInput returns m with the input at ref scaled by k (its interval's
// ends, and so its mean and every draw of it, in proportion): the edit of
// a central value as the What-if and Draws sheets make it.
func scaleInput(t *testing.T, m *model.Model, ref model.InputRef, k float64) *model.Model {
	t.Helper()
	mm := *m
	mm.Threats = slices.Clone(m.Threats)
	mm.Controls = slices.Clone(m.Controls)
	sc := func(e *model.Estimate) { e.Lo, e.Hi = e.Lo*k, e.Hi*k }
	switch ref.Kind {
	case "threat":
		th := &mm.Threats[mm.ThreatIndex(ref.ID)]
		switch ref.Key {
		case "rate":
			sc(&th.Rate)
		case "spread":
			sc(&th.Spread)
		case "duration":
			sc(&th.Duration)
		case "fixed":
			sc(&th.Fixed)
		default:
			t.Fatalf("scaleInput: threat field %q not supported by this test", ref.Key)
		}
	case "control":
		c := &mm.Controls[mm.ControlIndex(ref.ID)]
		switch ref.Key {
		case "capex":
			sc(&c.Capex)
		case "opex":
			sc(&c.Opex)
		default:
			t.Fatalf("scaleInput: control field %q not supported by this test", ref.Key)
		}
	default:
		t.Fatalf("scaleInput: input kind %q not supported by this test", ref.Kind)
	}
	return &mm
}

// workbookCell returns the What-if sheet's row key (a threat's or
// control's ID in column A) and column of the central value under a
// panel key, for the same edit in the workbook.
func workbookCell(t *testing.T, cen model.Central, key string) [2]string {
	t.Helper()
	p := strings.Split(key, ".")
	i, _ := strconv.Atoi(p[1])
	switch {
	case p[0] == "t" && len(p) == 3:
		col := map[string]int{"0": twRate, "1": twSpread, "3": twDur, "4": twFixed}[p[2]]
		if col != 0 {
			return [2]string{cen.Threats[i].ID, colName(col)}
		}
	case p[0] == "c" && len(p) == 3:
		return [2]string{cen.Controls[i].ID, colName([]int{cwCapex, cwOpex, cwUplift}[p[2][0]-'0'])}
	}
	t.Fatalf("workbookCell: key %q not supported by this test", key)
	return [2]string{}
}

// TestWhatIfPanelInBrowser opens report.html in headless Chromium, in the
// financial and the social view of the default dataset, and checks the
// what-if panel against independent computations of the same change:
//
//   - untouched, its figures are the page's static text (what a reader
//     with scripts off sees), and its expected NPV the decision summary's;
//   - with N4 toggled (a click) and the weak point's slider moved (R-C1's
//     running cost to £20m in the financial view, S2's organisations
//     disrupted per event up a quarter in the social view), its expected
//     NPV, the recommendation's and the difference equal the model's
//     closed form given the same edit as inputs (the input's interval
//     scaled so that its mean is the new value), to 1e-9 relative; its
//     90% interval and P(NPV > 0) equal the model's draws of the edited
//     inputs (model.Tabulate, the Draws sheet's source) by the sheet's
//     rule, the interval to 1e-9 and P exactly; in the social view its
//     deaths a year the closed form's;
//   - and, with LibreOffice installed, the same edit made in report.xlsx
//     and recalculated there gives the same figures: the page and the
//     workbook agree;
//   - with scripts off the panel shows its figures and no controls.
//
// It starts Chromium (and LibreOffice): long tier.
func TestWhatIfPanelInBrowser(t *testing.T) {
	if os.Getenv("CYBERCBA_LONG") == "" {
		t.Skip("long tier (starts Chromium and LibreOffice): set CYBERCBA_LONG=1 to run it, as .ci/run does")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()
	bctx, stderr := printtest.Browser(t, ctx, "runs report.html's what-if panel")
	soffice, _ := exec.LookPath("soffice")
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting Chromium (%s): %v\n%s", printtest.Chromium(), err, stderr.String())
	}

	type edited struct {
		view      string
		page      panelFigures
		npv, p    float64
		lo, hi    float64
		book      []byte
		cellEdits map[[2]string]any
	}
	var results []edited
	for _, view := range []string{"financial", "social"} {
		r := nhsReport(t, view)
		m, a := r.Model, r.Analysis.Appraisal
		dir := t.TempDir()
		var page bytes.Buffer
		if err := WriteHTML(&page, r, nil); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "report.html")
		if err := os.WriteFile(path, page.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		doc, err := html.Parse(bytes.NewReader(page.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		d := panelOf(t, doc)
		if len(d.Sliders) == 0 {
			t.Fatalf("%s: the panel has no slider", view)
		}
		tctx, cancelTab := chromedp.NewContext(bctx)
		url := "file://" + filepath.ToSlash(path)
		if err := chromedp.Do(tctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS(`#whatif[data-ready="1"]`))); err != nil {
			t.Fatalf("%s: loading %s: %v\n%s", view, url, err, stderr.String())
		}

		// Untouched: the static figures, recomputed.
		before, err := readPanel(tctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"wi-set", "wi-npv", "wi-rec", "wi-beats", "wi-int", "wi-p", "wi-deaths", "wi-basedeaths"} {
			el := byID(doc, id)
			if el == nil {
				if _, ok := before[id]; ok {
					t.Errorf("%s: #%s in the browser, not in the page", view, id)
				}
				continue
			}
			if static := textOf(el); before[id][0] != static {
				t.Errorf("%s: untouched #%s = %q in the browser; the page's text is %q", view, id, before[id][0], static)
			}
		}
		rec := recommended(r)
		if x, want := before.num(t, "wi-npv", 1), model.ClosedFormAppraisal(m, a, rec).DecisionNPV; !relClose(x, want) {
			t.Errorf("%s: untouched expected NPV %.15g; the closed form %.15g", view, x, want)
		}

		// The change: N4 toggled, the weak point's slider moved.
		cen := model.Centrals(m, a)
		n4 := slices.IndexFunc(cen.Controls, func(c model.CentralControl) bool { return c.ID == "N4" })
		set := slices.Clone(rec)
		if i := slices.Index(set, n4); i >= 0 {
			set = slices.Delete(set, i, i+1)
		} else {
			set = append(set, n4)
			slices.Sort(set)
		}
		wp := r.Decision.WeakPoint
		key := d.Sliders[0]
		if key != panelKey(cen, wp.Input.Ref) {
			t.Fatalf("%s: the first slider edits %s; want the weak point %s", view, key, wp.Name)
		}
		central, _ := panelValue(&d, key)
		target := central * 1.25
		if view == "financial" {
			target = 20e6
		}
		if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[data-control="%d"]`, n4)))); err != nil {
			t.Fatal(err)
		}
		x, err := chromedp.Run(tctx, chromedp.Evaluate[float64](fmt.Sprintf(
			`(() => { const s = document.getElementById("wi-input-0"); s.value = %q; s.dispatchEvent(new Event("input")); return parseFloat(s.value); })()`, jsNumber(target))))
		if err != nil {
			t.Fatal(err)
		}
		if x != target {
			t.Fatalf("%s: the slider took %v; want %v", view, x, target)
		}
		after, err := readPanel(tctx)
		if err != nil {
			t.Fatal(err)
		}
		// The script writes numbers as the page does (reports/format):
		// its figures, and each slider's value across its range.
		cur := currencyOf(r)
		join := func(s string) string { return strings.ReplaceAll(s, "\u2212", "\u2212"+wordJoiner) }
		written := map[string]string{
			"wi-npv": cur.text(after.num(t, "wi-npv", 1)), "wi-rec": cur.text(after.num(t, "wi-rec", 1)),
			"wi-int": cur.interval(after.num(t, "wi-int", 2), after.num(t, "wi-int", 3)), "wi-p": pctText(after.num(t, "wi-p", 1)),
		}
		if by := after.num(t, "wi-beats", 1); by > 0 {
			written["wi-beats"] = "yes, by " + cur.text(by)
		} else if by < 0 {
			written["wi-beats"] = "no, it falls short by " + cur.text(-by)
		}
		if m.Harm != nil {
			written["wi-deaths"] = format.Number(after.num(t, "wi-deaths", 1))
		}
		for id, w := range written {
			if after[id][0] != join(w) {
				t.Errorf("%s: #%s reads %q; the page writes %q", view, id, after[id][0], join(w))
			}
		}
		inputs := map[string]model.Input{}
		for _, in := range model.Inputs(m) {
			inputs[panelKey(cen, in.Ref)] = in
		}
		checked := 0
		for i, key := range d.Sliders {
			lohi, err := chromedp.Run(tctx, chromedp.Evaluate[[]float64](fmt.Sprintf(`(() => { const s = document.getElementById("wi-input-%d"); return [parseFloat(s.min), parseFloat(s.max)]; })()`, i)))
			if err != nil {
				t.Fatal(err)
			}
			for j := range 9 {
				v := lohi[0] + (lohi[1]-lohi[0])*float64(j)/8
				got, err := chromedp.Run(tctx, chromedp.Evaluate[[]string](fmt.Sprintf(
					`(() => { const s = document.getElementById("wi-input-%d"); s.value = %q; s.dispatchEvent(new Event("input")); return [s.value, document.getElementById("wi-slider-%d").textContent]; })()`, i, jsNumber(v), i)))
				if err != nil {
					t.Fatal(err)
				}
				// The browser may hold the value to fewer digits than asked:
				// the script writes the value the slider holds.
				v, err = strconv.ParseFloat(got[0], 64)
				if err != nil {
					t.Fatal(err)
				}
				if text, want := got[1], join(inputValue(cur, inputs[key], v)); text != want {
					t.Errorf("%s: slider %d at %v reads %q; the page writes %q", view, i, v, text, want)
				}
				checked++
			}
		}
		t.Logf("%s: %d slider values written as the page writes them", view, checked)
		cancelTab()

		// The same change as inputs to the model.
		k := target / centralOf(t, cen, key)
		mm := scaleInput(t, m, wp.Input.Ref, k)
		want, wantRec := model.ClosedFormAppraisal(mm, a, set), model.ClosedFormAppraisal(mm, a, rec)
		for _, c := range []struct {
			id   string
			want float64
		}{{"wi-npv", want.DecisionNPV}, {"wi-rec", wantRec.DecisionNPV}, {"wi-beats", want.DecisionNPV - wantRec.DecisionNPV}} {
			got := after.num(t, c.id, 1)
			if !relClose(got, c.want) {
				t.Errorf("%s: %s = %.15g in the page; the model gives %.15g", view, c.id, got, c.want)
			}
			t.Logf("%s: %s page %.15g, model %.15g (relative difference %.1e)", view, c.id, got, c.want, math.Abs(got-c.want)/math.Abs(c.want))
		}
		if m.Harm != nil {
			if got := after.num(t, "wi-deaths", 1); !relClose(got, want.Deaths) {
				t.Errorf("%s: deaths a year %.15g in the page; the model gives %.15g", view, got, want.Deaths)
			}
		}
		tb, err := model.Tabulate(mm, a, r.Analysis.Config.Seed, d.N, []model.Portfolio{set})
		if err != nil {
			t.Fatal(err)
		}
		npvs := slices.Sorted(slices.Values(tb.DecisionNPV[0]))
		pos := 0
		for _, v := range npvs {
			if v > 0 {
				pos++
			}
		}
		lo, hi, p := after.num(t, "wi-int", 2), after.num(t, "wi-int", 3), after.num(t, "wi-p", 1)
		if !relClose(lo, npvs[d.Lo-1]) || !relClose(hi, npvs[d.Hi-1]) {
			t.Errorf("%s: interval %.15g to %.15g in the page; the model's draws give %.15g to %.15g", view, lo, hi, npvs[d.Lo-1], npvs[d.Hi-1])
		}
		if pw := float64(pos) / float64(len(npvs)); p != pw {
			t.Errorf("%s: P(NPV > 0) %v in the page; the model's draws give %v", view, p, pw)
		}
		t.Logf("%s: %s, N4 toggled: page NPV %s (%s), interval %s, P %s; model's draws: %.15g to %.15g, P %v (relative differences %.1e, %.1e)",
			view, wp.Name, after["wi-npv"][0], after["wi-beats"][0], after["wi-int"][0], after["wi-p"][0], npvs[d.Lo-1], npvs[d.Hi-1], float64(pos)/float64(len(npvs)),
			math.Abs(lo-npvs[d.Lo-1])/math.Abs(npvs[d.Lo-1]), math.Abs(hi-npvs[d.Hi-1])/math.Abs(npvs[d.Hi-1]))

		// The same change in the workbook, for LibreOffice.
		var book bytes.Buffer
		if err := WriteWorkbook(&book, r); err != nil {
			t.Fatal(err)
		}
		edits := map[[2]string]any{workbookCell(t, cen, key): target, {"N4", colName(cwToggle)}: flag(slices.Contains(set, n4))}
		results = append(results, edited{view: view, page: after, npv: after.num(t, "wi-npv", 1), p: p, lo: lo, hi: hi, book: edit(t, book.Bytes(), edits), cellEdits: edits})

		// Scripts off: the figures as text, no controls.
		if view == "financial" {
			nctx, cancelNo := chromedp.NewContext(bctx)
			if err := chromedp.Do(nctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
				_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
				return err
			}), chromedp.Navigate(url), chromedp.WaitReady(chromedp.ID("whatif-figures"))); err != nil {
				t.Fatal(err)
			}
			shown, err := chromedp.Run(nctx, chromedp.Evaluate[bool](`Array.from(document.querySelectorAll("#whatif input, #whatif button")).some(e => e.offsetParent !== null)`))
			if err != nil {
				t.Fatal(err)
			}
			npvText, err := chromedp.Run(nctx, chromedp.TextContent(chromedp.ID("wi-npv")))
			if err != nil {
				t.Fatal(err)
			}
			ready, err := chromedp.Run(nctx, chromedp.Evaluate[bool](`document.getElementById("whatif").hasAttribute("data-ready")`))
			if err != nil || ready {
				t.Errorf("scripts off: the panel's program ran (%v)", err)
			}
			cancelNo()
			if shown {
				t.Error("scripts off: the panel's controls are shown")
			}
			if npvText != before["wi-npv"][0] {
				t.Errorf("scripts off: the expected NPV reads %q; want %q", npvText, before["wi-npv"][0])
			}
		}
	}
	chromedp.Cancel(bctx) // the browser closed before LibreOffice starts

	if soffice == "" {
		t.Log("LibreOffice (soffice) is not installed: the page is checked against the model, not against the recalculated workbook; .ci/run installs libreoffice-calc")
		return
	}
	books := map[string][]byte{}
	for _, e := range results {
		books[e.view] = e.book
	}
	got := recalculate(t, soffice, books)
	for _, e := range results {
		rows := whatIfRows(t, got[e.view])
		cell := func(label string) float64 { return number(t, e.view+": "+label, rows[label][1]) }
		npv, lo, hi, p := cell("NPV in the view in force"), cell("5th percentile of NPV"), cell("95th percentile of NPV"), cell("P(NPV > 0)")
		if !relClose(npv, e.npv) || !relClose(lo, e.lo) || !relClose(hi, e.hi) || p != e.p {
			t.Errorf("%s, edits %v: the page gives NPV %.15g, interval %.15g to %.15g, P %v; LibreOffice's recalculated workbook %.15g, %.15g to %.15g, P %v",
				e.view, e.cellEdits, e.npv, e.lo, e.hi, e.p, npv, lo, hi, p)
		}
		t.Logf("%s: page against LibreOffice: NPV %.1e, interval %.1e and %.1e relative; P %v and %v",
			e.view, math.Abs(npv-e.npv)/math.Abs(npv), math.Abs(lo-e.lo)/math.Abs(lo), math.Abs(hi-e.hi)/math.Abs(hi), e.p, p)
	}
}

// centralOf returns the central value under a panel key as the model has
// it (full precision).
func centralOf(t *testing.T, cen model.Central, key string) float64 {
	t.Helper()
	p := strings.Split(key, ".")
	i, _ := strconv.Atoi(p[1])
	switch {
	case p[0] == "t" && len(p) == 3:
		th := cen.Threats[i]
		if v, ok := map[string]float64{"0": th.Rate, "1": th.Spread, "3": th.Duration, "4": th.Fixed}[p[2]]; ok {
			return v
		}
	case p[0] == "c" && len(p) == 3:
		c := cen.Controls[i]
		return [3]float64{c.Capex, c.Opex, c.Uplift}[p[2][0]-'0']
	}
	t.Fatalf("centralOf: key %q not supported by this test", key)
	return 0
}
