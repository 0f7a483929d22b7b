package reports

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/model"
)

// Batch is the result of a bulk run: one row per scenario that ran, and the
// problems of those that did not. A part (Shards > 0) holds the scenarios
// of one shard; MergeBatches joins the parts into the whole.
type Batch struct {
	Tool, Version string
	// Baseline names the row the Comparison sets every scenario beside
	// (the Settings' baseline scenario); empty, or a row that did not
	// run, for the first row.
	Baseline string
	// Generated is when the run finished (to the second).
	Generated time.Time
	// Input names the inputs workbook; Digest is the SHA-256 of its bytes,
	// in hex, so parts of different inputs are never merged.
	Input, Digest string
	// Currency and PriceYear state the money convention.
	Currency, PriceYear string
	// CurrencySymbol is written before amounts of money, in the Summary's
	// headings and number formats and the chart: "£", "€", "CHF "; empty
	// means "£".
	CurrencySymbol string
	// Seed is the master seed, Draws × Years the simulation of each row;
	// Scope, Objective and Metric the Settings the rows start from.
	Seed                     uint64
	Draws, Years             int
	Scope, Objective, Metric string
	// RowSeeds is the seed mode: each row without its own seed ran on a
	// seed of its own, from the master seed and its name (--row-seeds),
	// instead of on the master seed.
	RowSeeds bool
	// Total is the number of scenarios in the input.
	Total int
	// Shard and Shards: 0 and 0 for a whole run, else shard Shard (from 1)
	// of Shards, holding the scenarios whose Index−1 is Shard−1 modulo
	// Shards.
	Shard, Shards int
	// Host is the machine that ran a part (empty for a whole run), so that
	// merge can say where a missing or repeated shard ran.
	Host string
	// Rows are the scenarios that ran, in Index order; Errors the problems
	// of those that did not, in Index order.
	Rows   []BatchRow
	Errors []BatchError
}

// BatchRow is one scenario's results.
type BatchRow struct {
	// Index is the scenario's number in the input, from 1; Row its row on
	// the Scenarios sheet.
	Index, Row int
	Name       string
	// The settings the row ran with; View is the view that decides
	// (financial or social: its NPVs and BCRs count harm in the social view).
	Scope string
	Seed  uint64
	View  string
	// Horizon in years; Discount in words ("Green Book schedule", "3.5%").
	Horizon      int
	Discount     string
	OptimismBias float64
	// The multipliers on threat rates, losses and control costs.
	RateMultiplier, LossMultiplier, CostMultiplier float64
	// Controls lists the controls the row allowed ("all" for every one).
	Controls string
	// Budget (yearly, equivalent annual cost) and CapexBudget; +Inf means
	// none.
	Budget, CapexBudget float64
	// The baseline's annual loss: expected (ALE) with its standard error,
	// 95th percentile and TVaR95.
	ALE, ALESE, P95, TVaR95 float64
	// Best is the top control by the ranking metric (nil if the row had no
	// control); Portfolio the best portfolio within the budget (nil without
	// a budget).
	Best, Portfolio *BatchOption
	// Plan is the phased plan within the row's yearly budgets (nil
	// without them).
	Plan *BatchPlan
	// Deaths are the implied statistical excess deaths a year, as run's
	// sanity line gives them (nil when the row values no harm).
	Deaths *BatchDeaths
	// ALEBatches are the batch means over outer draws (see BatchMeans) of
	// the baseline's annual loss, behind the standard errors of the
	// differences of ALE between rows on the Comparison sheet (nil when not
	// recorded). ΔNPV has none: the expected NPVs are exact closed forms.
	ALEBatches []float64
}

// BatchPlan is a row's phased plan, by the closed form.
type BatchPlan struct {
	// Budgets are the yearly budgets as written; Starts each control the
	// plan starts with its start year's label ("N4@2026-27 R-C1@2027-28").
	Budgets, Starts string
	// NPV is the plan's expected NPV, YearOneNPV the best starting
	// everything in year 1, Phasing the difference.
	NPV, YearOneNPV, Phasing float64
}

// BatchDeaths are a row's implied statistical excess deaths a year without
// new controls and with the recommended portfolio (the Portfolio column's):
// each the exact expectation (model.Decision.Deaths and
// DeathsRecommended) with the 90% interval across the outer draws
// (DeathsDrawn, DeathsRecommendedDrawn), the figures run's deaths line shows.
type BatchDeaths struct {
	Baseline, Recommended model.Interval
}

func batchDeathsF(get func(o *BatchDeaths) *float64) func(*BatchRow, bool) *float64 {
	return func(r *BatchRow, alloc bool) *float64 {
		if r.Deaths == nil && alloc {
			r.Deaths = &BatchDeaths{}
		}
		if r.Deaths != nil {
			return get(r.Deaths)
		}
		return nil
	}
}

func batchPlan(p **BatchPlan, alloc bool) *BatchPlan {
	if *p == nil && alloc {
		*p = &BatchPlan{}
	}
	return *p
}

func batchPlanF(get func(o *BatchPlan) *float64) func(*BatchRow, bool) *float64 {
	return func(r *BatchRow, alloc bool) *float64 {
		if o := batchPlan(&r.Plan, alloc); o != nil {
			return get(o)
		}
		return nil
	}
}

func batchPlanS(get func(o *BatchPlan) *string) func(*BatchRow, bool) *string {
	return func(r *BatchRow, alloc bool) *string {
		if o := batchPlan(&r.Plan, alloc); o != nil {
			return get(o)
		}
		return nil
	}
}

// BatchOption is a control or portfolio's appraisal.
type BatchOption struct {
	// Controls are the IDs, joined with "+" (empty for the empty
	// portfolio); Name a single control's name.
	Controls, Name string
	// Cost is the equivalent annual cost; Capex the up-front cost (of a
	// portfolio); DeltaALE the expected annual loss avoided.
	Cost, Capex, DeltaALE float64
	// DecisionNPV, DecisionBCR and DecisionPNPVPositive (P(NPV > 0)) are
	// the figures that decide the row, in its view (with harm avoided
	// counted in the social view, money only in the financial), as
	// model.Result.DecisionNPV is: they change meaning with the row's View,
	// so two rows' figures compare only when their views agree.
	DecisionNPV, DecisionBCR model.Interval
	DecisionPNPVPositive     float64
	// BudgetUsed is a portfolio's cost as a share of its budget.
	BudgetUsed float64
}

