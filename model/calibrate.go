package model

import (
	"errors"
	"fmt"
	"math"
	"sync"
)

// Incident describes one event to replay through the model: how many
// organisations it disrupted, for how long, how intense the disruption was
// against the calibration incident's average, and its fixed costs.
type Incident struct {
	Spread, Duration, KDaily, KRecovery, Fixed Estimate
}

// Target is the calibration incident: its observed spread and duration and
// its reported lost output and IT costs, in its own price year.
type Target struct {
	Spread, Duration Estimate
	// LostOutput and IT are the reported cost split (WannaCry: £19m, £73m).
	LostOutput, IT float64
	// Deflator restates the incident's prices in the dataset's price year
	// (WannaCry: 1.2981 from 2017-18 to 2024-25).
	Deflator float64
}

// Validate returns every problem with the target.
func (t Target) Validate() error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	add(t.Spread.Check(Positive, "calibration.spread"))
	add(t.Duration.Check(Positive, "calibration.duration"))
	if t.Spread.Lo <= 0 {
		add(errors.New("calibration.spread: must be positive"))
	}
	if t.Duration.Lo <= 0 {
		add(errors.New("calibration.duration: must be positive"))
	}
	if !(t.LostOutput >= 0) {
		add(fmt.Errorf("calibration.lost_output: must not be negative, got %g", t.LostOutput))
	}
	if !(t.IT >= 0) {
		add(fmt.Errorf("calibration.it_costs: must not be negative, got %g", t.IT))
	}
	if !(t.Deflator > 0) {
		add(fmt.Errorf("calibration.deflator: must be positive, got %g", t.Deflator))
	}
	add(checkMax("calibration.lost_output", t.LostOutput, hard(MaxAmount), "(an amount)"))
	add(checkMax("calibration.it_costs", t.IT, hard(MaxAmount), "(an amount)"))
	add(checkMax("calibration.deflator", t.Deflator, hard(MaxMultiplier), "(a multiplier)"))
	add(t.Spread.CheckMax("calibration.spread", hard(MaxOrgs), "organisations"))
	add(t.Duration.CheckMax("calibration.duration", hard(MaxDays), "days"))
	return errors.Join(errs...)
}

// Calibration holds the fitted outage cost rates.
type Calibration struct {
	// Daily (c_d) and Recovery (c_r) in the incident's price year.
	Daily    float64 `json:"daily"`
	Recovery float64 `json:"recovery"`
	// DailyNow and RecoveryNow restated in the dataset's price year.
	DailyNow    float64 `json:"daily_now"`
	RecoveryNow float64 `json:"recovery_now"`
	// Replay is the calibration incident replayed with the fitted rates, in
	// the incident's price year.
	Replay Replay `json:"replay"`
}

// Replay is the model's cost of replaying an incident: the closed-form mean
// and a Monte Carlo distribution.
type Replay struct {
	// Mean is the closed-form expected cost; LostOutput and IT its parts.
	Mean       float64 `json:"mean"`
	LostOutput float64 `json:"lost_output"`
	IT         float64 `json:"it"`
	Fixed      float64 `json:"fixed"`
	// SimMean, SE, P5, P50 and P95 come from the simulated replays.
	SimMean float64 `json:"sim_mean"`
	SE      float64 `json:"se"`
	P5      float64 `json:"p5"`
	P50     float64 `json:"p50"`
	P95     float64 `json:"p95"`
}

// replayDraws is the number of simulated replays of an incident.
const replayDraws = 200000

