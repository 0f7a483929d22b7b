package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPoissonAcceptMatchesLogs checks PTRS's acceptance test without logs
// against the expression it stands for, ln v + ln(1/α) − ln h ≤ −λ + k·ln λ
// − ln k!, on the draws PTRS meets at means from 10 to 2⁶⁰ and on values of
// v placed at and around the boundary, where the expression decides.
func TestPoissonAcceptMatchesLogs(t *testing.T) {
	src := rand.NewPCG(3, 4)
	exact := func(p *poissonDist, lam, v, h, k float64) bool {
		return math.Log(v)+p.logInvAlpha-math.Log(h) <= -lam+k*p.loglam-logFactorial(k)
	}
	checked := 0
	for _, lam := range []float64{10, 12.5, 37.5, 100, 1e3, 1e5, 1e8, 1e12, maxPoissonMean} {
		p := newPoisson(lam)
		for range 20_000 {
			u := uniform(src) - 0.5
			v := uniform(src)
			us := 0.5 - math.Abs(u)
			k := math.Floor((2*p.a/us+p.b)*u + lam + 0.43)
			if k < 0 {
				continue
			}
			h := p.a/(us*us) + p.b
			if got, want := p.accept(lam, v, h, k), exact(&p, lam, v, h, k); got != want {
				t.Fatalf("λ=%g, v=%v, h=%v, k=%v: accept %v; the logs say %v", lam, v, h, k, got, want)
			}
			checked++
			// v at the boundary and just either side of it.
			b := h * math.Exp(-lam+k*p.loglam-logFactorial(k)-p.logInvAlpha)
			if b <= 0 || b >= 1 || math.IsNaN(b) {
				continue
			}
			for _, d := range []float64{0, 1e-15, -1e-15, 1e-12, -1e-12, 1e-10, -1e-10, 1e-9, -1e-9, 3e-9, -3e-9} {
				v := b * (1 + d)
				for _, v := range []float64{v, math.Nextafter(v, 0), math.Nextafter(v, 1)} {
					if got, want := p.accept(lam, v, h, k), exact(&p, lam, v, h, k); got != want {
						t.Fatalf("λ=%g, v=%v (boundary %v), h=%v, k=%v: accept %v; the logs say %v", lam, v, b, h, k, got, want)
					}
					checked++
				}
			}
		}
	}
	t.Logf("%d tests agree", checked)
}

// TestSelectKPartitions checks selectK's whole contract against a sort, on
// sizes either side of its sampling threshold: x[k] is the k-th smallest,
// nothing before it larger, nothing after it smaller, and x a permutation
// of its input; on distinct values, many ties, all equal, sorted and
// reversed inputs, at ranks from the ends to the middle.
func TestSelectKPartitions(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{1, 2, 7, 600, 601, 602, 1000, 5000, 10_000, 100_000} {
		for kind := range 5 {
			x := make([]float64, n)
			for i := range x {
				switch kind {
				case 0:
					x[i] = r.NormFloat64()
				case 1:
					x[i] = float64(r.IntN(7))
				case 2:
					x[i] = 3
				case 3:
					x[i] = float64(i)
				case 4:
					x[i] = float64(n - i)
				}
			}
			s := slices.Clone(x)
			slices.Sort(s)
			for _, k := range []int{0, 1, n / 20, n / 2, (n * 95) / 100, n - 2, n - 1} {
				if k < 0 || k >= n {
					continue
				}
				y := slices.Clone(x)
				if got := selectK(y, k); got != s[k] || y[k] != s[k] {
					t.Fatalf("n=%d kind %d k=%d: selectK %v, x[k] %v; want %v", n, kind, k, got, y[k], s[k])
				}
				for i, v := range y {
					if i < k && v > s[k] || i > k && v < s[k] {
						t.Fatalf("n=%d kind %d k=%d: x[%d] = %v on the wrong side of %v", n, kind, k, i, v, s[k])
					}
				}
				slices.Sort(y)
				if !slices.Equal(y, s) {
					t.Fatalf("n=%d kind %d k=%d: not a permutation of the input", n, kind, k)
				}
			}
		}
	}
}

// TestPoissonInvMatches checks the tabulated inversion against
// poissonDist's sequential search: the same count from the same stream, at
// means across (0, 10), including uniforms beyond the table.
func TestPoissonInvMatches(t *testing.T) {
	for _, lam := range []float64{1e-9, 0.003, 0.08, 0.5, 1, 2.2, 4.9, 7.5, 9.999} {
		inv := newPoissonInv(lam)
		pd := newPoisson(lam)
		a, b := rand.NewPCG(9, uint64(lam*1e6)), rand.NewPCG(9, uint64(lam*1e6))
		for i := range 200_000 {
			if x, y := inv.rand(a), pd.rand(b); x != y {
				t.Fatalf("λ=%g, draw %d: tabulated %d, sequential %d", lam, i, x, y)
			}
		}
	}
	// Beyond the table: a uniform near 1 at a mean whose table ends
	// before the search does.
	inv := newPoissonInv(9.5)
	pd := newPoisson(9.5)
	for _, u := range []float64{1 - 0x1p-53, 1 - 0x1p-40, 1 - 1e-9} {
		if x, y := inv.invert(u), pd.invert(u); x != y || x < poissonTable {
			t.Fatalf("u=%v: tabulated %d, sequential %d (want beyond %d)", u, x, y, poissonTable)
		}
	}
	// Where the search stops whatever the uniform: a tiny mean's table
	// ends there.
	inv, pd = newPoissonInv(1e-300), newPoisson(1e-300)
	for _, u := range []float64{0, 0.5, 1 - 0x1p-53} {
		if x, y := inv.invert(u), pd.invert(u); x != y {
			t.Fatalf("λ=1e-300, u=%v: tabulated %d, sequential %d", u, x, y)
		}
	}
}
