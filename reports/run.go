package reports

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports/format"
	"github.com/xuri/excelize/v2"
)

// Run is one run as its outputs show it: its job (the dataset, the scope's
// model and the settings), the symbol money is written with, and what the
// run adds beside model.Decide's decision: the hold-out incidents
// replayed and, in the social view, the health-economic views.
type Run struct {
	*data.Job
	// Version is the tool's version, for the provenance lines.
	Version string
	// Width is the terminal's width in columns, 0 when not a terminal;
	// Wide asks for the full tables on a narrower one.
	Width int
	Wide  bool
	// Health is the health-economic views of a social-view run (see
	// AddHealth).
	Health *model.HealthEconomics
	// Plan is the phased plan of a run with yearly budgets (see AddPlan).
	Plan *model.PlanAnalysis

	cur          currency
	holdouts     []Holdout
	holdoutsOnce sync.Once
}

// NewRun returns the run of job, made by the tool at version, with money
// written with symbol (or, when it is "", the dataset's currency's).
func NewRun(job *data.Job, version, symbol string) *Run {
	return &Run{Job: job, Version: version, cur: currency(Symbol(job.Dataset, symbol))}
}

// Symbol returns the symbol money is written with: symbol when set, else
// the dataset's currency's.
func Symbol(ds *data.Dataset, symbol string) string {
	if symbol != "" {
		return symbol
	}
	return data.CurrencySymbol(ds.Currency)
}

// WarningText writes a doubtful input's warning, its amounts of money in
// the run's currency.
func (j *Run) WarningText(w model.Warning) string { return w.Text(j.cur.text) }

// bare formats an amount as text does, without the symbol (after a ±).
func (c currency) bare(x float64) string { return format.Currency(c).Bare(x) }

// holdouts replays the dataset's hold-out incidents at the calibrated
// rates, once per job.
func (j *Run) Holdouts() []Holdout {
	j.holdoutsOnce.Do(func() {
		// Each replay is independent: they run side by side.
		j.holdouts = make([]Holdout, len(j.Dataset.Holdouts))
		var wg sync.WaitGroup
		for i, h := range j.Dataset.Holdouts {
			wg.Go(func() {
				j.holdouts[i] = Holdout{
					ID: h.ID, Name: h.Name, Observed: h.Observed.Lo,
					Replay: model.ReplayIncident(h.Incident(), j.Cal.DailyNow, j.Cal.RecoveryNow, j.Spec.Seed),
				}
			})
		}
		wg.Wait()
	})
	return j.holdouts
}

// addHealth adds the health-economic views (cost-effectiveness plane,
// acceptability curves, ICER table, value of information by regression)
// to a social-view run, into job.health; a financial run has none.
func (j *Run) AddHealth(an *model.Analysis, pa *model.PortfolioAnalysis) error {
	if j.Appraisal.View != model.Social || an.Sim.Harm == nil || an.Sim.Draws < 2 {
		return nil // a single draw has no spread to draw planes or curves from
	}
	he, err := model.AnalyseHealthEconomics(an, pa)
	if err != nil {
		return fmt.Errorf("health-economic views: %w", err)
	}
	j.Health = he
	return nil
}

