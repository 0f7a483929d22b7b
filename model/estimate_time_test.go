package model

import (
	"context"
	"math"
	"runtime"
	"testing"
	"time"
)

// TestScaleEstimate checks the time estimate's arithmetic: a pilot of
// 20,000 years taking 20 ms scales to 1 s per million years on one worker,
// grows with the options by (options+1)/(singles+1), and divides by the
// workers at 90% (no more than the CPUs or the units of work).
func TestScaleEstimate(t *testing.T) {
	t.Parallel()
	pilot := Config{Draws: 20, Years: 1000}
	took := 20 * time.Millisecond
	one := scaleEstimate(took, pilot, 4, 4, 200, Config{Years: 5000, Workers: 1})
	if want := time.Second; one != want {
		t.Errorf("1 worker: %v; want %v", one, want)
	}
	more := scaleEstimate(took, pilot, 4, 9, 200, Config{Years: 5000, Workers: 1})
	if want := 2 * time.Second; more != want {
		t.Errorf("9 options of a 4-option pilot: %v; want %v", more, want)
	}
	w := min(2, runtime.NumCPU())
	two := scaleEstimate(took, pilot, 4, 4, 200, Config{Years: 5000, Workers: 2})
	want := time.Second
	if w > 1 {
		want = time.Duration(float64(time.Second) / (0.9 * float64(w)))
	}
	if math.Abs(float64(two-want)) > 1 {
		t.Errorf("2 workers on %d CPUs: %v; want %v", runtime.NumCPU(), two, want)
	}
	// One draw of one chunk is one unit of work: one worker.
	if got := scaleEstimate(took, pilot, 4, 4, 1, Config{Years: 1000, Workers: 8}); got != time.Millisecond {
		t.Errorf("one chunk: %v; want 1ms", got)
	}
}

// TestEstimateDurationPilot checks that the estimate runs a pilot of the
// model and returns a positive duration, and that a cancelled context
// stops it.
func TestEstimateDurationPilot(t *testing.T) {
	t.Parallel()
	m := testModel()
	d, err := EstimateDuration(context.Background(), m, 6, Config{Draws: 200, Years: 5000, Seed: 1})
	if err != nil || d <= 0 {
		t.Fatalf("estimate %v, %v; want a positive duration", d, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := EstimateDuration(ctx, m, 6, Config{Draws: 200, Years: 5000, Seed: 1}); err == nil {
		t.Error("a cancelled estimate gave no error")
	}
}