// BatchError is a problem that stopped a scenario.
type BatchError struct {
	Index, Row int
	Name       string
	// Cell is where the problem is, e.g. "Scenarios!C7", or empty.
	Cell, Msg string
}

// currency returns the symbol the batch writes money with, "£" when it
// sets none.
func (b *Batch) currency() currency {
	if b.CurrencySymbol == "" {
		return "£"
	}
	return currency(b.CurrencySymbol)
}

// Failed returns the number of scenarios with a problem.
func (b *Batch) Failed() int {
	seen := map[int]bool{}
	for _, e := range b.Errors {
		seen[e.Index] = true
	}
	return len(seen)
}

// The results workbook's sheets.
const (
	batchSummary = "Summary"
	batchChart   = "Chart"
	batchErrors  = "Errors"
	batchAbout   = "About"
)

// batchChartRows is the most scenarios the chart shows.
const batchChartRows = 50

// Cell formats of the results.
const (
	bfText = iota
	bfCount
	bfMoney
	bfRatio
	bfPct
	bfTenths // one decimal place: deaths a year
)

// batchColumn is one column of the Summary sheet: its header, width and
// format, and the row's value, which reading sets.
type batchColumn struct {
	head   string
	width  float64
	format int
	// One of these is set: a float, an int, a text, the seed.
	f    func(r *BatchRow, alloc bool) *float64
	i    func(r *BatchRow) *int
	s    func(r *BatchRow, alloc bool) *string
	seed bool
	// none is written for +Inf (a budget without limit).
	none string
}

func batchOpt(p **BatchOption, alloc bool) *BatchOption {
	if *p == nil && alloc {
		*p = &BatchOption{}
	}
	return *p
}

func batchBestF(get func(o *BatchOption) *float64) func(*BatchRow, bool) *float64 {
	return func(r *BatchRow, alloc bool) *float64 {
		if o := batchOpt(&r.Best, alloc); o != nil {
			return get(o)
		}
		return nil
	}
}

func batchPortF(get func(o *BatchOption) *float64) func(*BatchRow, bool) *float64 {
	return func(r *BatchRow, alloc bool) *float64 {
		if o := batchOpt(&r.Portfolio, alloc); o != nil {
			return get(o)
		}
		return nil
	}
}

func batchRowF(get func(r *BatchRow) *float64) func(*BatchRow, bool) *float64 {
	return func(r *BatchRow, _ bool) *float64 { return get(r) }
}

func batchRowS(get func(r *BatchRow) *string) func(*BatchRow, bool) *string {
	return func(r *BatchRow, _ bool) *string { return get(r) }
}