// buildReport gathers what the outputs show.
func (j *Run) Report(d *model.Decision) *Report {
	an := d.Analysis
	ds := j.Dataset
	disc := discountLine(j.Appraisal, j.Spec.Discount)
	rep := &Report{
		Tool: "cybercba", Version: j.Version, Generated: time.Now().UTC(),
		Dataset: ds.File, ScopeID: j.Scope.ID, ScopeName: j.Model.Scope,
		Currency: ds.Currency, PriceYear: ds.PriceYear, CurrencySymbol: string(j.cur),
		Settings: Settings{
			Seed: j.Spec.Seed, Draws: j.Spec.Draws, Years: j.Spec.Years, Horizon: j.Appraisal.Horizon,
			Discount: disc, OptimismBias: j.Appraisal.OptimismBias, Metric: format.Metric(j.Metric),
			TargetSE: j.Config.TargetSE, InputsDigest: j.Digest, Aggregation: format.Aggregation(j.Model),
			View: j.Appraisal.View.String(),
		},
		Model: j.Model, Analysis: an, Decision: d, Explain: explanation(j, d), Portfolio: d.Portfolio, Sensitivity: d.Sensitivity, Health: j.Health, RiskTolerance: j.Tolerance,
		Calibration: Calibration{
			Incident: ds.Calibration.Incident, PriceYear: ds.Calibration.PriceYear,
			Target: ds.Calibration.Total.Lo, LostOutput: ds.Calibration.LostOutput.Lo, IT: ds.Calibration.ITCosts.Lo,
			Spread: ds.Calibration.Spread.Estimate(), Duration: ds.Calibration.Duration.Estimate(),
			Fit: j.Cal,
		},
	}
	rep.Calibration.Holdouts = j.Holdouts()
	for _, ch := range ds.Calibration.Checks {
		rep.Calibration.Checks = append(rep.Calibration.Checks, Check{Name: ch.Name, Value: ch.Value.Lo})
	}
	for _, s := range ds.Sources {
		rep.Sources = append(rep.Sources, Source{ID: s.ID, Publisher: s.Publisher, Title: s.Title, Year: s.Year, URL: s.URL})
	}
	rep.Inputs = InputRows(ds, j.Scope, string(j.cur))
	if j.Plan != nil {
		rep.Plan, rep.PlanSentence = j.Plan, planSentence(j)
	}
	return rep
}

// inputRows lists every input number of the calibration and the scope, as
// used, with its provenance, amounts in the currency cur.
func InputRows(ds *data.Dataset, sc *data.Scope, symbol string) []Input {
	cur := currency(symbol)
	var rows []Input
	money := strings.TrimSpace(string(cur))
	add := func(section, item, field string, measure model.Unit, unit string, n *data.Number) {
		if n == nil {
			return
		}
		rows = append(rows, Input{
			Section: section, Item: item, Field: field, Lo: n.Lo, Hi: n.Hi, Measure: measure, Unit: unit,
			Tag: n.Tag, Sources: strings.Join(n.Src, ", "), Note: n.Note,
		})
	}
	c := &ds.Calibration
	item := c.Incident
	add("Calibration", item, "spread (organisations)", model.Plain, "organisations", &c.Spread)
	add("Calibration", item, "duration (days)", model.Plain, "days", &c.Duration)
	add("Calibration", item, "lost output", model.Money, money+" "+c.PriceYear, &c.LostOutput)
	add("Calibration", item, "IT costs", model.Money, money+" "+c.PriceYear, &c.ITCosts)
	add("Calibration", item, "total", model.Money, money+" "+c.PriceYear, &c.Total)
	add("Calibration", item, "GDP deflator", model.Plain, "ratio", &c.Deflator)
	add("Scope", sc.ID+" "+sc.Name, "organisations", model.Plain, "organisations", &sc.Orgs)
	add("Scope", sc.ID, "daily lost output (override)", model.Money, money+" per organisation-day", sc.Daily)
	add("Scope", sc.ID, "recovery cost (override)", model.Money, money+" per organisation", sc.Recovery)
	for i := range sc.Threats {
		t := &sc.Threats[i]
		it := t.ID + " " + t.Name
		add("Threat", it, "rate", model.Plain, "events per year", &t.Rate)
		add("Threat", it, "dispersion", model.Plain, "φ", t.Dispersion)
		add("Threat", it, "spread", model.Plain, "organisations per event", &t.Spread)
		add("Threat", it, "duration", model.Plain, "outage days", &t.Duration)
		add("Threat", it, "k_daily", model.Plain, "× daily rate", t.KDaily)
		add("Threat", it, "k_recovery", model.Plain, "× recovery rate", t.KRecovery)
		add("Threat", it, "fixed", model.Money, money+" per event", t.Fixed)
	}
	for i := range sc.Controls {
		ctl := &sc.Controls[i]
		it := ctl.ID + " " + ctl.Name
		add("Control", it, "units", model.Plain, "units bought", ctl.Units)
		add("Control", it, "capex", model.Money, money+" per unit", &ctl.Capex)
		add("Control", it, "opex", model.Money, money+" per unit per year", &ctl.Opex)
		add("Control", it, "lifetime", model.Plain, "years", &ctl.Lifetime)
		add("Control", it, "optimism bias", model.Share, "uplift", ctl.OptimismBias)
		for _, e := range ctl.Effects {
			ei := ctl.ID + " on " + e.Threat
			add("Effect", ei, "frequency reduction", model.Share, "fraction", e.Frequency)
			add("Effect", ei, "spread reduction", model.Share, "fraction", e.Spread)
			add("Effect", ei, "duration reduction", model.Share, "fraction", e.Duration)
			add("Effect", ei, "fixed-cost reduction", model.Share, "fraction", e.Fixed)
		}
	}
	return rows
}

