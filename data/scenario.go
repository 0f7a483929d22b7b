package data

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/cybercba/cybercba/model"
)

// Settings are a run's settings as a workbook's Settings sheet gives them.
// LoadWorkbook starts from DefaultSettings and takes every value the sheet
// gives.
type Settings struct {
	// Scope is the scope to analyse; empty means the dataset's first.
	Scope string
	// Draws is the number of outer draws, Years the simulated years per
	// draw, Seed the master seed.
	Draws, Years int
	Seed         uint64
	// DecisionDraws is the number of outer draws behind the decision's
	// intervals and probabilities (RunSpec.DecisionDraws): 0 for the
	// default.
	DecisionDraws int
	// Horizon is the appraisal horizon in years.
	Horizon int
	// Discount is a flat discount rate; nil means HM Treasury's Green Book
	// schedule.
	Discount *float64
	// OptimismBias is the uplift on costs for controls without their own.
	OptimismBias float64
	// Budget is a yearly budget (equivalent annual cost) and CapexBudget an
	// up-front one, in money; nil means none.
	Budget, CapexBudget *float64
	// Objective is what a portfolio maximises (npv, dale or dtvar); Metric
	// what controls are ranked by (npv, bcr, rosi, dale or dp95).
	Objective, Metric string
	// RiskTolerance is the losses and the annual chances of exceeding them
	// the organisation accepts, as written ("500m:1/50, 1bn:1/100"); empty
	// for none.
	RiskTolerance string
	// BudgetPlan is yearly budgets for a phased plan, as written
	// ("2026-27:50m,2027-28:50m"), and BudgetPlanKind what they cap (both,
	// capital, running or annual); empty for none.
	BudgetPlan, BudgetPlanKind string
	// View is the view that decides (financial or social; empty for
	// financial); Correlations the rank correlations between threats' rates
	// as written ("S1:S3=0.5"), empty for none.
	View, Correlations string
	// Baseline names the Scenarios row a batch compares every other row
	// with; empty for the first.
	Baseline string
}

// DefaultSettings returns the settings of a run given none: 200 draws of
// 5,000 years, seed 2017, a 10-year horizon at the Green Book rates, no
// optimism bias, no budget, NPV for the portfolio and the ranking. They are
// the defaults of cybercba run's flags.
func DefaultSettings() Settings {
	return Settings{Draws: 200, Years: 5000, Seed: 2017, Horizon: 10, Objective: "npv", Metric: "npv"}
}

// Appraisal returns the appraisal the settings describe.
func (s Settings) Appraisal() model.Appraisal {
	d := model.GreenBook()
	if s.Discount != nil {
		d = model.FlatDiscount(*s.Discount)
	}
	return model.Appraisal{Horizon: s.Horizon, Discount: d, OptimismBias: s.OptimismBias}
}

// Scenario is one row of a workbook's Scenarios sheet: a bulk run's
// changes to the settings and the scope. A blank cell keeps the Settings
// value.
type Scenario struct {
	// Index is the scenario's number among the sheet's scenarios, from 1;
	// Row its row on the sheet.
	Index, Row int
	// Name is unique among the scenarios.
	Name string
	// Scope, when set, replaces the Settings scope.
	Scope string
	// Budget and CapexBudget, when set, replace the Settings budgets; +Inf
	// means none ("none" in the cell).
	Budget, CapexBudget *float64
	// Horizon, when above 0, replaces the Settings horizon.
	Horizon int
	// Discount, when set, replaces the Settings discount rate; NaN means
	// the Green Book schedule ("green book" in the cell).
	Discount *float64
	// OptimismBias, when set, replaces the Settings optimism bias.
	OptimismBias *float64
	// Seed, when set, is the scenario's seed; otherwise ScenarioSeed
	// derives it from the master seed and Name.
	Seed *uint64
	// RateMultiplier scales every threat's rate; LossMultiplier the outage
	// cost rates and every threat's fixed cost; CostMultiplier every
	// control's capex and opex. Each is 1 when the cell is blank.
	RateMultiplier, LossMultiplier, CostMultiplier float64
	// View, Correlations and RiskTolerance, when not empty, replace the
	// Settings ones (see Settings).
	View, Correlations, RiskTolerance string
	// Controls, when not nil, are the IDs of the only controls the scenario
	// may use.
	Controls []string
	// BudgetPlan, when set, replaces the Settings yearly budgets of a
	// phased plan ("none": no plan); BudgetPlanKind, when set, what they
	// cap (both, capital, running or annual).
	BudgetPlan, BudgetPlanKind string
	// Err holds the row's problems, each a *CellError; a scenario with Err
	// set is not to be run.
	Err error
}

