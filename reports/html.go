package reports

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports/format"
)

// This file writes report.html: the run as one self-contained decision
// paper. It opens with a one-page decision summary, then the ranking, the
// social view, the portfolio and frontier, the loss exceedance curve, the
// sensitivity analysis, the calibration, the assumptions, every input and
// source, and the provenance. Figures are inline SVG drawn by the same
// code as the PNG, SVG and PDF plots; the one font they use is embedded
// once. Nothing is fetched: a Content-Security-Policy forbids it, and the
// one script that runs is the what-if panel's, allowed by its hash
// (whatifpanel.go). Amounts are written by currency.text, the function of the
// plots' ticks and the workbook's notes, so a figure reads the same
// everywhere.

//go:embed html/report.tmpl html/report.css html/whatif.tmpl
var htmlFiles embed.FS

// htmlTemplate is the report's template, parsed once.
var htmlTemplate = template.Must(template.New("report.tmpl").Funcs(template.FuncMap{
	"hasPrefix": strings.HasPrefix,
	"css": func() template.CSS {
		b, err := htmlFiles.ReadFile("html/report.css")
		if err != nil {
			panic(err) // embedded: cannot fail
		}
		return template.CSS(b)
	},
}).ParseFS(htmlFiles, "html/report.tmpl", "html/whatif.tmpl"))

// WriteHTML writes the run's report as one self-contained HTML page to w.
// figs are the report's figures, as Figures returns them, so that a caller
// writing them as files too builds them once; nil builds them.
func WriteHTML(w io.Writer, r *Report, figs []Figure) error {
	page, err := newHTMLPage(r, figs)
	if err != nil {
		return err
	}
	return executeHTML(w, "page", page)
}

// executeHTML runs the named template into a buffer, so that nothing is
// written when it fails.
func executeHTML(w io.Writer, name string, data any) error {
	var buf bytes.Buffer
	if err := htmlTemplate.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("report.html: %w", err)
	}
	_, err := w.Write(joinMinus(buf.Bytes()))
	return err
}

// wordJoiner (U+2060) forbids a line break where it stands, invisibly.
const wordJoiner = "\u2060"

// joinMinus puts a word joiner after every minus sign (U+2212) of the
// page's text, so that a browser never breaks a line between the sign and
// its amount ("−" at the end of one line, "£13.1m" on the next). The
// figures' SVG, the style sheet and any script are left as they are.
func joinMinus(page []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(page) + len(page)/100)
	rest := page
	for len(rest) > 0 {
		// The next stretch that is left alone: a figure or the styles.
		next, end := len(rest), len(rest)
		for _, tag := range [][2]string{{"<svg", "</svg>"}, {"<style", "</style>"}, {"<script", "</script>"}} {
			if i := bytes.Index(rest, []byte(tag[0])); i >= 0 && i < next {
				next = i
				if j := bytes.Index(rest[i:], []byte(tag[1])); j >= 0 {
					end = i + j + len(tag[1])
				} else {
					end = len(rest)
				}
			}
		}
		out.Write(bytes.ReplaceAll(rest[:next], []byte(format.Minus), []byte(format.Minus+wordJoiner)))
		out.Write(rest[next:end])
		rest = rest[end:]
	}
	return out.Bytes()
}

// htmlPage is what the template of a run's report reads: every value
// already formatted.
type htmlPage struct {
	Title, Scope, Money, Generated, Caption string
	// Fonts are the @font-face rules of the figures' fonts.
	Fonts       template.CSS
	Decision    htmlDecision
	Ranking     htmlTable
	RankingFig  *htmlFigure
	Social      *htmlSocial
	Portfolio   *htmlPortfolio
	Plan        *htmlPlan
	Losses      htmlLosses
	Sensitivity *htmlSensitivity
	// WhatIf is the live what-if panel (whatifpanel.go).
	WhatIf      *htmlWhatIf
	Calibration htmlCalibration
	// BuildUpFig is the waterfall of the recommendation's build-up.
	BuildUpFig *htmlFigure
	// Health are the figures of the health-economic views.
	Health []*htmlFigure
	// Further are the figures no section places.
	Further     []*htmlFigure
	Assumptions []string
	Inputs      htmlTable
	Sources     []Source
	Provenance  [][2]string
	// ReproduceArgs is the command that reproduces the run, one
	// shell-quoted argument a word (commandWords): the page breaks the
	// line only between them.
	ReproduceArgs []string
	Tool          string
}

// htmlDecision is the one-page decision summary.
type htmlDecision struct {
	// Recommendation is the answer in one sentence.
	Recommendation string
	// Losses is the annual loss today and with the recommendation;
	// Headline the recommendation's appraisal.
	Losses, Headline htmlTable
	// BuildUp is the recommended portfolio control by control, with a
	// heading and a note on how it is built.
	BuildUpTitle, BuildUpNote string
	BuildUp                   htmlTable
	// LeftOut says why each control with a positive NPV alone is not in
	// the recommendation.
	LeftOut []string
	// WeakPoint is the input the answer is most sensitive to and its
	// switching value, in words; empty without a sensitivity analysis.
	// TopWeakPoint is the same for the top-ranked control, when it
	// differs.
	WeakPoint, TopWeakPoint string
	// Deaths is the social view's line on implied deaths.
	Deaths string
	// RiskTolerance states the organisation's risk tolerance against the
	// recommendation's loss exceedance, if the run has one.
	RiskTolerance string
	// Calibration is the calibration and hold-out line.
	Calibration string
	// Confidence says whether the leader is clear of the runner-up.
	Confidence string
}

