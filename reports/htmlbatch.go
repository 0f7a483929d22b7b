package reports

import (
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/cybercba/cybercba/model"
)

// This file writes a batch's HTML page: a comparison of the scenarios on
// its first page, then one section per scenario, from the same Batch the
// results workbook shows, so a merged batch has one too.

// batchFigureRows is the most scenarios the comparison figure shows.
const batchFigureRows = batchChartRows

// WriteBatchHTML writes a batch's results as one self-contained HTML page
// to w.
func WriteBatchHTML(w io.Writer, b *Batch) error {
	page, err := newBatchPage(b)
	if err != nil {
		return err
	}
	return executeHTML(w, "batch", page)
}

// batchPage is what the batch template reads.
type batchPage struct {
	Title, Money, Generated, Caption, Summary, Tool string
	Fonts                                           template.CSS
	Figure                                          *htmlFigure
	Comparison                                      htmlTable
	Errors                                          htmlTable
	Scenarios                                       []batchScenario
	Provenance                                      [][2]string
}

// batchScenario is one scenario's section.
type batchScenario struct {
	ID, Name string
	Settings htmlTable
	Results  htmlTable
}

// batchDecision returns what a row recommends: its best portfolio within
// the budget if it had one, else its best single control.
func batchDecision(r *BatchRow) (*BatchOption, string) {
	if r.Portfolio != nil {
		return r.Portfolio, "best portfolio within the budget"
	}
	return r.Best, "best single control"
}

// optionName names a batch option: its controls, "(none)" when empty.
func batchOptionName(o *BatchOption) string {
	switch {
	case o == nil:
		return "—"
	case o.Controls == "":
		return "(none)"
	case o.Name != "":
		return o.Controls + " " + o.Name
	}
	return o.Controls
}

func newBatchPage(b *Batch) (*batchPage, error) {
	cur := b.currency()
	money := strings.TrimSpace(b.Currency)
	if b.PriceYear != "" {
		money += ", " + b.PriceYear + " prices"
	}
	if u := cur.unit(); u != b.Currency {
		money += " (" + u + ")"
	}
	ran, failed := len(b.Rows), b.Failed()
	p := &batchPage{
		Title:   "Scenario comparison: " + orDefault(b.Input, "batch run"),
		Money:   strings.TrimSpace(money),
		Caption: batchCaption(b),
		Tool:    orDefault(strings.TrimSpace(b.Tool+" "+b.Version), "cybercba"),
		Summary: fmt.Sprintf("%d of %d scenarios ran; %d could not run. Each is simulated with %s outer draws × %s years, its own seed, on common random numbers.",
			ran, ran+failed, failed, thousands(b.Draws), thousands(b.Years)),
	}
	if b.Shards > 1 {
		p.Summary += fmt.Sprintf(" This is shard %d of %d.", b.Shard, b.Shards)
	}
	if !b.Generated.IsZero() {
		p.Generated = b.Generated.UTC().Format("2 January 2006, 15:04 UTC")
	}
	p.Comparison = htmlTable{
		Caption: "Each scenario: the loss at stake and what it recommends",
		Head: []string{"Scenario", "Scope", "View", "Baseline ALE", "P95", "Recommends", "Cost a year", "NPV in the row's view", "NPV 90% interval", "P(NPV > 0) in the row's view",
			"ΔALE vs baseline row", "ΔNPV vs baseline row", "Change in recommendation"},
		Right: map[int]bool{3: true, 4: true, 6: true, 7: true, 8: true, 9: true, 10: true, 11: true},
		Note: "Recommends: the best portfolio within the scenario's budget if it has one, else its best single control. ± one Monte Carlo standard error. " +
			"Δ: the scenario's figure less the baseline row's, as on the workbook's Comparison sheet: ALE ± the standard error of the paired difference; " +
			"the recommended portfolios' expected NPVs are exact, so their difference has no Monte Carlo error. " +
			"NPV and P(NPV > 0) are in each row's view (with patient harm avoided in a social row, money only in a financial one): " +
			"a row in another view than the baseline row's has no ΔNPV, as its change says. A blank is not applicable.",
	}
	base := b.baselineRow()
	for i := range b.Rows {
		r := &b.Rows[i]
		d, _ := batchDecision(r)
		row := []string{r.Name, r.Scope, r.View, withSE(cur, r.ALE, r.ALESE), cur.text(r.P95), batchOptionName(d), "", "", "", "", "", "", "baseline row"}
		if d != nil {
			row[6], row[7], row[8], row[9] = cur.text(d.Cost), cur.text(d.DecisionNPV.Mean), intervalText(cur, d.DecisionNPV), pctText(d.DecisionPNPVPositive)
		}
		if r != base {
			diff := diffOf(r, base)
			row[10], row[12] = withSE(cur, diff.ALE, diff.ALESE), diff.Change
			if !finite(diff.ALESE) {
				row[10] = cur.text(diff.ALE)
			}
			if diff.HasNPV {
				row[11] = cur.text(diff.NPV)
			}
		}
		p.Comparison.Rows = append(p.Comparison.Rows, row)
		p.Scenarios = append(p.Scenarios, batchScenarioOf(b, r))
	}
	if len(b.Errors) > 0 {
		p.Errors = htmlTable{Caption: "Scenarios that could not run", Head: []string{"Scenario", "Row", "Cell", "Problem"}, Right: map[int]bool{1: true}}
		for _, e := range b.Errors {
			p.Errors.Rows = append(p.Errors.Rows, []string{e.Name, strconv.Itoa(e.Row), e.Cell, e.Msg})
		}
	}
	if f, ok, err := batchFigure(b); err != nil {
		return nil, err
	} else if ok {
		inline, fonts, err := inlineFigures([]Figure{f}, batchAlt)
		if err != nil {
			return nil, err
		}
		p.Figure, p.Fonts = inline[f.Name], fonts
	}
	p.Provenance = [][2]string{
		{"Tool", p.Tool},
		{"Inputs workbook", orDefault(b.Input, "not recorded")},
		{"Inputs SHA-256", orDefault(b.Digest, "not recorded")},
		{"Master seed", strconv.FormatUint(b.Seed, 10)},
		{"Simulation per scenario", thousands(b.Draws) + " outer draws × " + thousands(b.Years) + " years"},
		{"Settings the rows start from", fmt.Sprintf("scope %s, objective %s, metric %s", orDefault(b.Scope, "first"), orDefault(b.Objective, "npv"), orDefault(b.Metric, "npv"))},
	}
	if !b.Generated.IsZero() {
		p.Provenance = append(p.Provenance, [2]string{"Generated", b.Generated.UTC().Format(time.RFC3339)})
	}
	return p, nil
}

