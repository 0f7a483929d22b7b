package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/cybercba/cybercba/model"
)

// A SIPmath 3.0 library (ProbabilityManagement.org's open standard for
// sharing Monte Carlo draws; the JSON form ChanceCalc and the SIPmath
// Modeler Tools read, as PySIPmath's PySIP3library writes it): each SIP is
// a metalog quantile function (Keelin 2016) of a uniform from a copula
// layer; the layers come from a Gaussian copula over HDR random number
// generators (Hubbard's HDR_2_0), with the correlation matrix of the
// draws' normal scores in the library's global variables. The exact
// draws ride along in each SIP's metadata ("draws"), beside the summary
// statistics the standard's metadata carries.

type sipLibrary struct {
	Name            string      `json:"name"`
	DateCreated     string      `json:"dateCreated"`
	Version         string      `json:"version"`
	Provenance      string      `json:"provenance"`
	GlobalVariables []sipGlobal `json:"globalVariables"`
	U01             sipU01      `json:"U01"`
	SIPs            []sip       `json:"sips"`
}

type sipGlobal struct {
	Name  string    `json:"name"`
	Value sipMatrix `json:"value"`
}

type sipMatrix struct {
	Columns []string       `json:"columns"`
	Rows    []string       `json:"rows"`
	Matrix  []sipMatrixCel `json:"matrix"`
}

type sipMatrixCel struct {
	Row   string  `json:"row"`
	Col   string  `json:"col"`
	Value float64 `json:"value"`
}

type sipU01 struct {
	RNG    []sipRNG    `json:"rng"`
	Copula []sipCopula `json:"copula"`
}

type sipRNG struct {
	Name      string         `json:"name"`
	Function  string         `json:"function"`
	Arguments map[string]any `json:"arguments"`
}

type sipCopula struct {
	Name        string         `json:"name"`
	Function    string         `json:"function"`
	Arguments   map[string]any `json:"arguments"`
	CopulaLayer []string       `json:"copulaLayer"`
}

type sip struct {
	Name      string         `json:"name"`
	Ref       map[string]any `json:"ref"`
	Function  string         `json:"function"`
	Arguments map[string]any `json:"arguments"`
	Metadata  map[string]any `json:"metadata"`
}

// sipVar is one variable to export: its name and draws, and a lower
// bound for a metalog bounded below (nil: unbounded).
type sipVar struct {
	name  string
	draws []float64
	lower *float64
}

// sipVars returns the variables the SIP library carries: each option's NPV
// in the view in force (each control alone and the recommendation), then
// the key inputs that vary across draws: the cost rates, each threat's
// rate, harm's value per full-outage day, each control's capex and opex.
func sipVars(r *Report) ([]sipVar, int, error) {
	m := r.Model
	options := make([]model.Portfolio, 0, len(m.Controls)+1)
	names := make([]string, 0, len(m.Controls)+1)
	for c, ctl := range m.Controls {
		options = append(options, model.Portfolio{c})
		names = append(names, "NPV "+ctl.ID)
	}
	if rec := recommended(r); len(rec) > 1 {
		options = append(options, rec)
		names = append(names, "NPV recommendation")
	}
	n := liveDraws(r)
	tb, err := liveRows(r, n, options)
	if err != nil {
		return nil, 0, err
	}
	zero := 0.0
	var vars []sipVar
	for o := range options {
		vars = append(vars, sipVar{name: names[o], draws: tb.DecisionNPV[o]})
	}
	add := func(name string, f func(d int) float64) {
		x := make([]float64, n)
		for d := range x {
			x[d] = f(d)
		}
		if slices.Min(x) < slices.Max(x) {
			vars = append(vars, sipVar{name: name, draws: x, lower: &zero})
		}
	}
	add("c_d lost output per organisation-day", func(d int) float64 { return tb.Daily[d] })
	add("c_r recovery cost per organisation", func(d int) float64 { return tb.Recovery[d] })
	for t, th := range m.Threats {
		add(th.ID+" events a year", func(d int) float64 { return tb.Rate[d][t] })
	}
	if tb.HarmValue != nil {
		add("harm value per full-outage day (h·q·v)", func(d int) float64 { return tb.HarmValue[d] })
	}
	for c, ctl := range m.Controls {
		add(ctl.ID+" capex", func(d int) float64 { return tb.Capex[d][c] })
		add(ctl.ID+" opex a year", func(d int) float64 { return tb.Opex[d][c] })
	}
	return vars, n, nil
}