// htmlTable is a table: its caption, header and rows of cells. Columns
// listed in Right are right-aligned (numbers).
type htmlTable struct {
	Caption string
	Head    []string
	Rows    [][]string
	Right   map[int]bool
	// Class is the table's CSS class, if any.
	Class string
	// Note is printed under the table.
	Note string
}

// Align returns the CSS class of column j.
func (t htmlTable) Align(j int) string {
	if t.Right[j] {
		return "num"
	}
	return ""
}

// htmlFigure is one inline figure.
type htmlFigure struct {
	ID, Title, Alt string
	SVG            template.HTML
}

type htmlSocial struct {
	Figure *htmlFigure
	Table  htmlTable
	Intro  string
}

type htmlPortfolio struct {
	// Heading names the section as the run has it: under the budget when
	// there is one.
	Heading  string
	Intro    string
	Table    htmlTable
	Frontier *htmlFigure
	Points   htmlTable
}

type htmlLosses struct {
	LEC, Histogram *htmlFigure
	Percentiles    htmlTable
}

type htmlSensitivity struct {
	Intro    string
	Tornado  *htmlFigure
	Bars     htmlTable
	Switches htmlTable
	VOI      string
	EVPPI    htmlTable
}

type htmlCalibration struct {
	Figure   *htmlFigure
	Fit      htmlTable
	Holdouts htmlTable
}

// newHTMLPage gathers what the report shows.
func newHTMLPage(r *Report, figs []Figure) (*htmlPage, error) {
	opts, err := options(r)
	if err != nil {
		return nil, err
	}
	if figs == nil {
		if figs, err = Figures(r); err != nil {
			return nil, err
		}
	}
	inline, fonts, err := inlineFigures(figs, func(f Figure) string { return altText(r, f) })
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	take := func(name string) *htmlFigure {
		used[name] = true
		return inline[name]
	}
	p := &htmlPage{
		Title:       "Cost-benefit of cyber-security controls: " + scopeName(r),
		Scope:       scopeName(r),
		Money:       moneyText(r),
		Caption:     caption(r),
		Fonts:       fonts,
		Decision:    decisionOf(r, opts),
		Ranking:     rankingTable(r),
		RankingFig:  take("ranking"),
		Losses:      htmlLosses{LEC: take("lec"), Histogram: take("histogram"), Percentiles: percentileTable(r, opts)},
		Calibration: calibrationOf(r, take("calibration")),
		Assumptions: pageWords(aboutText(r)),
		Inputs:      inputTable(r),
		Sources:     r.Sources,
		Provenance:  provenanceRows(r),
		Tool:        orDefault(strings.TrimSpace(r.Tool+" "+r.Version), "cybercba"),
	}
	if !r.Generated.IsZero() {
		p.Generated = r.Generated.UTC().Format("2 January 2006, 15:04 UTC")
	}
	if r.Reproduce != nil {
		cmd := append([]string{"cybercba", "run"}, r.Reproduce.Args...)
		if r.Dataset != "" && !strings.Contains(r.Dataset, "embedded") {
			cmd = append(cmd, r.Dataset)
		}
		p.ReproduceArgs = commandWords(cmd)
	}
	if hasSocial(r) {
		p.Social = socialOf(r, take("ranking-social"))
	}
	if r.Portfolio != nil {
		p.Portfolio = portfolioOf(r, take("frontier"))
	}
	if r.Plan != nil {
		p.Plan = planOf(r, take("plan"))
	}
	if r.Sensitivity != nil {
		p.Sensitivity = sensitivityOf(r, take("tornado"))
	}
	if p.WhatIf, err = whatIfPanel(r); err != nil {
		return nil, err
	}
	p.BuildUpFig = take("buildup")
	if r.Health != nil {
		// The planes first, each a page, then the curves.
		var names []string
		for _, f := range figs {
			if f.Name == "ce-plane" || strings.HasPrefix(f.Name, "ce-plane-") {
				names = append(names, f.Name)
			}
		}
		for _, name := range append(names, "ceac", "budget-acceptability", "evpi", "evppi") {
			if f := take(name); f != nil {
				p.Health = append(p.Health, f)
			}
		}
	}
	// A figure no section places still goes in, after the calibration.
	for _, f := range figs {
		if !used[f.Name] {
			p.Further = append(p.Further, inline[f.Name])
		}
	}
	return p, nil
}

// moneyText states the money convention: "GBP, 2024-25 prices (£)".
func moneyText(r *Report) string {
	s := strings.TrimSpace(strings.Trim(r.Currency+", "+r.PriceYear+" prices", ", "))
	if r.PriceYear == "" {
		s = r.Currency
	}
	if u := currencyOf(r).unit(); u != r.Currency {
		s = strings.TrimSpace(s + " (" + u + ")")
	}
	return s
}

// pctText writes a share as the terminal does (format.Percent): 12.3%.
func pctText(x float64) string { return format.Percent(x) }

// ratioText writes a ratio as the terminal does (format.Ratio): 2.56.
func ratioText(x float64) string { return format.Ratio(x) }

// intervalText writes a 90% interval of amounts: "£12.3m to £45.6m".
func intervalText(cur currency, iv model.Interval) string {
	return cur.interval(iv.Lo, iv.Hi)
}

// withSE writes an amount and its standard error, "£12.3m ± £1.2m", the
// ± held to the error so that a narrow column breaks before it.
func withSE(cur currency, x, se float64) string {
	return cur.text(x) + " ±\u00a0" + cur.text(se)
}