// Calibrate fits the outage cost rates to the target: the incident's
// reported lost output and IT cost (for WannaCry, DHSC 2018: £19m and £73m
// of £92m, 2017-18 prices). With S
// and D independent, the replay's expected lost output is E[S]·E[D]·c_d and
// its expected IT cost E[S]·c_r, so
//
//	c_d = LostOutput/(E[S]·E[D]),  c_r = IT/E[S]
//
// which makes the replay cost LostOutput + IT in expectation (WannaCry: £19m
// + £73m = £92m, DHSC 2018). The replay's interval comes from simulating it.
func Calibrate(t Target, seed uint64) (Calibration, error) {
	if err := t.Validate(); err != nil {
		return Calibration{}, err
	}
	c := Calibration{}
	c.Daily, c.Recovery = t.rates()
	c.DailyNow, c.RecoveryNow = c.Daily*t.Deflator, c.Recovery*t.Deflator
	if c.DailyNow > MaxAmount || c.RecoveryNow > MaxAmount {
		return Calibration{}, fmt.Errorf("calibration: the fitted cost rates (c_d = %g a day, c_r = %g an organisation) are beyond %g: spread or duration is too small for the costs", c.DailyNow, c.RecoveryNow, float64(MaxAmount))
	}
	c.Replay = ReplayIncident(Incident{Spread: t.Spread, Duration: t.Duration}, c.Daily, c.Recovery, seed)
	return c, nil
}

// rates returns c_d and c_r in the incident's price year (see Calibrate).
func (t Target) rates() (daily, recovery float64) {
	s, d := t.Spread.Dist(Positive), t.Duration.Dist(Positive)
	return t.LostOutput / (s.Mean() * d.Mean()), t.IT / s.Mean()
}

// RatesNow returns the calibrated cost rates in the dataset's price year,
// c_d·deflator and c_r·deflator, by the closed form alone (no replay), for
// a target that validates.
func (t Target) RatesNow() (daily, recovery float64) {
	d, r := t.rates()
	return d * t.Deflator, r * t.Deflator
}

// ReplayIncident returns the model's cost of incident inc at cost rates
// daily and recovery: each replay draws S, D, k_d, k_r and F and costs
// S·(D·k_d·daily + k_r·recovery) + F (spread is not capped).
//
// A replay is a function of its arguments alone, and costs 200,000 draws:
// it is computed once per process for each set of arguments (every run,
// batch row and report of one dataset replays the same incidents at the
// same rates) and the result reused.
func ReplayIncident(inc Incident, daily, recovery float64, seed uint64) Replay {
	key := replayKey{inc, daily, recovery, seed}
	if rp, ok := replays.Load(key); ok {
		return rp.(Replay)
	}
	rp := replayIncident(inc, daily, recovery, seed)
	replays.Store(key, rp)
	return rp
}

// replays memoises ReplayIncident by its arguments (a NaN argument never
// matches, and is simply replayed again).
var replays sync.Map

type replayKey struct {
	inc             Incident
	daily, recovery float64
	seed            uint64
}

func replayIncident(inc Incident, daily, recovery float64, seed uint64) Replay {
	s, d, f := inc.Spread.Dist(Positive), inc.Duration.Dist(Positive), inc.Fixed.Dist(Positive)
	kd, kr := kOrOne(inc.KDaily).Dist(Positive), kOrOne(inc.KRecovery).Dist(Positive)
	rp := Replay{
		LostOutput: s.Mean() * d.Mean() * kd.Mean() * daily,
		IT:         s.Mean() * kr.Mean() * recovery,
		Fixed:      f.Mean(),
	}
	rp.Mean = rp.LostOutput + rp.IT + rp.Fixed
	r := newStream(seed, streamReplay)
	x := make([]float64, replayDraws)
	for i := range x {
		sp := s.Rand(r)
		x[i] = sp*(d.Rand(r)*kd.Rand(r)*daily+kr.Rand(r)*recovery) + f.Rand(r)
	}
	m, v := meanVar(x)
	rp.SimMean, rp.SE = m, math.Sqrt(v/float64(len(x)))
	// Order statistics by selection: the median splits x, then the 5th
	// and 95th percentiles are found in the halves.
	n := len(x)
	k5, k50, k95 := quantileIndex(0.05, n), quantileIndex(0.50, n), quantileIndex(0.95, n)
	rp.P50 = selectK(x, k50)
	rp.P5 = selectK(x[:k50], k5)
	rp.P95 = selectK(x[k50+1:], k95-k50-1)
	return rp
}