// batchScenarioOf is one scenario's section: its settings and results.
func batchScenarioOf(b *Batch, r *BatchRow) batchScenario {
	cur := b.currency()
	budget := func(x float64) string {
		if !finite(x) {
			return "no limit"
		}
		return cur.text(x)
	}
	s := batchScenario{ID: "scenario-" + strconv.Itoa(r.Index), Name: r.Name}
	s.Settings = htmlTable{
		Caption: "Settings",
		Head:    []string{"Setting", "Value"},
		Rows: [][]string{
			{"Row of the Scenarios sheet", strconv.Itoa(r.Row)},
			{"Scope", r.Scope},
			{"View (the NPV, BCR and P(NPV > 0) below are in it)", r.View},
			{"Seed", strconv.FormatUint(r.Seed, 10)},
			{"Horizon", strconv.Itoa(r.Horizon) + " years"},
			{"Discounting", r.Discount},
			{"Optimism bias", pctText(r.OptimismBias)},
			{"Multipliers: threat rates, losses, control costs", ratioText(r.RateMultiplier) + ", " + ratioText(r.LossMultiplier) + ", " + ratioText(r.CostMultiplier)},
			{"Controls allowed", r.Controls},
			{"Yearly budget; capital budget", budget(r.Budget) + "; " + budget(r.CapexBudget)},
		},
	}
	s.Results = htmlTable{
		Caption: "Results (" + strings.TrimSpace(cur.unit()+" "+b.PriceYear) + ")",
		Head:    []string{"Measure", "Value", "90% interval"},
		Right:   map[int]bool{1: true},
		Rows: [][]string{
			{"Baseline expected annual loss", withSE(cur, r.ALE, r.ALESE), ""},
			{"Baseline 95th percentile", cur.text(r.P95), ""},
			{"Baseline TVaR95", cur.text(r.TVaR95), ""},
		},
	}
	add := func(what string, o *BatchOption) {
		if o == nil {
			return
		}
		s.Results.Rows = append(s.Results.Rows,
			[]string{what, batchOptionName(o), ""},
			[]string{"  cost a year", cur.text(o.Cost), ""},
			[]string{"  ΔALE a year", cur.text(o.DeltaALE), ""},
			[]string{"  NPV, " + r.View + " view", cur.text(o.DecisionNPV.Mean), intervalText(cur, o.DecisionNPV)},
			[]string{"  BCR, " + r.View + " view", ratioText(o.DecisionBCR.Mean), ratioText(o.DecisionBCR.Lo) + " to " + ratioText(o.DecisionBCR.Hi)},
			[]string{"  P(NPV > 0), " + r.View + " view", pctText(o.DecisionPNPVPositive), ""},
		)
	}
	add("Best single control", r.Best)
	add("Best portfolio within the budget", r.Portfolio)
	if r.Portfolio != nil && finite(r.Portfolio.BudgetUsed) {
		s.Results.Rows = append(s.Results.Rows, []string{"  share of the budget used", pctText(r.Portfolio.BudgetUsed), ""})
	}
	if dt := r.Deaths; dt != nil {
		deaths := func(iv model.Interval) []string {
			return []string{fmt.Sprintf("%.1f", iv.Mean), fmt.Sprintf("%.1f to %.1f", iv.Lo, iv.Hi)}
		}
		s.Results.Rows = append(s.Results.Rows,
			append([]string{"Implied statistical excess deaths a year, no new controls"}, deaths(dt.Baseline)...),
			append([]string{"  with the best portfolio"}, deaths(dt.Recommended)...),
		)
	}
	if pl := r.Plan; pl != nil {
		s.Results.Rows = append(s.Results.Rows,
			[]string{"Phased plan within " + pl.Budgets, orDefault(pl.Starts, "nothing"), ""},
			[]string{"  NPV", cur.text(pl.NPV), ""},
			[]string{"  all in year 1 instead", cur.text(pl.YearOneNPV), ""},
			[]string{"  value of phasing", cur.text(pl.Phasing), ""},
		)
	}
	return s
}