// batchColumns are the Summary sheet's columns, in order.
var batchColumns = []batchColumn{
	{head: "#", width: 5, format: bfCount, i: func(r *BatchRow) *int { return &r.Index }},
	{head: "Scenario", width: 24, s: batchRowS(func(r *BatchRow) *string { return &r.Name })},
	{head: "Input row", width: 7, format: bfCount, i: func(r *BatchRow) *int { return &r.Row }},
	{head: "Scope", width: 13, s: batchRowS(func(r *BatchRow) *string { return &r.Scope })},
	{head: "Seed", width: 21, seed: true},
	{head: "Horizon (yr)", width: 8, format: bfCount, i: func(r *BatchRow) *int { return &r.Horizon }},
	{head: "Discount", width: 14, s: batchRowS(func(r *BatchRow) *string { return &r.Discount })},
	{head: "Optimism bias", width: 9, format: bfPct, f: batchRowF(func(r *BatchRow) *float64 { return &r.OptimismBias })},
	{head: "Rate ×", width: 7, format: bfRatio, f: batchRowF(func(r *BatchRow) *float64 { return &r.RateMultiplier })},
	{head: "Loss ×", width: 7, format: bfRatio, f: batchRowF(func(r *BatchRow) *float64 { return &r.LossMultiplier })},
	{head: "Cost ×", width: 7, format: bfRatio, f: batchRowF(func(r *BatchRow) *float64 { return &r.CostMultiplier })},
	{head: "Controls allowed", width: 20, s: batchRowS(func(r *BatchRow) *string { return &r.Controls })},
	{head: "Budget (£/yr)", width: 14, format: bfMoney, none: "none", f: batchRowF(func(r *BatchRow) *float64 { return &r.Budget })},
	{head: "Capex budget (£)", width: 14, format: bfMoney, none: "none", f: batchRowF(func(r *BatchRow) *float64 { return &r.CapexBudget })},
	{head: "ALE (£/yr)", width: 14, format: bfMoney, f: batchRowF(func(r *BatchRow) *float64 { return &r.ALE })},
	{head: "ALE SE", width: 12, format: bfMoney, f: batchRowF(func(r *BatchRow) *float64 { return &r.ALESE })},
	{head: "P95 (£/yr)", width: 14, format: bfMoney, f: batchRowF(func(r *BatchRow) *float64 { return &r.P95 })},
	{head: "TVaR95 (£/yr)", width: 14, format: bfMoney, f: batchRowF(func(r *BatchRow) *float64 { return &r.TVaR95 })},
	{head: "Best control", width: 9, s: func(r *BatchRow, alloc bool) *string {
		if o := batchOpt(&r.Best, alloc); o != nil {
			return &o.Controls
		}
		return nil
	}},
	{head: "Best control name", width: 30, s: func(r *BatchRow, alloc bool) *string {
		if o := batchOpt(&r.Best, alloc); o != nil {
			return &o.Name
		}
		return nil
	}},
	{head: "Best cost (£/yr)", width: 14, format: bfMoney, f: batchBestF(func(o *BatchOption) *float64 { return &o.Cost })},
	{head: "Best ΔALE (£/yr)", width: 14, format: bfMoney, f: batchBestF(func(o *BatchOption) *float64 { return &o.DeltaALE })},
	{head: "Best NPV (£, row's view)", width: 14, format: bfMoney, f: batchBestF(func(o *BatchOption) *float64 { return &o.DecisionNPV.Mean })},
	{head: "Best NPV 5% (row's view)", width: 14, format: bfMoney, f: batchBestF(func(o *BatchOption) *float64 { return &o.DecisionNPV.Lo })},
	{head: "Best NPV 95% (row's view)", width: 14, format: bfMoney, f: batchBestF(func(o *BatchOption) *float64 { return &o.DecisionNPV.Hi })},
	{head: "Best BCR (row's view)", width: 8, format: bfRatio, f: batchBestF(func(o *BatchOption) *float64 { return &o.DecisionBCR.Mean })},
	{head: "Best BCR 5% (row's view)", width: 8, format: bfRatio, f: batchBestF(func(o *BatchOption) *float64 { return &o.DecisionBCR.Lo })},
	{head: "Best BCR 95% (row's view)", width: 8, format: bfRatio, f: batchBestF(func(o *BatchOption) *float64 { return &o.DecisionBCR.Hi })},
	{head: "Best P(NPV>0) (row's view)", width: 9, format: bfPct, f: batchBestF(func(o *BatchOption) *float64 { return &o.DecisionPNPVPositive })},
	{head: "Portfolio", width: 24, s: func(r *BatchRow, alloc bool) *string {
		if o := batchOpt(&r.Portfolio, alloc); o != nil {
			return &o.Controls
		}
		return nil
	}},
	{head: "Portfolio cost (£/yr)", width: 14, format: bfMoney, f: batchPortF(func(o *BatchOption) *float64 { return &o.Cost })},
	{head: "Portfolio capex (£)", width: 14, format: bfMoney, f: batchPortF(func(o *BatchOption) *float64 { return &o.Capex })},
	{head: "Budget used", width: 9, format: bfPct, f: batchPortF(func(o *BatchOption) *float64 { return &o.BudgetUsed })},
	{head: "Portfolio ΔALE (£/yr)", width: 14, format: bfMoney, f: batchPortF(func(o *BatchOption) *float64 { return &o.DeltaALE })},
	{head: "Portfolio NPV (£, row's view)", width: 14, format: bfMoney, f: batchPortF(func(o *BatchOption) *float64 { return &o.DecisionNPV.Mean })},
	{head: "Portfolio NPV 5% (row's view)", width: 14, format: bfMoney, f: batchPortF(func(o *BatchOption) *float64 { return &o.DecisionNPV.Lo })},
	{head: "Portfolio NPV 95% (row's view)", width: 14, format: bfMoney, f: batchPortF(func(o *BatchOption) *float64 { return &o.DecisionNPV.Hi })},
	{head: "Portfolio BCR (row's view)", width: 9, format: bfRatio, f: batchPortF(func(o *BatchOption) *float64 { return &o.DecisionBCR.Mean })},
	{head: "Portfolio BCR 5% (row's view)", width: 9, format: bfRatio, f: batchPortF(func(o *BatchOption) *float64 { return &o.DecisionBCR.Lo })},
	{head: "Portfolio BCR 95% (row's view)", width: 9, format: bfRatio, f: batchPortF(func(o *BatchOption) *float64 { return &o.DecisionBCR.Hi })},
	{head: "Portfolio P(NPV>0) (row's view)", width: 9, format: bfPct, f: batchPortF(func(o *BatchOption) *float64 { return &o.DecisionPNPVPositive })},
	{head: "Budget plan", width: 24, s: batchPlanS(func(o *BatchPlan) *string { return &o.Budgets })},
	{head: "Plan starts", width: 30, s: batchPlanS(func(o *BatchPlan) *string { return &o.Starts })},
	{head: "Plan NPV (£)", width: 14, format: bfMoney, f: batchPlanF(func(o *BatchPlan) *float64 { return &o.NPV })},
	{head: "All in year 1 NPV (£)", width: 14, format: bfMoney, f: batchPlanF(func(o *BatchPlan) *float64 { return &o.YearOneNPV })},
	{head: "Value of phasing (£)", width: 14, format: bfMoney, f: batchPlanF(func(o *BatchPlan) *float64 { return &o.Phasing })},
	{head: "View", width: 10, s: batchRowS(func(r *BatchRow) *string { return &r.View })},
	{head: "Deaths/yr, baseline", width: 10, format: bfTenths, f: batchDeathsF(func(o *BatchDeaths) *float64 { return &o.Baseline.Mean })},
	{head: "Deaths/yr, baseline 5%", width: 10, format: bfTenths, f: batchDeathsF(func(o *BatchDeaths) *float64 { return &o.Baseline.Lo })},
	{head: "Deaths/yr, baseline 95%", width: 10, format: bfTenths, f: batchDeathsF(func(o *BatchDeaths) *float64 { return &o.Baseline.Hi })},
	{head: "Deaths/yr, portfolio", width: 10, format: bfTenths, f: batchDeathsF(func(o *BatchDeaths) *float64 { return &o.Recommended.Mean })},
	{head: "Deaths/yr, portfolio 5%", width: 10, format: bfTenths, f: batchDeathsF(func(o *BatchDeaths) *float64 { return &o.Recommended.Lo })},
	{head: "Deaths/yr, portfolio 95%", width: 10, format: bfTenths, f: batchDeathsF(func(o *BatchDeaths) *float64 { return &o.Recommended.Hi })},
}

// batchEmptyPortfolio is how the Portfolio column shows the empty portfolio.
const batchEmptyPortfolio = "(none)"

// batchColumnIndex returns the 1-based column of a Summary header.
func batchColumnIndex(head string) int {
	return slices.IndexFunc(batchColumns, func(c batchColumn) bool { return c.head == head }) + 1
}

// value returns the cell value of column c in row r: nil for blank, as
// for a value that is not a finite number (a BCR of an option that costs
// nothing; no budget): no text in a number column.
func (c *batchColumn) value(r *BatchRow) any {
	switch {
	case c.seed:
		if r.Seed > 1<<53 {
			return strconv.FormatUint(r.Seed, 10)
		}
		return r.Seed
	case c.i != nil:
		return *c.i(r)
	case c.s != nil:
		p := c.s(r, false)
		if p == nil {
			return nil
		}
		if c.head == "Portfolio" && *p == "" {
			return batchEmptyPortfolio
		}
		return *p
	}
	p := c.f(r, false)
	switch {
	case p == nil, math.IsNaN(*p), math.IsInf(*p, 0):
		return nil
	}
	return batchCellFloat(*p)
}

