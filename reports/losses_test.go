package reports

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/cybercba/cybercba/model"
)

// sortedBatches splits losses in year order, draws outer draws of equal
// length, into the batches of the standard errors, written out afresh from
// their definition: min(20, draws) batches of whole consecutive draws,
// batch b holding draws ⌊b·draws/B⌋ to ⌊(b+1)·draws/B⌋ − 1, or with one
// draw min(20, n) batches of consecutive years; each batch sorted.
func sortedBatches(loss []float64, draws int) [][]float64 {
	n := len(loss)
	units, per := draws, n/draws
	if draws == 1 {
		units, per = n, 1
	}
	B := min(20, units)
	out := make([][]float64, B)
	for b := range out {
		first, end := b*units/B, (b+1)*units/B
		out[b] = slices.Clone(loss[first*per : end*per])
		slices.Sort(out[b])
	}
	return out
}

// batchMeansSE returns the batch-means standard error of the loss exceeded
// with probability p, from batches of a sample of n years: gonum's
// empirical (1 − p)-quantile of each batch, their sample standard
// deviation over √B; NaN with fewer than two batches or fewer than two
// years beyond p in an average batch.
func batchMeansSE(batches [][]float64, n int, p float64) float64 {
	B := len(batches)
	if B < 2 || p*float64(n)/float64(B) < 2 {
		return math.NaN()
	}
	q := make([]float64, B)
	for b, x := range batches {
		q[b] = stat.Quantile(1-p, stat.Empirical, x, nil)
	}
	return stat.StdDev(q, nil) / math.Sqrt(float64(B))
}

// sameSE reports whether two standard errors agree: both unknown (NaN), or
// within 1e-9 of scale. Sums taken in another order (the model's one-pass
// variance, gonum's two-pass, Welford's) differ by far less.
func sameSE(got, want, scale float64) bool {
	if math.IsNaN(got) || math.IsNaN(want) {
		return math.IsNaN(got) && math.IsNaN(want)
	}
	return math.Abs(got-want) <= 1e-9*math.Abs(scale)
}

// TestExceedance checks exceedance against gonum's empirical quantile of
// the whole sample and its standard errors against batchMeansSE, on
// synthetic losses whose draws differ in level, as outer draws do, for
// batch layouts with whole draws per batch, uneven batches (25 draws in 20
// batches), a single draw (batches of years), too few draws to fill 20
// batches and a single year (no standard error at all).
func TestExceedance(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name         string
		draws, years int
	}{
		{"20 draws", 20, 50},
		{"25 draws in 20 batches", 25, 8},
		{"3 draws", 3, 200},
		{"one draw", 1, 1000},
		{"one year", 1, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(uint64(tt.draws), uint64(tt.years)))
			loss := make([]float64, tt.draws*tt.years)
			for d := range tt.draws {
				level := 1e6 * math.Exp(rng.NormFloat64())
				for y := range tt.years {
					loss[d*tt.years+y] = level * math.Exp(1.5*rng.NormFloat64())
				}
			}
			n := len(loss)
			// The LEC table's grid (sorted from the median up), and the
			// figure's, which reaches p = 1 (sorted whole).
			for _, grid := range [][]float64{append(lecGrid(n), 0.5, 0.1, 0.05, 0.01), append(lecGrid(n), 1, 0.9)} {
				q, got := exceedance(loss, tt.draws, tt.years, grid, &exceedanceScratch{})
				batches := sortedBatches(loss, tt.draws)
				all := slices.Sorted(slices.Values(loss))
				var known int
				for i, p := range grid {
					if want := stat.Quantile(1-p, stat.Empirical, all, nil); q[i] != want {
						t.Errorf("exceedance at p = %v = %v; want %v", p, q[i], want)
					}
					want := batchMeansSE(batches, n, p)
					if !sameSE(got[i], want, want) {
						t.Errorf("exceedance SE at p = %v = %v; want %v", p, got[i], want)
					}
					if !math.IsNaN(want) {
						known++
					}
				}
				if tt.years > 1 && known == 0 {
					t.Errorf("no standard error known at any p: the test checks nothing")
				}
			}
		})
	}
}

// TestExceedanceMatchesModel checks that exceedance, read at the model's
// loss exceedance levels and at its percentiles, gives the losses and the
// standard errors of the model's Summary for every option: the same
// batches give the same values, up to the order of summation.
func TestExceedanceMatchesModel(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		cfg  model.Config
	}{
		{"20 draws", smallRun},
		{"7 draws", model.Config{Draws: 7, Years: 600, Seed: 3}},
		{"one draw", model.Config{Draws: 1, Years: 4000, Seed: 5}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := testModel()
			singles := make([]model.Portfolio, len(m.Controls))
			for c := range singles {
				singles[c] = model.Portfolio{c}
			}
			s, err := model.Simulate(context.Background(), m, singles, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			var known int
			for o, sum := range s.Summaries() {
				ps := []float64{0.5, 0.1, 0.05, 0.01}
				loss := []float64{sum.P50, sum.P90, sum.P95, sum.P99}
				want := []float64{sum.P50SE, sum.P90SE, sum.P95SE, sum.P99SE}
				for _, pt := range sum.LEC {
					ps = append(ps, pt.Exceedance)
					loss = append(loss, pt.Loss)
					want = append(want, pt.SE)
				}
				q, got := exceedance(s.Loss[o], s.Draws, s.Years, ps, &exceedanceScratch{})
				for i, p := range ps {
					if q[i] != loss[i] {
						t.Errorf("option %d: loss at p = %v = %v; the model's %v", o, p, q[i], loss[i])
					}
					if !sameSE(got[i], want[i], sum.P99) {
						t.Errorf("option %d: SE at p = %v = %v; the model's %v", o, p, got[i], want[i])
					}
					if !math.IsNaN(want[i]) {
						known++
					}
				}
			}
			if known == 0 {
				t.Error("the model gives no standard error: the test checks nothing")
			}
		})
	}
}

func TestBatchBounds(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		draws, years int
		want         []int
	}{
		{4, 10, []int{0, 10, 20, 30, 40}},
		{25, 2, []int{0, 2, 4, 6, 10, 12, 14, 16, 20, 22, 24, 26, 30, 32, 34, 36, 40, 42, 44, 46, 50}},
		{1, 5, []int{0, 1, 2, 3, 4, 5}},
		{1, 1, []int{0, 1}},
	} {
		if got := batchBounds(tt.draws, tt.years); !slices.Equal(got, tt.want) {
			t.Errorf("batchBounds(%d, %d) = %v; want %v", tt.draws, tt.years, got, tt.want)
		}
	}
}

// TestExceedanceMismatch checks that losses not laid out as draws × years
// still give their quantiles, with no standard errors.
func TestExceedanceMismatch(t *testing.T) {
	t.Parallel()
	loss := []float64{5, 1, 4, 2, 3, 9, 7, 8, 6, 10}
	grid := []float64{0.5, 0.2, 0.1}
	q, se := exceedance(loss, 3, 3, grid, &exceedanceScratch{})
	if want := []float64{5, 8, 9}; !slices.Equal(q, want) {
		t.Errorf("exceedance quantiles = %v; want %v", q, want)
	}
	for i, v := range se {
		if !math.IsNaN(v) {
			t.Errorf("exceedance SE at p = %v = %v; want NaN", grid[i], v)
		}
	}
}
