package reports

import (
	"strings"
	"testing"

	"github.com/cybercba/cybercba/model"
)

// TestHoldoutLine checks the hold-out verdict on hand-made replays: two
// observed costs above the model's 90% interval (2× and 8× its mean, so
// about 4× by the geometric mean), one inside, one below (half the mean).
func TestHoldoutLine(t *testing.T) {
	t.Parallel()
	h := func(name string, obs float64) Holdout {
		return Holdout{Name: name, Observed: obs, Replay: model.Replay{Mean: 10, P5: 5, P95: 15}}
	}
	for _, tt := range []struct {
		hs   []Holdout
		want []string
	}{
		{nil, nil},
		{[]Holdout{h("a", 10), h("b", 12)}, []string{"holds all 2 hold-out incidents"}},
		{[]Holdout{h("a", 20), h("b", 80), h("c", 10)}, []string{"falls short of 2 of 3 hold-out incidents by about 4.0×", "a; b", "1 of 3 fall inside"}},
		{[]Holdout{h("a", 4)}, []string{"overshoots 1 of 1 by about 2.5×", "may be overstated"}},
	} {
		got := HoldoutLine(tt.hs)
		if tt.want == nil && got != "" {
			t.Errorf("HoldoutLine(none) = %q; want empty", got)
		}
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("HoldoutLine(%v) = %q; want it to contain %q", tt.hs, got, w)
			}
		}
	}
}