// recommendation returns what the report recommends: its controls, its
// appraisal and how it was chosen. The chosen portfolio under a budget
// wins over every control with a positive NPV.
func recommendation(r *Report) (ids []string, res *model.Result, how string) {
	an := r.Analysis
	if d := r.Decision; d != nil && d.Portfolio != nil {
		pa := d.Portfolio
		how := "the best set of controls by exact search, maximising " + objectiveShort(pa.Objective)
		if d.Budgeted {
			how += " " + withinText(currencyOf(r), pa.Constraints)
		}
		if len(pa.Choice.Controls) == 0 {
			how = "no set of controls improves on doing nothing"
		}
		return pa.Choice.Controls, pa.Result, how
	}
	if pa := r.Portfolio; pa != nil {
		return pa.Choice.Controls, pa.Result, "the best portfolio " + withinText(currencyOf(r), pa.Constraints) +
			", maximising " + objectiveShort(pa.Objective) + " by exact search"
	}
	if rec := an.Recommended; rec != nil {
		return rec.Controls, rec, "every control whose NPV alone is positive, appraised together"
	}
	return nil, nil, "no control has a positive NPV on its own"
}

// namesOf lists controls as "ID Name" joined in prose: "A, B and C".
func namesOf(m *model.Model, ids []string) string {
	var out []string
	for _, id := range ids {
		name := id
		for _, c := range m.Controls {
			if c.ID == id {
				name = strings.TrimSpace(c.ID + " " + c.Name)
			}
		}
		out = append(out, name)
	}
	switch len(out) {
	case 0:
		return "none"
	case 1:
		return out[0]
	}
	return strings.Join(out[:len(out)-1], "; ") + " and " + out[len(out)-1]
}

// decisionOf writes the decision summary.
func decisionOf(r *Report, opts []option) htmlDecision {
	an := r.Analysis
	cur := currencyOf(r)
	base := an.Baseline
	h := an.Appraisal.Horizon
	ids, res, how := recommendation(r)
	var d htmlDecision
	switch {
	case len(ids) == 0:
		d.Recommendation = fmt.Sprintf("Fund none of the %d controls appraised: %s, so on these inputs none pays for itself over %d years.",
			len(an.Results), how, h)
	case res == nil:
		d.Recommendation = fmt.Sprintf("Fund %s (%s).", namesOf(r.Model, ids), how)
	default:
		d.Recommendation = fmt.Sprintf("Fund %s: together they cost %s a year and avoid %s of expected loss a year, "+
			"for a net present value of %s over %d years (90%% interval %s; %.0f%% chance it is positive).",
			namesOf(r.Model, ids), cur.text(res.EAC.Mean), cur.text(res.DeltaALE.Mean), cur.text(res.DecisionNPV.Mean), h,
			intervalText(cur, res.DecisionNPV), 100*res.InView(an.Appraisal.View).PNPVPositive)
	}
	d.Losses = htmlTable{
		Caption: "Annual loss (" + prices(r) + ")",
		Head:    []string{"Measure", "Today", "With the recommendation"},
		Right:   map[int]bool{1: true, 2: true},
	}
	with := func(f func(model.Summary) string) string {
		if res == nil {
			return "—"
		}
		return f(res.Loss)
	}
	d.Losses.Rows = [][]string{
		{"Expected (ALE)", withSE(cur, base.ALE, base.ALESE), with(func(s model.Summary) string { return withSE(cur, s.ALE, s.ALESE) })},
		{"1 year in 20 worse than (P95)", cur.text(base.P95), with(func(s model.Summary) string { return cur.text(s.P95) })},
		{"Mean of the worst 5% (TVaR95)", cur.text(base.TVaR95), with(func(s model.Summary) string { return cur.text(s.TVaR95) })},
	}
	d.Losses.Note = "± one Monte Carlo standard error. Gordon–Loeb bound on the yearly security spend worth making, (1/e) × ALE today: " + cur.text(an.GordonLoeb) + "."
	if res != nil {
		fig := res.InView(an.Appraisal.View)
		d.Headline = htmlTable{
			Caption: fmt.Sprintf("The recommendation over %d years", h),
			Head:    []string{"Measure", "Expected", "90% interval"},
			Right:   map[int]bool{1: true, 2: true},
			Rows: [][]string{
				{"NPV", cur.text(res.DecisionNPV.Mean), intervalText(cur, res.DecisionNPV)},
				{"NPV simulated (the check, ± 1 SE)", withSE(cur, res.DecisionSimNPV, res.DecisionNPVSE), ""},
				{"P(NPV > 0)", pctText(fig.PNPVPositive), ""},
				{"Loss avoided a year (ΔALE)", cur.text(res.DeltaALE.Mean), intervalText(cur, res.DeltaALE)},
				{"Cost a year (EAC)", cur.text(res.EAC.Mean), intervalText(cur, res.EAC)},
				{"Benefit–cost ratio", ratioText(fig.BCR.Mean), ratioText(fig.BCR.Lo) + " to " + ratioText(fig.BCR.Hi)},
			},
		}
	}

	if dec := r.Decision; dec != nil {
		// The sentences the terminal prints, written once (sentences.go).
		ex := r.Explain
		d.BuildUp = buildUpTable(r, dec)
		d.LeftOut, d.WeakPoint, d.TopWeakPoint = ex.LeftOut, ex.WeakPoint, ex.TopWeakPoint
		d.Deaths = ex.Deaths
		if ex.Recommendation != "" {
			d.Recommendation = ex.Recommendation
		}
	} else {
		d.BuildUpTitle, d.BuildUpNote, d.BuildUp = buildUpOf(r, ids)
	}
	d.RiskTolerance = riskToleranceOf(r)
	d.Calibration = calibrationLine(r)
	d.Confidence = confidenceLine(r)
	return d
}

