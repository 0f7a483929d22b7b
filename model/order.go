package model

import (
	"math"
)

// orderScratch is the reusable space of rankStats: bin counts and the
// values of the bins that hold a wanted rank. It belongs to one goroutine.
type orderScratch struct {
	count []int32
	slot  []int32 // slot[b]: 1 + index in bins of wanted bin b, else 0
	bins  []int   // wanted bins, ascending
	start []int   // start[i]: offset in buf of bins[i]'s values
	fill  []int
	ranks []rankBin
	buf   []float64
}

// rankBin is a wanted rank r (output index i, −1 for the k-th largest), its
// bin b (−1 for the smallest value) and the rank c of the bin's first
// value.
type rankBin struct{ r, i, b, c int }

// orderKey maps a float64 to a uint64 in the same order (NaN excepted).
func orderKey(v float64) uint64 {
	b := math.Float64bits(v)
	return b ^ (uint64(int64(b)>>63) | 1<<63)
}

// maxBins is the most bins rankStats counts in; it uses about a quarter as
// many as there are values.
const maxBins = 1 << 16

// rankStats reads, without reordering x, the values at the 0-based sorted
// ranks in ranks (each in [0, len(x))) into out, and returns the sum of x's
// k largest values (0 < k ≤ len(x)).
//
// It is a bucket selection: one pass finds the smallest value, how often
// it occurs, the next smallest and the largest; a second counts the other
// values in up to 65,536 bins of equal width in the values' order-preserving
// bit patterns (so about 2^11 bins per power of two over a range of 2^20);
// a third copies out only the values of the bins that hold a wanted rank,
// and sums those above the k-th largest's bin; then each wanted rank is
// selected inside its own bin. The results are the exact order statistics,
// as a full sort would give them, at the cost of three reads of x.
func (sc *orderScratch) rankStats(x []float64, ranks []int, out []float64, k int) (topSum float64) {
	g := sc.geometry(x)
	return sc.rankStatsIn(x, &g, ranks, out, k)
}

// orderGeom is the bin layout of rankStats for a sample and any part of
// it: the smallest value lo (counted apart), the bins' base key (of the
// next smallest value), their width 2^shift in keys, and their number.
type orderGeom struct {
	lo     float64
	single bool // every value is lo
	base   uint64
	shift  uint
	nb     int
}

// geometry returns x's bin layout (rankStats' first pass).
func (sc *orderScratch) geometry(x []float64) orderGeom {
	n := len(x)
	lo, hi, next := x[0], x[0], math.Inf(1)
	nlo := 0
	for _, v := range x {
		switch {
		case v < lo:
			next = min(next, lo)
			lo, nlo = v, 1
		case v == lo:
			nlo++
		default:
			next = min(next, v)
			hi = max(hi, v)
		}
	}
	if nlo == n {
		return orderGeom{lo: lo, single: true}
	}
	nb := 256
	for nb < n/4 && nb < maxBins {
		nb *= 2
	}
	base := orderKey(next)
	span := orderKey(hi) - base
	shift := uint(0)
	for span>>shift >= uint64(nb) {
		shift++
	}
	return orderGeom{lo: lo, base: base, shift: shift, nb: int(span>>shift) + 1}
}

// rankStatsIn is rankStats on x, all of whose values lie in the range of
// the sample g was made from (x itself, or a sample holding it).
func (sc *orderScratch) rankStatsIn(x []float64, g *orderGeom, ranks []int, out []float64, k int) (topSum float64) {
	n := len(x)
	lo := g.lo
	if g.single {
		for i := range ranks {
			out[i] = lo
		}
		return float64(k) * lo
	}
	nb, base, shift := g.nb, g.base, g.shift
	if cap(sc.count) < nb {
		sc.count = make([]int32, nb)
		sc.slot = make([]int32, nb)
	}
	count, slot := sc.count[:nb], sc.slot[:nb]
	clear(count)
	nlo := 0
	for _, v := range x {
		if v == lo {
			nlo++
		} else {
			count[(orderKey(v)-base)>>shift]++
		}
	}
	if nlo == n {
		for i := range ranks {
			out[i] = lo
		}
		return float64(k) * lo
	}
	// Ranks in ascending order, each with its bin and the rank of the
	// bin's first value, found in one walk of the cumulative counts.
	rs := sc.ranks[:0]
	for i, r := range ranks {
		rs = append(rs, rankBin{r: r, i: i, b: -1})
	}
	rs = append(rs, rankBin{r: n - k, i: -1, b: -1}) // the k-th largest
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && rs[j].r < rs[j-1].r; j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
	sc.ranks = rs
	sc.bins = sc.bins[:0]
	b, c := 0, nlo
	tailBin, tailFirst := -1, 0
	for j := range rs {
		if rs[j].r < nlo {
			continue // the smallest value
		}
		for c+int(count[b]) <= rs[j].r {
			c += int(count[b])
			b++
		}
		rs[j].b, rs[j].c = b, c
		if slot[b] == 0 {
			sc.bins = append(sc.bins, b) // ascending
			slot[b] = int32(len(sc.bins))
		}
		if rs[j].i < 0 {
			tailBin, tailFirst = b, c
		}
	}
	// Each wanted bin's offset in buf.
	bins := sc.bins
	sc.start = sc.start[:0]
	total := 0
	for i, b := range bins {
		slot[b] = int32(i + 1)
		sc.start = append(sc.start, total)
		total += int(count[b])
	}
	if cap(sc.buf) < total {
		sc.buf = make([]float64, total)
	}
	buf := sc.buf[:total]
	fill := append(sc.fill[:0], sc.start...)
	sc.fill = fill
	var above float64
	for _, v := range x {
		if v == lo {
			continue
		}
		b := int((orderKey(v) - base) >> shift)
		if s := slot[b]; s != 0 {
			buf[fill[s-1]] = v
			fill[s-1]++
		}
		if b > tailBin {
			above += v
		}
	}
	seg := func(b int) []float64 {
		i := slot[b] - 1
		return buf[sc.start[i] : sc.start[i]+int(count[b])]
	}
	// Ranks: select inside the bin.
	for _, e := range rs {
		switch {
		case e.i < 0:
		case e.b < 0:
			out[e.i] = lo
		default:
			out[e.i] = selectK(seg(e.b), e.r-e.c)
		}
	}
	// The k largest: every value above the tail bin, and the top of it.
	tailRank := n - k
	if tailBin < 0 {
		topSum = above + float64(nlo-tailRank)*lo
	} else {
		s := seg(tailBin)
		m := len(s) - (tailRank - tailFirst) // the tail bin's values in the top k
		selectK(s, len(s)-m)
		var t float64
		for _, v := range s[len(s)-m:] {
			t += v
		}
		topSum = above + t
	}
	for _, b := range bins {
		slot[b] = 0
	}
	return topSum
}
