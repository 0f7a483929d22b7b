package reports

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports/format"
)

// This file writes report.html's what-if panel: the workbook's live model
// (the What-if and Draws sheets) in the page. The panel carries the same
// central inputs and the same outer draws as the two sheets, as the
// workbook stores them (numbers cut to Excel's 15 significant digits), and
// an inline script computes with the sheets' formulas: the closed form of
// expected NPV for the toggled set and for the recommendation, each draw's
// expected NPV with an edited central value moving its draws in
// proportion, and the 90% interval and P(NPV > 0) by the sheet's rule
// (the k-th smallest, k = ⌈0.05·n⌉ and ⌈0.95·n⌉). So the page and a
// spreadsheet recalculating the workbook agree for the same change.
//
// The script is allowed by its hash in the page's Content-Security-Policy
// and fetches nothing. With scripts off the panel shows the
// recommendation's figures as text and no controls.

//go:embed html/whatif.js
var whatIfScript string

// whatIfScriptSrc is the Content-Security-Policy source that allows the
// panel's script and no other: its SHA-256 hash.
var whatIfScriptSrc = func() string {
	h := sha256.Sum256([]byte(whatIfScript))
	return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
}()

// htmlWhatIf is the what-if panel as the template reads it.
type htmlWhatIf struct {
	// Intro says what the panel does; Draws the number of outer draws.
	Intro, Draws string
	// View names the view in force ("financial view").
	View string
	// Harm is true when the panel shows deaths (the social view's inputs).
	Harm     bool
	Controls []htmlToggle
	Sliders  []htmlSlider
	// The untouched figures, as text: the toggled set (the recommendation
	// itself), its expected NPV, the recommendation's, whether the set
	// beats it, the interval and P(NPV > 0) across the draws, and the
	// expected extra deaths a year with the set and without new controls.
	Set, NPV, RecNPV, Beats, Interval, P, Deaths, BaseDeaths string
	// DrawsNote says which draws the interval and P(NPV > 0) are across,
	// against the decision's, with the decision's figures.
	DrawsNote string
	// Data is the model as JSON; Script the program; ScriptSrc its hash.
	Data      template.JS
	Script    template.JS
	ScriptSrc string
	CSS       template.CSS
}

// htmlToggle is one control's toggle.
type htmlToggle struct {
	Index    int
	ID, Name string
	In       bool
}

// htmlSlider is one slider over an input's central value.
type htmlSlider struct {
	Index int
	// Label names the input; Why says why it has a slider.
	Label, Why string
	// Min, Max and Value are the slider's range and its central value, as
	// the page's data holds it; Text the value as the page writes it.
	Min, Max, Value string
	Text            string
}

// panelData is the model the panel's script computes with, as JSON.
type panelData struct {
	// Cur is the currency symbol; View "financial" or "social"; Harm
	// whether the social view's inputs are present.
	Cur  string `json:"cur"`
	View string `json:"view"`
	Harm bool   `json:"harm"`
	// A and Ah are the annuity factors (Σ discount factors, years 1 to
	// the horizon), money and health.
	A  float64 `json:"A"`
	Ah float64 `json:"Ah"`
	// Settings, as the What-if sheet holds them.
	Orgs     float64 `json:"orgs"`
	Daily    float64 `json:"daily"`
	Recovery float64 `json:"recovery"`
	Deaths   float64 `json:"deaths"`
	QALYs    float64 `json:"qalys"`
	Value    float64 `json:"value"`
	KFull    float64 `json:"kfull"`
	KFullSD  float64 `json:"kfullsd"`
	// Threats: rate, spread, spread's log-sd, duration, cost per event,
	// k_d, k_d's log-sd, k_r.
	Threats [][8]float64   `json:"threats"`
	Ctls    []panelControl `json:"controls"`
	// N is the number of draws; Lo and Hi the ranks (1-based) of the 5th
	// and 95th percentiles among them.
	N  int `json:"n"`
	Lo int `json:"lo"`
	Hi int `json:"hi"`
	// Cols are the Draws sheet's input columns; Draws their values, as
	// little-endian float64s, column after column, base64.
	Cols  []panelCol `json:"cols"`
	Draws string     `json:"draws"`
	// Sliders are the keys the sliders edit.
	Sliders []string `json:"sliders"`
	// Unit is each slider's unit: "money", "share" or "".
	Units []string `json:"units"`
}