// buildUpOf returns the recommended portfolio's make-up when the report
// has no model.Decision: each of its controls with its appraisal alone, in
// rank order.
func buildUpOf(r *Report, ids []string) (title, note string, t htmlTable) {
	an := r.Analysis
	cur := currencyOf(r)
	t = htmlTable{
		Caption: "The recommended controls, each appraised alone",
		Head:    []string{"Rank", "Control", "Cost a year", "ΔALE a year", "NPV alone", "90% interval", "P(NPV > 0)"},
		Right:   map[int]bool{0: true, 2: true, 3: true, 4: true, 6: true},
	}
	for k, i := range an.Ranking.Order {
		res := &an.Results[i]
		if !slices.Contains(ids, res.Controls[0]) {
			continue
		}
		c := r.Model.Controls[res.Portfolio[0]]
		t.Rows = append(t.Rows, []string{strconv.Itoa(k + 1), strings.TrimSpace(c.ID + " " + c.Name), cur.text(res.EAC.Mean),
			cur.text(res.DeltaALE.Mean), cur.text(res.DecisionNPV.Mean), intervalText(cur, res.DecisionNPV), pctText(res.InView(an.Appraisal.View).PNPVPositive)})
	}
	note = "Controls on the same threat overlap, so together they are worth less than the sum of their values alone."
	return "What the recommendation is made of", note, t
}

// inputValue writes an input's value: a share, an amount or a number.
func inputValue(cur currency, in model.Input, x float64) string {
	switch {
	case !finite(x):
		return "n/a"
	case in.Unit == model.Share:
		return pctText(x)
	case in.Unit == model.Money:
		return cur.text(x)
	}
	return format.Number(x)
}

// riskToleranceOf states the risk tolerance against the baseline and the
// recommendation as the terminal does, or, without that statement, the
// tolerance drawn on the loss exceedance curve; "" when the run has none.
func riskToleranceOf(r *Report) string {
	if r.Explain.Tolerance != "" {
		return r.Explain.Tolerance
	}
	if len(r.RiskTolerance) == 0 {
		return ""
	}
	cur := currencyOf(r)
	var parts []string
	for _, p := range r.RiskTolerance {
		parts = append(parts, fmt.Sprintf("a loss above %s in at most %s years", cur.text(p.Loss), returnText(p.Exceedance)))
	}
	return "The organisation's stated risk tolerance: " + strings.Join(parts, "; ") + " (drawn on the loss exceedance curve)."
}

// returnText writes an exceedance probability as "1 in N".
func returnText(p float64) string {
	if !(p > 0) {
		return "none"
	}
	return format.ReturnPeriod(1 / p)
}

// calibrationLine sums up the calibration and the hold-outs: the fit, and
// the hold-out line as the terminal writes it (HoldoutLine).
func calibrationLine(r *Report) string {
	h := r.Explain.Holdouts
	if h == "" {
		h = HoldoutLine(r.Calibration.Holdouts)
	}
	return strings.TrimSpace(calibrationFitLine(r) + " " + h)
}

// calibrationFitLine says what the outage costs are calibrated on and how
// the replay of that incident comes out.
func calibrationFitLine(r *Report) string {
	c := r.Calibration
	cur := currencyOf(r)
	if c.Target <= 0 {
		return ""
	}
	rp := c.Fit.Replay
	return fmt.Sprintf("Outage costs are calibrated on %s (%s reported, %s prices): replayed through the model it costs %s on average "+
		"(90%% interval %s to %s).", orDefault(c.Incident, "the calibration incident"), cur.text(c.Target), orDefault(c.PriceYear, "its own"),
		cur.text(rp.SimMean), cur.text(rp.P5), cur.text(rp.P95))
}

// confidenceLine says whether the top two controls are told apart.
func confidenceLine(r *Report) string {
	an := r.Analysis
	if len(an.Ranking.Order) < 2 {
		return ""
	}
	cur := currencyOf(r)
	diff, se, need := an.Separation()
	if need <= an.DecisionDraws() {
		return fmt.Sprintf("The top two controls differ in expected NPV by %s; over %s draws of the uncertain inputs that difference is estimated to ± %s, more than three standard errors: they are told apart.", cur.text(diff), thousands(an.DecisionDraws()), cur.text(se))
	}
	return fmt.Sprintf("The top two controls differ in expected NPV by %s ± %s (over %s draws of the uncertain inputs), within three standard errors: about %s decision draws would tell them apart.",
		cur.text(diff), cur.text(se), thousands(an.DecisionDraws()), thousands(need))
}

