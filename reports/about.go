package reports

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cybercba/cybercba/model"
)

// aboutText returns the About sheet's paragraphs: the model and its
// assumptions in plain words, with the run's own settings.
func aboutText(r *Report) []string {
	an := r.Analysis
	cfg, ap := an.Config, an.Appraisal
	cal := r.Calibration
	calib := "The outage cost rates are fitted to a reported incident (sheet Calibration)."
	if cal.Target > 0 {
		calib = fmt.Sprintf("The two outage cost rates are fitted to %s, reported to have cost %s: %s of lost output and %s of IT costs (%s prices). "+
			"With S the number of organisations the incident disrupted and D the days each was disrupted, the daily rate is "+
			"c_d = lost output / (E[S]·E[D]) and the recovery rate c_r = IT costs / E[S], so that replaying the incident through the model "+
			"costs the reported total on average. The rates are then restated in %s prices. "+
			"Hold-out incidents, never used in the fit, test the rates: the Calibration sheet shows whether each observed cost falls inside the model's 90%% interval.",
			orDefault(cal.Incident, "the calibration incident"), currencyOf(r).text(cal.Target), currencyOf(r).text(cal.LostOutput), currencyOf(r).text(cal.IT),
			orDefault(cal.PriceYear, "its own"), orDefault(r.PriceYear, "the dataset's"))
	}
	bias := fmt.Sprintf("Costs carry an optimism-bias uplift of %.0f%% (unless a control states its own), as HM Treasury's Green Book asks, "+
		"because appraisals tend to understate what projects cost.", 100*ap.OptimismBias)
	if ap.OptimismBias == 0 {
		bias = "No general optimism-bias uplift is applied to costs in this run; a control that states its own uplift (as the Green Book asks, " +
			"because appraisals tend to understate costs) has it applied."
	}
	paras := []string{
		fmt.Sprintf("What this is. cybercba estimates what cyber incidents cost %s each year and which security controls are worth paying for. "+
			"Every number in this workbook comes from one run: %s.", scopeName(r), caption(r)),
		"What is simulated. In each simulated year, incidents of each threat arrive at random: a Poisson count, or a negative binomial one where a threat's " +
			"yearly count varies more. Each incident disrupts some organisations (its spread) for some days (its duration) and may carry a fixed cost such as " +
			"a fine. It costs lost output for each organisation-day of disruption, IT recovery for each disrupted organisation, and its fixed cost: " +
			"L = min(S, orgs)·(D·k_d·c_d + k_r·c_r) + F.",
		fmt.Sprintf("Two levels of uncertainty. Every uncertain input is given as a 90%% interval (its 5th and 95th percentiles) and fitted with a lognormal "+
			"distribution (amounts, rates, durations) or a beta distribution (fractions, such as a control's effect). The outer level draws a value for every "+
			"input (%s draws); the inner level simulates %s years with those values. Variation across years is the risk the organisations face; variation "+
			"across draws is our uncertainty about the inputs. The decision's figures (the 90%% intervals of ΔALE, NPV, BCR and ROSI, P(NPV>0), ranks, "+
			"EVPI) are on %s draws of the uncertain inputs, exact expectations given each, "+matchedClause+" (moment matching: each option's "+
			"values shifted, or its costs scaled, by the same amount in every draw, so that their mean over the draws is its exact expected value).",
			thousands(cfg.Draws), thousands(cfg.Years), thousands(r.Analysis.DecisionDraws())),
		"Common random numbers. The baseline and every control are simulated on the same incidents: each incident is drawn once, and a control acts on it " +
			"as a fixed reduction of its frequency, spread, duration or fixed cost. So differences between options come from the controls, not from " +
			"simulation noise, and a set of controls never loses more in a year than any one of its members.",
		calib,
		aggregationText(r),
		"Measures of loss. ALE, the expected annual loss, is the mean loss a year. P50, P90, P95 and P99 are percentiles of the annual loss: one year " +
			"in twenty is worse than P95. TVaR95 is the mean loss in the worst 5% of years. The loss exceedance curve (LEC) gives, for each amount, the " +
			"probability that a year's loss is larger.",
		fmt.Sprintf("Sampling error. Every simulated figure carries its Monte Carlo standard error (SE): ± figures and SE columns. Years within a "+
			"draw share its inputs, so the SEs are computed by batch means: the draws are split into up to %d batches of consecutive draws, the "+
			"figure is computed on each batch, and SE = sd(batch figures)/√batches. The LEC sheet's SE columns are blank in the far tail, where "+
			"a batch holds fewer than two years beyond the point; the LEC plot shades the baseline's 95%% sampling band (±1.96 SE). An SE measures "+
			"simulation noise only, not doubt about the inputs, which the 90%% intervals across outer draws show.", maxBatches),
		fmt.Sprintf("Costs and discounting. A control's capital cost (capex) is paid in year 0 and again each time its lifetime ends within the horizon; "+
			"its running cost (opex) every year. Its benefit is the reduction in ALE (ΔALE). Benefits and running costs fall in years 1 to %d, and all "+
			"are discounted to present values (PV) with %s, as in the Green Book.", ap.Horizon, discountText(r)),
		bias,
		"Measures of value. NPV = PV(benefits) − PV(costs). BCR = PV(benefits) / PV(costs): above 1, the benefits exceed the costs. ROSI = (ΔALE − EAC) / EAC, " +
			"the yearly return on security investment, where EAC, the equivalent annual cost, spreads the present value of the costs evenly over the horizon. " +
			"Payback is the first year in which the discounted net benefit to date is no longer negative. P(NPV>0) is the share of outer draws in which a " +
			"control pays for itself, and P(rank 1) the share in which it ranks first.",
		"The recommended portfolio is the optimiser's best set of controls for the view in force (within the budget, when one is given), appraised together on the same simulated incidents. Controls acting on the " +
			"same threat overlap, so a portfolio's benefit is less than the sum of its members'. The Gordon–Loeb bound, (1/e) × baseline ALE, is a rule " +
			"of thumb for the most worth spending each year on security against the loss at stake.",
		portfolioText(r),
		socialText(r),
		sensitivityText(r),
		healthText(r),
		limitsText(r),
		provenanceText(r),
		"Where the numbers come from. The Inputs sheet lists every input as used, with its sources; the Sources sheet lists the publications. " +
			"The PNG, SVG and PDF plots written beside this workbook show the same results.",
	}
	return slices.DeleteFunc(paras, func(p string) bool { return p == "" })
}

