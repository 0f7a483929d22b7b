package reports

import (
	"context"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
)

// testModel is a small model: three threats (one simulated in aggregate,
// one overdispersed) and three controls, the third free, so that its BCR
// and ROSI are infinite.
func testModel() *model.Model {
	return &model.Model{
		Scope:    "Test trusts",
		Orgs:     50,
		Daily:    model.Fixed(40e3),
		Recovery: model.Estimate{Lo: 0.7e6, Hi: 1.1e6},
		Threats: []model.Threat{
			{ID: "worm", Name: "Worm", Rate: model.Estimate{Lo: 0.05, Hi: 0.4}, Spread: model.Estimate{Lo: 5, Hi: 80},
				Duration: model.Estimate{Lo: 3, Hi: 10}, KDaily: model.Estimate{Lo: 0.8, Hi: 1.5}},
			{ID: "ransom", Name: "Ransomware", Rate: model.Estimate{Lo: 0.3, Hi: 2}, Spread: model.Fixed(1),
				Duration: model.Estimate{Lo: 4, Hi: 60}, KDaily: model.Estimate{Lo: 5, Hi: 7.5}, KRecovery: model.Estimate{Lo: 1, Hi: 3},
				Fixed: model.Estimate{Lo: 1e4, Hi: 5e5}, Dispersion: 0.5},
			{ID: "phish", Name: "Phishing", Rate: model.Estimate{Lo: 40, Hi: 120}, Spread: model.Fixed(0), Duration: model.Fixed(0),
				Fixed: model.Estimate{Lo: 5e3, Hi: 2.5e5}},
		},
		Controls: []model.Control{
			{ID: "C1", Name: "Patch management", Opex: model.Estimate{Lo: 1e5, Hi: 3e5}, Effects: []model.Effect{
				{Threat: "worm", Frequency: model.Estimate{Lo: 0.7, Hi: 0.95}},
				{Threat: "ransom", Frequency: model.Estimate{Lo: 0.15, Hi: 0.35}},
			}},
			{ID: "C2", Name: "Network segmentation", Capex: model.Estimate{Lo: 5e5, Hi: 2.5e6}, Opex: model.Estimate{Lo: 1e5, Hi: 5e5},
				Lifetime: 5, Effects: []model.Effect{
					{Threat: "worm", Spread: model.Estimate{Lo: 0.4, Hi: 0.8}},
					{Threat: "ransom", Spread: model.Estimate{Lo: 0.2, Hi: 0.5}},
				}},
			{ID: "C3", Name: "Report-a-phish policy", Effects: []model.Effect{
				{Threat: "phish", Frequency: model.Estimate{Lo: 0.05, Hi: 0.2}},
			}},
		},
	}
}

// costly returns the test model with every control priced far above its
// benefit, so that none is recommended.
func costly() *model.Model {
	m := testModel()
	for i := range m.Controls {
		m.Controls[i].Opex = model.Fixed(1e9)
	}
	return m
}

// smallRun is the size of the tests' simulation: 10,000 years.
var smallRun = model.Config{Draws: 20, Years: 500, Seed: 1}

