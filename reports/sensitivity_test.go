package reports

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cybercba/cybercba/data/xlsxtest"
	"github.com/cybercba/cybercba/model"
)

// TestTornadoFigure checks the tornado: after the ranking among the
// figures, titled with the decision and the scope, one row per input that
// moves the NPV, at most 15, in the order of the tornado, each bar running
// from the NPV at the input's 5th percentile to that at its 95th; and it
// writes in every format.
func TestTornadoFigure(t *testing.T) {
	t.Parallel()
	r := report(t, sensitive)
	figs, err := Figures(r)
	if err != nil {
		t.Fatalf("Figures: %v", err)
	}
	var names []string
	for _, f := range figs {
		names = append(names, f.Name)
	}
	if want := []string{"lec", "histogram", "ranking", "tornado", "calibration"}; !slices.Equal(names, want) {
		t.Fatalf("Figures names = %q; want %q", names, want)
	}
	f := figs[3]
	if want := "Tornado: NPV of the best single control (C1), Test trusts"; f.Title != want {
		t.Errorf("tornado title = %q; want %q", f.Title, want)
	}
	tn := r.Sensitivity.Tornado
	var want []model.TornadoBar
	for _, b := range tn.Bars {
		if b.Swing() > 0 {
			want = append(want, b)
		}
	}
	want = want[:min(len(want), tornadoTop)]
	if len(want) < 10 {
		t.Fatalf("the test tornado has %d inputs that move the NPV; want at least 10", len(want))
	}
	_, rows := tornadoRows(tn)
	if len(rows) != len(want) {
		t.Fatalf("tornado rows = %+v; want %d", rows, len(want))
	}
	labels := f.plot.Y.Tick.Marker.Ticks(f.plot.Y.Min, f.plot.Y.Max)
	if len(labels) != len(want) {
		t.Fatalf("tornado has %d labels; want %d", len(labels), len(want))
	}
	for k, b := range want {
		row := rows[k]
		if row.y != float64(len(want)-1-k) || row.lo != b.NPVLo || row.hi != b.NPVHi {
			t.Errorf("tornado row %d = %+v; want y %d, %v to %v (%s)", k, row, len(want)-1-k, b.NPVLo, b.NPVHi, b.Input.Name())
		}
		if got := labels[len(want)-1-k].Label; got != inputShort(b.Input) {
			t.Errorf("tornado row %d labelled %q; want %q", k, got, inputShort(b.Input))
		}
	}
	// Short labels on one line, distinct, each ID's full name in the key.
	seen := map[string]bool{}
	for _, l := range labels {
		if strings.Contains(l.Label, "\n") || seen[l.Label] || textStyle(tickSize).Width(l.Label) > rankLabelShare*figWidth {
			t.Errorf("tornado label %q: want one short line, distinct", l.Label)
		}
		seen[l.Label] = true
	}
	var keyText []string
	for _, e := range f.key {
		keyText = append(keyText, e.name)
	}
	for _, b := range want {
		if id := b.Input.Ref.ID; id != "" {
			c := r.Model.ControlIndex(id)
			name := ""
			if c >= 0 {
				name = r.Model.Controls[c].Name
			} else if th := r.Model.ThreatIndex(id); th >= 0 {
				name = r.Model.Threats[th].Name
			}
			if name != "" && !slices.Contains(keyText, id+": "+name) {
				t.Errorf("tornado key %q lacks %q", keyText, id+": "+name)
			}
		}
	}
	for _, format := range formats {
		var buf bytes.Buffer
		if err := f.Write(&buf, format); err != nil {
			t.Fatalf("tornado.Write(%s): %v", format, err)
		}
		checkImage(t, f, format, buf.Bytes())
	}
}

