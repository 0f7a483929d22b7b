package model

import (
	"errors"
	"fmt"
)

// Limits on the magnitude of inputs. Within them, every figure the model
// computes from inputs that validate (expected losses, costs, NPVs, their
// percentiles and moments) is a finite float64, and every simulated event
// count fits an int: the largest yearly loss is at most about
//
//	rate·e^{14σ} × orgs × days × k × amount ≲ 10⁶·10²³ × 10⁷ × 10⁴ × 10³ × 10¹² ≈ 10⁵⁵
//
// (14 standard normals is the furthest math/rand/v2's NormFloat64 reaches;
// σ ≤ ln(MaxSpan)/3.29 ≈ 4.2), and an NPV over 125 years at the lowest
// discount rate multiplies it by less than 10⁴. They are far beyond any
// real organisation's figures: a value above one is a typing slip (a
// missing decimal point, an amount in pence) rather than an estimate.
const (
	// MaxValue bounds any positive estimate's hi (Estimate.Check).
	MaxValue = 1e18
	// MaxSpan bounds a positive interval's hi/lo: six orders of magnitude.
	// A wider 90% interval has lognormal moments beyond float64 (E[X³] =
	// e^{3μ+4.5σ²}) and is not an estimate but a shrug.
	MaxSpan = 1e6
	// MaxRate bounds a threat's events a year.
	MaxRate = 1e6
	// MinRate is the smallest non-zero event rate, a year: once in a
	// million years.
	MinRate = 1e-6
	// MaxAmount bounds any amount of money in the dataset's currency: a
	// per-event cost, a daily or recovery cost rate, a control's capex or
	// opex (after units), the value of a QALY, the calibration's costs.
	MaxAmount = 1e12
	// MaxDays bounds an outage's duration in days (ten years).
	MaxDays = 3650
	// MaxOrgs bounds a scope's organisations and an event's spread.
	MaxOrgs = 1e7
	// MaxMultiplier bounds intensity multipliers (k_daily, k_recovery) and a
	// price deflator.
	MaxMultiplier = 1e3
	// MaxUplift bounds an optimism-bias uplift (10 is +1,000%).
	MaxUplift = 10
	// MaxDispersion bounds a threat's overdispersion φ.
	MaxDispersion = 1e3
	// MaxDeathsPerDay bounds extra deaths per organisation-day of outage;
	// MaxQALYsPerDeath QALYs lost per death.
	MaxDeathsPerDay  = 1e4
	MaxQALYsPerDeath = 100
	// MinDiscount and MaxDiscount bound a discount rate: below −5% a
	// 125-year horizon's discount factors pass 600, and above 25% nothing
	// beyond a few years counts.
	MinDiscount = -0.05
	MaxDiscount = 0.25
)

// searchMargin is how far beyond the limits Model.Validate accepts a
// value: the limits bound a dataset's inputs (data checks them), while
// sensitivity's switching-value search tries values up to 1,000 times an
// interval's hi. Within the margin every figure stays finite (10⁵⁵ above
// becomes 10⁵⁸).
const searchMargin = 1e3

// hard returns the largest value Model.Validate accepts for a limit.
func hard(limit float64) float64 { return limit * searchMargin }

// checkMax returns an error naming field when x exceeds max (what names the
// limit's unit, e.g. "events a year").
func checkMax(field string, x, max float64, what string) error {
	if x > max {
		return fmt.Errorf("%s: %g is beyond the largest the model takes, %g %s", field, x, max, what)
	}
	return nil
}

// CheckMax returns an error naming field when the estimate's hi exceeds
// max. what says what max counts, e.g. "events a year".
func (e Estimate) CheckMax(field string, max float64, what string) error {
	return checkMax(field, e.Hi, max, what)
}

// CheckDiscount returns an error naming field unless r lies in
// [MinDiscount, MaxDiscount].
func CheckDiscount(field string, r float64) error {
	if !(r >= MinDiscount && r <= MaxDiscount) {
		return fmt.Errorf("%s: rate must be from %g%% to %g%%, got %g%%", field, MinDiscount*100, MaxDiscount*100, r*100)
	}
	return nil
}

// Limits on a run's size: outer draws, years per draw and simulated years
// in all (memory and time grow with their product; see SimBytes and
// EstimateDuration).
const (
	MaxDraws    = 1_000_000
	MaxYears    = 10_000_000
	MaxSimYears = 50_000_000
	// MaxHorizon bounds an appraisal's horizon in years.
	MaxHorizon = 125
)

// CheckSize returns a problem for each of draws, years and draws × years
// outside the run-size limits, each naming what it checks as drawsName and
// yearsName give them ("--draws" on a command line, "draws" on a sheet).
func CheckSize(draws, years int, drawsName, yearsName string) error {
	var errs []error
	if draws < 1 || draws > MaxDraws {
		errs = append(errs, fmt.Errorf("%s: must be 1 to 1,000,000, got %d", drawsName, draws))
	}
	if years < 1 || years > MaxYears {
		errs = append(errs, fmt.Errorf("%s: must be 1 to 10,000,000, got %d", yearsName, years))
	}
	if draws >= 1 && years >= 1 && int64(draws)*int64(years) > MaxSimYears {
		errs = append(errs, fmt.Errorf("%s × %s: at most 50,000,000 simulated years, got %d", drawsName, yearsName, int64(draws)*int64(years)))
	}
	return errors.Join(errs...)
}