// buildReport runs the model and fills a report as the command would.
func buildReport(m *model.Model, cfg model.Config) (*Report, error) {
	an, err := model.Analyse(context.Background(), m, cfg, model.Appraisal{Horizon: 10, Discount: model.GreenBook()}, model.ByNPV)
	if err != nil {
		return nil, err
	}
	target := model.Target{Spread: model.Estimate{Lo: 40, Hi: 120}, Duration: model.Estimate{Lo: 3, Hi: 10},
		LostOutput: 19e6, IT: 73e6, Deflator: 1.2981}
	fit, err := model.Calibrate(target, cfg.Seed)
	if err != nil {
		return nil, err
	}
	holdouts := []Holdout{
		{ID: "synnovis-2024", Name: "Synnovis pathology, SE London, June 2024 (Qilin ransomware)", Observed: 68.4e6,
			Replay: model.ReplayIncident(model.Incident{Spread: model.Estimate{Lo: 2, Hi: 5}, Duration: model.Estimate{Lo: 35, Hi: 70},
				KDaily: model.Estimate{Lo: 1, Hi: 3}, KRecovery: model.Estimate{Lo: 3, Hi: 8}}, fit.DailyNow, fit.RecoveryNow, cfg.Seed)},
		{ID: "scripps-2021", Name: "Scripps Health, San Diego (US), May 2021", Observed: 101e6,
			Replay: model.ReplayIncident(model.Incident{Spread: model.Estimate{Lo: 3, Hi: 6}, Duration: model.Estimate{Lo: 21, Hi: 35},
				KDaily: model.Estimate{Lo: 5, Hi: 7.5}, KRecovery: model.Estimate{Lo: 1, Hi: 4}}, fit.DailyNow, fit.RecoveryNow, cfg.Seed)},
	}
	r := &Report{
		Tool: "cybercba", Version: "test",
		Generated: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Dataset:   "test dataset",
		ScopeID:   "test", ScopeName: m.Scope,
		Currency: "GBP", PriceYear: "2024-25",
		Settings: Settings{Seed: cfg.Seed, Draws: cfg.Draws, Years: cfg.Years, Horizon: 10,
			Discount: "Green Book schedule (3.5% to year 30, then 3.0%)", Metric: "NPV",
			InputsDigest: testDigest, Aggregation: "Threats summed, independent of one another", View: "financial"},
		Model:    m,
		Analysis: an,
		Calibration: Calibration{
			Incident: "WannaCry (May 2017)", PriceYear: "2017-18",
			Target: 92e6, LostOutput: 19e6, IT: 73e6, Spread: target.Spread, Duration: target.Duration,
			Fit: fit, Holdouts: holdouts,
			Checks: []Check{{Name: "Lost hospital activity at infected trusts (Ghafur 2019)", Value: 5.9e6}},
		},
		Sources: []Source{
			{ID: "dhsc2018", Publisher: "DHSC", Title: "Securing cyber resilience in health and care", Year: 2018, URL: "https://www.gov.uk/"},
			{ID: "nao2017", Publisher: "NAO", Title: "Investigation: WannaCry cyber attack and the NHS", Year: 2017, URL: "https://www.nao.org.uk/"},
		},
		RiskTolerance: []model.LECPoint{{Exceedance: 0.1, Loss: 5e6}, {Exceedance: 0.01, Loss: 3e7}, {Exceedance: 0.001, Loss: 1e8}},
	}
	for _, th := range m.Threats {
		r.Inputs = append(r.Inputs, Input{Section: "Threat", Item: th.ID + " " + th.Name, Field: "rate", Lo: th.Rate.Lo, Hi: th.Rate.Hi,
			Unit: "per year", Tag: "J", Sources: "nao2017", Note: "judgement"})
	}
	for _, c := range m.Controls {
		r.Inputs = append(r.Inputs, Input{Section: "Control", Item: c.ID + " " + c.Name, Field: "opex", Lo: c.Opex.Lo, Hi: c.Opex.Hi,
			Measure: model.Money, Unit: "£", Tag: "J"})
	}
	return r, nil
}

// testDigest is the test reports' digest of their inputs.
const testDigest = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// harmModel returns the test model with patient harm, so that every result
// has the social view.
func harmModel() *model.Model {
	m := testModel()
	m.Harm = &model.Harm{DeathsPerDay: model.Estimate{Lo: 0.2, Hi: 2}, QALYsPerDeath: model.Estimate{Lo: 3, Hi: 8}, ValuePerQALY: 70000, FullIntensity: model.Estimate{Lo: 0.5, Hi: 1}}
	// A dearer C2: its NPV is negative in money and positive with harm, so
	// that the views differ.
	c := &m.Controls[1]
	c.Opex = model.Estimate{Lo: c.Opex.Lo + 8e6, Hi: c.Opex.Hi + 8e6}
	return m
}

