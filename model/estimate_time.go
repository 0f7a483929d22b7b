package model

import (
	"context"
	"runtime"
	"time"
)

// pilotYears is the number of simulated years a time estimate's pilot
// simulates.
const pilotYears = 20_000

// EstimateDuration estimates how long simulating the baseline and options
// more portfolios under cfg takes on this machine, from a pilot: the
// first draws of the same simulation, 20,000 simulated years in all (or
// fewer when the run has fewer), timed on one worker and scaled by the
// run's simulated years, its options and its workers (at 90% efficiency
// beyond one). It is an estimate: a draw's parameters set its events, so
// the pilot's draws may be busier or quieter than the run's. With
// TargetSE set, it estimates the run grown to MaxDraws (or 100 × Draws).
func EstimateDuration(ctx context.Context, m *Model, options int, cfg Config) (time.Duration, error) {
	draws := cfg.Draws
	if cfg.TargetSE > 0 {
		draws = cfg.MaxDraws
		if draws <= 0 {
			draws = 100 * cfg.Draws
		}
	}
	pilot := Config{Seed: cfg.Seed, Workers: 1, MemoryBudget: cfg.MemoryBudget}
	pilot.Draws = max(1, min(draws, pilotYears/max(1, min(cfg.Years, pilotYears))))
	pilot.Years = max(1, min(cfg.Years, pilotYears/pilot.Draws))
	singles := make([]Portfolio, len(m.Controls))
	for c := range singles {
		singles[c] = Portfolio{c}
	}
	start := time.Now()
	if _, err := Simulate(ctx, m, singles, pilot); err != nil {
		return 0, err
	}
	return scaleEstimate(time.Since(start), pilot, len(singles), options, draws, cfg), nil
}

// scaleEstimate scales a pilot's time, simulating singles options under
// pilot on one worker, to options options, draws draws and cfg's years on
// cfg's workers.
func scaleEstimate(took time.Duration, pilot Config, singles, options, draws int, cfg Config) time.Duration {
	perYear := float64(took) / (float64(pilot.Draws) * float64(pilot.Years))
	// Per-event work grows with the options beyond the pilot's singles.
	perYear *= float64(options+1) / float64(singles+1)
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunks := (cfg.Years + chunkYears - 1) / chunkYears
	speed := float64(max(1, min(workers, runtime.NumCPU(), draws*chunks)))
	if speed > 1 {
		speed *= 0.9
	}
	return time.Duration(perYear * float64(draws) * float64(cfg.Years) / speed)
}
