package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/reports/format"
)

// This file holds the cross-output agreement test (issue 22): a figure
// shown in several outputs is the same number in each, at the precision
// each shows it.

// agreeArgs returns the size of the agreement test's runs: in the quick
// tier the small CLI runs' 8 × 200 simulated years, the decision on 100
// draws (agreement does not depend on size, and the long tier has
// TestCrossOutputAgreementFullSize); in the long tier 20 × 500 simulated
// years, the decision on the default 10,000.
func agreeArgs() []string {
	if longTier() {
		return []string{"--draws", "20", "--years", "500", "--seed", "2017", "--quiet"}
	}
	return []string{"--draws", "8", "--years", "200", "--decision-draws", "100", "--seed", "2017", "--quiet"}
}

// agreeControl is a control's figures as the JSON gives them.
type agreeControl struct {
	ID       string
	EAC      struct{ Mean float64 } `json:"eac"`
	DeltaALE struct{ Mean float64 } `json:"delta_ale"`
	NPV      struct{ Mean float64 } `json:"npv_decision"`
	MoneyNPV struct{ Mean float64 } `json:"npv_money"`
	// BCR and PNPV are money only in either view; Social's count harm.
	BCR    struct{ Mean float64 } `json:"bcr"`
	PNPV   float64                `json:"p_npv_positive"`
	Social *struct {
		NPV  struct{ Mean float64 } `json:"npv"`
		BCR  struct{ Mean float64 } `json:"bcr"`
		PNPV float64                `json:"p_npv_positive"`
	} `json:"social"`
}

// moneyNPV is the control's NPV on money alone, whichever view decides.
func (c agreeControl) moneyNPV() float64 { return c.MoneyNPV.Mean }

// decision returns the control's BCR and P(NPV > 0) in the view that
// decides: with harm in the social view, which the tables that rank show.
func (c agreeControl) decision(social bool) (bcr, pnpv float64) {
	if social {
		return c.Social.BCR.Mean, c.Social.PNPV
	}
	return c.BCR.Mean, c.PNPV
}

// agreeRun is what the test reads of a run: its JSON, its terminal text,
// its workbook's sheets (raw values), report.html's tables and text, and
// its figures' CSVs.
type agreeRun struct {
	JSON struct {
		View        string
		Controls    []agreeControl
		Recommended struct {
			Controls []string
			Sentence string
			Result   *struct {
				NPV struct{ Mean float64 } `json:"npv_decision"`
			}
			Deaths *float64 `json:"extra_deaths_a_year"`
		}
		Health *struct {
			EVPI float64 `json:"evpi"`
		} `json:"health_economics"`
	}
	terminal string
	book     map[string][][]string
	tables   map[string][][]string // report.html's tables by caption's start
	page     string                // report.html's text
	dir      string
}

// csv returns the figure's data.
func (r *agreeRun) csv(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(r.dir, "plots", name+".csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s.csv: %v", name, err)
	}
	if len(rows) > 0 && len(rows[0]) > 0 {
		rows[0][0] = strings.TrimPrefix(rows[0][0], "\ufeff")
	}
	return rows
}

// table returns the rows of report.html's table whose caption starts
// with caption.
func (r *agreeRun) table(t *testing.T, caption string) [][]string {
	t.Helper()
	for c, rows := range r.tables {
		if strings.HasPrefix(c, caption) {
			return rows
		}
	}
	t.Fatalf("report.html has no table %q", caption)
	return nil
}

var (
	tableRE   = regexp.MustCompile(`(?s)<table.*?</table>`)
	captionRE = regexp.MustCompile(`(?s)<caption>(.*?)</caption>`)
	rowRE     = regexp.MustCompile(`(?s)<tr.*?</tr>`)
	cellRE    = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
	tagRE     = regexp.MustCompile(`(?s)<[^>]+>`)
	svgRE     = regexp.MustCompile(`(?s)<svg.*?</svg>`)
)