// rankingTable is every control alone, in rank order.
func rankingTable(r *Report) htmlTable {
	an := r.Analysis
	cur := currencyOf(r)
	h := an.Appraisal.Horizon
	t := htmlTable{
		Caption: fmt.Sprintf("Each control alone, ranked by %s (%s view; NPV over %d years, %s)", metricName(r), viewName(r), h, discountText(r)),
		Head:    []string{"Rank", "Control", "Cost a year", "ΔALE a year", "NPV", "NPV 90% interval", "BCR", "ROSI", "P(NPV > 0)", "P(rank 1)", "Payback"},
		Class:   "named",
		Right:   map[int]bool{0: true, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true, 8: true, 9: true, 10: true},
		Note: "Cost a year is the equivalent annual cost (capex and renewals annuitised, plus opex, with optimism bias); payback is discounted. " +
			levelsText(an, an.Sim.Years),
	}
	for k, i := range an.Ranking.Order {
		res := &an.Results[i]
		c := r.Model.Controls[res.Portfolio[0]]
		fig := res.InView(an.Appraisal.View)
		pb := fmt.Sprintf("> %d years", h)
		if fig.Payback > 0 {
			pb = fmt.Sprintf("year %d", fig.Payback)
		}
		rank1 := ""
		if i < len(an.Ranking.Prob) && len(an.Ranking.Prob[i]) > 0 {
			rank1 = pctText(an.Ranking.Prob[i][0])
		}
		t.Rows = append(t.Rows, []string{strconv.Itoa(k + 1), strings.TrimSpace(c.ID + " " + c.Name), cur.text(res.EAC.Mean),
			cur.text(res.DeltaALE.Mean), cur.text(res.DecisionNPV.Mean),
			intervalText(cur, res.DecisionNPV), ratioText(fig.BCR.Mean), pctText(fig.ROSI.Mean), pctText(fig.PNPVPositive), rank1, pb})
	}
	return t
}

// percentileTable is the annual-loss distribution of the baseline, each
// control and the recommended portfolio.
func percentileTable(r *Report, opts []option) htmlTable {
	cur := currencyOf(r)
	t := htmlTable{
		Caption: "Annual loss: the baseline, each control alone and the recommended portfolio (" + prices(r) + ")",
		Head:    []string{"Option", "ALE", "P50", "P90", "P95", "P99", "TVaR95"},
		Right:   map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true},
		Note:    "ALE is the mean loss a year; P95 is exceeded one year in twenty; TVaR95 is the mean of the worst 5% of years. ± one standard error.",
	}
	for _, o := range opts {
		s := o.sum
		label := o.label
		if res := o.result; res != nil && len(res.Portfolio) == 1 && o.short != "Recommended" {
			c := r.Model.Controls[res.Portfolio[0]]
			label = strings.TrimSpace(c.ID + " " + c.Name)
		}
		t.Rows = append(t.Rows, []string{label, withSE(cur, s.ALE, s.ALESE), cur.text(s.P50), cur.text(s.P90),
			withSE(cur, s.P95, s.P95SE), cur.text(s.P99), withSE(cur, s.TVaR95, s.TVaR95SE)})
	}
	return t
}

// socialOf is the social view: each control in both views.
func socialOf(r *Report, fig *htmlFigure) *htmlSocial {
	cur := currencyOf(r)
	t := htmlTable{
		Caption: "Each control in the financial and the social view (NPV over " + strconv.Itoa(r.Analysis.Appraisal.Horizon) + " years)",
		Head:    []string{"Control", "Financial NPV", "Rank", "Harm avoided a year", "Social NPV", "Social 90% interval", "Rank", "Differs"},
		Right:   map[int]bool{1: true, 2: true, 3: true, 4: true, 6: true},
	}
	for _, s := range socialRows(r) {
		so := s.res.Social
		t.Rows = append(t.Rows, []string{strings.TrimSpace(s.ctl.ID + " " + s.ctl.Name), cur.text(s.moneyNPV().Mean), strconv.Itoa(s.finRank),
			cur.text(so.DeltaHarm.Mean), cur.text(so.NPV.Mean), intervalText(cur, so.NPV), strconv.Itoa(s.socRnk), s.differs()})
	}
	return &htmlSocial{
		Figure: fig, Table: t,
		Intro: fmt.Sprintf("The social view counts patient harm, valued in money, beside the financial loss: the baseline harm is %s a year (± %s).",
			cur.text(r.Analysis.BaselineHarm), cur.text(r.Analysis.BaselineHarmSE)),
	}
}