// batchCellFloat rounds x to the 15 significant digits a cell keeps, so
// that what is written is what reads back (excelize would cut the digits,
// leaving trailing zeros in the stored text).
func batchCellFloat(x float64) float64 {
	v, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 15, 64), 64)
	if err != nil {
		return x
	}
	return v
}

// set reads a cell's raw text into column c of row r.
func (c *batchColumn) set(r *BatchRow, v string) error {
	switch {
	case c.seed:
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return fmt.Errorf("want a seed, got %q", v)
		}
		r.Seed = s
	case c.i != nil:
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("want a whole number, got %q", v)
		}
		*c.i(r) = n
	case c.s != nil:
		if c.head == "Portfolio" && v == batchEmptyPortfolio {
			v = ""
		}
		*c.s(r, true) = v
	default:
		var x float64
		switch {
		case v == c.none && c.none != "":
			x = math.Inf(1)
		case v == "n/a":
			x = math.NaN()
		default:
			var err error
			if x, err = strconv.ParseFloat(v, 64); err != nil {
				return fmt.Errorf("want a number, got %q", v)
			}
		}
		*c.f(r, true) = x
	}
	return nil
}

// batchBook is a results workbook being written, keeping the first error.
type batchBook struct {
	f   *excelize.File
	err error
	st  map[int]int // format → style
	hdr int
	cur currency
	// title, wrap and millions are the Comparison sheet's styles: its
	// title, its wrapped note and money in millions.
	title, wrap, millions int
}

func (bb *batchBook) do(err error) {
	if bb.err == nil && err != nil {
		bb.err = err
	}
}

// WriteBatch writes a bulk run's results workbook to w:
//
//	Comparison  each scenario beside the baseline row (the first): its
//	         baseline ALE and P95, its recommendation with its cost a year
//	         and NPV with a 90% interval, and its differences from the
//	         baseline row in ALE and NPV, each with the standard error of
//	         the (paired, when the rows share a seed) difference, and what
//	         changes in the recommendation; one landscape page
//	Summary  one row per scenario that ran, in input order: its settings and
//	         multipliers, the baseline's annual loss (ALE, its standard
//	         error, P95, TVaR95), the best control by the ranking metric
//	         with its cost, NPV and BCR with 90% intervals and P(NPV > 0),
//	         and, for a row with a budget, the best portfolio within it: its
//	         controls, cost, share of the budget used, NPV and BCR
//	Chart    a native chart of ALE, best NPV and portfolio NPV by scenario
//	         (the first 50)
//	Errors   one row per problem of a scenario that did not run: its
//	         number, input row, name, cell and the problem
//	About    the run's provenance: tool, time, input file and its SHA-256,
//	         master seed, draws × years, and how seeds are derived
//	Pairs    (hidden) each row's batch means behind the Comparison's
//	         standard errors, so that merged parts compare as one run
//
// Every visible sheet prints on A4 landscape; the Summary repeats each
// scenario's number and name on every page across.
//
// Amounts of money are in b.CurrencySymbol ("£" when empty): in the
// Summary's headings ("ALE (€/yr)") and number formats and in the chart. A
// symbol other than "£" is recorded on the About sheet, so that ReadBatch
// knows the headings to expect; a workbook in pounds records none.
//
// The Summary is written through a stream writer, so a run of many rows
// holds only its rows. Numbers are written to 15 significant digits (a
// cell's precision). A value that is not a finite number (the BCR of an
// option that costs nothing) and a budget without limit are left blank (the
// About sheet says so): no text in a number column. ReadBatch reads the
// workbook back.
func WriteBatch(w io.Writer, b *Batch) (err error) {
	if len(b.Rows)+1 > excelize.TotalRows || len(b.Errors)+1 > excelize.TotalRows {
		return fmt.Errorf("more rows than a sheet holds (1,048,576)")
	}
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	bb := &batchBook{f: f, st: map[int]int{}, cur: b.currency()}
	bb.do(f.SetSheetName("Sheet1", batchCompare))
	for _, s := range []string{batchSummary, batchChart, batchErrors, batchAbout, batchCheck, batchPairs} {
		_, err := f.NewSheet(s)
		bb.do(err)
	}
	bb.styles()
	bb.comparison(b)
	bb.summary(b)
	bb.chart(b)
	bb.errors(b)
	lines := checkLines(b)
	bb.about(b, resultsDigest(lines))
	bb.check(lines)
	bb.pairs(b)
	for _, s := range []string{batchChart, batchErrors, batchAbout} {
		bb.fitPage(s, 1, 0)
	}
	if bb.err != nil {
		return bb.err
	}
	// Summary, the first sheet, is active in a new file. (SetActiveSheet
	// would read the stream-written sheet back into memory.)
	bb.do(f.SetDocProps(&excelize.DocProperties{
		Title:   "cybercba bulk run: " + b.Input,
		Creator: strings.TrimSpace(b.Tool + " " + b.Version),
		Created: b.Generated.UTC().Format(time.RFC3339), Modified: b.Generated.UTC().Format(time.RFC3339),
		Description: "One row per scenario. Seed, draws, years and the input's SHA-256 are on the About sheet.",
	}))
	if bb.err != nil {
		return bb.err
	}
	// The same results, the same bytes: excelize's order of parts and
	// content types changes from run to run.
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	canon, err := canonicalZip(buf.Bytes())
	if err != nil {
		return err
	}
	_, err = w.Write(canon)
	return err
}

func (bb *batchBook) styles() {
	style := func(s *excelize.Style) int {
		id, err := bb.f.NewStyle(s)
		bb.do(err)
		return id
	}
	num := func(code string) int { return style(&excelize.Style{CustomNumFmt: &code}) }
	bb.hdr = style(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E79"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
	})
	bb.st[bfCount] = num(`#,##0`)
	bb.st[bfMoney] = num(bb.cur.numFmt())
	bb.st[bfRatio] = num(`0.00`)
	bb.st[bfPct] = num(`0.0%`)
	bb.st[bfTenths] = num(`0.0`)
	bb.millions = num(bb.cur.millionsFmt())
	bb.title = style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14, Color: "1F4E79"}})
	bb.wrap = style(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
}

