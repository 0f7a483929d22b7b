package reports

import (
	"bytes"
	"context"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/data/xlsxtest"
	"github.com/cybercba/cybercba/model"
)

// The LibreOffice tests recalculate workbooks in a real spreadsheet: they
// run in the long tier (CYBERCBA_LONG=1, as .ci/run sets, which installs
// libreoffice-calc) and skip, saying why, without soffice.

// skipWithoutLibreOffice skips t in the quick tier or when LibreOffice is
// not installed, and returns soffice's path.
func skipWithoutLibreOffice(t *testing.T) string {
	t.Helper()
	if os.Getenv("CYBERCBA_LONG") == "" {
		t.Skip("long tier (starts LibreOffice): set CYBERCBA_LONG=1 to run it, as .ci/run does")
	}
	exe, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) is not installed: this test recalculates report.xlsx in it; .ci/run installs Debian's libreoffice-calc")
	}
	return exe
}

// loProfile is a LibreOffice user profile that recalculates every formula
// of an Excel or ODF file on load (Tools ▸ Options ▸ Calc ▸ Formula:
// "Recalculation on file load: always"), so that a conversion's values
// are LibreOffice's own, not the cached ones.
const loProfile = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`

// recalculate opens each workbook in headless LibreOffice with a fresh
// profile (so no user setting or running instance interferes), which
// recalculates it, saves it as .xlsx again and returns the results by
// name, opened.
func recalculate(t *testing.T, exe string, books map[string][]byte) map[string]*excelize.File {
	t.Helper()
	dir := t.TempDir()
	prof := filepath.Join(dir, "profile")
	if err := os.MkdirAll(filepath.Join(prof, "user"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(prof, "user", "registrymodifications.xcu"), []byte(loProfile), 0o644); err != nil {
		t.Fatal(err)
	}
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	args := []string{"-env:UserInstallation=" + (&url.URL{Scheme: "file", Path: prof}).String(), "--headless", "--norestore", "--convert-to", "xlsx", "--outdir", out}
	for name, b := range books {
		p := filepath.Join(in, name+".xlsx")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	res := map[string]*excelize.File{}
	for name := range books {
		f, err := excelize.OpenFile(filepath.Join(out, name+".xlsx"))
		if err != nil {
			t.Fatalf("LibreOffice wrote no %s.xlsx: %v", name, err)
		}
		t.Cleanup(func() { f.Close() })
		res[name] = f
	}
	return res
}

// cachedValue matches a formula cell's cached value in a sheet's XML.
var cachedValue = regexp.MustCompile(`(<f>[^<]*</f>)<v>[^<]*</v>`)

// blankCached returns the workbook b with every formula's cached value
// removed, so that a value read after recalculation can only be the
// spreadsheet's own.
func blankCached(t *testing.T, b []byte) []byte {
	t.Helper()
	blanked := 0
	out := xlsxtest.RewriteParts(t, b, func(name string, part []byte) []byte {
		if !strings.HasPrefix(name, "xl/worksheets/sheet") {
			return part
		}
		blanked += len(cachedValue.FindAllIndex(part, -1))
		return cachedValue.ReplaceAll(part, []byte("$1"))
	})
	if blanked == 0 {
		t.Fatal("blankCached: no formula had a cached value")
	}
	return out
}

// compareFormulas checks every formula cell of sheet in orig (as the tool
// wrote it, with its cached values) against got (recalculated): equal to
// 1e-9 relative, or both an error (no cached number, an error in got).
// It returns the number of formula cells.
func compareFormulas(t *testing.T, orig, got *excelize.File, sheet string) int {
	t.Helper()
	rs, err := got.GetRows(sheet, raw)
	if err != nil {
		t.Fatal(err)
	}
	n, bad := 0, 0
	for r, row := range rs {
		for c := range row {
			cell := cellName(c+1, r+1)
			fm, err := orig.GetCellFormula(sheet, cell)
			if err != nil || fm == "" {
				continue
			}
			n++
			want, _ := orig.GetCellValue(sheet, cell, raw)
			have := row[c]
			w, werr := strconv.ParseFloat(want, 64)
			h, herr := strconv.ParseFloat(have, 64)
			ok := false
			switch {
			case werr == nil && herr == nil:
				ok = relClose(h, w)
			case want == "" && herr != nil:
				ok = strings.HasPrefix(have, "#") // an error, as the tool has no number
			default:
				ok = want == have // text
			}
			if !ok {
				bad++
				if bad <= 10 {
					t.Errorf("%s!%s = %q in LibreOffice; the tool's value is %q (formula %s)", sheet, cell, have, want, fm)
				}
			}
		}
	}
	if bad > 10 {
		t.Errorf("%s: %d formula cells differ in all", sheet, bad)
	}
	return n
}

// TestWhatIfLibreOffice recalculates report.xlsx in LibreOffice, with
// every cached value blanked first, and checks that every formula cell
// of the live sheets reproduces the tool's figure to 1e-9 relative, with
// and without harm.
func TestWhatIfLibreOffice(t *testing.T) {
	exe := skipWithoutLibreOffice(t)
	books, origs := map[string][]byte{}, map[string]*excelize.File{}
	for name, get := range map[string]func() (*Report, error){"typical": typical, "social": social, "none": noneRecommended} {
		f, b := openBook(t, report(t, get))
		books[name], origs[name] = blankCached(t, b), f
	}
	got := recalculate(t, exe, books)
	for name, f := range origs {
		for _, s := range LiveSheets {
			if n := compareFormulas(t, f, got[name], s); n < 100 {
				t.Errorf("%s: %s has %d formula cells; want the whole live model", name, s, n)
			}
		}
	}
}

// nhsSeed is the default run's seed.
const nhsSeed = 2017

// nhsWhatIf returns the default dataset's model with harm, its appraisal
// in the social view, and the What-if workbook of recommendation rec.
func nhsWhatIf(t *testing.T, rec []string) (*model.Model, model.Appraisal, model.Portfolio, []byte) {
	t.Helper()
	ds, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	sc := &ds.Scopes[0]
	cal, err := model.Calibrate(ds.Target(), 2017)
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model(cal)
	m.Harm = sc.HarmModel()
	a := model.Appraisal{Horizon: 10, Discount: model.GreenBook(), BiasByProject: ds.BiasRanges(), View: model.Social}
	var p model.Portfolio
	for _, id := range rec {
		p = append(p, m.ControlIndex(id))
	}
	r := &Report{Model: m, Analysis: &model.Analysis{Appraisal: a, Config: model.Config{Seed: nhsSeed}, Recommended: &model.Result{Portfolio: p}, Baseline: model.Summary{ALE: 1e8}}}
	f := excelize.NewFile()
	b := &book{f: f, cur: currencyOf(r), millions: true}
	b.do(f.SetSheetName("Sheet1", SheetWhatIf))
	_, err = f.NewSheet(SheetDraws)
	b.do(err)
	b.styles()
	b.whatIf(r)
	if b.err != nil {
		t.Fatal(b.err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return m, a, p, buf.Bytes()
}

// edit returns the workbook b with cells of the What-if sheet set: the
// control's column (by ID in column A of the controls table) to a value.
func edit(t *testing.T, b []byte, edits map[[2]string]any) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rs := rows(t, f, SheetWhatIf)
	for k, v := range edits {
		id, col := k[0], k[1]
		row := -1
		for r, cells := range rs { // the controls table comes before the effects
			if len(cells) > cwCheck && cells[0] == id {
				row = r + 1
				break
			}
		}
		if row < 0 {
			t.Fatalf("no row for %s", id)
		}
		if err := f.SetCellValue(SheetWhatIf, col+strconv.Itoa(row), v); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// variance returns the sample variance of x.
func variance(x []float64) float64 {
	var m, v float64
	for _, y := range x {
		m += y / float64(len(x))
	}
	for _, y := range x {
		v += (y - m) * (y - m) / float64(len(x)-1)
	}
	return v
}

// TestWhatIfEditedLibreOffice edits R-C1's running cost and toggles N4
// off in the NHS default's What-if sheet (social view, the recommendation
// preset to N4 + R-C1), recalculates in LibreOffice and compares with the
// tool's closed form given the same edits as inputs: R-C1's opex fixed at
// the edited value, and the set R-C1 alone. It also edits cells to
// nonsense and checks that the results show an error, not a number.
func TestWhatIfEditedLibreOffice(t *testing.T) {
	exe := skipWithoutLibreOffice(t)
	m, a, rec, b := nhsWhatIf(t, []string{"N4", "R-C1"})
	const opex = 20e6
	opexCol, toggleCol := colName(cwOpex), colName(cwToggle)
	books := map[string][]byte{
		"edited":   edit(t, b, map[[2]string]any{{"R-C1", opexCol}: opex, {"N4", toggleCol}: 0}),
		"text":     edit(t, b, map[[2]string]any{{"R-C1", opexCol}: "twenty million"}),
		"negative": edit(t, b, map[[2]string]any{{"R-C1", opexCol}: -1}),
		"toggle":   edit(t, b, map[[2]string]any{{"N4", toggleCol}: 2}),
	}
	got := recalculate(t, exe, books)

	// The same edit as an input: R-C1's opex interval scaled so that its
	// mean is the edited central value, which scales every draw of it in
	// proportion, as the Draws sheet does.
	mm := *m
	mm.Controls = append([]model.Control(nil), m.Controls...)
	c := mm.ControlIndex("R-C1")
	k := opex / model.Centrals(m, a).Controls[c].Opex
	mm.Controls[c].Opex = model.Estimate{Lo: m.Controls[c].Opex.Lo * k, Hi: m.Controls[c].Opex.Hi * k}
	want := model.ClosedFormAppraisal(&mm, a, model.Portfolio{c})
	wantRec := model.ClosedFormAppraisal(&mm, a, rec)
	tool := model.ClosedFormAppraisal(m, a, rec)
	f := got["edited"]
	for _, w := range whatIfLabels {
		row := whatIfRows(t, f)[w.label]
		for col, x := range map[int]float64{1: w.get(want), 2: w.get(wantRec), 3: w.get(tool)} {
			if g, err := strconv.ParseFloat(row[col], 64); err != nil || !relClose(g, x) {
				t.Errorf("edited: %q col %d = %q; want %.15g", w.label, col+1, row[col], x)
			}
		}
	}
	by := whatIfRows(t, f)["By how much (toggled − recommendation)"]
	if g, err := strconv.ParseFloat(by[1], 64); err != nil || !relClose(g, want.DecisionNPV-wantRec.DecisionNPV) {
		t.Errorf("edited: by how much = %q; want %.15g", by[1], want.DecisionNPV-wantRec.DecisionNPV)
	}
	beats := whatIfRows(t, f)["Does the toggled set beat the recommendation?"][1]
	if wantYes := want.DecisionNPV > wantRec.DecisionNPV; strings.HasPrefix(beats, "yes") != wantYes {
		t.Errorf("edited: beats = %q; want yes = %v (NPV %g against %g)", beats, wantYes, want.DecisionNPV, wantRec.DecisionNPV)
	}
	t.Logf("R-C1 opex £%.0fm, N4 off: expected NPV £%.4fm (recommendation £%.4fm); beats: %s", opex/1e6, want.DecisionNPV/1e6, wantRec.DecisionNPV/1e6, beats)

	// The uncertainty: the sheet's draws against the model's draws of the
	// edited inputs (the same draws: to 1e-9), and against a simulated run
	// of the edited inputs (within Monte Carlo error).
	tb, err := model.Tabulate(&mm, a, nhsSeed, sheetDrawsMin, []model.Portfolio{{c}})
	if err != nil {
		t.Fatal(err)
	}
	sorted := slices.Clone(tb.DecisionNPV[0])
	slices.Sort(sorted)
	var mean, pos float64
	for _, x := range tb.DecisionNPV[0] {
		mean += x / float64(tb.Draws)
		if x > 0 {
			pos++
		}
	}
	pos /= float64(tb.Draws)
	lo, hi := sorted[int(math.Ceil(0.05*float64(tb.Draws)))-1], sorted[int(math.Ceil(0.95*float64(tb.Draws)))-1]
	sheet := map[string]float64{}
	for key, label := range map[string]string{"mean": "Expected NPV across the draws", "lo": "5th percentile of NPV", "hi": "95th percentile of NPV", "p": "P(NPV > 0)"} {
		sheet[key] = number(t, label, whatIfRows(t, f)[label][1])
	}
	for key, w := range map[string]float64{"mean": mean, "lo": lo, "hi": hi, "p": pos} {
		if !relClose(sheet[key], w) {
			t.Errorf("edited: draws' %s = %.15g in LibreOffice; the model's draws of the edited inputs give %.15g", key, sheet[key], w)
		}
	}
	an, err := model.Analyse(context.Background(), &mm, model.Config{Draws: 200, Years: 5000, Seed: nhsSeed}, a, model.ByNPV)
	if err != nil {
		t.Fatal(err)
	}
	run := an.Results[c]
	n := float64(an.Sim.Draws)
	// A quantile's standard error √(p(1−p)/n)/f(q), the density f from the
	// sheet's draws over ±2 percentage points.
	qse := func(p float64) float64 {
		at := func(p float64) float64 { return sorted[int(math.Ceil(p*float64(tb.Draws)))-1] }
		dens := 0.04 / (at(p+0.02) - at(p-0.02))
		return math.Sqrt(p*(1-p)/n) / dens
	}
	pse := math.Sqrt(pos * (1 - pos) / n)
	for _, c := range []struct {
		name       string
		sheet, run float64
		se         float64
	}{
		{"P(NPV > 0)", sheet["p"], run.InView(a.View).PNPVPositive, pse},
		{"NPV 5th percentile", sheet["lo"], run.DecisionNPV.Lo, qse(0.05)},
		{"NPV 95th percentile", sheet["hi"], run.DecisionNPV.Hi, qse(0.95)},
		{"expected NPV", sheet["mean"], want.DecisionNPV, math.Sqrt(variance(tb.DecisionNPV[0]) / float64(tb.Draws))},
	} {
		if math.Abs(c.sheet-c.run) > 4*c.se {
			t.Errorf("edited: %s = %g in the workbook; the run of the edited inputs gives %g (4 SE = %g)", c.name, c.sheet, c.run, 4*c.se)
		}
		t.Logf("%s: workbook %g, run %g (SE %g)", c.name, c.sheet, c.run, c.se)
	}

	for _, name := range []string{"text", "negative", "toggle"} {
		row := whatIfRows(t, got[name])["NPV in the view in force"]
		if !strings.HasPrefix(row[1], "#") {
			t.Errorf("%s: the toggled set's NPV = %q; want an error cell", name, row[1])
		}
	}
}