// batchCaption is the provenance line of a batch.
func batchCaption(b *Batch) string {
	parts := []string{orDefault(strings.TrimSpace(b.Tool+" "+b.Version), "cybercba"),
		fmt.Sprintf("%s draws × %s years", thousands(b.Draws), thousands(b.Years)), fmt.Sprintf("master seed %d", b.Seed)}
	if d := b.Digest; d != "" {
		parts = append(parts, "sha256:"+d[:min(len(d), 16)])
	}
	if b.Input != "" {
		parts = append(parts, b.Input)
	}
	return strings.Join(parts, " · ")
}

// batchFigure plots each scenario's recommended option's NPV, mean and
// 90% interval, one row a scenario in input order, the first
// batchFigureRows of them. It is omitted when no scenario has a decision.
func batchFigure(b *Batch) (Figure, bool, error) {
	cur := b.currency()
	var names []string
	var means plotter.XYs
	var bars []interval
	rows := b.Rows[:min(len(b.Rows), batchFigureRows)]
	n := len(rows)
	for k := range rows {
		r := &rows[k]
		y := float64(n - 1 - k)
		d, _ := batchDecision(r)
		names = append(names, clip(r.Name, maxLabel))
		if d == nil {
			continue
		}
		if finite(d.DecisionNPV.Mean) {
			means = append(means, plotter.XY{X: d.DecisionNPV.Mean, Y: y})
		}
		if finite(d.DecisionNPV.Lo) && finite(d.DecisionNPV.Hi) {
			bars = append(bars, interval{y: y, lo: d.DecisionNPV.Lo, hi: d.DecisionNPV.Hi})
		}
	}
	if len(means) == 0 {
		return Figure{}, false, nil
	}
	for i, j := 0, len(names)-1; i < j; i, j = i+1, j-1 {
		names[i], names[j] = names[j], names[i]
	}
	title := "NPV of each scenario's recommendation"
	if len(b.Rows) > n {
		title += fmt.Sprintf(" (first %d of %d)", n, len(b.Rows))
	}
	u := cur.unit()
	if b.PriceYear != "" {
		u += ", " + b.PriceYear + " prices"
	}
	p := newPlot(title, "NPV in each scenario's view ("+u+")\npoint: mean · bar: 90% interval across outer draws", "")
	p.X.Tick.Marker = moneyTicks{linearTicks{Label: cur.text}, cur}
	if err := intervalRows(p, names, means, bars); err != nil {
		return Figure{}, false, fmt.Errorf("scenarios: %w", err)
	}
	h := max(figHeight, vg.Length(0.3*float64(n)+1.8)*vg.Inch)
	f := Figure{Name: "scenarios", Title: title, Caption: wrapCaption(strings.Split(batchCaption(b), " · ")), W: figWidth, H: h, plot: p}
	f.H += captionRoom(f.Caption)
	return f, true, nil
}

// batchAlt describes the comparison figure.
func batchAlt(Figure) string {
	return "Horizontal bars of each scenario's recommended option's NPV with its 90% interval, in the order of the Scenarios sheet."
}