// portfolioOf is the best portfolio under the budget, and the frontier.
func portfolioOf(r *Report, fig *htmlFigure) *htmlPortfolio {
	pa := r.Portfolio
	cur := currencyOf(r)
	ch := pa.Choice
	proven := "proven best"
	if !ch.Optimal {
		proven = "the best found, not proven best"
	}
	heading := "The best portfolio, with no budget limit"
	if !math.IsInf(pa.Constraints.Annual, 1) || !math.IsInf(pa.Constraints.Capex, 1) {
		heading = "The best portfolio under the budget"
	}
	p := &htmlPortfolio{
		Heading: heading,
		Intro: fmt.Sprintf("The best set of controls %s, maximising %s (%s, %s; %s evaluated): %s.", withinText(cur, pa.Constraints),
			objectiveShort(pa.Objective), ch.Method, proven, thousands(ch.Evaluated), namesOf(r.Model, ch.Controls)),
		Frontier: fig,
	}
	t := htmlTable{Caption: "The chosen portfolio", Head: []string{"Measure", "Value", "90% interval"}, Right: map[int]bool{1: true}}
	t.Rows = append(t.Rows,
		[]string{"Equivalent annual cost", cur.text(ch.Annual), ""},
		[]string{"Capex (year 0)", cur.text(ch.Capex), ""},
		[]string{"Spend as a share of the Gordon–Loeb bound", pctText(model.GordonLoebShare(ch.Annual, r.Analysis.Baseline.ALE)), ""},
	)
	if res := pa.Result; res != nil {
		fig := res.InView(r.Analysis.Appraisal.View)
		t.Rows = append(t.Rows,
			[]string{"ΔALE a year", cur.text(res.DeltaALE.Mean), intervalText(cur, res.DeltaALE)},
			[]string{"ΔALE a year, simulated (the check, ± 1 SE)", withSE(cur, res.SimDeltaALE, res.DeltaALESE), ""},
			[]string{"NPV", cur.text(res.DecisionNPV.Mean), intervalText(cur, res.DecisionNPV)},
			[]string{"NPV, simulated (the check, ± 1 SE)", withSE(cur, res.DecisionSimNPV, res.DecisionNPVSE), ""},
			[]string{"BCR", ratioText(fig.BCR.Mean), ratioText(fig.BCR.Lo) + " to " + ratioText(fig.BCR.Hi)},
			[]string{"P(NPV > 0)", pctText(fig.PNPVPositive), ""},
			[]string{"P95 of annual loss, baseline → with it", cur.text(r.Analysis.Baseline.P95) + " → " + cur.text(res.Loss.P95), ""},
			[]string{"TVaR95, baseline → with it", cur.text(r.Analysis.Baseline.TVaR95) + " → " + cur.text(res.Loss.TVaR95), ""},
		)
	}
	p.Table = t
	if len(pa.Frontier) > 0 {
		pt := htmlTable{
			Caption: "The efficient frontier: the best portfolio at each budget",
			Head:    []string{"Budget", "Controls", "Cost", objectiveName(pa.Objective), "NPV 90% interval"},
			Right:   map[int]bool{0: true, 2: true, 3: true},
		}
		for _, fp := range pa.Frontier {
			iv := ""
			if fp.Result != nil {
				iv = intervalText(cur, fp.Result.DecisionNPV)
			}
			pt.Rows = append(pt.Rows, []string{cur.text(fp.Budget), controlsText(fp.Choice, "+"), cur.text(spend(pa.FrontierKind, fp.Choice)),
				cur.text(fp.Choice.Objective), iv})
		}
		p.Points = pt
	}
	return p
}

// sensitivityOf is the sensitivity analysis: tornado, switching values and
// value of information.
func sensitivityOf(r *Report, fig *htmlFigure) *htmlSensitivity {
	sa := r.Sensitivity
	cur := currencyOf(r)
	s := &htmlSensitivity{Tornado: fig}
	if tn := sa.Tornado; tn != nil {
		s.Intro = fmt.Sprintf("The expected NPV of %s is %s (closed form, no Monte Carlo error). "+
			"Each input in turn moves from its 5th to its 95th percentile, every other input at its expectation, and the bars show the expected NPV at each end.", decisionText(r), cur.text(tn.Central))
		s.Bars = htmlTable{
			Caption: "The largest swings",
			Head:    []string{"Input", "At P5", "At P95", "NPV at P5", "NPV at P95", "Swing"},
			Right:   map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true},
		}
		for _, b := range tn.Bars[:min(len(tn.Bars), tornadoTop)] {
			s.Bars.Rows = append(s.Bars.Rows, []string{b.Input.Name(), inputValue(cur, b.Input, b.Lo), inputValue(cur, b.Input, b.Hi),
				cur.text(b.NPVLo), cur.text(b.NPVHi), cur.text(b.Swing())})
		}
	}
	if len(sa.Switches) > 0 {
		s.Switches = htmlTable{
			Caption: "Switching values: where, every other input at its expectation, the expected NPV crosses zero or another decision becomes best, nearest the input's mean",
			Head:    []string{"Input", "Central (mean)", "NPV = 0 at", "Percentile", "Decision changes at", "Percentile", "New decision"},
			Right:   map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true},
			Note:    "Blank: no crossing in a wide range around the input's interval. The percentile says how far into the input's distribution the switching value lies.",
		}
		for _, w := range sa.Switches {
			pz, pc, nd := "", "", ""
			z, c := "", ""
			if !math.IsNaN(w.NPVZero) {
				z, pz = inputValue(cur, w.Input, w.NPVZero), pctText(w.Input.Estimate.Dist(w.Input.Kind).CDF(w.NPVZero))
			}
			if !math.IsNaN(w.Change) {
				c, pc = inputValue(cur, w.Input, w.Change), pctText(w.Input.Estimate.Dist(w.Input.Kind).CDF(w.Change))
				nd = portfolioIDs(r.Model, w.NewDecision, "+")
			}
			s.Switches.Rows = append(s.Switches.Rows, []string{w.Input.Name(), inputValue(cur, w.Input, w.Central), z, pz, c, pc, nd})
		}
	}
	if v := sa.VOI; v != nil {
		s.VOI = fmt.Sprintf("The expected value of perfect information (EVPI) is %s: knowing every input before deciding among %d alternatives "+
			"and doing nothing would be worth at most that. Best on current information: %s.", cur.text(v.EVPI), len(v.Alternatives),
			portfolioIDs(r.Model, v.Best, "+"))
		s.EVPPI = htmlTable{Caption: "Value of learning one input exactly (EVPPI)", Head: []string{"Input", "EVPPI", "Share of EVPI"},
			Right: map[int]bool{1: true, 2: true}}
		for _, iv := range v.EVPPI[:min(len(v.EVPPI), 10)] {
			share := "n/a"
			if v.EVPI > 0 {
				share = pctText(iv.Value / v.EVPI)
			}
			s.EVPPI.Rows = append(s.EVPPI.Rows, []string{iv.Input.Name(), cur.text(iv.Value), share})
		}
	}
	return s
}

