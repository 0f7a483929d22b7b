// Package model is the domain and the engine of cybercba: uncertain
// estimates, threat scenarios, controls and portfolios, the two-level Monte
// Carlo simulation with common random numbers, the WannaCry calibration of
// outage cost rates, and the appraisal and ranking of investments.
//
// The package does no I/O and keeps no global state. Every random number is
// drawn from a stream seeded from the master seed and the stream's identity,
// so results are identical bit for bit for any number of workers.
//
// The loss of one event of threat t is
//
//	L = min(S, orgs)·(D·k_d·c_d + k_r·c_r) + F
//
// where S is the spread (organisation-equivalents disrupted), D the outage
// days per disrupted organisation, F the fixed per-event cost, c_d and c_r
// the calibrated daily lost-output and per-organisation recovery cost rates,
// and k_d, k_r the threat's intensity multipliers on those rates. Events of a
// threat arrive as a Poisson process (negative binomial when a dispersion is
// given). A control reduces a threat's frequency, spread, duration or fixed
// cost; a portfolio's reductions multiply as independent layers.
//
// For the social view, AnalyseHealthEconomics gives what a health-economics
// reviewer reads first: each option's net cost and QALYs gained in every
// outer draw (the cost-effectiveness plane), the ICER table in dampack's
// convention, acceptability curves and frontier, EVPI against the value of
// a QALY, and the EVPPI of each input and group of inputs by regression on
// the existing draws (EVPPISpline, EVPPIGP: Strong, Oakley and Brennan
// 2014).
//
// Time enters through phased plans (Planner, AnalysePlan): a threat's rate
// grows by its Trend, λ·(1+g)^(y−1); a control started in year s reaches
// its effect over its Rollout and fades between renewals by its Decay, so
// a reduction r acts in year y as 1 − r·φ(y) (Control.Weight). Year y's
// expected loss and a plan's NPV are exact closed forms, and the best plan
// within yearly budgets is found by branch and bound on them;
// SimulatePlanYear gives year y's annual losses on common random numbers
// for the percentiles. The ordinary analysis keeps rates level and every
// control at full effect from year 1.
package model