// summary writes the Summary sheet through a stream writer.
func (bb *batchBook) summary(b *Batch) {
	if bb.err != nil {
		return
	}
	// A stream writer carries the page setup the sheet has when it
	// starts: landscape, as many pages across as keep the text readable,
	// the number and name of each scenario repeated on every page across
	// and the header on every page down.
	var w float64
	for _, c := range batchColumns {
		w += c.width
	}
	bb.fitPage(batchSummary, max(1, int(math.Ceil((w-29)/(printChars-29)))), 0)
	bb.do(bb.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: batchSummary + "!$A:$B," + batchSummary + "!$1:$1", Scope: batchSummary}))
	sw, err := bb.f.NewStreamWriter(batchSummary)
	if err != nil {
		bb.do(err)
		return
	}
	for i, c := range batchColumns {
		bb.do(sw.SetColWidth(i+1, i+1, c.width))
	}
	bb.do(sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"}))
	head := make([]any, len(batchColumns))
	for i, c := range batchColumns {
		head[i] = excelize.Cell{StyleID: bb.hdr, Value: bb.cur.in(c.head)}
	}
	bb.do(sw.SetRow("A1", head, excelize.RowOpts{Height: 32}))
	vals := make([]any, len(batchColumns))
	for k := range b.Rows {
		r := &b.Rows[k]
		for i := range batchColumns {
			c := &batchColumns[i]
			v := c.value(r)
			if _, isNum := v.(float64); isNum || c.i != nil {
				v = excelize.Cell{StyleID: bb.st[c.format], Value: v}
			}
			vals[i] = v
		}
		if bb.err == nil {
			bb.do(sw.SetRow(batchCell(1, k+2), vals))
		}
	}
	if bb.err == nil {
		bb.do(sw.AddTable(&excelize.Table{
			Range: batchCell(1, 1) + ":" + batchCell(len(batchColumns), max(len(b.Rows)+1, 2)),
			Name:  "Scenarios", StyleName: "TableStyleLight1",
		}))
	}
	if bb.err == nil {
		bb.do(sw.Flush())
	}
}

func batchCell(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

func batchCol(col int) string {
	return strings.TrimRight(batchCell(col, 1), "0123456789")
}

// chart draws ALE, best NPV and portfolio NPV for the first scenarios.
func (bb *batchBook) chart(b *Batch) {
	if bb.err != nil {
		return
	}
	f, s := bb.f, batchChart
	bb.do(f.SetColWidth(s, "A", "A", 100))
	n := min(len(b.Rows), batchChartRows)
	if n == 0 {
		bb.do(f.SetCellValue(s, "A1", "No scenario ran: see the Errors sheet."))
		return
	}
	note := "Data on the Summary sheet."
	if len(b.Rows) > n {
		note = fmt.Sprintf("The first %d of %d scenarios; all are on the Summary sheet.", n, len(b.Rows))
	}
	bb.do(f.SetCellValue(s, "A1", note))
	ref := func(head string) string {
		c := batchCol(batchColumnIndex(head))
		return fmt.Sprintf("%s!$%s$2:$%s$%d", batchSummary, c, c, n+1)
	}
	series := func(head, colour string) excelize.ChartSeries {
		return excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$1", batchSummary, batchCol(batchColumnIndex(head))),
			Categories: ref("Scenario"),
			Values:     ref(head),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}},
		}
	}
	// Two charts, one measure each: the expected annual loss (a yearly
	// amount), then the NPVs (present values over the horizon).
	millions := slices.ContainsFunc(b.Rows[:n], func(r BatchRow) bool { return r.ALE >= 10e6 })
	prices := strings.TrimSpace(b.Currency + " " + b.PriceYear + " prices")
	npv := []excelize.ChartSeries{series("Best NPV (£, row's view)", "0072B2")}
	if slices.ContainsFunc(b.Rows[:n], func(r BatchRow) bool { return r.Portfolio != nil }) {
		npv = append(npv, series("Portfolio NPV (£, row's view)", "009E73"))
	}
	h := func(k int) uint { return uint(max(280, 22*n*k+140)) }
	for _, c := range []struct {
		at, title string
		series    []excelize.ChartSeries
		legend    string
	}{
		{"A3", "Expected annual loss with no new controls, by scenario (%s a year, %s)", []excelize.ChartSeries{series("ALE (£/yr)", "000000")}, "none"},
		{batchCell(1, 3+int(h(1))/20+2), "NPV of the best control and of the portfolio, by scenario, each in its row's view (%s, %s)", npv, "bottom"},
	} {
		bb.do(f.AddChart(s, c.at, &excelize.Chart{
			Type:   excelize.Bar,
			Series: c.series,
			Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: fmt.Sprintf(c.title, bb.cur.unit(), prices)}}},
			// Scenario names sit at the low end of the axis, clear of
			// bars that run left of zero.
			XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: excelize.Font{Color: "404040"}, TickLabelPosition: excelize.ChartTickLabelLow},
			YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: excelize.Font{Color: "404040"}, NumFmt: excelize.ChartNumFmt{CustomNumFmt: bb.cur.axisFmt(millions)}},
			Legend:    excelize.ChartLegend{Position: c.legend},
			Dimension: excelize.ChartDimension{Width: 900, Height: h(len(c.series))},
		}))
	}
}

// batchErrorsHead is the Errors sheet's header.
var batchErrorsHead = []string{"#", "Input row", "Scenario", "Cell", "Problem"}