// WriteSIP writes the run's outer draws as a SIPmath 3.0 library: each
// option's expected NPV given each draw (the decision table's first
// draws, as the workbook's Draws sheet holds them) and the key inputs' draws.
func WriteSIP(w io.Writer, r *Report) error {
	vars, n, err := sipVars(r)
	if err != nil {
		return err
	}
	lib := sipLibrary{
		Name:        "cybercba: " + scopeName(r),
		DateCreated: r.Generated.UTC().Format("2006-01-02"),
		Version:     "1",
		Provenance:  fmt.Sprintf("%s · %d outer draws of the parameters on the run's seed (the first the simulation's own); each NPV the expected NPV given the draw", caption(r), n),
	}
	// The Gaussian copula: the correlation of the draws' normal scores.
	k := len(vars)
	scores := make([][]float64, k)
	for i, v := range vars {
		scores[i] = normalScores(v.draws)
	}
	cm := sipMatrix{}
	for i, v := range vars {
		cm.Columns = append(cm.Columns, v.name)
		cm.Rows = append(cm.Rows, v.name)
		for j := i; j < k; j++ {
			rho := 1.0
			if j != i {
				rho = stat.Correlation(scores[i], scores[j], nil)
			}
			cm.Matrix = append(cm.Matrix, sipMatrixCel{Row: v.name, Col: vars[j].name, Value: rho})
		}
	}
	lib.GlobalVariables = []sipGlobal{{Name: "correlationMatrix", Value: cm}}
	var rngs, layers []string
	for i := range vars {
		name := fmt.Sprintf("hdr%d", i+1)
		lib.U01.RNG = append(lib.U01.RNG, sipRNG{Name: name, Function: "HDR_2_0",
			Arguments: map[string]any{"counter": "PM_Index", "entity": 1, "varId": int(r.Analysis.Config.Seed%9_000_000) + i + 1, "seed3": 0, "seed4": 0}})
		rngs = append(rngs, name)
		layers = append(layers, fmt.Sprintf("c%d", i+1))
	}
	lib.U01.Copula = []sipCopula{{Name: "Gaussian", Function: "GaussianCopula",
		Arguments:   map[string]any{"correlationMatrix": map[string]any{"type": "globalVariables", "value": "correlationMatrix"}, "rng": rngs},
		CopulaLayer: layers}}
	for i, v := range vars {
		a, lower, err := fitMetalog(v.draws, v.lower)
		if err != nil {
			return fmt.Errorf("%s: %w", v.name, err)
		}
		args := map[string]any{"aCoefficients": a}
		if lower != nil {
			args["lowerBound"] = *lower
		}
		sorted := slices.Clone(v.draws)
		slices.Sort(sorted)
		lib.SIPs = append(lib.SIPs, sip{
			Name:      v.name,
			Ref:       map[string]any{"source": "copula", "name": "Gaussian", "copulaLayer": layers[i]},
			Function:  "Metalog_1_0",
			Arguments: args,
			Metadata: map[string]any{
				"min": sorted[0], "max": sorted[n-1], "mean": stat.Mean(v.draws, nil),
				"P5": sorted[int(math.Ceil(0.05*float64(n)))-1], "P50": sorted[int(math.Ceil(0.5*float64(n)))-1], "P95": sorted[int(math.Ceil(0.95*float64(n)))-1],
				"Trial1": v.draws[0], "Trial2": v.draws[1], "Trial3": v.draws[2],
				"quantiles": metalogOutline(a, lower),
				"count":     n,
				"draws":     v.draws,
			},
		})
	}
	return json.NewEncoder(w).Encode(lib)
}

// normalScores returns Φ⁻¹((rank − ½)/n) of each of x's values (ties
// share their mean rank).
func normalScores(x []float64) []float64 {
	n := len(x)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	out := make([]float64, n)
	norm := distuv.UnitNormal
	for i := 0; i < n; {
		j := i
		for j+1 < n && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		rank := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			out[idx[k]] = norm.Quantile((rank - 0.5) / float64(n))
		}
		i = j + 1
	}
	return out
}

// metalogTerms is the most terms a fitted metalog has; fewer when that
// many would not be a valid (increasing) quantile function.
const metalogTerms = 9