// panelControl is a control as the What-if sheet holds it.
type panelControl struct {
	ID string `json:"id"`
	// Rec is 1 when in the recommendation.
	Rec int `json:"rec"`
	// Costs is capex, opex and uplift.
	Costs [3]float64 `json:"costs"`
	// Project is the project type; CPV the PV of 1 of capex with renewals.
	Project string  `json:"project"`
	CPV     float64 `json:"cpv"`
	// Effects: threat index, then the cuts r_f, r_s, r_d, r_F.
	Effects [][5]float64 `json:"effects"`
}

// panelCol is one of the Draws sheet's input columns.
type panelCol struct {
	// Name is the column's header on the Draws sheet; Key what it draws
	// (see whatif.js); Run its central value in the run.
	Name string  `json:"name"`
	Key  string  `json:"key"`
	Run  float64 `json:"run"`
	// Frac is true for a reduction (a draw scaled stays at most 1); At is
	// the column's first value in Draws, or −1 when the column's central
	// value in the run is 0 (its draws are then the central value now,
	// whatever they were).
	Frac bool `json:"frac,omitempty"`
	At   int  `json:"at"`
}

// sheetFloat returns x as the workbook stores it: excelize writes a
// number with at most 15 significant digits, cutting the rest (its
// formatCellFloat), and a spreadsheet reads that back.
func sheetFloat(x float64) float64 {
	if !finite(x) {
		return x
	}
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if math.Abs(x) == math.MaxFloat64 {
		return x
	}
	const maxPrec = 15
	decimal := strings.IndexByte(s, '.')
	significant := 0
	for i := range s {
		if s[i] < '0' || s[i] > '9' || significant == 0 && s[i] == '0' {
			continue
		}
		significant++
		if significant <= maxPrec {
			continue
		}
		if decimal >= 0 && i > decimal {
			s = s[:i]
		} else {
			if decimal < 0 {
				decimal = len(s)
			}
			b := []byte(s[:decimal])
			for j := i; j < len(b); j++ {
				b[j] = '0'
			}
			s = string(b)
		}
		break
	}
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "."), 64)
	if err != nil {
		return x
	}
	return v
}

// panelKey returns the key of an input's central value in the panel's
// data (see whatif.js), or "" when the panel cannot edit it.
func panelKey(cen model.Central, ref model.InputRef) string {
	switch ref.Kind {
	case "rates":
		return map[string]string{"daily": "daily", "recovery": "recovery"}[ref.Key]
	case "harm":
		if cen.Harm == nil {
			return ""
		}
		return map[string]string{"deaths_per_day": "deaths", "qalys_per_death": "qalys", "k_full": "kfull"}[ref.Key]
	case "threat":
		t := slices.IndexFunc(cen.Threats, func(th model.CentralThreat) bool { return th.ID == ref.ID })
		f, ok := map[string]int{"rate": 0, "spread": 1, "duration": 3, "fixed": 4, "k_daily": 5, "k_recovery": 7}[ref.Key]
		if t < 0 || !ok {
			return ""
		}
		return fmt.Sprintf("t.%d.%d", t, f)
	case "control":
		c := slices.IndexFunc(cen.Controls, func(cc model.CentralControl) bool { return cc.ID == ref.ID })
		f, ok := map[string]int{"capex": 0, "opex": 1, "optimism_bias": 2}[ref.Key]
		if c < 0 || !ok {
			return ""
		}
		return fmt.Sprintf("c.%d.%d", c, f)
	case "effect":
		c := slices.IndexFunc(cen.Controls, func(cc model.CentralControl) bool { return cc.ID == ref.ID })
		t := slices.IndexFunc(cen.Threats, func(th model.CentralThreat) bool { return th.ID == ref.Threat })
		k, ok := map[string]int{"frequency": 0, "spread": 1, "duration": 2, "fixed": 3}[ref.Key]
		if c < 0 || t < 0 || !ok {
			return ""
		}
		j := slices.IndexFunc(cen.Controls[c].Effects, func(e model.CentralEffect) bool { return e.Threat == t })
		if j < 0 {
			return ""
		}
		return fmt.Sprintf("e.%d.%d.%d", c, j, k)
	}
	return ""
}