// headline returns a run's headline figures, exactly.
func Headline(an *model.Analysis, pa *model.PortfolioAnalysis) [][2]string {
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	b := an.Baseline
	out := [][2]string{
		{"baseline ALE", g(b.ALE)}, {"baseline ALE SE", g(b.ALESE)}, {"baseline P95", g(b.P95)}, {"baseline TVaR95", g(b.TVaR95)},
		{"draws", strconv.Itoa(an.Sim.Draws)},
	}
	for _, r := range an.Results {
		id := strings.Join(r.Controls, "+")
		out = append(out, [2]string{id + " ΔALE", g(r.DeltaALE.Mean)}, [2]string{id + " NPV", g(r.DecisionNPV.Mean)})
	}
	if pa != nil && pa.Result != nil {
		out = append(out, [2]string{"recommended portfolio", strings.Join(pa.Choice.Controls, "+")}, [2]string{"recommended NPV", g(pa.Result.DecisionNPV.Mean)})
	}
	return out
}

// provenanceLabels are the Summary rows that honestly differ between a
// report and its recomputation: when and by which build it was made, and
// the name its dataset was read under.
var provenanceLabels = map[string]bool{"Generated": true, "Tool version": true, "Dataset": true}

// RecomputedCells rebuilds the report's workbook in memory from the
// re-run (d) and compares what a reader sees on every results sheet with
// the file's bytes (CompareWorkbooks), returning what differs; and checks
// the results digest the About sheet records against the file itself. The
// rebuilt workbook takes the file's tool version and dataset name (from
// its Summary sheet), which honestly differ.
func RecomputedCells(fileBytes []byte, file *excelize.File, j *Run, d *model.Decision, rec *Reproduction) ([]CellDiff, error) {
	rep := j.Report(d)
	rep.Reproduce = rec
	skip, values := provenanceCells(file)
	if v, ok := values["Tool version"]; ok {
		rep.Version = strings.TrimSpace(strings.TrimPrefix(v, rep.Tool))
	}
	if v, ok := values["Dataset"]; ok {
		rep.Dataset = v
	}
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, rep); err != nil {
		return nil, fmt.Errorf("recomputing the workbook: %w", err)
	}
	diffs, err := CompareWorkbooks(fileBytes, buf.Bytes(), func(sheet, cell string) bool { return skip[sheet+"!"+cell] })
	if err != nil {
		return nil, err
	}
	recorded, now, err := QuickCheck(fileBytes)
	if err != nil {
		return nil, err
	}
	if recorded != now && len(diffs) == 0 {
		// Nothing else differs: the digest line itself was edited.
		diffs = append(diffs, CellDiff{Sheet: sheetAbout, What: "results digest", File: recorded, Recomputed: now})
	}
	return diffs, nil
}