// text is an HTML fragment's text, as a reader sees it: spaces of any
// kind as one, and without the invisible word joiners that keep a minus
// sign on its number's line.
func text(s string) string {
	s = strings.ReplaceAll(html.UnescapeString(tagRE.ReplaceAllString(s, " ")), "\u2060", "")
	return strings.Join(strings.Fields(s), " ")
}

// agree runs cybercba run with args twice, for files and the terminal and
// for the JSON, at agreeArgs' size, and reads every output.
func agree(t *testing.T, args ...string) *agreeRun {
	t.Helper()
	return agreeSized(t, agreeArgs(), args...)
}

// agreeSized is agree at the size (and seed) size sets.
func agreeSized(t *testing.T, size []string, args ...string) *agreeRun {
	t.Helper()
	r := &agreeRun{dir: t.TempDir(), book: map[string][][]string{}, tables: map[string][][]string{}}
	// Plots as SVG: the figures' figures are their CSVs, and PNG
	// rasterising costs about 1.5 s of CPU a run.
	a := slices.Concat([]string{"run"}, size, args, []string{"--format", "svg", "-o", r.dir})
	res := cybercba(t, a...)
	mustSucceed(t, res, a)
	r.terminal = res.stdout
	a = slices.Concat([]string{"run"}, size, args, []string{"--json", "--no-files"})
	res = cachedRun(t, a...)
	mustSucceed(t, res, a)
	if err := json.Unmarshal([]byte(res.stdout), &r.JSON); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(filepath.Join(r.dir, "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, s := range f.GetSheetList() {
		if s == "Draws" {
			continue // the live model's thousand rows of input draws: no figure of the run
		}
		if r.book[s], err = f.GetRows(s, excelize.Options{RawCellValue: true}); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(filepath.Join(r.dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := svgRE.ReplaceAllString(string(b), "")
	for _, tb := range tableRE.FindAllString(page, -1) {
		c := captionRE.FindStringSubmatch(tb)
		if c == nil {
			continue
		}
		var rows [][]string
		for _, row := range rowRE.FindAllString(tb, -1) {
			var cells []string
			for _, m := range cellRE.FindAllStringSubmatch(row, -1) {
				cells = append(cells, text(m[1]))
			}
			rows = append(rows, cells)
		}
		r.tables[text(c[1])] = rows
	}
	r.page = text(page)
	return r
}

// sheetTable returns a workbook table: its header row, found by its first
// cell, and the rows under it up to the first blank one, by the value of
// their first cell... keyed by the column key's value.
func sheetTable(t *testing.T, rows [][]string, first, key string) (head []string, byKey map[string][]string) {
	t.Helper()
	byKey = map[string][]string{}
	for i, row := range rows {
		if len(row) == 0 || row[0] != first {
			continue
		}
		head = row
		k := slices.Index(head, key)
		if k < 0 {
			t.Fatalf("table %q has no column %q: %q", first, key, head)
		}
		for _, r := range rows[i+1:] {
			if len(r) <= k || r[k] == "" {
				break
			}
			byKey[r[k]] = r
		}
		return head, byKey
	}
	t.Fatalf("no table headed %q", first)
	return nil, nil
}

// cellOf returns row's cell under the column named name.
func cellOf(t *testing.T, head, row []string, name string) string {
	t.Helper()
	k := slices.Index(head, name)
	if k < 0 {
		t.Fatalf("no column %q in %q", name, head)
	}
	if k >= len(row) {
		return ""
	}
	return row[k]
}

// sameFloat reports whether the cell holds x to 12 significant digits
// (a workbook's or CSV's full precision).
func sameFloat(cell string, x float64) bool {
	v, err := strconv.ParseFloat(strings.TrimSpace(cell), 64)
	return err == nil && math.Abs(v-x) <= 1e-12*math.Max(math.Abs(x), 1)
}

// terminalTable returns the terminal's table whose header line starts
// with head, split into cells at runs of two or more spaces.
func terminalTable(t *testing.T, term, head string) [][]string {
	t.Helper()
	lines := strings.Split(term, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(strings.TrimSpace(l), head) {
			continue
		}
		split := regexp.MustCompile(`\s{2,}`)
		var out [][]string
		for _, l := range lines[i:] {
			if strings.TrimSpace(l) == "" {
				break
			}
			out = append(out, split.Split(strings.TrimSpace(l), -1))
		}
		return out
	}
	t.Fatalf("terminal output has no table %q", head)
	return nil
}

// checkAgreement checks every named figure of r in every output that shows
// it: each control's cost a year, ΔALE, NPV (money only and with harm), BCR
// and P(NPV>0); the recommended set and its sentence; the implied deaths
// and the EVPI of a social-view run.
func checkAgreement(t *testing.T, r *agreeRun) {
	money := format.Currency("£").Money
	js := r.JSON
	social := js.View == "social" && js.Controls[0].Social != nil
	byID := map[string]agreeControl{}
	for _, c := range js.Controls {
		byID[c.ID] = c
	}
	checkReproduceRecord(t, r, byID)
	// The terminal's ranking.
	rk := terminalTable(t, r.terminal, "Rank  ID")
	head := rk[0]
	npvHead := "NPV"
	if social {
		npvHead = "NPV with harm"
	}
	for _, row := range rk[1:] {
		c, ok := byID[cellOf(t, head, row, "ID")]
		if !ok {
			t.Fatalf("terminal ranking row %q: unknown control", row)
		}
		bcr, pnpv := c.decision(social)
		for name, want := range map[string]string{
			"Cost/yr": money(c.EAC.Mean), "ΔALE/yr": money(c.DeltaALE.Mean), npvHead: money(c.NPV.Mean),
			"BCR": format.Ratio(bcr), "P(NPV>0)": fmt.Sprintf("%.2f", pnpv),
		} {
			if got := cellOf(t, head, row, name); !strings.HasPrefix(got, want) {
				t.Errorf("terminal %s %s = %q; the JSON gives %q", c.ID, name, got, want)
			}
		}
		if social {
			if got, want := cellOf(t, head, row, "NPV money only"), money(c.moneyNPV()); got != want {
				t.Errorf("terminal %s NPV money only = %q; the JSON gives %q", c.ID, got, want)
			}
		}
	}
	// The workbook's Ranking sheet, at full precision.
	h, rows := sheetTable(t, r.book["Ranking"], "Rank", "ID")
	for id, c := range byID {
		row := rows[id]
		bcr, pnpv := c.decision(social)
		for name, want := range map[string]float64{
			"EAC (£/yr)": c.EAC.Mean, "ΔALE (£/yr)": c.DeltaALE.Mean, "NPV (£)": c.NPV.Mean, "BCR": bcr, "P(NPV>0)": pnpv,
		} {
			if got := cellOf(t, h, row, name); !sameFloat(got, want) {
				t.Errorf("Ranking!%s %s = %s; the JSON gives %v", id, name, got, want)
			}
		}
	}
	// report.html's ranking.
	ht := r.table(t, "Each control alone, ranked by")
	for _, row := range ht[1:] {
		id, _, _ := strings.Cut(cellOf(t, ht[0], row, "Control"), " ")
		c := byID[id]
		bcr, pnpv := c.decision(social)
		for name, want := range map[string]string{
			"Cost a year": money(c.EAC.Mean), "ΔALE a year": money(c.DeltaALE.Mean), "NPV": money(c.NPV.Mean),
			"BCR": format.Ratio(bcr), "P(NPV > 0)": format.Percent(pnpv),
		} {
			if got := cellOf(t, ht[0], row, name); !strings.HasPrefix(got, want) {
				t.Errorf("report.html %s %s = %q; the JSON gives %q", id, name, got, want)
			}
		}
	}
	// The ranking figure's data.
	rc := r.csv(t, "ranking")
	for _, row := range rc[1:] {
		id, _, _ := strings.Cut(row[1], " ")
		if !sameFloat(row[2], byID[id].NPV.Mean) {
			t.Errorf("ranking.csv %s NPV = %s; the JSON gives %v", id, row[2], byID[id].NPV.Mean)
		}
	}
	if social {
		checkSocialAgreement(t, r, byID)
	}
	// The recommendation: one set, one sentence.
	rec := js.Recommended
	set := "buy " + strings.Join(rec.Controls, " + ") + "."
	if len(rec.Controls) == 0 {
		set = "buy nothing"
	}
	if !strings.Contains(rec.Sentence, set) {
		t.Errorf("JSON sentence %q does not name the recommended set %v", rec.Sentence, rec.Controls)
	}
	if rec.Result != nil && !strings.Contains(rec.Sentence, "Expected NPV "+money(rec.Result.NPV.Mean)+" ") {
		t.Errorf("JSON sentence %q does not give the recommendation's NPV %s", rec.Sentence, money(rec.Result.NPV.Mean))
	}
	for what, out := range map[string]string{"terminal": r.terminal, "report.html": r.page, "Summary sheet": sheetText(r.book["Summary"]), "Build-up sheet": sheetText(r.book["Build-up"])} {
		if !strings.Contains(out, rec.Sentence) {
			t.Errorf("%s lacks the recommendation sentence %q", what, rec.Sentence)
		}
	}
}

// checkSocialAgreement checks the social view's figures: money-only and
// with-harm NPVs in the terminal's social table, the Social sheet,
// report.html's financial-versus-social table and the ranking-social
// figure's data; the implied deaths; the EVPI.
func checkSocialAgreement(t *testing.T, r *agreeRun, byID map[string]agreeControl) {
	money := format.Currency("£").Money
	st := terminalTable(t, r.terminal, "ID     Harm avoided/yr")
	for _, row := range st[1:] {
		c := byID[cellOf(t, st[0], row, "ID")]
		if got, want := cellOf(t, st[0], row, "NPV (money)"), money(c.moneyNPV()); got != want {
			t.Errorf("terminal social table %s NPV (money) = %q; the JSON's money-only NPV is %q", c.ID, got, want)
		}
		if got, want := cellOf(t, st[0], row, "NPV with harm"), money(c.Social.NPV.Mean); got != want {
			t.Errorf("terminal social table %s NPV with harm = %q; the JSON gives %q", c.ID, got, want)
		}
	}
	h, rows := sheetTable(t, r.book["Social"], "ID", "ID")
	for id, c := range byID {
		if got := cellOf(t, h, rows[id], "Financial NPV (£)"); !sameFloat(got, c.moneyNPV()) {
			t.Errorf("Social!%s Financial NPV = %s; the JSON's money-only NPV is %v", id, got, c.moneyNPV())
		}
		if got := cellOf(t, h, rows[id], "Social NPV (£)"); !sameFloat(got, c.Social.NPV.Mean) {
			t.Errorf("Social!%s Social NPV = %s; the JSON gives %v", id, got, c.Social.NPV.Mean)
		}
	}
	ht := r.table(t, "Each control in the financial and the social view")
	for _, row := range ht[1:] {
		id, _, _ := strings.Cut(cellOf(t, ht[0], row, "Control"), " ")
		c := byID[id]
		if got, want := cellOf(t, ht[0], row, "Financial NPV"), money(c.moneyNPV()); got != want {
			t.Errorf("report.html social table %s financial NPV = %q; the JSON's money-only NPV is %q", id, got, want)
		}
		if got, want := cellOf(t, ht[0], row, "Social NPV"), money(c.Social.NPV.Mean); got != want {
			t.Errorf("report.html social table %s social NPV = %q; the JSON gives %q", id, got, want)
		}
	}
	sc := r.csv(t, "ranking-social")
	for _, row := range sc[1:] {
		id, _, _ := strings.Cut(cellOf(t, sc[0], row, "Control"), " ")
		c := byID[id]
		if got := row[3]; !sameFloat(got, c.moneyNPV()) {
			t.Errorf("ranking-social.csv %s financial NPV = %s; the JSON's money-only NPV is %v", id, got, c.moneyNPV())
		}
		if got := row[6]; !sameFloat(got, c.Social.NPV.Mean) {
			t.Errorf("ranking-social.csv %s social NPV = %s; the JSON gives %v", id, got, c.Social.NPV.Mean)
		}
	}
	if d := r.JSON.Recommended.Deaths; d == nil {
		t.Error("the JSON has no implied deaths in the social view")
	} else {
		want := fmt.Sprintf("Implied extra deaths: %.1f a year", *d)
		for what, out := range map[string]string{"terminal": r.terminal, "report.html": r.page, "Social sheet (under its table; the Summary gives the figures)": sheetText(r.book["Social"])} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q", what, want)
			}
		}
	}
	if he := r.JSON.Health; he == nil {
		t.Error("the JSON has no health economics in the social view")
	} else {
		want := money(he.EVPI)
		if !strings.Contains(r.terminal, "EVPI "+want) {
			t.Errorf("terminal lacks the EVPI %s", want)
		}
		if !strings.Contains(r.page, "EVPI of "+want) {
			t.Errorf("report.html lacks the EVPI %s", want)
		}
		found := false
		for _, row := range r.book["Health economics"] {
			if len(row) > 2 && row[0] == "EVPI over the horizon (£)" {
				found = sameFloat(row[2], he.EVPI)
			}
		}
		if !found {
			t.Errorf("Health economics sheet lacks the EVPI %v", he.EVPI)
		}
	}
}

// sheetText is a sheet's cells, one a line.
func sheetText(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		for _, c := range r {
			b.WriteString(c + "\n")
		}
	}
	return b.String()
}

// TestCrossOutputAgreement checks that each named figure agrees at
// display precision wherever it appears, in the default, social-view and
// budgeted runs: terminal, JSON, every workbook sheet that shows it,
// report.html's tables and text and the figures' CSVs.
func TestCrossOutputAgreement(t *testing.T) {
	t.Parallel()
	crossOutputAgreement(t, agreeArgs())
}

// TestCrossOutputAgreementFullSize is TestCrossOutputAgreement at the
// default sizes, as a user runs it: 200 draws × 5,000 simulated years,
// the decision on 10,000 draws (long tier).
func TestCrossOutputAgreementFullSize(t *testing.T) {
	skipUnlessLong(t, "three whole runs with files at the default 200 × 5,000 years and 10,000 decision draws")
	t.Parallel()
	crossOutputAgreement(t, []string{"--seed", "2017", "--quiet"})
}

// crossOutputAgreement runs the default, social-view and budgeted runs at
// size and checks each with checkAgreement.
func crossOutputAgreement(t *testing.T, size []string) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"default", nil},
		{"social", []string{"--view", "social"}},
		{"budgeted", []string{"--budget", "20m"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkAgreement(t, agreeSized(t, size, tc.args...))
		})
	}
}

