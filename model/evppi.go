package model

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// This file estimates the expected value of partial perfect information
// (EVPPI) by regression of net benefit on the inputs over the outer draws
// that already exist, as Strong, Oakley and Brennan (Medical Decision
// Making 34(3), 2014) describe and SAVI reports it. For a decision among
// options a with net benefit NB_a, and inputs φ of interest,
//
//	EVPPI(φ) = E_φ[max_a E(NB_a | φ)] − max_a E(NB_a).
//
// Each option's conditional expectation g_a(φ) = E(NB_a | φ) is a smooth
// function of φ, estimated by regressing the draws' net benefits on the
// draws' values of φ; then EVPPI ≈ (1/D)·Σ_d max_a ĝ_a(φ_d) − max_a
// (1/D)·Σ_d ĝ_a(φ_d). The standard error comes, as in SAVI, from drawing
// the fitted values from their approximate posterior (given the smoothing
// parameters) and taking the standard deviation of the EVPPI over the
// draws.

// PartialValue is an estimate of the EVPPI of one input or one group of
// inputs, with its standard error.
type PartialValue struct {
	// Value is the EVPPI, in the units of the net benefit; SE its standard
	// error from the regression's posterior.
	Value float64 `json:"value"`
	SE    float64 `json:"se"`
	// Method names the regression: "penalised cubic regression spline" or
	// "Gaussian-process regression".
	Method string `json:"method"`
}

// evppiSamples is the number of posterior draws of the fitted values behind
// an EVPPI's standard error.
const evppiSamples = 200

// evppiSEDraws is the number of draws on which the regression's posterior
// spread is measured.
const evppiSEDraws = 400

// evppiSeed seeds the posterior draws of the standard errors, so that the
// estimates are reproducible.
const evppiSeed = 0x5e1f_a11e

// incremental returns the options' net benefits less the net benefit of
// the option with the greatest mean (the reference), keeping only the
// options that beat the reference in at least one draw: any other option's
// conditional expectation lies at or below the reference's for every value
// of every input, so it can never be best whatever is learnt.
func incremental(nb [][]float64) [][]float64 {
	ref, refMean := 0, math.Inf(-1)
	for a := range nb {
		if m, _ := meanVar(nb[a]); m > refMean {
			ref, refMean = a, m
		}
	}
	var out [][]float64
	for a := range nb {
		if a == ref {
			continue
		}
		inb := make([]float64, len(nb[a]))
		beats := false
		for d := range inb {
			inb[d] = nb[a][d] - nb[ref][d]
			beats = beats || inb[d] > 0
		}
		if beats {
			out = append(out, inb)
		}
	}
	return out
}

// samplingVar returns the variance, over the draws, of mean_d max(0,
// max_a g[a][d]) as an average of D draws: the Monte Carlo error of the
// outer draws themselves, which the regression's posterior leaves out.
func samplingVar(g [][]float64) float64 {
	D := len(g[0])
	best := make([]float64, D)
	for d := range D {
		for a := range g {
			best[d] = math.Max(best[d], g[a][d])
		}
	}
	_, v := meanVar(best)
	return v / float64(D)
}

// evppiOf returns the EVPPI of fitted incremental net benefits g[a][d]
// against a reference whose incremental net benefit is 0:
// mean_d max(0, max_a g) − max(0, max_a mean_d g).
func evppiOf(g [][]float64) float64 {
	if len(g) == 0 {
		return 0
	}
	D := len(g[0])
	var with float64
	for d := range D {
		m := 0.0
		for a := range g {
			m = math.Max(m, g[a][d])
		}
		with += m
	}
	without := 0.0
	for a := range g {
		mean, _ := meanVar(g[a])
		without = math.Max(without, mean)
	}
	return with/float64(D) - without
}

// ranks returns x's mid-ranks scaled into (0, 1): (rank − ½)/n, ties
// sharing their mean rank. Conditioning on a strictly increasing function
// of an input is conditioning on the input, and on this scale draws are
// spread evenly, whatever the input's distribution.
func ranks(x []float64) []float64 {
	n := len(x)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	u := make([]float64, n)
	for i := 0; i < n; {
		j := i
		for j+1 < n && x[order[j+1]] == x[order[i]] {
			j++
		}
		r := (float64(i+j)/2 + 0.5) / float64(n)
		for k := i; k <= j; k++ {
			u[order[k]] = r
		}
		i = j + 1
	}
	return u
}