// TestSensitivityOmitted checks that there is neither tornado nor
// Sensitivity sheet without a sensitivity analysis, that a tornado in which
// no input moves the NPV is not drawn, and that an analysis with parts
// missing still writes its sheet.
func TestSensitivityOmitted(t *testing.T) {
	t.Parallel()
	full := report(t, sensitive)
	flat := *full
	sa := *full.Sensitivity
	tn := *sa.Tornado
	tn.Bars = slices.Clone(tn.Bars)
	for i := range tn.Bars {
		tn.Bars[i].NPVLo, tn.Bars[i].NPVHi = tn.Central, tn.Central
	}
	sa.Tornado, sa.Switches, sa.VOI = &tn, nil, nil
	flat.Sensitivity = &sa
	bare := *full
	bare.Sensitivity = &model.Sensitivity{DecisionName: "nothing", Decision: model.Portfolio{}}
	for _, tt := range []struct {
		name      string
		r         *Report
		tornado   bool
		sheet     bool
		sheetRows int // at least
	}{
		{"none", report(t, typical), false, false, 0},
		{"no input moves the NPV", &flat, false, true, 9 + len(tn.Bars)},
		{"nothing but the decision", &bare, false, true, 4},
		{"full", full, true, true, 40},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			figs, err := Figures(tt.r)
			if err != nil {
				t.Fatal(err)
			}
			if got := slices.ContainsFunc(figs, func(f Figure) bool { return f.Name == "tornado" }); got != tt.tornado {
				t.Errorf("Figures has a tornado: %v; want %v", got, tt.tornado)
			}
			f, _ := openBook(t, tt.r)
			if got := slices.Contains(f.GetSheetList(), sheetSensitivity); got != tt.sheet {
				t.Fatalf("workbook has a Sensitivity sheet: %v; want %v", got, tt.sheet)
			}
			if tt.sheet {
				if n := len(rows(t, f, sheetSensitivity)); n < tt.sheetRows {
					t.Errorf("Sensitivity has %d rows; want at least %d", n, tt.sheetRows)
				}
			}
		})
	}
}

// sensitivityTable returns the rows of the table of the Sensitivity sheet
// whose header, which starts with Rank, has a column named col: the header
// and the rows under it up to the first empty one. It also returns the
// sheet row number of the header.
func sensitivityTable(t *testing.T, rs [][]string, col string) (head []string, body [][]string, at int) {
	t.Helper()
	for i, row := range rs {
		if len(row) > 0 && row[0] == "Rank" && slices.Contains(row, col) {
			for _, r := range rs[i+1:] {
				if len(r) == 0 || r[0] == "" {
					break
				}
				body = append(body, r)
			}
			return row, body, i + 1
		}
	}
	t.Fatalf("Sensitivity has no table with a column %q", col)
	return nil, nil, 0
}

// cellOf returns a row's cell in the named column, "" past its end.
func cellOf(t *testing.T, head, row []string, name string) string {
	t.Helper()
	j := headerIndex(t, sheetSensitivity, head, name)
	if j >= len(row) {
		return ""
	}
	return row[j]
}