// TestBatchAgreement checks that a batch's rows, in its terminal table and
// its Summary sheet, give the figures of the runs with the same options:
// the top control and its NPV, the recommended set and its NPV, in the
// financial view, the social view (a row setting it) and under a budget.
func TestBatchAgreement(t *testing.T) {
	t.Parallel()
	in := newInputs(t, func(f *excelize.File) {
		addScenarios(t, f,
			[]any{"default", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, "all"},
			[]any{"social", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, "all", nil, "social"},
			[]any{"budgeted", nil, "20m", nil, nil, nil, nil, nil, nil, nil, nil, "all"},
		)
	})
	out := filepath.Join(t.TempDir(), "results.xlsx")
	a := slices.Concat([]string{"batch", in, "-o", out}, agreeArgs())
	res := cybercba(t, a...)
	mustSucceed(t, res, a)
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	book, err := f.GetRows("Summary", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	head, rows := sheetTable(t, book, "#", "Scenario")
	term := terminalTable(t, res.stdout, "Scenario")
	money := format.Currency("£").Money
	for name, args := range map[string][]string{"default": nil, "social": {"--view", "social"}, "budgeted": {"--budget", "20m"}} {
		a := slices.Concat([]string{"run"}, agreeArgs(), args, []string{"--json", "--no-files"})
		r := cachedRun(t, a...)
		mustSucceed(t, r, a)
		var js struct {
			View        string
			Controls    []agreeControl
			Recommended struct {
				Controls []string
				Result   *struct {
					NPV struct{ Mean float64 } `json:"npv_decision"`
				}
				agreeDeaths
			}
		}
		if err := json.Unmarshal([]byte(r.stdout), &js); err != nil {
			t.Fatal(err)
		}
		checkBatchDeaths(t, name, head, rows[name], js.Recommended.agreeDeaths)
		row := rows[name]
		if row == nil {
			t.Fatalf("Summary has no row %q", name)
		}
		var top agreeControl
		for _, c := range js.Controls {
			if cellOf(t, head, row, "Best control") == c.ID {
				top = c
			}
		}
		if top.ID == "" || !sameFloat(cellOf(t, head, row, "Best NPV (£, row's view)"), top.NPV.Mean) {
			t.Errorf("batch row %s: best control %s, NPV %s; the run's controls %+v", name, cellOf(t, head, row, "Best control"), cellOf(t, head, row, "Best NPV (£, row's view)"), js.Controls)
		}
		if got := cellOf(t, head, row, "View"); got != js.View {
			t.Errorf("batch row %s: view %q; the run's %q", name, got, js.View)
		}
		set := strings.Join(js.Recommended.Controls, "+")
		if got := cellOf(t, head, row, "Portfolio"); got != set {
			t.Errorf("batch row %s: portfolio %q; the run recommends %q", name, got, set)
		}
		if rec := js.Recommended.Result; rec != nil {
			if got := cellOf(t, head, row, "Portfolio NPV (£, row's view)"); !sameFloat(got, rec.NPV.Mean) {
				t.Errorf("batch row %s: portfolio NPV %s; the run's %v", name, got, rec.NPV.Mean)
			}
			for _, tr := range term[1:] {
				if tr[0] == name && (len(tr) < 7 || tr[6] != money(rec.NPV.Mean)) {
					t.Errorf("batch terminal row %q; want the recommendation's NPV %s", tr, money(rec.NPV.Mean))
				}
			}
		}
	}
}

// agreeDeaths are a run's implied deaths a year as its JSON gives them.
type agreeDeaths struct {
	Now        *float64                  `json:"extra_deaths_a_year"`
	After      *float64                  `json:"extra_deaths_a_year_recommended"`
	NowDrawn   *struct{ Lo, Hi float64 } `json:"extra_deaths_a_year_simulated"`
	AfterDrawn *struct{ Lo, Hi float64 } `json:"extra_deaths_a_year_recommended_simulated"`
}

// checkBatchDeaths checks a batch row's implied deaths a year, without new
// controls and with its portfolio, each with its 90% interval, against the
// run of the same options: the same numbers (so the same at the one decimal
// run's deaths line shows), and blank where the run has none.
func checkBatchDeaths(t *testing.T, name string, head, row []string, d agreeDeaths) {
	t.Helper()
	cols := []string{"Deaths/yr, baseline", "Deaths/yr, baseline 5%", "Deaths/yr, baseline 95%",
		"Deaths/yr, portfolio", "Deaths/yr, portfolio 5%", "Deaths/yr, portfolio 95%"}
	if d.Now == nil {
		for _, c := range cols {
			if got := cellOf(t, head, row, c); got != "" {
				t.Errorf("batch row %s: %s = %q; the run gives no deaths", name, c, got)
			}
		}
		return
	}
	if d.After == nil || d.NowDrawn == nil || d.AfterDrawn == nil {
		t.Fatalf("batch row %s: the run's JSON gives deaths without their intervals: %+v", name, d)
	}
	for k, want := range []float64{*d.Now, d.NowDrawn.Lo, d.NowDrawn.Hi, *d.After, d.AfterDrawn.Lo, d.AfterDrawn.Hi} {
		got := cellOf(t, head, row, cols[k])
		v, err := strconv.ParseFloat(got, 64)
		if err != nil || !sameFloat(got, want) || fmt.Sprintf("%.1f", v) != fmt.Sprintf("%.1f", want) {
			t.Errorf("batch row %s: %s = %q; the run gives %.1f (%v)", name, cols[k], got, want, want)
		}
	}
}

// TestSensitivityEVPIAgreement checks that run --sensitivity's EVPI, the
// value of perfect information about the decision, is one figure in the
// terminal, the JSON, the workbook's Sensitivity sheet and report.html:
// in the quick tier the financial view on agreeArgs' 100 decision draws
// (the figure, not its size, is under test), in the long tier both views
// at the default 10,000. The runs show the frontier too, so that
// TestOneRecommendation shares the financial run's JSON.
func TestSensitivityEVPIAgreement(t *testing.T) {
	t.Parallel()
	views := []string{"financial"}
	if longTier() {
		views = []string{"financial", "social"}
	}
	for _, view := range views {
		t.Run(view, func(t *testing.T) {
			t.Parallel()
			r := agree(t, "--sensitivity", "--frontier", "--view", view)
			var js struct {
				Sensitivity *struct {
					EVPI float64 `json:"evpi"`
					View string  `json:"view"`
				} `json:"sensitivity"`
			}
			a := sensitivityJSONArgs(view)
			res := cachedRun(t, a...)
			mustSucceed(t, res, a)
			if err := json.Unmarshal([]byte(res.stdout), &js); err != nil {
				t.Fatal(err)
			}
			if js.Sensitivity == nil || !(js.Sensitivity.EVPI > 0) || js.Sensitivity.View != view {
				t.Fatalf("JSON sensitivity %+v; want an EVPI above 0 in the %s view", js.Sensitivity, view)
			}
			evpi := js.Sensitivity.EVPI
			want := format.Currency("£").Money(evpi)
			if !strings.Contains(r.terminal, "EVPI "+want+":") {
				t.Errorf("terminal lacks the EVPI %s", want)
			}
			if !strings.Contains(r.page, "(EVPI) is "+want+":") {
				t.Errorf("report.html lacks the EVPI %s", want)
			}
			found := false
			for _, row := range r.book["Sensitivity"] {
				if len(row) > 1 && strings.HasPrefix(row[0], "EVPI") {
					for _, c := range row[1:] {
						found = found || sameFloat(c, evpi)
					}
				}
			}
			if !found {
				t.Errorf("the Sensitivity sheet lacks the EVPI %v", evpi)
			}
		})
	}
}

// sensitivityJSONArgs is the command line of the --json run that
// TestSensitivityEVPIAgreement checks its files run against, in view.
func sensitivityJSONArgs(view string) []string {
	return slices.Concat([]string{"run"}, agreeArgs(), []string{"--sensitivity", "--frontier", "--view", view, "--json", "--no-files"})
}

// checkReproduceRecord checks the figures the workbook's Reproduce sheet
// records for reproduce to compare against: each control's ΔALE and
// deciding NPV and the recommendation with its NPV, exactly the JSON's.
func checkReproduceRecord(t *testing.T, r *agreeRun, byID map[string]agreeControl) {
	t.Helper()
	rec := map[string]string{}
	for _, row := range r.book["Reproduce"] {
		if len(row) >= 2 {
			rec[row[0]] = row[len(row)-1]
			if len(row) >= 3 && row[2] == "" {
				rec[row[0]] = row[1]
			}
		}
	}
	exact := func(name string, want float64) {
		got, err := strconv.ParseFloat(rec[name], 64)
		if err != nil || got != want {
			t.Errorf("Reproduce sheet %q = %q; want the JSON's %v", name, rec[name], want)
		}
	}
	for id, c := range byID {
		exact(id+" ΔALE", c.DeltaALE.Mean)
		exact(id+" NPV", c.NPV.Mean)
	}
	if res := r.JSON.Recommended.Result; res != nil {
		if got, want := rec["recommended portfolio"], strings.Join(r.JSON.Recommended.Controls, "+"); got != want {
			t.Errorf("Reproduce sheet's recommended portfolio %q; the JSON's %q", got, want)
		}
		exact("recommended NPV", res.NPV.Mean)
	}
}