// EVPPISpline estimates the EVPPI of a single input from its value in each
// draw, theta[d], and each option's net benefit in each draw, nb[a][d].
//
// Each option's net benefit, less the best option's, is regressed on the
// input's rank by a penalised cubic regression spline (Eilers and Marx's
// P-spline: a cubic B-spline basis on equally spaced knots with a
// second-difference penalty), its smoothing parameter chosen by
// generalised cross-validation. The fitted value at each draw is the fit
// without that draw (leave-one-out, in closed form), as for groups (see
// EVPPIGP), so that a draw's own net benefit never informs its fitted
// value. The posterior, β ~ N(β̂, σ²(BᵀB + λP)⁻¹), gives the standard
// error (its spread measured on the first 400 draws, a random sample of
// the input's values), with the outer draws' own sampling variance.
// Strong, Oakley and Brennan fit a generalised additive model with a
// cubic regression spline in R's mgcv: the same
// smoother.
func EVPPISpline(theta []float64, nb [][]float64) PartialValue {
	pv := PartialValue{Method: "penalised cubic regression spline"}
	inb := incremental(nb)
	if len(inb) == 0 {
		return pv
	}
	ps := newPSpline(ranks(theta))
	D, k := len(theta), ps.k
	fits := make([]splineFit, len(inb))
	g := make([][]float64, len(inb))
	// shift[a][d] is the leave-one-out fitted value less the in-sample one.
	shift := make([][]float64, len(inb))
	lev := make([]float64, D)
	for a, y := range inb {
		fits[a] = ps.fit(y)
		g[a] = ps.fitted(fits[a].coef, nil)
		ps.leverage(fits[a].w, lev)
		shift[a] = make([]float64, D)
		for d := range D {
			// ŷ₋ᵢ = (ŷᵢ − hᵢᵢyᵢ)/(1 − hᵢᵢ) for a linear smoother.
			loo := (g[a][d] - lev[d]*y[d]) / (1 - lev[d])
			shift[a][d] = loo - g[a][d]
			g[a][d] = loo
		}
	}
	pv.Value = evppiOf(g)
	sv := samplingVar(g)
	rng := rand.New(rand.NewPCG(evppiSeed, uint64(D)))
	v := make([]float64, k)
	vals := make([]float64, evppiSamples)
	// The posterior's spread is measured on the first evppiSEDraws draws
	// (a random sample of the inputs' values, the draws being independent):
	// the fitted curves' uncertainty moves the EVPPI on them as on all the
	// draws, at a fraction of the cost.
	m := min(D, evppiSEDraws)
	sub := &pSpline{k: k, bg: ps.bg.Slice(0, m, 0, k).(*mat.Dense), s: ps.s}
	for a := range g {
		g[a] = g[a][:m]
	}
	for s := range vals {
		for a, f := range fits {
			// On the eigenbasis the posterior is independent: coefficient
			// i has mean coef[i] and standard deviation sd[i].
			for i := range v {
				v[i] = f.coef[i] + f.sd[i]*rng.NormFloat64()
			}
			g[a] = sub.fitted(v, g[a])
			for d := range m {
				g[a][d] += shift[a][d]
			}
		}
		vals[s] = evppiOf(g)
	}
	_, vv := meanVar(vals)
	pv.SE = math.Sqrt(vv + sv)
	return pv
}

// pSpline is a cubic B-spline basis on equally spaced knots over [0, 1],
// evaluated at the draws, with a second-difference penalty, in the
// Demmler–Reinsch form: with BᵀB = RRᵀ and R⁻¹PR⁻ᵀ = U·diag(s)·Uᵀ, the
// columns of G = R⁻ᵀU diagonalise both, so for any λ
//
//	(BᵀB + λP)⁻¹ = G·diag(1/(1 + λs))·Gᵀ
//
// and a fit costs O(draws × basis) whatever λ.
type pSpline struct {
	k  int
	bg *mat.Dense // B·G, draws × k
	s  []float64  // eigenvalues of the penalty on the basis
}