// TestWorkbookSensitivity checks the Sensitivity sheet against the model's
// analysis: the decision and its central NPV; the tornado table, one row per
// input, swing and all; the switching values, blank where there is none,
// each with its percentile in the input's distribution; EVPI and the EVPPI
// table with each input's share; and the native chart of the top swings.
func TestWorkbookSensitivity(t *testing.T) {
	t.Parallel()
	r := report(t, sensitiveAll)
	sa := r.Sensitivity
	f, b := openBook(t, r)
	rs := rows(t, f, sheetSensitivity)
	// Labels are in column A, values in column C.
	values := map[string]string{}
	for _, row := range rs {
		if len(row) > 2 && row[0] != "" && row[0] != "Rank" {
			values[row[0]] = row[2]
		}
	}
	if got := values["Decision analysed"]; got != "the best single control" {
		t.Errorf("Sensitivity decision = %q; want the best single control", got)
	}
	if got := values["Its controls"]; got != "C1" {
		t.Errorf("Sensitivity controls = %q; want C1", got)
	}
	if x := number(t, "central NPV", values["Central NPV (the expected NPV, every input at its expectation)"]); !same(x, sa.Tornado.Central) {
		t.Errorf("Sensitivity central NPV = %v; want %v", x, sa.Tornado.Central)
	}
	if x := number(t, "EVPI", values["EVPI (£)"]); !same(x, sa.VOI.EVPI) || !(x > 0) {
		t.Errorf("Sensitivity EVPI = %v; want %v, positive", x, sa.VOI.EVPI)
	}

	head, body, top := sensitivityTable(t, rs, "Swing (£)")
	if len(body) != len(sa.Tornado.Bars) {
		t.Fatalf("tornado table has %d rows; want %d", len(body), len(sa.Tornado.Bars))
	}
	for k, bar := range sa.Tornado.Bars {
		row := body[k]
		if row[0] != strconv.Itoa(k+1) || cellOf(t, head, row, "Input") != bar.Input.Name() || cellOf(t, head, row, "Field") != bar.Input.Field {
			t.Errorf("tornado row %d = %q; want %d, %s", k+1, row[:3], k+1, bar.Input.Name())
		}
		for name, want := range map[string]float64{
			"Input at P5": bar.Lo, "Input at P95": bar.Hi, "NPV at P5 (£)": bar.NPVLo, "NPV at P95 (£)": bar.NPVHi, "Swing (£)": bar.Swing(),
		} {
			if x := number(t, bar.Input.Name()+" "+name, cellOf(t, head, row, name)); !same(x, want) {
				t.Errorf("tornado %s %s = %v; want %v", bar.Input.Name(), name, x, want)
			}
		}
	}

	head, body, _ = sensitivityTable(t, rs, "NPV = 0 at")
	if len(body) != len(sa.Switches) {
		t.Fatalf("switching table has %d rows; want %d", len(body), len(sa.Switches))
	}
	var zeros, noZeros, changes int
	for k, sw := range sa.Switches {
		row := body[k]
		name := sw.Input.Name()
		if cellOf(t, head, row, "Input") != name {
			t.Errorf("switching row %d = %q; want %s", k+1, row, name)
		}
		if x := number(t, name+" central", cellOf(t, head, row, "Central (mean)")); !same(x, sw.Central) {
			t.Errorf("switching %s central = %v; want %v", name, x, sw.Central)
		}
		dist := sw.Input.Estimate.Dist(sw.Input.Kind)
		for _, c := range []struct {
			value, pct string
			want       float64
		}{
			{"NPV = 0 at", "Percentile of NPV = 0", sw.NPVZero},
			{"Decision changes at", "Percentile of the change", sw.Change},
		} {
			v, p := cellOf(t, head, row, c.value), cellOf(t, head, row, c.pct)
			if math.IsNaN(c.want) {
				if v != "" || p != "" {
					t.Errorf("switching %s %s = %q, %q; want blank", name, c.value, v, p)
				}
				continue
			}
			if x := number(t, name+" "+c.value, v); !same(x, c.want) {
				t.Errorf("switching %s %s = %v; want %v", name, c.value, x, c.want)
			}
			if x := number(t, name+" "+c.pct, p); !same(x, dist.CDF(c.want)) {
				t.Errorf("switching %s %s = %v; want %v", name, c.pct, x, dist.CDF(c.want))
			}
		}
		if math.IsNaN(sw.NPVZero) {
			noZeros++
		} else {
			zeros++
		}
		wantNew := ""
		if !math.IsNaN(sw.Change) {
			changes++
			wantNew = portfolioIDs(r.Model, sw.NewDecision, "+")
		}
		if got := cellOf(t, head, row, "New decision"); got != wantNew {
			t.Errorf("switching %s new decision = %q; want %q", name, got, wantNew)
		}
	}
	if zeros == 0 || noZeros == 0 || changes == 0 {
		t.Errorf("switching values: %d cross zero, %d do not, %d change the decision; want some of each", zeros, noZeros, changes)
	}

	head, body, _ = sensitivityTable(t, rs, "EVPPI (£)")
	if len(body) != len(sa.VOI.EVPPI) {
		t.Fatalf("EVPPI table has %d rows; want %d", len(body), len(sa.VOI.EVPPI))
	}
	for k, iv := range sa.VOI.EVPPI {
		row := body[k]
		if cellOf(t, head, row, "Input") != iv.Input.Name() {
			t.Errorf("EVPPI row %d = %q; want %s", k+1, row, iv.Input.Name())
		}
		if x := number(t, "EVPPI", cellOf(t, head, row, "EVPPI (£)")); !same(x, iv.Value) {
			t.Errorf("EVPPI %s = %v; want %v", iv.Input.Name(), x, iv.Value)
		}
		if x := number(t, "share", cellOf(t, head, row, "Share of EVPI")); !same(x, iv.Value/sa.VOI.EVPI) {
			t.Errorf("EVPPI %s share = %v; want %v", iv.Input.Name(), x, iv.Value/sa.VOI.EVPI)
		}
	}

	chart := chartOf(t, b, "barChart", "Sensitivity!")
	k := min(len(sa.Tornado.Bars), tornadoTop)
	for _, ref := range []string{fmt.Sprintf("Sensitivity!$H$%d:$H$%d", top+1, top+k), fmt.Sprintf("Sensitivity!$B$%d:$B$%d", top+1, top+k)} {
		if !strings.Contains(chart, ref) {
			t.Errorf("the tornado chart does not draw %s", ref)
		}
	}
}