// ScenarioSeed returns the seed of the scenario named name under the master
// seed: the first 8 bytes, read big-endian, of the SHA-256 of the master
// seed as 8 big-endian bytes followed by the name in UTF-8. A row's results
// thus depend on its name, not on its place in the sheet or on which
// machine ran it. In Python:
//
//	int.from_bytes(hashlib.sha256(master.to_bytes(8, "big") + name.encode()).digest()[:8], "big")
func ScenarioSeed(master uint64, name string) uint64 {
	h := sha256.New()
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], master)
	h.Write(b[:])
	h.Write([]byte(name))
	return binary.BigEndian.Uint64(h.Sum(nil)[:8])
}

// Settings returns the settings the scenario runs with: s, with the row's
// cells in place of its values and the row's seed.
func (sc *Scenario) Settings(s Settings) Settings {
	out := s
	if sc.Scope != "" {
		out.Scope = sc.Scope
	}
	budget := func(dst **float64, v *float64) {
		switch {
		case v == nil:
		case math.IsInf(*v, 1):
			*dst = nil
		default:
			*dst = new(*v)
		}
	}
	budget(&out.Budget, sc.Budget)
	budget(&out.CapexBudget, sc.CapexBudget)
	if sc.Horizon > 0 {
		out.Horizon = sc.Horizon
	}
	if sc.Discount != nil {
		out.Discount = nil
		if !math.IsNaN(*sc.Discount) {
			out.Discount = new(*sc.Discount)
		}
	}
	if sc.OptimismBias != nil {
		out.OptimismBias = *sc.OptimismBias
	}
	switch {
	case strings.EqualFold(strings.TrimSpace(sc.BudgetPlan), "none"):
		out.BudgetPlan = ""
	case sc.BudgetPlan != "":
		out.BudgetPlan = sc.BudgetPlan
	}
	if sc.BudgetPlanKind != "" {
		out.BudgetPlanKind = sc.BudgetPlanKind
	}
	if sc.View != "" {
		out.View = sc.View
	}
	if sc.Correlations != "" {
		out.Correlations = sc.Correlations
	}
	if sc.RiskTolerance != "" {
		out.RiskTolerance = sc.RiskTolerance
	}
	// Every row runs on the master seed's common random numbers, so that
	// two rows differ by their scenarios alone; a row may give its own.
	out.Seed = s.Seed
	if sc.Seed != nil {
		out.Seed = *sc.Seed
	}
	return out
}

// Apply returns a copy of m with the scenario's multipliers applied and
// only its allowed controls: every threat's rate scaled by RateMultiplier;
// the outage cost rates and every threat's fixed cost by LossMultiplier;
// every control's capex and opex by CostMultiplier. m is not changed.
func (sc *Scenario) Apply(m *model.Model) (*model.Model, error) {
	scale := func(e model.Estimate, k float64) model.Estimate { return model.Estimate{Lo: e.Lo * k, Hi: e.Hi * k} }
	out := *m
	out.Daily = scale(m.Daily, sc.LossMultiplier)
	out.Recovery = scale(m.Recovery, sc.LossMultiplier)
	out.Threats = make([]model.Threat, len(m.Threats))
	for i, t := range m.Threats {
		t.Rate = scale(t.Rate, sc.RateMultiplier)
		t.Fixed = scale(t.Fixed, sc.LossMultiplier)
		out.Threats[i] = t
	}
	out.Controls = nil
	for _, c := range m.Controls {
		if sc.Controls != nil && !slices.Contains(sc.Controls, c.ID) {
			continue
		}
		c.Capex = scale(c.Capex, sc.CostMultiplier)
		c.Opex = scale(c.Opex, sc.CostMultiplier)
		out.Controls = append(out.Controls, c)
	}
	for _, c := range out.Controls {
		for _, r := range c.Requires {
			if out.ControlIndex(r) < 0 {
				return nil, fmt.Errorf("control %s requires %s, which the scenario does not allow", c.ID, r)
			}
		}
	}
	return &out, nil
}

// splitIDs splits a list of ids written with commas, semicolons or spaces;
// it returns nil for none.
func splitIDs(s string) []string {
	ids := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	if len(ids) == 0 {
		return nil
	}
	return ids
}