// calibrationOf is the calibration section.
func calibrationOf(r *Report, fig *htmlFigure) htmlCalibration {
	c := r.Calibration
	cur := currencyOf(r)
	fit := c.Fit
	py := orDefault(c.PriceYear, "incident")
	now := orDefault(r.PriceYear, "dataset")
	out := htmlCalibration{Figure: fig}
	out.Fit = htmlTable{
		Caption: "The fit on " + orDefault(c.Incident, "the calibration incident"),
		Head:    []string{"Quantity", py + " prices", now + " prices"},
		Right:   map[int]bool{1: true, 2: true},
	}
	out.Fit.Rows = [][]string{
		{"Reported total cost", cur.text(c.Target), ""},
		{"of which lost output", cur.text(c.LostOutput), ""},
		{"of which IT costs", cur.text(c.IT), ""},
		{"c_d: lost output per organisation-day", cur.text(fit.Daily), cur.text(fit.DailyNow)},
		{"c_r: IT recovery per disrupted organisation", cur.text(fit.Recovery), cur.text(fit.RecoveryNow)},
		{"Replay: simulated mean", withSE(cur, fit.Replay.SimMean, fit.Replay.SE), ""},
		{"Replay: 90% interval", cur.text(fit.Replay.P5) + " to " + cur.text(fit.Replay.P95), ""},
	}
	out.Holdouts = htmlTable{
		Caption: "Hold-out incidents (validation, not fitted; " + now + " prices)",
		Head:    []string{"Incident", "Observed", "Model mean", "Model 90% interval", "Verdict"},
		Right:   map[int]bool{1: true, 2: true},
	}
	for _, h := range c.Holdouts {
		out.Holdouts.Rows = append(out.Holdouts.Rows, []string{h.Name, cur.text(h.Observed), cur.text(h.Replay.Mean),
			cur.text(h.Replay.P5) + " to " + cur.text(h.Replay.P95), verdict(h)})
	}
	return out
}

// inputTable lists every input as used, with its tag and sources.
func inputTable(r *Report) htmlTable {
	cur := currencyOf(r)
	t := htmlTable{
		Caption: "Every input as used (low and high bound a 90% interval; equal for a fixed value)",
		Head:    []string{"Item", "Field", "Low", "High", "Unit", "Tag", "Sources"},
		Right:   map[int]bool{2: true, 3: true},
		Note:    "Tags: F fact, D derived, J judgement. The workbook's Inputs sheet gives the reasoning behind each number.",
	}
	for _, in := range r.Inputs {
		lo, hi := numberText(cur, in.Unit, in.Lo), numberText(cur, in.Unit, in.Hi)
		if in.Lo == in.Hi {
			hi = ""
		}
		t.Rows = append(t.Rows, []string{in.Section + ": " + in.Item, in.Field, lo, hi, in.Unit, in.Tag, in.Sources})
	}
	return t
}

// numberText writes an input's bound by its unit: a share, an amount, or
// a plain number.
func numberText(cur currency, unit string, x float64) string {
	switch {
	case unit == "fraction":
		return pctText(x)
	case strings.HasPrefix(unit, cur.unit()) && cur.unit() != "":
		return cur.text(x)
	}
	return format.Number(x)
}

// provenanceRows are the run's provenance: what a reader needs to
// reproduce it.
func provenanceRows(r *Report) [][2]string {
	an := r.Analysis
	sim := an.Sim
	rows := [][2]string{
		{"Tool", orDefault(strings.TrimSpace(r.Tool+" "+r.Version), "cybercba")},
		{"Dataset", orDefault(r.Dataset, "not recorded")},
		{"Scope", strings.TrimSpace(scopeName(r) + " " + parens(r.ScopeID))},
		{"Money", moneyText(r)},
		{"Seed", strconv.FormatUint(an.Config.Seed, 10)},
		{"Simulation", thousands(sim.Draws) + " outer draws × " + thousands(sim.Years) + " years = " + thousands(sim.Draws*sim.Years) + " simulated years"},
		{"Target standard error", targetText(r)},
		{"Appraisal", fmt.Sprintf("%d years, %s, optimism bias %s", an.Appraisal.Horizon, discountText(r), pctText(an.Appraisal.OptimismBias))},
		{"Ranking", metricName(r) + ", " + viewName(r) + " view"},
		{"Aggregation", aggregation(r)},
		{"Inputs SHA-256", orDefault(r.Settings.InputsDigest, "not recorded")},
	}
	if !r.Generated.IsZero() {
		rows = append(rows, [2]string{"Generated", r.Generated.UTC().Format(time.RFC3339)})
	}
	return rows
}

// parens returns "(s)", or "" for an empty s.
func parens(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}

// targetText describes the target standard error.
func targetText(r *Report) string {
	if t := targetSE(r); t > 0 {
		return percentText(t) + " relative, on the baseline ALE"
	}
	return "none (a fixed number of draws)"
}

// fontFaces returns the @font-face rules of vgsvg's embedded fonts in an
// SVG, each "@font-face{" up to its closing "\n\t\t}". The fonts are
// hundreds of kilobytes of base64: plain searches, not a regular
// expression, walk them.
func fontFaces(svg string) []string {
	const open, end = "@font-face{", "\n\t\t}"
	var out []string
	for {
		i := strings.Index(svg, open)
		if i < 0 {
			return out
		}
		j := strings.Index(svg[i+len(open):], end)
		if j < 0 {
			return out
		}
		stop := i + len(open) + j + len(end)
		out = append(out, svg[i:stop])
		svg = svg[stop:]
	}
}