// provenanceCells returns the file's Summary cells (label and value) of
// the provenanceLabels rows, as "Summary!B40", and their values by label.
func provenanceCells(f *excelize.File) (map[string]bool, map[string]string) {
	out, values := map[string]bool{}, map[string]string{}
	rows, err := f.GetRows("Summary")
	if err != nil {
		return out, values
	}
	for r, row := range rows {
		for c := 0; c+1 < len(row); c++ {
			if label := strings.TrimSpace(row[c]); provenanceLabels[label] {
				cell, _ := excelize.CoordinatesToCellName(c+2, r+1)
				out["Summary!"+cell] = true
				values[label] = row[c+1]
			}
		}
	}
	return out, values
}

// maxCellsShown is how many differing cells reproduce lists.
const maxCellsShown = 20

// writeCellDiffs lists the differing cells, the first maxCellsShown.
func WriteCellDiffs(w io.Writer, diffs []CellDiff) {
	if len(diffs) == 0 {
		return
	}
	what := fmt.Sprintf("%d differences", len(diffs))
	if len(diffs) == 1 {
		what = "1 difference"
	}
	fmt.Fprintf(w, "Different: %s between what a reader sees on the results sheets and what the recorded inputs give:\n", what)
	for i, d := range diffs {
		if i == maxCellsShown {
			fmt.Fprintf(w, "  … and %d more\n", len(diffs)-maxCellsShown)
			break
		}
		fmt.Fprintln(w, "  "+d.String())
	}
}

// WriteReproduction compares the figures rec recorded with the re-run's
// (d) and writes the verdict of cybercba reproduce: what of the recorded
// inputs was edited (changes), the cells that differ, the headline figures
// that differ. checked names the results sheets compared. It returns the
// headline figures that differ, and whether the report is reproduced (no
// change, no cell, no figure differs).
func WriteReproduction(w io.Writer, j *Run, d *model.Decision, path string, rec *Reproduction, changes []string, cells []CellDiff, checked []string) ([]string, bool) {
	now := Headline(d.Analysis, d.Portfolio)
	var diffs []string
	was := map[string]string{}
	for _, fg := range rec.Figures {
		was[fg[0]] = fg[1]
	}
	orNone := func(s string) string {
		if s == "" {
			return "nothing"
		}
		return s
	}
	for _, fg := range now {
		if v, ok := was[fg[0]]; !ok || v != fg[1] {
			diffs = append(diffs, fmt.Sprintf("%s: recorded %s, now %s", fg[0], orNone(v), fg[1]))
		}
		delete(was, fg[0])
	}
	for _, fg := range rec.Figures {
		if _, left := was[fg[0]]; left {
			diffs = append(diffs, fmt.Sprintf("%s: recorded %s, now absent", fg[0], fg[1]))
		}
	}
	fmt.Fprintf(w, "cybercba %s · reproducing %s (%s)\n", j.Version, path, strings.Join(rec.Args, " "))
	if len(changes) > 0 {
		fmt.Fprintln(w, "Digest mismatch: the recorded inputs were edited since the run:")
		for _, c := range changes {
			fmt.Fprintln(w, "  "+c)
		}
	}
	WriteCellDiffs(w, cells)
	if len(diffs) == 0 && len(cells) == 0 {
		fmt.Fprintf(w, "Identical: every cell of the results sheets (%s) and all %d headline figures match bit for bit, and so do their number formats, hidden rows, columns and sheets, charts and the About sheet's text.\n", strings.Join(checked, ", "), len(now))
	} else if len(diffs) > 0 {
		fmt.Fprintf(w, "Different: %d of %d headline figures differ:\n", len(diffs), len(now))
		for _, d := range diffs {
			fmt.Fprintln(w, "  "+d)
		}
	}
	fmt.Fprintln(w, LiveSheetsNote())
	return diffs, len(changes) == 0 && len(diffs) == 0 && len(cells) == 0
}
