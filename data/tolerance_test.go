package data

import (
	"math"
	"testing"
)

// TestParseTolerance checks the risk tolerance's forms and refusals.
func TestParseTolerance(t *testing.T) {
	t.Parallel()
	got, err := ParseTolerance("1bn:1/100, 500m:2%")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Loss != 500e6 || math.Abs(got[0].Exceedance-0.02) > 1e-15 || got[1].Loss != 1e9 || got[1].Exceedance != 0.01 {
		t.Errorf("ParseTolerance = %+v; want 500m at 2%% then 1bn at 1%%, sorted by loss", got)
	}
	for _, bad := range []string{"500m", "abc:1/50", "500m:1/0", "500m:150%", "-5m:1/50", "500m:x"} {
		if _, err := ParseTolerance(bad); err == nil {
			t.Errorf("ParseTolerance(%q) = nil error; want a refusal", bad)
		}
	}
}