// The reports the tests share, built once: the analysis is deterministic.
var (
	typical         = sync.OnceValues(func() (*Report, error) { return buildReport(testModel(), smallRun) })
	noneRecommended = sync.OnceValues(func() (*Report, error) { return buildReport(costly(), smallRun) })
	social          = sync.OnceValues(func() (*Report, error) { return buildReport(harmModel(), smallRun) })
	sensitive       = withSensitivity(typical, 5)
	// sensitiveAll has switching values for every input, so that some NPVs
	// cross zero within the search range and some do not.
	sensitiveAll = withSensitivity(typical, 100)
)

// withSensitivity returns a getter of the report of get with the
// sensitivity analysis of the best single control, as the command runs it
// without a budget: switching values for the top inputs of the tornado, the
// value of information of choosing among the single controls. The report
// is copied, the analysis shared.
func withSensitivity(get func() (*Report, error), top int) func() (*Report, error) {
	return sync.OnceValues(func() (*Report, error) {
		base, err := get()
		if err != nil {
			return nil, err
		}
		r := *base
		an := r.Analysis
		a := an.Appraisal
		singles := make([]model.Portfolio, len(r.Model.Controls))
		for c := range singles {
			singles[c] = model.Portfolio{c}
		}
		decision, err := model.BestSingle(a).Decide(r.Model)
		if err != nil {
			return nil, err
		}
		r.Sensitivity, err = model.AnalyseSensitivity(r.Model, an.Table, a, model.SensitivityOptions{Decision: decision, Name: "the best single control", Decide: model.BestSingle(a), Top: top, Alternatives: singles})
		if err != nil {
			return nil, err
		}
		return &r, nil
	})
}

// portfolioBudget is the yearly budget of the tests' portfolio choice:
// enough for C1 and the free C3, not for C2.
const portfolioBudget = 3e5

// withPortfolio returns a getter of the report of get with the best
// portfolio for obj under a yearly budget of portfolioBudget and the
// default frontier, chosen as the command chooses for --budget and
// --frontier. The report is copied, the analysis shared.
func withPortfolio(get func() (*Report, error), obj model.Objective) func() (*Report, error) {
	return sync.OnceValues(func() (*Report, error) {
		base, err := get()
		if err != nil {
			return nil, err
		}
		r := *base
		an := r.Analysis
		d, err := model.Decide(context.Background(), r.Model, model.DecideOptions{Config: an.Config, Appraisal: an.Appraisal, Objective: obj,
			Constraints: model.Constraints{Annual: portfolioBudget, Capex: math.Inf(1)}, FrontierKind: model.AnnualBudget, Frontier: []float64{}})
		if err != nil {
			return nil, err
		}
		r.Portfolio = d.Portfolio
		return &r, nil
	})
}

// The reports with a portfolio choice: for each objective, and for the
// costly model, where the best portfolio is the empty one.
var (
	chosenNPV   = withPortfolio(typical, model.MaxNPV)
	chosenDALE  = withPortfolio(typical, model.MaxDeltaALE)
	chosenTVaR  = withPortfolio(typical, model.MaxDeltaTVaR)
	chosenEmpty = withPortfolio(noneRecommended, model.MaxNPV)
)

// defaultJob returns the job of the default dataset under the default run
// specification, as edit (if not nil) changes it.
func defaultJob(t testing.TB, edit func(spec *data.RunSpec)) *data.Job {
	t.Helper()
	ds, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	spec := data.DefaultRunSpec()
	if edit != nil {
		edit(&spec)
	}
	job, err := data.NewJob(spec, ds)
	if err != nil {
		t.Fatal(err)
	}
	return job
}

// eachView runs f as a parallel subtest on each view's shared report:
// the typical (financial) one and the social one.
func eachView(t *testing.T, f func(t *testing.T, r *Report)) {
	for _, tt := range []struct {
		name string
		get  func() (*Report, error)
	}{{"typical", typical}, {"social", social}} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f(t, report(t, tt.get))
		})
	}
}

// report returns a shared report, failing the test if it could not be
// built.
func report(t testing.TB, get func() (*Report, error)) *Report {
	t.Helper()
	r, err := get()
	if err != nil {
		t.Fatalf("building the test report: %v", err)
	}
	return r
}