// cutDefs removes each <defs> block that holds only a <style> (the one
// vgsvg writes for embedded fonts), with the white space after it.
func cutDefs(svg string) string {
	var b strings.Builder
	for {
		i := strings.Index(svg, "<defs>")
		if i < 0 {
			break
		}
		rest := strings.TrimLeft(svg[i+len("<defs>"):], " \t\n\r\f")
		k := strings.Index(rest, "</style>")
		if !strings.HasPrefix(rest, "<style>") || k < 0 {
			b.WriteString(svg[:i+len("<defs>")])
			svg = svg[i+len("<defs>"):]
			continue
		}
		after := strings.TrimLeft(rest[k+len("</style>"):], " \t\n\r\f")
		if !strings.HasPrefix(after, "</defs>") {
			b.WriteString(svg[:i+len("<defs>")])
			svg = svg[i+len("<defs>"):]
			continue
		}
		b.WriteString(svg[:i])
		svg = strings.TrimLeft(after[len("</defs>"):], " \t\n\r\f")
	}
	b.WriteString(svg)
	return b.String()
}

// inlineFigures draws each figure as SVG for the page, keyed by name, with
// its alt text from altOf, and its fonts' @font-face rules taken out of the
// SVGs, each font once.
func inlineFigures(figs []Figure, altOf func(Figure) string) (map[string]*htmlFigure, template.CSS, error) {
	out := map[string]*htmlFigure{}
	var fonts []string
	for _, f := range figs {
		c := vgsvg.NewWith(vgsvg.UseWH(f.W, f.H), vgsvg.EmbedFonts(true))
		f.draw(draw.New(c))
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil {
			return nil, "", fmt.Errorf("%s: %w", f.Name, err)
		}
		s := buf.String()
		for _, face := range fontFaces(s) {
			if !slices.Contains(fonts, face) {
				fonts = append(fonts, face)
			}
		}
		s = cutDefs(s)
		i := strings.Index(s, "<svg")
		if i < 0 {
			return nil, "", fmt.Errorf("%s: no <svg> element in the drawing", f.Name)
		}
		alt := altOf(f)
		s = `<svg role="img" aria-label="` + template.HTMLEscapeString(alt) + `" class="plot"` + s[i+len("<svg"):]
		// A tooltip and the accessible name, as the SVG's first child.
		if j := strings.Index(s, ">"); j > 0 {
			s = s[:j+1] + "\n<title>" + template.HTMLEscapeString(alt) + "</title>" + s[j+1:]
		}
		out[f.Name] = &htmlFigure{ID: "fig-" + f.Name, Title: strings.ReplaceAll(f.Title, "\n", " "), Alt: alt, SVG: template.HTML(s)}
	}
	return out, template.CSS(strings.Join(fonts, "\n")), nil
}

// altText describes a figure for a reader who cannot see it, with the
// numbers it shows most.
func altText(r *Report, f Figure) string {
	an := r.Analysis
	cur := currencyOf(r)
	base := an.Baseline
	switch f.Name {
	case "lec":
		return fmt.Sprintf("Loss exceedance curves, log scales: the chance a year's loss exceeds each amount, for the baseline and the options. "+
			"Baseline: one year in twenty above %s, one in a hundred above %s.", cur.text(base.P95), cur.text(base.P99))
	case "histogram":
		return fmt.Sprintf("Histogram of the baseline's simulated annual losses on a log scale: median %s, mean %s, 95th percentile %s.",
			cur.text(base.P50), cur.text(base.ALE), cur.text(base.P95))
	case "ranking":
		s := "Horizontal bars of each control's NPV alone with its 90% interval, best at the top."
		if len(an.Ranking.Order) > 0 {
			res := &an.Results[an.Ranking.Order[0]]
			s += fmt.Sprintf(" The best, %s, has NPV %s (90%% interval %s).", controlLabel(r.Model, res), cur.text(res.DecisionNPV.Mean), intervalText(cur, res.DecisionNPV))
		}
		return s
	case "ranking-social":
		return "Each control's NPV with its 90% interval in the financial view and, below it, the social view that counts patient harm."
	case "frontier":
		pa := r.Portfolio
		return fmt.Sprintf("Efficient frontier: the best portfolio's %s at each budget, rising in steps; the chosen portfolio (%s) is marked.",
			objectiveShort(pa.Objective), controlsText(pa.Choice, "+"))
	case "tornado":
		s := "Tornado: the NPV of " + decisionText(r) + " as each input moves from its 5th to its 95th percentile, largest swing on top."
		if tn := r.Sensitivity.Tornado; tn != nil && len(tn.Bars) > 0 {
			s += " Largest: " + tn.Bars[0].Input.Name() + "."
		}
		return s
	case "buildup":
		return "Waterfall of the recommendation's expected NPV, built up control by control: each bar is what a control adds given those before it."
	case "calibration":
		return fmt.Sprintf("Calibration: the reported cost of %s against the model's replay (mean %s), and each hold-out incident's "+
			"observed cost against the model's 90%% interval.", orDefault(r.Calibration.Incident, "the calibration incident"), cur.text(r.Calibration.Fit.Replay.SimMean))
	}
	if s, ok := healthAlt(r, f); ok {
		return s
	}
	return f.Title
}

// pageWords rewrites the About sheet's paragraphs for the page: they
// speak of "this workbook", which on the page is this report.
func pageWords(paras []string) []string {
	out := make([]string, len(paras))
	for i, p := range paras {
		p = strings.ReplaceAll(p, "this workbook", "this report")
		out[i] = strings.ReplaceAll(p, "This workbook", "This report")
	}
	return out
}