// aggregationText is the About paragraph on how threats combine.
func aggregationText(r *Report) string {
	return fmt.Sprintf("How threats combine. %s. A year's loss is the sum of its threats' losses. Where no correlation is set, the "+
		"model does not capture one attack setting off another, or a common cause behind several; an event that hits many organisations "+
		"at once is modelled by its spread.", strings.TrimSuffix(aggregation(r), "."))
}

// limitsText is the About paragraph on the model's limitations.
func limitsText(r *Report) string {
	harm := "the model prices lost output, recovery and the fixed costs given, not harm to patients or reputation"
	if hasSocial(r) {
		harm = "the financial view prices lost output, recovery and the fixed costs given; the social view adds deaths valued by the QALYs lost, " +
			"not other harm to patients, or to reputation"
	}
	return "Limitations. Many inputs are judgements (tag J on the Inputs sheet), not measurements: read the intervals as the spread of informed opinion, and " +
		"change the inputs you know better. Control effects multiply as independent layers; " + harm + ". If the top controls' intervals overlap, " +
		"their order is uncertain: look at P(rank 1), or rerun with more draws."
}

// provenanceText is the About paragraph on reproducing the run.
func provenanceText(r *Report) string {
	sim := r.Analysis.Sim
	draws := thousands(sim.Draws) + " outer draws"
	if t := targetSE(r); t > 0 {
		draws += fmt.Sprintf(" (added in blocks of %s until the baseline ALE's relative standard error was at most %s)",
			thousands(r.Analysis.Config.Draws), percentText(t))
	}
	digest := "The digest of the inputs was not recorded."
	if d := r.Settings.InputsDigest; d != "" {
		digest = "The SHA-256 digest of the inputs as used is " + d + "; plot captions show its first 16 digits."
	}
	return fmt.Sprintf("Provenance. This run used %s, seed %d, %s of %s years each. %s The results depend only on the inputs, the seed and "+
		"the settings on the Summary sheet, not on the computer or the number of processors, so the same inputs and settings give the same "+
		"figures, bit for bit.", orDefault(strings.TrimSpace(r.Tool+" "+r.Version), "this tool"), r.Analysis.Config.Seed, draws,
		thousands(sim.Years), digest)
}

// portfolioText is the About paragraph on the portfolio choice, or "" when
// the report has none.
func portfolioText(r *Report) string {
	pa := r.Portfolio
	if pa == nil {
		return ""
	}
	tvar := "ΔTVaR95 has no closed form: it is valued on simulated years of common events, and searched by branch and bound."
	if pa.Objective == model.MaxDeltaTVaR {
		tvar = fmt.Sprintf("ΔTVaR95, this run's objective, has no closed form: it is valued on %s simulated years of common events, "+
			"and searched by branch and bound.", thousands(pa.SampleYears))
	}
	frontier := ""
	if len(pa.Frontier) > 0 {
		frontier = fmt.Sprintf(" The efficient frontier (sheet Frontier and the frontier plot) is the best portfolio along a grid of budgets, "+
			"shown at the %d budgets where it changes: adding budget never lowers it, and between the budgets of the grid a portfolio "+
			"the grid missed may do better.", len(pa.Frontier))
	}
	return fmt.Sprintf("The best portfolio under a budget (sheet Portfolio) maximises %s %s. Controls on the same threat overlap, so "+
		"the best set is not the top of the ranking. Expected NPV and ΔALE are valued by the closed form for the "+
		"expected annual loss, an exact expectation with no simulation noise; with up to 24 controls every subset is evaluated, in "+
		"Gray-code order so that each step adds or removes one control and updates only the threats it acts on, and with more, branch "+
		"and bound proves its answer best (or says it could not). %s The search keeps to the controls' exclusive groups (at most one of "+
		"a group, e.g. two EDR products) and prerequisites (e.g. EDR needs an asset inventory). Budgets count expected costs with "+
		"optimism bias: the yearly budget the equivalent annual cost, the capital budget the capex in year 0. The portfolios found are "+
		"then simulated on the same incidents as everything else, which gives their intervals and P(NPV>0).%s",
		objectiveShort(pa.Objective), withinText(currencyOf(r), pa.Constraints), tvar, frontier)
}

// orDefault returns s, or def if s is empty.
func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
