package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestParseTolerance checks the risk tolerance's forms and refusals.
func TestParseTolerance(t *testing.T) {
	t.Parallel()
	got, err := parseTolerance("1bn:1/100, 500m:2%")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Loss != 500e6 || math.Abs(got[0].Exceedance-0.02) > 1e-15 || got[1].Loss != 1e9 || got[1].Exceedance != 0.01 {
		t.Errorf("parseTolerance = %+v; want 500m at 2%% then 1bn at 1%%, sorted by loss", got)
	}
	for _, bad := range []string{"500m", "abc:1/50", "500m:1/0", "500m:150%", "-5m:1/50", "500m:x"} {
		if _, err := parseTolerance(bad); err == nil {
			t.Errorf("parseTolerance(%q) = nil error; want a refusal", bad)
		}
	}
}

// TestRiskTolerance checks that run states the tolerance against the
// baseline and the recommendation, and that the JSON's exceedance
// probabilities are the simulated years' shares: the baseline exceeds a
// loss below its median more than half the time.
func TestRiskTolerance(t *testing.T) {
	t.Parallel()
	args := runArgs("--risk-tolerance", "1m:1/50,50bn:1/1000", "--json")
	r := cybercba(t, args...)
	mustSucceed(t, r, args)
	var out struct {
		Recommended struct {
			Tolerance []toleranceCheck `json:"risk_tolerance"`
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	tc := out.Recommended.Tolerance
	if len(tc) != 2 || !(tc[0].Baseline > 0.5) || tc[0].Met || tc[1].Baseline != 0 || !tc[1].Met {
		t.Errorf("risk tolerance = %+v; want £1m exceeded most years (not met) and £50bn never (met)", tc)
	}
	r = cybercba(t, runArgs("--risk-tolerance", "1m:1/50")...)
	if !strings.Contains(r.stdout, "Risk tolerance: at £1.00m a year the baseline is exceeded 1 in") || !strings.Contains(r.stdout, "does not meet it") {
		t.Errorf("run --risk-tolerance: no tolerance line:\n%s", r.stdout)
	}
	if r := cybercba(t, runArgs("--risk-tolerance", "1m")...); r.code != exitInput || !strings.Contains(r.stderr, "--risk-tolerance") {
		t.Errorf("--risk-tolerance 1m: exit %d, %q; want 3 naming the flag", r.code, r.stderr)
	}
}
