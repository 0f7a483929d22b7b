package data

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/cybercba/cybercba/model"
)

// ParseTolerance reads a risk tolerance, "LOSS:PROB,...": each an amount
// and the annual chance of exceeding it the organisation accepts, as
// "1/50", "2%" or "0.02".
func ParseTolerance(s string) ([]model.LECPoint, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []model.LECPoint
	for _, part := range strings.Split(s, ",") {
		loss, prob, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			return nil, fmt.Errorf("want LOSS:CHANCE pairs such as 500m:1/50, got %q", part)
		}
		x, err := ParseAmount(loss)
		if err != nil || !(x > 0) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%q: want a positive amount such as 500m before the colon", part)
		}
		var p float64
		if n, d, frac := strings.Cut(strings.TrimSpace(prob), "/"); frac {
			num, err1 := strconv.ParseFloat(strings.TrimSpace(n), 64)
			den, err2 := strconv.ParseFloat(strings.TrimSpace(d), 64)
			if err1 != nil || err2 != nil || !(den > 0) {
				return nil, fmt.Errorf("%q: want a chance such as 1/50, 2%% or 0.02 after the colon", part)
			}
			p = num / den
		} else if p, err = ParseRate(prob); err != nil {
			return nil, fmt.Errorf("%q: want a chance such as 1/50, 2%% or 0.02 after the colon", part)
		}
		if !(p > 0 && p < 1) {
			return nil, fmt.Errorf("%q: the chance must lie between 0 and 1, got %g", part, p)
		}
		out = append(out, model.LECPoint{Loss: x, Exceedance: p, SE: math.NaN()})
	}
	slices.SortFunc(out, func(a, b model.LECPoint) int { return cmp.Compare(a.Loss, b.Loss) })
	return out, nil
}
