package reports

import (
	"bytes"
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/cybercba/cybercba/model"
)

// healthy is the social report with a frontier and the health-economic
// views, as `run --view social --frontier` builds it.
var healthy = sync.OnceValues(func() (*Report, error) {
	base, err := withPortfolio(social, model.MaxNPV)()
	if err != nil {
		return nil, err
	}
	r := *base
	r.Health, err = model.AnalyseHealthEconomics(r.Analysis, r.Portfolio)
	if err != nil {
		return nil, err
	}
	return &r, nil
})

// TestHealthFigures checks that a report with the health-economic views
// has their figures, after the others, each written in every format: the
// planes (one panel per control and one for a recommended portfolio of
// several controls, the portfolio alone on the first, the controls at
// most six a figure, best first), and the acceptability figure with the
// Green Book value and NICE's range in its key. Each fits an A4 page
// with 10 mm margins at its own size, where its text is 11 pt or more.
func TestHealthFigures(t *testing.T) {
	skipUnlessLong(t, "every health-economics figure drawn")
	t.Parallel()
	r := report(t, healthy)
	figs, err := Figures(r)
	if err != nil {
		t.Fatalf("Figures: %v", err)
	}
	var names []string
	for _, f := range figs {
		names = append(names, f.Name)
	}
	first := slices.Index(names, "ce-plane")
	if first < 0 {
		t.Fatalf("Figures %q has no ce-plane", names)
	}
	var planes []Figure
	for _, f := range figs[first:] {
		if f.Name == "ce-plane" || strings.HasPrefix(f.Name, "ce-plane-") {
			planes = append(planes, f)
		}
	}
	var want []string
	for i := range planes {
		want = append(want, "ce-plane"+map[bool]string{true: "", false: "-" + strconv.Itoa(i+1)}[i == 0])
	}
	want = append(want, "ceac", "evpi", "evppi", "budget-acceptability")
	if got := names[first:]; !slices.Equal(got, want) {
		t.Fatalf("Figures ends %q; want %q", got, want)
	}
	for _, f := range figs[first:] {
		if a4W, a4H := (210-20)*vg.Millimeter, (297-20)*vg.Millimeter; f.W > a4W || f.H > a4H {
			t.Errorf("%s is %.1f × %.1f in; want it to fit A4 with 10 mm margins (%.1f × %.1f in) at its own size",
				f.Name, f.W/vg.Inch, f.H/vg.Inch, a4W/vg.Inch, a4H/vg.Inch)
		}
		for _, format := range formats {
			var buf bytes.Buffer
			if err := f.Write(&buf, format); err != nil {
				t.Fatalf("%s.Write(%s): %v", f.Name, format, err)
			}
			checkImage(t, f, format, buf.Bytes())
		}
		var csv bytes.Buffer
		if err := f.WriteCSV(&csv); err != nil {
			t.Fatalf("%s.WriteCSV: %v", f.Name, err)
		}
		if lines := bytes.Count(csv.Bytes(), []byte("\n")); lines < 3 {
			t.Errorf("%s.csv has %d lines; want a header and the figure's numbers", f.Name, lines)
		}
	}
	rec := r.Analysis.Recommended
	portfolio := rec != nil && len(rec.Portfolio) > 1
	panels := 0
	var nb []float64 // the controls' expected net benefit, panel by panel
	for i, f := range planes {
		n := 0
		for _, row := range f.tiles {
			for _, p := range row {
				if p != nil {
					n++
				}
			}
		}
		panels += n
		if n > 6 || (i == 0 && portfolio && n != 1) {
			t.Errorf("%s has %d panels; want the portfolio alone, then at most 6", f.Name, n)
		}
		seen := map[string]bool{}
		for _, row := range f.data[1:] {
			if seen[row[0]] {
				continue
			}
			seen[row[0]] = true
			for _, o := range r.Health.Options {
				if o.Name == row[0] && len(o.Controls) == 1 {
					nb = append(nb, o.NetBenefit.Mean)
				}
			}
		}
	}
	wantPanels := len(r.Model.Controls)
	if portfolio {
		wantPanels++
	}
	if panels != wantPanels {
		t.Errorf("the planes have %d panels; want %d", panels, wantPanels)
	}
	if !slices.IsSortedFunc(nb, func(a, b float64) int { return cmp.Compare(b, a) }) {
		t.Errorf("the controls' planes are not by expected net benefit, best first: %v", nb)
	}
	var keys []string
	for _, e := range figs[slices.Index(names, "ceac")].key {
		keys = append(keys, e.name)
	}
	for _, k := range []string{"NICE £20,000–£30,000 per QALY", "Green Book " + currencyOf(r).text(r.Health.ValuePerQALY) + " per QALY (" + r.PriceYear + " prices)"} {
		if !slices.Contains(keys, k) {
			t.Errorf("ceac key %q lacks %q", keys, k)
		}
	}
}