// metalogBasis returns the metalog's k basis functions at probability y
// (Keelin 2016, eq. 6): 1, L, (y−½)L, (y−½), (y−½)², (y−½)²L, … with
// L = ln(y/(1−y)).
func metalogBasis(y float64, k int) []float64 {
	L := math.Log(y / (1 - y))
	c := y - 0.5
	b := make([]float64, k)
	for j := range k {
		switch {
		case j == 0:
			b[j] = 1
		case j == 1:
			b[j] = L
		case j == 2:
			b[j] = c * L
		case j == 3:
			b[j] = c
		case j%2 == 0: // j = 4, 6, …: c^(j/2)
			b[j] = math.Pow(c, float64(j/2))
		default: // j = 5, 7, …: c^((j−1)/2)·L
			b[j] = math.Pow(c, float64((j-1)/2)) * L
		}
	}
	return b
}

// metalogQuantile returns the metalog's quantile at y: M(y), or lower +
// e^{M(y)} when bounded below.
func metalogQuantile(a []float64, lower *float64, y float64) float64 {
	var m float64
	for j, b := range metalogBasis(y, len(a)) {
		m += a[j] * b
	}
	if lower != nil {
		return *lower + math.Exp(m)
	}
	return m
}

// fitMetalog fits a metalog to the draws x by least squares on their
// empirical quantiles ((i − ½)/n), on ln(x − lower) when bounded below (a
// lower bound at or above the smallest draw is dropped): of the fits of 2
// to metalogTerms terms whose quantile function increases, bounded below
// at lower, unbounded, or bounded just below the smallest draw, the one
// closest to the draws' percentiles from the 5th to the 95th.
func fitMetalog(x []float64, lower *float64) ([]float64, *float64, error) {
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(s)
	var best []float64
	var bestLB *float64
	bestErr := math.Inf(1)
	near := s[0] - 0.01*(s[n-1]-s[0]) // a bound just below the draws, for a sharp lower tail
	for _, bound := range []*float64{lower, nil, &near} {
		for k := 2; k <= metalogTerms; k++ {
			a, lb, err := fitMetalogK(x, bound, k)
			if err != nil || !increasing(a) {
				continue
			}
			// The largest miss of a percentile, in units of its order
			// statistic's standard error √(p(1−p)/n)/f (f from the draws
			// over ±2 points) plus 1% of the 90% range.
			q := func(p float64) float64 { return s[int(math.Ceil(p*float64(n)))-1] }
			var worst float64
			for _, p := range []float64{0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95} {
				se := math.Sqrt(p*(1-p)/float64(n)) * (q(p+0.02) - q(p-0.02)) / 0.04
				worst = max(worst, math.Abs(metalogQuantile(a, lb, p)-q(p))/(se+0.01*(q(0.95)-q(0.05))))
			}
			if worst < bestErr {
				best, bestLB, bestErr = a, lb, worst
			}
		}
	}
	if best == nil {
		return nil, nil, fmt.Errorf("no metalog of 2 to %d terms fits the draws", metalogTerms)
	}
	return best, bestLB, nil
}

// fitMetalogK fits a metalog of k terms (see fitMetalog).
func fitMetalogK(x []float64, lower *float64, k int) ([]float64, *float64, error) {
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(s)
	if lower != nil && !(s[0] > *lower) {
		lower = nil
	}
	{
		X := mat.NewDense(n, k, nil)
		Y := mat.NewVecDense(n, nil)
		for i, v := range s {
			y := (float64(i) + 0.5) / float64(n)
			X.SetRow(i, metalogBasis(y, k))
			if lower != nil {
				v = math.Log(v - *lower)
			}
			Y.SetVec(i, v)
		}
		var a mat.VecDense
		if err := a.SolveVec(X, Y); err != nil {
			return nil, nil, err
		}
		return slices.Clone(a.RawVector().Data), lower, nil
	}
}

// increasing reports whether the metalog M with coefficients a increases
// on a fine grid of probabilities.
func increasing(a []float64) bool {
	prev := math.Inf(-1)
	for i := 1; i < 1000; i++ {
		m := metalogQuantile(a, nil, float64(i)/1000)
		if !(m > prev) {
			return false
		}
		prev = m
	}
	return true
}

// metalogOutline returns the metalog's quantiles at 25 equally spaced
// probabilities from 1% to 99%, the outline of its distribution that a
// SIP's metadata carries for a quick picture.
func metalogOutline(a []float64, lower *float64) []float64 {
	out := make([]float64, 25)
	for i := range out {
		out[i] = metalogQuantile(a, lower, 0.01+0.98*float64(i)/24)
	}
	return out
}
