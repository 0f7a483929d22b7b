package model

import "math"

// ClosedFormALE returns the expected annual loss of portfolio p by the
// closed form, summed over threats:
//
//	ALE_t(P) = E[λ]·m̄_f·(E[min(S,orgs)]·m̄_s·(E[D]·m̄_d·E[k_d]·E[c_d] + E[k_r]·E[c_r]) + E[F]·m̄_F)
//
// where m̄_x = Π_{c∈P} (1 − E[r_x,c]), by the independence of the draws. It
// holds for negative binomial counts too, whose mean is the same.
func ClosedFormALE(m *Model, p Portfolio) float64 {
	f := fit(m)
	return f.closedForm(p)
}

// ClosedFormThreatALE returns the closed-form expected annual loss of
// portfolio p from threat t alone.
func ClosedFormThreatALE(m *Model, p Portfolio, t int) float64 {
	return fit(m).threatALE(p, t)
}

func (f *fitted) closedForm(p Portfolio) float64 {
	var ale float64
	for t := range f.threats {
		ale += f.threatALE(p, t)
	}
	return ale
}

func (f *fitted) threatALE(p Portfolio, t int) float64 {
	td := &f.threats[t]
	mf, ms, md, mF := 1.0, 1.0, 1.0, 1.0
	for _, c := range p {
		for _, e := range f.controls[c].effects {
			if e.threat == t {
				mf *= 1 - e.freq.Mean()
				ms *= 1 - e.spread.Mean()
				md *= 1 - e.dur.Mean()
				mF *= 1 - e.fixed.Mean()
			}
		}
	}
	es := td.spread.CappedMoment(1, f.m.Orgs)
	outage := es * ms * (td.duration.Mean()*md*td.kd.Mean()*f.daily.Mean() + td.kr.Mean()*f.recovery.Mean())
	return td.rate.Mean() * mf * (outage + td.fixed.Mean()*mF)
}

// ClosedFormHarm returns the expected yearly patient harm, valued in money,
// of portfolio p (0 without harm), under the model's independence:
//
//	Σ_t E[λ]·m̄_f·E[min(S,orgs)]·m̄_s·E[D]·m̄_d·E[min(k_d/k_full, 1)]·E[h]·E[q]·v
func ClosedFormHarm(m *Model, p Portfolio) float64 {
	f := fit(m)
	if f.harm == nil {
		return 0
	}
	return f.fullDays(p) * f.harm.deaths.Mean() * f.harm.qalys.Mean() * f.harm.value
}

// ClosedFormDeaths returns the expected extra deaths a year of portfolio p
// (0 without harm), the social view's sanity line:
//
//	Σ_t E[λ]·m̄_f·E[min(S,orgs)]·m̄_s·E[D]·m̄_d·E[min(k_d/k_full, 1)]·E[h]
func ClosedFormDeaths(m *Model, p Portfolio) float64 {
	f := fit(m)
	if f.harm == nil {
		return 0
	}
	return f.fullDays(p) * f.harm.deaths.Mean()
}

// fullDays returns the expected full-outage organisation-days a year of
// portfolio p.
func (f *fitted) fullDays(p Portfolio) float64 {
	var days float64
	for t := range f.threats {
		days += f.threatFullDays(p, t)
	}
	return days
}

// threatFullDays returns threat t's expected full-outage
// organisation-days a year under portfolio p.
func (f *fitted) threatFullDays(p Portfolio, t int) float64 {
	td := &f.threats[t]
	mf, ms, md := 1.0, 1.0, 1.0
	for _, c := range p {
		for _, e := range f.controls[c].effects {
			if e.threat == t {
				mf *= 1 - e.freq.Mean()
				ms *= 1 - e.spread.Mean()
				md *= 1 - e.dur.Mean()
			}
		}
	}
	return td.rate.Mean() * mf * td.spread.CappedMoment(1, f.m.Orgs) * ms * td.duration.Mean() * md * fullShare(td.kd, f.harm.kfull)
}

// threatHarm returns threat t's expected yearly harm, valued in money,
// under portfolio p (0 without harm).
func (f *fitted) threatHarm(p Portfolio, t int) float64 {
	if f.harm == nil {
		return 0
	}
	return f.threatFullDays(p, t) * f.harm.deaths.Mean() * f.harm.qalys.Mean() * f.harm.value
}

// fullShare returns E[min(k_d/k_full, 1)], the expected share of a full
// outage's day that an organisation-day at intensity k_d amounts to, for
// independent lognormal (or fixed) k_d and k_full: ln(k_d/k_full) is normal
// with mean μ_d − μ_f and variance σ_d² + σ_f², so the capped first moment
// of that lognormal at 1 gives it.
func fullShare(kd, kfull Dist) float64 {
	lnMu := func(d Dist) (mu, sigma float64) {
		if d.fixed {
			return math.Log(d.value), 0
		}
		return d.mu, d.sigma
	}
	if kd.fixed && kd.value == 0 {
		return 0
	}
	md, sd := lnMu(kd)
	mf, sf := lnMu(kfull)
	sigma := math.Hypot(sd, sf)
	if sigma == 0 {
		return math.Min(math.Exp(md-mf), 1)
	}
	return Dist{kind: Positive, mu: md - mf, sigma: sigma}.CappedMoment(1, 1)
}