// newPSpline returns the basis at the points u in (0, 1), with about one
// segment per ten draws, from 4 to 20.
func newPSpline(u []float64) *pSpline {
	n := len(u)
	nseg := min(max(n/10, 4), 20)
	k := nseg + 3
	b := mat.NewDense(n, k, nil)
	for d, x := range u {
		j := min(int(x*float64(nseg)), nseg-1)
		t := x*float64(nseg) - float64(j)
		s := 1 - t
		for i, w := range [4]float64{s * s * s / 6, (3*t*t*t - 6*t*t + 4) / 6, (-3*t*t*t + 3*t*t + 3*t + 1) / 6, t * t * t / 6} {
			b.Set(d, j+i, w)
		}
	}
	btb := mat.NewSymDense(k, nil)
	btb.SymOuterK(1, b.T())
	// A whisker of ridge keeps BᵀB positive definite when a basis function
	// has (almost) no draws under it.
	ridge := 1e-10 * mat.Trace(btb) / float64(k)
	for i := range k {
		btb.SetSym(i, i, btb.At(i, i)+ridge)
	}
	pen := mat.NewSymDense(k, nil)
	for r := range k - 2 {
		c := [3]float64{1, -2, 1}
		for i := range 3 {
			for j := i; j < 3; j++ {
				pen.SetSym(r+i, r+j, pen.At(r+i, r+j)+c[i]*c[j])
			}
		}
	}
	l := choleskyLower(btb)
	// M = R⁻¹·P·R⁻ᵀ, with R = l.
	var rinvP, m mat.Dense
	if err := rinvP.Solve(l, pen); err != nil {
		panic(err) // l is non-singular: btb has a ridge
	}
	var mt mat.Dense
	if err := mt.Solve(l, rinvP.T()); err != nil {
		panic(err)
	}
	m.CloneFrom(mt.T())
	ms := mat.NewSymDense(k, nil)
	for i := range k {
		for j := i; j < k; j++ {
			ms.SetSym(i, j, (m.At(i, j)+m.At(j, i))/2)
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(ms, true) {
		panic("model: eigendecomposition of a spline penalty failed")
	}
	var uu mat.Dense
	eig.VectorsTo(&uu)
	s := eig.Values(nil)
	for i := range s {
		s[i] = math.Max(s[i], 0)
	}
	// G = R⁻ᵀ·U.
	var g mat.Dense
	if err := g.Solve(l.T(), &uu); err != nil {
		panic(err)
	}
	ps := &pSpline{k: k, bg: mat.NewDense(n, k, nil), s: s}
	ps.bg.Mul(b, &g)
	return ps
}

// fitted returns B·G·v at the draws, into dst when it has room.
func (ps *pSpline) fitted(v, dst []float64) []float64 {
	n, _ := ps.bg.Dims()
	if len(dst) != n {
		dst = make([]float64, n)
	}
	raw := ps.bg.RawMatrix()
	for d := range n {
		row := raw.Data[d*raw.Stride : d*raw.Stride+ps.k]
		var x float64
		for i, w := range row {
			x += w * v[i]
		}
		dst[d] = x
	}
	return dst
}

// splineFit is a fitted spline on the eigenbasis: coefficients coef (β̂ =
// G·coef), their posterior standard deviations, and the effective degrees
// of freedom.
type splineFit struct {
	coef, sd []float64
	// w are the shrinkage factors 1/(1 + λs_i) of the chosen λ.
	w   []float64
	edf float64
}

// leverage writes the hat matrix's diagonal for shrinkage factors w into
// dst: h_dd = Σ_i (BG)_di²·w_i.
func (ps *pSpline) leverage(w, dst []float64) {
	raw := ps.bg.RawMatrix()
	for d := range dst {
		row := raw.Data[d*raw.Stride : d*raw.Stride+ps.k]
		var h float64
		for i, x := range row {
			h += x * x * w[i]
		}
		dst[d] = min(h, 1-1e-9)
	}
}

// fit fits the spline to y, choosing the smoothing parameter λ on a grid
// of 10⁻⁸ to 10⁸ by generalised cross-validation, n·RSS/(n − edf)², with
// edf = Σ 1/(1 + λs_i).
func (ps *pSpline) fit(y []float64) splineFit {
	n, k := len(y), ps.k
	c := make([]float64, k) // Gᵀ·Bᵀ·y
	raw := ps.bg.RawMatrix()
	for d := range n {
		row := raw.Data[d*raw.Stride : d*raw.Stride+k]
		for i, w := range row {
			c[i] += w * y[d]
		}
	}
	// B·G has orthonormal columns (GᵀBᵀBG = I), so the residual sum of
	// squares at any λ is yᵀy − Σ_i (2w_i − w_i²)·c_i², w_i = 1/(1 + λs_i):
	// the grid costs O(basis) a point; the chosen fit's residuals are then
	// summed at the draws.
	var yy float64
	for _, x := range y {
		yy += x * x
	}
	bestGCV, bestLambda := math.Inf(1), math.NaN()
	for e := -8.0; e <= 8.0; e += 0.25 {
		lambda := math.Pow(10, e)
		var edf, fit float64
		for i := range k {
			w := 1 / (1 + lambda*ps.s[i])
			edf += w
			fit += (2*w - w*w) * c[i] * c[i]
		}
		if float64(n)-edf <= 1 {
			continue
		}
		rss := max(yy-fit, 0)
		if gcv := float64(n) * rss / ((float64(n) - edf) * (float64(n) - edf)); gcv < bestGCV {
			bestGCV, bestLambda = gcv, lambda
		}
	}
	var best splineFit
	if !math.IsNaN(bestLambda) {
		best = splineFit{coef: make([]float64, k), sd: make([]float64, k), w: make([]float64, k)}
		for i := range k {
			best.w[i] = 1 / (1 + bestLambda*ps.s[i])
			best.coef[i] = best.w[i] * c[i]
			best.edf += best.w[i]
		}
		fitted := ps.fitted(best.coef, nil)
		var rss float64
		for d := range y {
			r := y[d] - fitted[d]
			rss += r * r
		}
		sigma := math.Sqrt(rss / (float64(n) - best.edf))
		for i := range k {
			best.sd[i] = sigma * math.Sqrt(best.w[i])
		}
	}
	if best.coef == nil { // too few draws for any fit: no information
		best = splineFit{coef: make([]float64, k), sd: make([]float64, k), w: make([]float64, k)}
	}
	return best
}

// choleskyLower returns a lower-triangular L with L·Lᵀ = a, adding a
// little to the diagonal when rounding has left a not quite positive
// definite; zero when a is zero.
func choleskyLower(a *mat.SymDense) *mat.TriDense {
	n := a.SymmetricDim()
	var ch mat.Cholesky
	jitter := 0.0
	for range 10 {
		b := mat.NewSymDense(n, nil)
		b.CopySym(a)
		for i := range n {
			b.SetSym(i, i, b.At(i, i)+jitter)
		}
		if ch.Factorize(b) {
			l := mat.NewTriDense(n, mat.Lower, nil)
			ch.LTo(l)
			return l
		}
		jitter = math.Max(2*jitter, 1e-12*math.Max(mat.Trace(a)/float64(n), 1e-300))
	}
	return mat.NewTriDense(n, mat.Lower, nil)
}

// gpMaxDraws is the most draws a Gaussian-process regression uses: its
// cost grows as the cube of the draws. With more outer draws, the first
// gpMaxDraws are used (they are a random sample like any other); the
// standard error says what so few draws leave uncertain.
const gpMaxDraws = 300

// gpHyperDraws is the most draws its hyperparameters are estimated on.
const gpHyperDraws = 200

// EVPPIGP estimates the EVPPI of a group of inputs from their values in
// each draw, theta[i][d] for input i, and each option's net benefit in
// each draw, nb[a][d].
//
// Each option's net benefit, less the best option's, is regressed on the
// inputs' ranks by Gaussian-process regression (Strong, Oakley and
// Brennan 2014, section 3.2): a constant mean, a squared-exponential
// covariance with one length scale per input, σ_f²·exp(−½·Σ_i (u_i −
// u_i')²/ℓ_i²), and independent noise σ_n², the hyperparameters set by
// maximising the marginal likelihood. The length scales, which say how
// fast net benefit changes with each input, are shared by the options
// (estimated on their standardised net benefits together); each option
// then has its own signal and noise variances. Sharing the length scales
// lets one eigendecomposition of the covariance serve every option.
//
// The fitted value at each draw is the posterior mean given every other
// draw (leave-one-out, in closed form): with many inputs and a few hundred
// draws, the draws lie far apart in the inputs' space and an in-sample
// fit can reproduce the draws' own noise, so that even inputs the net
// benefit ignores would seem worth knowing; a draw's own net benefit never
// informs its fitted value here. The posterior covariance gives the
// standard error. With more than 600 draws, the first 600 are used.
func EVPPIGP(theta [][]float64, nb [][]float64) PartialValue {
	pv := PartialValue{Method: "Gaussian-process regression"}
	if len(theta) == 0 {
		return pv
	}
	D := min(len(theta[0]), gpMaxDraws)
	cut := make([][]float64, len(nb))
	for a := range nb {
		cut[a] = nb[a][:D]
	}
	inb := incremental(cut)
	if len(inb) == 0 {
		return pv
	}
	u := make([][]float64, len(theta))
	for i := range theta {
		u[i] = ranks(theta[i][:D])
	}
	means, roots := gpFit(u, inb)
	pv.Value = evppiOf(means)
	sv := samplingVar(means)
	rng := rand.New(rand.NewPCG(evppiSeed, uint64(D)+uint64(len(theta))<<32))
	g := make([][]float64, len(inb))
	for a := range g {
		g[a] = make([]float64, D)
	}
	z := mat.NewVecDense(D, nil)
	vals := make([]float64, evppiSamples)
	for s := range vals {
		for a := range inb {
			for i := range D {
				z.SetVec(i, rng.NormFloat64())
			}
			gv := mat.NewVecDense(D, g[a])
			gv.MulVec(roots[a], z)
			for d := range D {
				g[a][d] += means[a][d]
			}
		}
		vals[s] = evppiOf(g)
	}
	_, v := meanVar(vals)
	pv.SE = math.Sqrt(v + sv)
	return pv
}

// gpFit fits Gaussian processes to each ys[a] on the inputs u[i][d] and
// returns each one's posterior mean at the draws and a square root R of
// its posterior covariance there (R·Rᵀ = Σ).
//
// The length scales are estimated on the first gpHyperDraws draws by
// maximising the summed marginal likelihood of the standardised
// responses. Then with K₀ the correlation matrix at every draw, K₀ = QΛQᵀ,
// each response's σ_f and σ_n maximise its own marginal likelihood, which
// on the eigenbasis is a sum over eigenvalues; its posterior mean is
// Q·diag(σ_f²λ/(σ_f²λ + σ_n²))·Qᵀ·y and its covariance, K − K(K + σ_n²I)⁻¹K
// = Q·diag(σ_n²σ_f²λ/(σ_f²λ + σ_n²))·Qᵀ.
func gpFit(u [][]float64, ys [][]float64) (means [][]float64, roots []*mat.Dense) {
	D, p, A := len(ys[0]), len(u), len(ys)
	my, sy := make([]float64, A), make([]float64, A)
	std := make([][]float64, A)
	var live [][]float64
	for a, y := range ys {
		m, v := meanVar(y)
		my[a], sy[a] = m, math.Sqrt(v)
		std[a] = make([]float64, D)
		if sy[a] > 0 {
			for d := range y {
				std[a][d] = (y[d] - m) / sy[a]
			}
			live = append(live, std[a][:min(D, gpHyperDraws)])
		}
	}
	means = make([][]float64, A)
	roots = make([]*mat.Dense, A)
	constant := func(a int) {
		means[a] = make([]float64, D)
		for d := range D {
			means[a][d] = my[a]
		}
		roots[a] = mat.NewDense(D, D, nil)
	}
	if len(live) == 0 {
		for a := range A {
			constant(a)
		}
		return means, roots
	}
	// Length scales (and a shared σ_f, σ_n, discarded) on the first
	// gpHyperDraws draws: x = (log ℓ_1..ℓ_p, log σ_f, log σ_n).
	h := min(D, gpHyperDraws)
	hu := make([][]float64, p)
	for i := range u {
		hu[i] = u[i][:h]
	}
	lml := &gpLikelihood{u: hu, ys: live}
	x0 := make([]float64, p+2)
	for i := range p {
		x0[i] = math.Log(0.5)
	}
	x0[p], x0[p+1] = 0, math.Log(0.5)
	x := x0
	res, err := optimize.Minimize(optimize.Problem{Func: lml.negLogLik, Grad: lml.grad}, x0,
		&optimize.Settings{MajorIterations: 100, GradientThreshold: 1e-6}, &optimize.LBFGS{})
	if res != nil && (err == nil || res.F < lml.negLogLik(x0)) {
		x = res.X
	}
	x[p] = 0 // K₀: unit signal variance
	var eig mat.EigenSym
	if !eig.Factorize(gpKernel(u, x), true) {
		for a := range A {
			constant(a)
		}
		return means, roots
	}
	var q mat.Dense
	eig.VectorsTo(&q)
	lam := eig.Values(nil)
	for i := range lam {
		lam[i] = math.Max(lam[i], 0)
	}
	for a := range A {
		if !(sy[a] > 0) {
			constant(a)
			continue
		}
		z := mat.NewVecDense(D, nil)
		z.MulVec(q.T(), mat.NewVecDense(D, std[a]))
		sf2, sn2 := eigenVariances(lam, z.RawVector().Data)
		// Leave-one-out means: with C = σ_f²K₀ + σ_n²I = Q·diag(s)·Qᵀ,
		// the mean at draw i from every other draw is y_i − [C⁻¹y]_i/[C⁻¹]_ii
		// (Rasmussen and Williams 2006, eq. 5.12).
		for i := range D {
			z.SetVec(i, z.AtVec(i)/(sf2*lam[i]+sn2))
		}
		alpha := mat.NewVecDense(D, nil)
		alpha.MulVec(&q, z)
		qr := q.RawMatrix()
		means[a] = make([]float64, D)
		for d := range D {
			row := qr.Data[d*qr.Stride : d*qr.Stride+D]
			var diag float64
			for j, x := range row {
				diag += x * x / (sf2*lam[j] + sn2)
			}
			means[a][d] = my[a] + sy[a]*(std[a][d]-alpha.AtVec(d)/diag)
		}
		r := mat.NewDense(D, D, nil)
		r.Copy(&q)
		scale := make([]float64, D)
		for j := range D {
			scale[j] = sy[a] * math.Sqrt(sn2*sf2*lam[j]/(sf2*lam[j]+sn2))
		}
		raw := r.RawMatrix()
		for i := range D {
			row := raw.Data[i*raw.Stride : i*raw.Stride+D]
			for j := range row {
				row[j] *= scale[j]
			}
		}
		roots[a] = r
	}
	return means, roots
}

// eigenVariances returns the σ_f² and σ_n² that maximise the marginal
// likelihood of a response whose coordinates on the eigenvectors of the
// correlation matrix are z, λ its eigenvalues:
//
//	−log L = ½·Σ_i [z_i²/s_i + log s_i] + const,  s_i = σ_f²λ_i + σ_n².
func eigenVariances(lam, z []float64) (sf2, sn2 float64) {
	f := func(x []float64) float64 {
		if !(x[0] >= -15 && x[0] <= 5 && x[1] >= -15 && x[1] <= 5) {
			return math.Inf(1)
		}
		a, b := math.Exp(2*x[0]), math.Exp(2*x[1])
		var v float64
		for i, l := range lam {
			s := a*l + b
			v += z[i]*z[i]/s + math.Log(s)
		}
		return v / 2
	}
	g := func(dst, x []float64) {
		a, b := math.Exp(2*x[0]), math.Exp(2*x[1])
		dst[0], dst[1] = 0, 0
		for i, l := range lam {
			s := a*l + b
			c := 1/s - z[i]*z[i]/(s*s)
			dst[0] += a * l * c
			dst[1] += b * c
		}
	}
	x0 := []float64{0, math.Log(0.5)}
	x := x0
	res, err := optimize.Minimize(optimize.Problem{Func: f, Grad: g}, x0,
		&optimize.Settings{MajorIterations: 200, GradientThreshold: 1e-8}, &optimize.LBFGS{})
	if res != nil && (err == nil || res.F < f(x0)) {
		x = res.X
	}
	return math.Exp(2 * x[0]), math.Exp(2 * x[1])
}

// gpKernel returns σ_f²·exp(−½·Σ_i (u_i − u_i')²/ℓ_i²) at the draws, the
// hyperparameters x = (log ℓ_1..ℓ_p, log σ_f, log σ_n).
func gpKernel(u [][]float64, x []float64) *mat.SymDense {
	p := len(u)
	D := len(u[0])
	sf2 := math.Exp(2 * x[p])
	inv := make([]float64, p)
	for i := range p {
		inv[i] = math.Exp(-2 * x[i])
	}
	k := mat.NewSymDense(D, nil)
	raw := k.RawSymmetric()
	for a := range D {
		row := raw.Data[a*raw.Stride:]
		row[a] = sf2
		for b := a + 1; b < D; b++ {
			var r float64
			for i := range p {
				dx := u[i][a] - u[i][b]
				r += dx * dx * inv[i]
			}
			row[b] = sf2 * math.Exp(-r/2)
		}
	}
	return k
}

// gpLikelihood is the summed negative log marginal likelihood of
// independent responses ys under one Gaussian process, with its gradient;
// it keeps the last point's factorisation, since the optimiser asks for
// the value and gradient at the same point.
type gpLikelihood struct {
	u  [][]float64
	ys [][]float64
	y  *mat.Dense // the responses as columns, draws × responses
	// at is the point last factorised, ch the Cholesky factorisation of
	// its covariance C = K + σ_n²I, k its K, alpha = C⁻¹·y, ok whether
	// the factorisation worked.
	at    []float64
	ch    mat.Cholesky
	k     *mat.SymDense
	alpha mat.Dense
	ok    bool
}

// gpBound keeps the log hyperparameters in a sane range: length scales
// from e⁻⁶ to e⁶ on the unit interval, σ_f and σ_n from e⁻⁷ to e³ on a
// standardised response.
func gpBound(x []float64) bool {
	p := len(x) - 2
	for i, v := range x {
		lo, hi := -6.0, 6.0
		if i >= p {
			lo, hi = -7, 3
		}
		if !(v >= lo && v <= hi) {
			return false
		}
	}
	return true
}

func (g *gpLikelihood) factor(x []float64) {
	if slices.Equal(g.at, x) {
		return
	}
	g.at = slices.Clone(x)
	g.ok = false
	if !gpBound(x) {
		return
	}
	p := len(g.u)
	D := len(g.ys[0])
	if g.y == nil {
		g.y = mat.NewDense(D, len(g.ys), nil)
		for a, y := range g.ys {
			g.y.SetCol(a, y)
		}
	}
	g.k = gpKernel(g.u, x)
	c := mat.NewSymDense(D, nil)
	c.CopySym(g.k)
	sn2 := math.Exp(2*x[p+1]) + 1e-8
	for i := range D {
		c.SetSym(i, i, c.At(i, i)+sn2)
	}
	if !g.ch.Factorize(c) {
		return
	}
	if err := g.ch.SolveTo(&g.alpha, g.y); err != nil {
		return
	}
	g.ok = true
}

// negLogLik is Σ_a ½·y_aᵀC⁻¹y_a + (A/2)·log|C| + (A·D/2)·log 2π.
func (g *gpLikelihood) negLogLik(x []float64) float64 {
	g.factor(x)
	if !g.ok {
		return math.Inf(1)
	}
	D, A := g.y.Dims()
	v := 0.5 * float64(A) * (g.ch.LogDet() + float64(D)*math.Log(2*math.Pi))
	for a := range A {
		v += 0.5 * mat.Dot(g.y.ColView(a), g.alpha.ColView(a))
	}
	return v
}

// grad is the gradient of negLogLik: −½·tr(W·∂C/∂x_j), W = Σ_a α_aα_aᵀ −
// A·C⁻¹.
func (g *gpLikelihood) grad(dst, x []float64) {
	g.factor(x)
	clear(dst)
	if !g.ok {
		return
	}
	p := len(g.u)
	D, A := g.y.Dims()
	var cinv mat.SymDense
	if err := g.ch.InverseTo(&cinv); err != nil {
		return
	}
	w := mat.NewSymDense(D, nil)
	w.SymOuterK(1, &g.alpha)
	w.AddSym(w, scaledSym(-float64(A), &cinv))
	wr := w.RawSymmetric()
	inv := make([]float64, p)
	for i := range p {
		inv[i] = math.Exp(-2 * x[i])
	}
	kr := g.k.RawSymmetric()
	var trK, trI float64
	for a := range D {
		wrow, krow := wr.Data[a*wr.Stride:], kr.Data[a*kr.Stride:]
		trK += wrow[a] * krow[a]
		trI += wrow[a]
		for b := a + 1; b < D; b++ {
			wk := 2 * wrow[b] * krow[b] // both triangles
			trK += wk
			for i := range p {
				dx := g.u[i][a] - g.u[i][b]
				// ∂k/∂log ℓ_i = k·Δu_i²/ℓ_i².
				dst[i] += wk * dx * dx * inv[i]
			}
		}
	}
	for i := range p {
		dst[i] *= -0.5
	}
	// ∂C/∂log σ_f = 2K; ∂C/∂log σ_n = 2σ_n²I.
	dst[p] = -trK
	dst[p+1] = -math.Exp(2*x[p+1]) * trI
}

// scaledSym returns f·a.
func scaledSym(f float64, a *mat.SymDense) *mat.SymDense {
	var s mat.SymDense
	s.ScaleSym(f, a)
	return &s
}