// TestHealthFiguresAbsent checks that a report without the views has none
// of their figures or sheets.
func TestHealthFiguresAbsent(t *testing.T) {
	t.Parallel()
	r := report(t, social)
	figs, err := Figures(r)
	if err != nil {
		t.Fatalf("Figures: %v", err)
	}
	for _, f := range figs {
		if strings.HasPrefix(f.Name, "ce-plane") || slices.Contains([]string{"ceac", "evpi", "evppi", "budget-acceptability"}, f.Name) {
			t.Errorf("Figures has %s without the health-economic views", f.Name)
		}
	}
	if s := sheetList(r); slices.Contains(s, sheetHealth) {
		t.Errorf("sheets %q include %s without the views", s, sheetHealth)
	}
}

// TestWorkbookHealth checks the health-economics sheets against the
// analysis: each ICER row, each acceptability row (probabilities summing to
// 1) and each draw of the plane.
func TestWorkbookHealth(t *testing.T) {
	skipUnlessLong(t, "a social workbook with its health sheets")
	t.Parallel()
	r := report(t, healthy)
	he := r.Health
	f, _ := openBook(t, r)
	list := f.GetSheetList()
	for _, s := range []string{sheetHealth, sheetAcceptability, sheetPlane} {
		if !slices.Contains(list, s) {
			t.Fatalf("workbook sheets %q lack %q", list, s)
		}
	}
	num := func(s string) float64 {
		t.Helper()
		if s == "n/a" {
			return math.NaN()
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("cell %q: %v", s, err)
		}
		return x
	}
	same := func(got string, want float64) bool {
		g := num(got)
		return (math.IsNaN(g) && math.IsNaN(want)) || math.Abs(g-want) <= 1e-9*math.Max(1, math.Abs(want))
	}
	// The ICER table follows its heading.
	rs := rows(t, f, sheetHealth)
	at := slices.IndexFunc(rs, func(row []string) bool {
		return len(row) > 0 && row[0] == "Option" && len(row) > 1 && row[1] == "Status"
	})
	if at < 0 {
		t.Fatalf("%s has no ICER table", sheetHealth)
	}
	for i, ic := range he.ICERs {
		row := rs[at+1+i]
		if row[0] != ic.Name || row[1] != string(ic.Status) || !same(row[2], ic.Cost) || !same(row[3], float64(ic.IncCost)) ||
			!same(row[4], ic.Effect) || !same(row[6], float64(ic.ICER)) {
			t.Errorf("ICER row %d = %q; want %+v", i, row, ic)
		}
	}
	ac := he.Acceptability
	rs = rows(t, f, sheetAcceptability)
	for i, l := range ac.ValuePerQALY {
		row := rs[1+i]
		if !same(row[0], l) {
			t.Fatalf("acceptability row %d value per QALY %q; want %g", i, row[0], l)
		}
		var sum float64
		for a := range he.Options {
			if !same(row[1+a], ac.Prob[a][i]) {
				t.Errorf("acceptability at %g: %s = %q; want %g", l, he.Options[a].Name, row[1+a], ac.Prob[a][i])
			}
			sum += num(row[1+a])
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Errorf("acceptability at %g sums to %g; want 1", l, sum)
		}
	}
	rs = rows(t, f, sheetPlane)
	if len(rs) != he.Draws+1 {
		t.Fatalf("%s has %d rows; want %d draws and a header", sheetPlane, len(rs), he.Draws)
	}
	for d := range he.Draws {
		for a, o := range he.Options[1:] {
			if !same(rs[1+d][1+2*a], o.CostPerYear[d]) || !same(rs[1+d][2+2*a], o.QALYsPerYear[d]) {
				t.Fatalf("%s draw %d, %s = %q, %q; want %g, %g", sheetPlane, d+1, o.Name, rs[1+d][1+2*a], rs[1+d][2+2*a], o.CostPerYear[d], o.QALYsPerYear[d])
			}
		}
	}
}

// TestHealthAltText checks that report.html describes each health figure
// in words with its numbers, not by its title alone.
func TestHealthAltText(t *testing.T) {
	t.Parallel()
	r := report(t, healthy)
	figs, err := Figures(r)
	if err != nil {
		t.Fatalf("Figures: %v", err)
	}
	for _, f := range figs {
		if _, ok := healthAlt(r, f); !ok {
			continue
		}
		if alt := altText(r, f); alt == f.Title || len(alt) < 80 {
			t.Errorf("%s alt text = %q; want a description", f.Name, alt)
		}
	}
}