// panelValue returns the central value under key in d (see panelKey).
func panelValue(d *panelData, key string) (float64, bool) {
	p := strings.Split(key, ".")
	idx := func(i int) int {
		n, err := strconv.Atoi(p[i])
		if err != nil {
			return -1
		}
		return n
	}
	switch {
	case len(p) == 1:
		v, ok := map[string]float64{"daily": d.Daily, "recovery": d.Recovery, "deaths": d.Deaths, "qalys": d.QALYs, "kfull": d.KFull}[key]
		return v, ok
	case p[0] == "t" && len(p) == 3:
		return d.Threats[idx(1)][idx(2)], true
	case p[0] == "c" && len(p) == 3:
		return d.Ctls[idx(1)].Costs[idx(2)], true
	case p[0] == "e" && len(p) == 4:
		return d.Ctls[idx(1)].Effects[idx(2)][1+idx(3)], true
	}
	return 0, false
}

// whatIfPanel builds the panel of r: nil when r has no model to edit.
func whatIfPanel(r *Report) (*htmlWhatIf, error) {
	if r.Model == nil || r.Analysis == nil || len(r.Model.Controls) == 0 {
		return nil, nil
	}
	m, a := r.Model, r.Analysis.Appraisal
	cen := model.Centrals(m, a)
	rec := recommended(r)
	tb, err := sheetDraws(r)
	if err != nil {
		return nil, fmt.Errorf("what-if panel: %w", err)
	}
	cur := currencyOf(r)
	harm := cen.Harm != nil
	d := &panelData{Cur: string(cur), View: a.View.String(), Harm: harm, Orgs: sheetFloat(cen.Orgs),
		Daily: sheetFloat(cen.Daily), Recovery: sheetFloat(cen.Recovery)}
	if harm {
		h := cen.Harm
		d.Deaths, d.QALYs, d.Value, d.KFull, d.KFullSD = sheetFloat(h.Deaths), sheetFloat(h.QALYs), sheetFloat(h.Value), sheetFloat(h.KFull), sheetFloat(h.KFullSigma)
	}
	// Discounting, as the What-if sheet's table computes it.
	H := a.Horizon
	df, hdf := make([]float64, model.MaxHorizon+1), make([]float64, model.MaxHorizon+1)
	df[0], hdf[0] = 1, 1
	for y := 1; y <= model.MaxHorizon; y++ {
		df[y] = df[y-1] / (1 + sheetFloat(cen.Rates[y]))
		hdf[y] = hdf[y-1] / (1 + sheetFloat(cen.HealthRates[y]))
	}
	for y := 1; y <= H; y++ {
		d.A += df[y]
		d.Ah += hdf[y]
	}
	for _, th := range cen.Threats {
		d.Threats = append(d.Threats, [8]float64{sheetFloat(th.Rate), sheetFloat(th.Spread), sheetFloat(th.SpreadSigma), sheetFloat(th.Duration),
			sheetFloat(th.Fixed), sheetFloat(th.KDaily), sheetFloat(th.KDailySigma), sheetFloat(th.KRecovery)})
	}
	inRec := make([]bool, len(cen.Controls))
	for _, c := range rec {
		inRec[c] = true
	}
	w := &htmlWhatIf{Harm: harm, View: a.View.String() + " view", Draws: format.Count(tb.Draws), ScriptSrc: whatIfScriptSrc,
		Script: template.JS(whatIfScript), CSS: whatIfCSS}
	for c, ctl := range cen.Controls {
		pc := panelControl{ID: ctl.ID, Rec: flag(inRec[c]), Project: ctl.Project,
			Costs: [3]float64{sheetFloat(ctl.Capex), sheetFloat(ctl.Opex), sheetFloat(ctl.Uplift)}, CPV: 1}
		if ctl.Lifetime > 0 {
			for y := ctl.Lifetime; y < H; y += ctl.Lifetime {
				pc.CPV += df[y]
			}
		}
		for _, e := range ctl.Effects {
			pc.Effects = append(pc.Effects, [5]float64{float64(e.Threat), sheetFloat(e.Frequency), sheetFloat(e.Spread), sheetFloat(e.Duration), sheetFloat(e.Fixed)})
		}
		d.Ctls = append(d.Ctls, pc)
		w.Controls = append(w.Controls, htmlToggle{Index: c, ID: ctl.ID, Name: ctl.Name, In: inRec[c]})
	}
	d.Cols, d.Draws = panelDraws(cen, tb)
	d.N = tb.Draws
	d.Lo, d.Hi = int(math.Ceil(0.05*float64(tb.Draws))), int(math.Ceil(0.95*float64(tb.Draws)))

	// Sliders: the weak point, then the tornado's top three inputs.
	for _, s := range panelSliders(r) {
		key := panelKey(cen, s.in.Ref)
		v, ok := panelValue(d, key)
		if key == "" || !ok || slices.Contains(d.Sliders, key) {
			continue
		}
		lo, hi := min(s.lo, v), max(s.hi, v)
		if finite(s.sw) && s.sw > 0 {
			lo, hi = min(lo, s.sw), max(hi, s.sw)
		}
		if s.in.Kind == model.Fraction {
			lo, hi = max(lo, 0), min(hi, 1)
		}
		if !(hi > lo) || !finite(lo) || !finite(hi) {
			continue
		}
		unit := ""
		switch s.in.Unit {
		case model.Money:
			unit = "money"
		case model.Share:
			unit = "share"
		}
		d.Sliders, d.Units = append(d.Sliders, key), append(d.Units, unit)
		w.Sliders = append(w.Sliders, htmlSlider{Index: len(w.Sliders), Label: s.in.Name(), Why: s.why,
			Min: jsNumber(lo), Max: jsNumber(hi), Value: jsNumber(v), Text: inputValue(cur, s.in, v)})
	}

	// The untouched figures: the recommendation's, by the closed form and
	// across the draws.
	exp := model.ClosedFormAppraisal(m, a, rec)
	npvs := slices.Clone(tb.DecisionNPV[0])
	slices.Sort(npvs)
	pos := 0
	for _, x := range npvs {
		if x > 0 {
			pos++
		}
	}
	w.Set = setText(cen, inRec)
	w.NPV, w.RecNPV = cur.text(exp.DecisionNPV), cur.text(exp.DecisionNPV)
	w.Beats = "no: the same expected NPV"
	w.Interval = cur.interval(npvs[d.Lo-1], npvs[d.Hi-1])
	w.P = pctText(float64(pos) / float64(len(npvs)))
	if harm {
		w.Deaths, w.BaseDeaths = format.Number(exp.Deaths), format.Number(exp.BaselineDeaths)
	}
	w.DrawsNote = "The interval and P(NPV > 0) here are across " + liveDrawsText(r, tb.Draws) +
		"; the 5th and 95th percentiles are the k-th smallest draw (k = ⌈0.05 n⌉ and ⌈0.95 n⌉)."
	if res := r.Analysis.Recommended; res != nil && slices.Equal(res.Portfolio, rec) {
		w.DrawsNote += fmt.Sprintf(" For the recommendation untouched they differ from the decision's by sampling error alone: the decision's are %s and %s, across all its %s draws.",
			cur.interval(res.DecisionNPV.Lo, res.DecisionNPV.Hi), pctText(res.InView(a.View).PNPVPositive), thousands(res.DecisionDraws))
	}
	w.Intro = fmt.Sprintf("Turn controls on or off and move the inputs the answer leans on most, and the figures below recompute in this page: "+
		"the expected NPV of the set by the exact closed form, and its 90%% interval and P(NPV > 0) across the %s outer draws of the uncertain inputs "+
		"that the workbook's Draws sheet holds, an edited central value moving its draws in proportion. These are the formulas of the What-if sheet of report.xlsx, "+
		"which gives the same figures for the same change. Nothing is sent anywhere.", w.Draws)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf) // escapes <, > and &: safe inside a script element
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("what-if panel: %w", err)
	}
	w.Data = template.JS(strings.TrimSpace(buf.String()))
	return w, nil
}