func (bb *batchBook) errors(b *Batch) {
	if bb.err != nil {
		return
	}
	f, s := bb.f, batchErrors
	for i, h := range batchErrorsHead {
		bb.do(f.SetCellValue(s, batchCell(i+1, 1), h))
	}
	bb.do(f.SetCellStyle(s, "A1", batchCell(len(batchErrorsHead), 1), bb.hdr))
	for i, w := range []float64{5, 9, 24, 16, 110} {
		bb.do(f.SetColWidth(s, batchCol(i+1), batchCol(i+1), w))
	}
	for k, e := range b.Errors {
		if bb.err != nil {
			return
		}
		row := []any{e.Index, e.Row, e.Name, e.Cell, e.Msg}
		bb.do(f.SetSheetRow(s, batchCell(1, k+2), &row))
	}
	bb.do(f.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
}

// Seed modes, as the About sheet names them.
const (
	seedModeCommon = "common"
	seedModeRow    = "row seeds"
)

func (b *Batch) seedMode() string {
	if b.RowSeeds {
		return seedModeRow
	}
	return seedModeCommon
}

// seedsLine says how the rows were seeded, in the seed mode in force.
func (b *Batch) seedsLine() string {
	if b.RowSeeds {
		return "Seed mode \"row seeds\" (--row-seeds): a row without its own seed uses the first 8 bytes (big-endian) of SHA-256(master seed as 8 big-endian bytes, then the scenario's name), " +
			"so rows differ by their simulation noise too; a row's results depend on its name, not on its place in the sheet, the worker count or the machine that ran it."
	}
	return "Seed mode \"common\": a row without its own seed uses the master seed, so rows share common random numbers and differ by their scenarios alone, not by simulation noise; " +
		"a row's results do not depend on its place in the sheet, the worker count or the machine that ran it."
}

// batchAboutLabels name the About sheet's rows that ReadBatch reads back.
const (
	batchAboutTool      = "Tool"
	batchAboutVersion   = "Version"
	batchAboutGenerated = "Generated (UTC)"
	batchAboutInput     = "Input"
	batchAboutDigest    = "Input SHA-256"
	batchAboutCurrency  = "Currency"
	batchAboutSymbol    = "Currency symbol"
	batchAboutPriceYear = "Price year"
	batchAboutSeed      = "Master seed"
	batchAboutSeedMode  = "Seed mode"
	batchAboutDraws     = "Outer draws"
	batchAboutYears     = "Years per draw"
	batchAboutScope     = "Settings scope"
	batchAboutObjective = "Portfolio objective"
	batchAboutMetric    = "Ranking metric"
	batchAboutBaseline  = "Baseline scenario"
	batchAboutTotal     = "Scenarios in the input"
	batchAboutPart      = "Part"
	batchAboutHost      = "Host"
	batchAboutResults   = "Results SHA-256"
)

func (bb *batchBook) about(b *Batch, results string) {
	if bb.err != nil {
		return
	}
	part := "all"
	if b.Shards > 0 {
		part = fmt.Sprintf("%d of %d", b.Shard, b.Shards)
	}
	seed := any(b.Seed)
	if b.Seed > 1<<53 {
		seed = strconv.FormatUint(b.Seed, 10)
	}
	rows := [][2]any{
		{batchAboutTool, b.Tool},
		{batchAboutVersion, b.Version},
		{batchAboutGenerated, b.Generated.UTC().Format(time.RFC3339)},
		{batchAboutInput, b.Input},
		{batchAboutDigest, b.Digest},
		{batchAboutCurrency, b.Currency},
	}
	// The symbol is recorded only when it is not the default £, so that a
	// workbook in pounds is as it always was.
	if cur := b.currency(); cur != "£" {
		rows = append(rows, [2]any{batchAboutSymbol, string(cur)})
	}
	rows = append(rows, [][2]any{
		{batchAboutPriceYear, b.PriceYear},
		{batchAboutSeed, seed},
		{batchAboutSeedMode, b.seedMode()},
		{batchAboutDraws, b.Draws},
		{batchAboutYears, b.Years},
		{batchAboutScope, b.Scope},
		{batchAboutObjective, b.Objective},
		{batchAboutMetric, b.Metric},
		{batchAboutTotal, b.Total},
		{batchAboutPart, part},
	}...)
	if b.Baseline != "" {
		rows = append(rows, [2]any{batchAboutBaseline, b.Baseline})
	}
	if b.Host != "" {
		rows = append(rows, [2]any{batchAboutHost, b.Host})
	}
	rows = append(rows, [][2]any{
		{batchAboutResults, results},
		{"Scenarios run", len(b.Rows)},
		{"Scenarios failed", b.Failed()},
		{},
		{"Seeds", b.seedsLine()},
		{"Each row", "The Settings with the row's cells in place: threat rates × Rate ×; outage cost rates and fixed costs × Loss ×; " +
			"capex and opex × Cost ×; only the controls allowed. Every control is appraised alone against the baseline on common random numbers; " +
			"with a budget, the best portfolio within it is chosen by exact search and appraised on the same simulated events."},
		{"Intervals", "5% and 95% are the 5th and 95th percentiles across outer draws of the uncertain inputs; ALE SE is the Monte Carlo standard error."},
		{"View", "The NPV, BCR and P(NPV>0) columns of the Summary and the Comparison are in each row's view (its View column): with patient harm avoided counted in a social row, money only in a financial one. " +
			"Rows in different views are not compared on NPV: the Comparison leaves their ΔNPV blank and says why."},
		{"Blank cells", "A blank in a number column of the Summary is not applicable: no budget in the budget columns, a ratio of an option that costs nothing (BCR, ROSI), or an option the row does not have."},
		{"Results digest", "Results SHA-256 is a digest of every Summary and Errors cell and of the lines above that say what was run (the hidden Check sheet holds one per row, column and line). " +
			"cybercba merge recomputes it and refuses a part changed after it was written, naming the cell."},
	}...)
	f, s := bb.f, batchAbout
	bb.do(f.SetColWidth(s, "A", "A", 24))
	bb.do(f.SetColWidth(s, "B", "B", 110))
	for i, r := range rows {
		if r[0] == nil {
			continue
		}
		bb.do(f.SetCellValue(s, batchCell(1, i+1), r[0]))
		bb.do(f.SetCellValue(s, batchCell(2, i+1), r[1]))
	}
}

// Limits on the results workbooks ReadBatch opens.
const (
	maxBatchSize   = 256 << 20
	batchUnzip     = 1 << 30
	batchUnzipPart = 64 << 20
)

// ReadBatch reads a results workbook that WriteBatch wrote, naming it name
// in errors. It opens it with limits on what it unpacks to, and turns a
// panic inside excelize into an error.
func ReadBatch(r io.Reader, name string) (*Batch, error) {
	return readWorkbook(r, name, "results workbook", maxBatchSize, batchUnzip, batchUnzipPart,
		func(f *excelize.File) (*Batch, error) { return readBatch(f, name) })
}

// readBatch reads an open results workbook.
func readBatch(f *excelize.File, name string) (b *Batch, err error) {
	b = &Batch{}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...))
	}
	rows, err := f.GetRows(batchAbout, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, bad("no About sheet: not a cybercba results workbook")
	}
	about := map[string]string{}
	aboutRow := map[string]int{}
	for k, r := range rows {
		if len(r) >= 2 {
			if _, dup := about[r[0]]; !dup {
				about[r[0]], aboutRow[r[0]] = r[1], k+1
			}
		}
	}
	var errs []error
	str := func(k string, dst *string) { *dst = about[k] }
	num := func(k string, dst *int) {
		n, err := strconv.Atoi(about[k])
		if err != nil {
			errs = append(errs, bad("About: %s: want a whole number, got %q", k, about[k]))
		}
		*dst = n
	}
	str(batchAboutTool, &b.Tool)
	str(batchAboutVersion, &b.Version)
	str(batchAboutInput, &b.Input)
	str(batchAboutDigest, &b.Digest)
	str(batchAboutCurrency, &b.Currency)
	str(batchAboutSymbol, &b.CurrencySymbol)
	str(batchAboutPriceYear, &b.PriceYear)
	str(batchAboutScope, &b.Scope)
	str(batchAboutObjective, &b.Objective)
	str(batchAboutMetric, &b.Metric)
	str(batchAboutBaseline, &b.Baseline)
	str(batchAboutHost, &b.Host)
	num(batchAboutDraws, &b.Draws)
	num(batchAboutYears, &b.Years)
	num(batchAboutTotal, &b.Total)
	if b.Generated, err = time.Parse(time.RFC3339, about[batchAboutGenerated]); err != nil {
		errs = append(errs, bad("About: %s: want a time, got %q", batchAboutGenerated, about[batchAboutGenerated]))
	}
	if b.Seed, err = strconv.ParseUint(about[batchAboutSeed], 10, 64); err != nil {
		errs = append(errs, bad("About: %s: want a seed, got %q", batchAboutSeed, about[batchAboutSeed]))
	}
	switch m := about[batchAboutSeedMode]; m {
	case seedModeCommon, seedModeRow:
		b.RowSeeds = m == seedModeRow
	default:
		errs = append(errs, bad("About: %s: want %q or %q, got %q", batchAboutSeedMode, seedModeCommon, seedModeRow, m))
	}
	if p := about[batchAboutPart]; p != "all" {
		if _, err := fmt.Sscanf(p, "%d of %d", &b.Shard, &b.Shards); err != nil || b.Shard < 1 || b.Shard > b.Shards {
			errs = append(errs, bad("About: %s: want all or i of n, got %q", batchAboutPart, p))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if b.Rows, err = readBatchSummary(f, name, b.currency()); err != nil {
		return nil, err
	}
	if err := readPairs(f, name, b.Rows); err != nil {
		return nil, err
	}
	if b.Errors, err = readBatchErrors(f, name); err != nil {
		return nil, err
	}
	if err := verifyBatch(f, name, b, about[batchAboutResults], aboutRow); err != nil {
		return nil, err
	}
	return b, nil
}

// readBatchSummary reads the Summary sheet, whose headings give amounts in
// cur.
func readBatchSummary(f *excelize.File, name string, cur currency) ([]BatchRow, error) {
	rows, err := f.GetRows(batchSummary, excelize.Options{RawCellValue: true})
	if err != nil || len(rows) == 0 {
		return nil, fmt.Errorf("%s: no Summary sheet: not a cybercba results workbook", name)
	}
	for i, c := range batchColumns {
		if head := cur.in(c.head); i >= len(rows[0]) || rows[0][i] != head {
			return nil, fmt.Errorf("%s: Summary!%s: want the header %q: not a results workbook of this version of cybercba", name, batchCell(i+1, 1), head)
		}
	}
	var out []BatchRow
	for k, cells := range rows[1:] {
		var r BatchRow
		var blank []*batchColumn
		for i := range batchColumns {
			c := &batchColumns[i]
			v := ""
			if i < len(cells) {
				v = cells[i]
			}
			if v == "" {
				if c.f != nil {
					blank = append(blank, c)
				}
				if c.f != nil || c.s != nil {
					continue // a blank optional value
				}
			}
			if err := c.set(&r, v); err != nil {
				return nil, fmt.Errorf("%s: Summary!%s: %s: %v", name, batchCell(i+1, k+2), cur.in(c.head), err)
			}
		}
		// A blank number of a row or option that is there is not a finite
		// number: no budget (+Inf) in a budget column, else NaN.
		for _, c := range blank {
			switch p := c.f(&r, false); {
			case p == nil:
			case c.none != "":
				*p = math.Inf(1)
			default:
				*p = math.NaN()
			}
		}
		out = append(out, r)
	}
	return out, nil
}

func readBatchErrors(f *excelize.File, name string) ([]BatchError, error) {
	rows, err := f.GetRows(batchErrors, excelize.Options{RawCellValue: true})
	if err != nil || len(rows) == 0 || !slices.Equal(rows[0], batchErrorsHead) {
		return nil, fmt.Errorf("%s: no Errors sheet with the header %q: not a cybercba results workbook", name, batchErrorsHead)
	}
	if ref := strayCell(rows, len(batchErrorsHead)); ref != "" {
		return nil, fmt.Errorf("%s: Errors!%s: a cell outside the table of errors (columns A to %s, down to its first blank row): added after cybercba wrote the workbook; run it again rather than edit it",
			name, ref, batchCol(len(batchErrorsHead)))
	}
	var out []BatchError
	for k, cells := range rows[1:] {
		if blankRow(cells) {
			break
		}
		cells = append(cells, make([]string, len(batchErrorsHead))...)
		e := BatchError{Name: cells[2], Cell: cells[3], Msg: cells[4]}
		var err error
		if e.Index, err = strconv.Atoi(cells[0]); err != nil {
			return nil, fmt.Errorf("%s: Errors!A%d: want the scenario's number, got %q", name, k+2, cells[0])
		}
		if e.Row, err = strconv.Atoi(cells[1]); err != nil {
			return nil, fmt.Errorf("%s: Errors!B%d: want the scenario's input row, got %q", name, k+2, cells[1])
		}
		out = append(out, e)
	}
	return out, nil
}

// blankRow reports whether a row's cells are all blank.
func blankRow(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

// strayCell returns the first cell, row by row, of a sheet's rows (as
// GetRows reads them, the header first) outside its table: beyond its
// ncols columns, or below its first blank row; "" if there is none.
func strayCell(rows [][]string, ncols int) string {
	end := false
	for k, cells := range rows {
		if k > 0 && blankRow(cells) {
			end = true
			continue
		}
		for i, c := range cells {
			if c != "" && (end || i >= ncols) {
				return batchCell(i+1, k+1)
			}
		}
	}
	return ""
}

// MergeBatches joins the parts of a sharded run into the results of the
// whole, as a single run would have written them: rows back in input
// order, Generated the latest part's. Every part must come from the same
// input (by SHA-256), settings, version and currency symbol, the parts
// must be shards 1 to n of n, each once, and every scenario must be in
// exactly one part, in the shard it belongs to.
func MergeBatches(parts []*Batch, names []string) (*Batch, error) {
	if len(parts) == 0 {
		return nil, errors.New("no parts to merge")
	}
	first := parts[0]
	var errs []error
	bad := func(i int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", names[i], fmt.Sprintf(format, args...)))
	}
	// Each setting is compared with the value most parts hold (the first
	// part's, when none has more parts than it), so that one stale part is
	// the one named, not the others.
	same := func(what, tail string, val func(p *Batch) any) {
		count := map[any]int{}
		for _, p := range parts {
			count[val(p)]++
		}
		most := val(first)
		for _, p := range parts {
			if count[val(p)] > count[most] {
				most = val(p)
			}
		}
		var holders []string
		for i, p := range parts {
			if val(p) == most {
				holders = append(holders, names[i])
			}
		}
		have := holders[0] + " has"
		if len(holders) > 1 {
			have = strings.Join(holders[:len(holders)-1], ", ") + " and " + holders[len(holders)-1] + " have"
		}
		for i, p := range parts {
			if v := val(p); v != most {
				bad(i, "%s %v, but %s %v: %s", what, v, have, most, tail)
			}
		}
	}
	const other = "parts of different runs"
	same("input SHA-256", other, func(p *Batch) any { return p.Digest })
	same("tool version", other, func(p *Batch) any { return p.Version })
	same("master seed", other, func(p *Batch) any { return p.Seed })
	same("seed mode", other+" (one with --row-seeds, one without)", func(p *Batch) any { return p.seedMode() })
	same("draws", other, func(p *Batch) any { return p.Draws })
	same("years", other, func(p *Batch) any { return p.Years })
	same("scope", other, func(p *Batch) any { return p.Scope })
	same("objective", other, func(p *Batch) any { return p.Objective })
	same("metric", other, func(p *Batch) any { return p.Metric })
	same("scenarios", other, func(p *Batch) any { return p.Total })
	same("shard count", other, func(p *Batch) any { return p.Shards })
	same("amounts in", "parts written with different currency symbols cannot be merged", func(p *Batch) any { return fmt.Sprintf("%q", string(p.currency())) })
	n := first.Shards
	shards := map[int]int{}
	for i, p := range parts {
		if p.Shards == 0 {
			bad(i, "not a part: it holds a whole run")
			continue
		}
		if prev, dup := shards[p.Shard]; dup {
			bad(i, "shard %d of %d again (also %s)%s", p.Shard, p.Shards, names[prev], batchRanOn(p, parts[prev], names[prev]))
		}
		shards[p.Shard] = i
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for s := 1; s <= n; s++ {
		if _, ok := shards[s]; !ok {
			errs = append(errs, fmt.Errorf("shard %d of %d is missing: no part holds it (it is Slurm array task %d, or Kubernetes completion index %d, of an array counted from 0)", s, n, s-1, s-1))
		}
	}
	out := *first
	out.Shard, out.Shards, out.Host, out.Rows, out.Errors = 0, 0, "", nil, nil
	where := map[int]int{} // scenario → part
	for i, p := range parts {
		out.Generated = batchLatest(out.Generated, p.Generated)
		seen := map[int]bool{}
		check := func(idx int) {
			if seen[idx] {
				return
			}
			seen[idx] = true
			switch prev, dup := where[idx]; {
			case idx < 1 || idx > p.Total:
				bad(i, "scenario %d: not in the input's 1 to %d", idx, p.Total)
			case (idx-1)%n != p.Shard-1:
				bad(i, "scenario %d does not belong to shard %d of %d", idx, p.Shard, n)
			case dup:
				bad(i, "scenario %d is also in %s", idx, names[prev])
			default:
				where[idx] = i
			}
		}
		for _, r := range p.Rows {
			check(r.Index)
			out.Rows = append(out.Rows, r)
		}
		for _, e := range p.Errors {
			check(e.Index)
			out.Errors = append(out.Errors, e)
		}
	}
	for idx := 1; idx <= first.Total; idx++ {
		if _, ok := where[idx]; !ok && len(errs) == 0 {
			errs = append(errs, fmt.Errorf("scenario %d is in no part", idx))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.SortStableFunc(out.Rows, func(a, b BatchRow) int { return cmp.Compare(a.Index, b.Index) })
	slices.SortStableFunc(out.Errors, func(a, b BatchError) int { return cmp.Compare(a.Index, b.Index) })
	return &out, nil
}

// batchRanOn says where and when two copies of a shard ran, if their parts
// record it.
func batchRanOn(p, prev *Batch, prevName string) string {
	if p.Host == "" && prev.Host == "" {
		return ""
	}
	on := func(b *Batch) string {
		h := b.Host
		if h == "" {
			h = "an unrecorded host"
		}
		return fmt.Sprintf("%s at %s", h, b.Generated.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf(": this copy ran on %s, the one in %s on %s; keep one", on(p), prevName, on(prev))
}

func batchLatest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