// TestWorkbookSensitivityLayout checks the number formats of the inputs'
// values by unit: money for a cost, a share for a fraction, a plain number
// for a rate.
func TestWorkbookSensitivityLayout(t *testing.T) {
	t.Parallel()
	r := report(t, sensitive)
	f, _ := openBook(t, r)
	rs := rows(t, f, sheetSensitivity)
	head, body, top := sensitivityTable(t, rs, "Swing (£)")
	col := headerIndex(t, sheetSensitivity, head, "Input at P5") + 1
	seen := map[string]bool{}
	for k, row := range body {
		field := cellOf(t, head, row, "Field")
		want := fmtValue
		switch {
		case strings.HasPrefix(field, "cut in"), field == "optimism bias":
			want = fmtPct
		case slices.Contains([]string{"cost per event", "capital cost", "yearly running cost", "lost output per organisation-day", "IT recovery cost per organisation"}, field):
			want = currency("£").numFmt()
		}
		id, err := f.GetCellStyle(sheetSensitivity, cellName(col, top+1+k))
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if st.CustomNumFmt == nil || *st.CustomNumFmt != want {
			t.Errorf("%s P5 number format = %v; want %s", cellOf(t, head, row, "Input"), st.CustomNumFmt, want)
		}
		seen[want] = true
	}
	if len(seen) != 3 {
		t.Errorf("the tornado's inputs have formats %v; want all three kinds", seen)
	}
}

// chartOf returns the XML of the workbook's chart of kind (e.g. barChart)
// that draws from sheet (e.g. "Sensitivity!"), failing the test unless
// there is exactly one.
func chartOf(t *testing.T, b []byte, kind, sheet string) string {
	t.Helper()
	var found []string
	for name, s := range xlsxtest.Parts(t, b) {
		if strings.HasPrefix(name, "xl/charts/chart") && strings.Contains(s, "<"+kind) && strings.Contains(s, sheet) {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("the workbook has %d %s charts of %s; want 1", len(found), kind, sheet)
	}
	return found[0]
}

// TestSensitivityBadReport checks that a sensitivity analysis naming a
// control the model does not have is an error, not a panic.
func TestSensitivityBadReport(t *testing.T) {
	t.Parallel()
	bad := *report(t, typical)
	bad.Sensitivity = &model.Sensitivity{DecisionName: "a stranger", Decision: model.Portfolio{len(bad.Model.Controls)}}
	if _, err := Figures(&bad); err == nil || !strings.Contains(err.Error(), "sensitivity") {
		t.Errorf("Figures = %v; want an error naming the sensitivity analysis", err)
	}
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, &bad); err == nil || buf.Len() != 0 {
		t.Errorf("WriteWorkbook = %v, %d bytes; want an error and nothing written", err, buf.Len())
	}
}