// setText names a set of controls by ID: "N4 + R-C1", or "none".
func setText(cen model.Central, in []bool) string {
	var ids []string
	for c, ctl := range cen.Controls {
		if in[c] {
			ids = append(ids, ctl.ID)
		}
	}
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, " + ")
}

// jsNumber writes x so that a script reads back the same float64.
func jsNumber(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// panelSlider is an input the panel offers a slider for: its 5th and
// 95th percentiles, its switching value (NaN if none) and why it is
// there.
type panelSlider struct {
	in         model.Input
	lo, hi, sw float64
	why        string
}

// panelSliders returns the weak point of the recommendation and the top
// three inputs of its tornado (of the sensitivity analysis's decision
// when the report has no model.Decision).
func panelSliders(r *Report) []panelSlider {
	var out []panelSlider
	var tn *model.Tornado
	if d := r.Decision; d != nil {
		if wp := d.WeakPoint; wp != nil {
			out = append(out, panelSlider{in: wp.Input, lo: wp.P5, hi: wp.P95, sw: wp.Switch, why: "the weak point: the input the recommendation leans on most"})
		}
		tn = d.Tornado
	}
	if tn == nil && r.Sensitivity != nil {
		tn = r.Sensitivity.Tornado
	}
	if tn != nil {
		for i, b := range tn.Bars[:min(3, len(tn.Bars))] {
			out = append(out, panelSlider{in: b.Input, lo: b.Lo, hi: b.Hi, sw: math.NaN(), why: fmt.Sprintf("number %d in the tornado", i+1)})
		}
	}
	return out
}

// panelDraws returns the Draws sheet's input columns and their values,
// as drawsSheet writes them: c_d and c_r, each threat's λ, k_d and k_r,
// h·q·v and k_full when they vary across the draws; every control's
// capex, opex and uplift; every reduction that varies.
func panelDraws(cen model.Central, tb *model.InputDraws) ([]panelCol, string) {
	n := tb.Draws
	var cols []panelCol
	var vals []func(d int) float64
	add := func(name, key string, run float64, frac, always bool, v func(d int) float64) {
		if !always {
			varies := false
			for d := 1; d < n && !varies; d++ {
				varies = v(d) != v(0)
			}
			if !varies {
				return
			}
		}
		cols = append(cols, panelCol{Name: name, Key: key, Run: sheetFloat(run), Frac: frac})
		vals = append(vals, v)
	}
	add("c_d", "daily", cen.Daily, false, false, func(d int) float64 { return tb.Daily[d] })
	add("c_r", "recovery", cen.Recovery, false, false, func(d int) float64 { return tb.Recovery[d] })
	for t, th := range cen.Threats {
		add(th.ID+" λ", fmt.Sprintf("t.%d.0", t), th.Rate, false, false, func(d int) float64 { return tb.Rate[d][t] })
		add(th.ID+" k_d", fmt.Sprintf("t.%d.5", t), th.KDaily, false, false, func(d int) float64 { return tb.KDaily[d][t] })
		add(th.ID+" k_r", fmt.Sprintf("t.%d.7", t), th.KRecovery, false, false, func(d int) float64 { return tb.KRecovery[d][t] })
	}
	if h := cen.Harm; h != nil {
		add("h·q·v", "hqv", h.Deaths*h.QALYs*h.Value, false, false, func(d int) float64 { return tb.HarmValue[d] })
		add("k_full", "kfull", h.KFull, false, false, func(d int) float64 { return tb.KFull[d] })
	}
	for k, blk := range []string{"capex", "opex", "uplift"} {
		for c, ctl := range cen.Controls {
			src := [3][][]float64{tb.Capex, tb.Opex, tb.Uplift}[k]
			run := [3]float64{ctl.Capex, ctl.Opex, ctl.Uplift}[k]
			add(ctl.ID+" "+blk, fmt.Sprintf("c.%d.%d", c, k), run, false, true, func(d int) float64 { return src[d][c] })
		}
	}
	for c, ctl := range cen.Controls {
		for j, e := range ctl.Effects {
			run := [4]float64{e.Frequency, e.Spread, e.Duration, e.Fixed}
			for k, nm := range []string{"r_f", "r_s", "r_d", "r_F"} {
				add(ctl.ID+" on "+cen.Threats[e.Threat].ID+" "+nm, fmt.Sprintf("e.%d.%d.%d", c, j, k), run[k], true, false,
					func(d int) float64 { return tb.Reduction[d][c][j][k] })
			}
		}
	}
	var raw []byte
	at := 0
	for i := range cols {
		cols[i].At = -1
		if cols[i].Run == 0 {
			continue
		}
		cols[i].At = at
		for d := range n {
			raw = binary.LittleEndian.AppendUint64(raw, math.Float64bits(sheetFloat(vals[i](d))))
		}
		at += n
	}
	return cols, base64.StdEncoding.EncodeToString(raw)
}

// whatIfCSS styles the panel; printed, the panel is left out (a page of
// controls is no use on paper: the workbook's What-if sheet is the
// printable live model).
const whatIfCSS = template.CSS(`
#whatif .controls { display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; margin: 0.5rem 0; }
#whatif .controls label { white-space: nowrap; }
#whatif .slider { margin: 0.6rem 0; }
#whatif .slider label { display: block; }
#whatif .slider input { width: min(100%, 28rem); vertical-align: middle; }
#whatif .slider output { font-variant-numeric: tabular-nums; margin-left: 0.5rem; }
#whatif button { margin: 0.3rem 0; }
#whatif [hidden] { display: none; }
#whatif table { width: auto; min-width: 60%; }
@media print { #whatif { display: none; } }
`)
