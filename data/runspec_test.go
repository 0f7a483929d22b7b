package data

import (
	"math"
	"strings"
	"testing"
)

func TestParseDiscount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    float64
		wantErr bool
		bug     string
	}{
		{"3.5%", 0.035, false, ""},
		{"0.035", 0.035, false, ""},
		{" 3 % ", 0.03, false, ""},
		{"0.5%", 0.005, false, ""},
		{"1e-2", 0.01, false, ""},
		{"0", 0, false, ""},
		{"-2%", -0.02, false, ""},
		{"abc", 0, true, ""},
		{"", 0, true, ""},
		{"%", 0, true, ""},
		{"3.5%%", 0, true, ""},
		{"150%", 0, true, ""},
		{"100%", 0, true, ""},
		{"-100%", 0, true, ""},
		{"1", 0, true, ""},
		{"Inf", 0, true, ""},
		{"NaN", 0, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if tt.bug != "" {
				t.Skip("bug: " + tt.bug)
			}
			got, err := parseDiscount(tt.in)
			switch {
			case tt.wantErr && err == nil:
				t.Errorf("parseDiscount(%q) = %g, nil; want an error", tt.in, got)
			case tt.wantErr && !strings.Contains(err.Error(), `"`+tt.in+`"`):
				t.Errorf("parseDiscount(%q) error %q does not quote the input", tt.in, err)
			case !tt.wantErr && err != nil:
				t.Errorf("parseDiscount(%q) error: %v", tt.in, err)
			case !tt.wantErr && math.Abs(got-tt.want) > 1e-15:
				t.Errorf("parseDiscount(%q) = %g; want %g", tt.in, got, tt.want)
			}
		})
	}
}

// TestDecisionDrawsSpec checks RunSpec.DecisionDraws: refused out of
// range naming the flag, passed to the decision as given (0 the default),
// and taken from the Settings sheet's value unless the flag is given.
func TestDecisionDrawsSpec(t *testing.T) {
	t.Parallel()
	for _, n := range []int{-1, 1_000_001} {
		s := DefaultRunSpec()
		s.DecisionDraws = n
		if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "--decision-draws: must be 0 (the default, 10,000) to 1,000,000") {
			t.Errorf("DecisionDraws %d: Validate() = %v; want an error naming --decision-draws", n, err)
		}
	}
	ds, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 400, 1_000_000} {
		s := DefaultRunSpec()
		s.DecisionDraws = n
		j, err := NewJob(s, ds)
		if err != nil {
			t.Fatalf("DecisionDraws %d: %v", n, err)
		}
		if got := j.DecideOptions(false, 0).DecisionDraws; got != n {
			t.Errorf("DecisionDraws %d: DecideOptions().DecisionDraws = %d", n, got)
		}
	}
	st := DefaultSettings()
	st.DecisionDraws = 700
	var o RunSpec
	o.ApplySettings(st, func(string) bool { return false })
	if o.DecisionDraws != 700 {
		t.Errorf("ApplySettings: DecisionDraws %d; want the Settings' 700", o.DecisionDraws)
	}
	o.DecisionDraws = 50
	o.ApplySettings(st, func(f string) bool { return f == "decision-draws" })
	if o.DecisionDraws != 50 {
		t.Errorf("ApplySettings with --decision-draws given: DecisionDraws %d; want the flag's 50", o.DecisionDraws)
	}
	if err := st.CheckSize(); err != nil {
		t.Errorf("CheckSize() = %v", err)
	}
	st.DecisionDraws = -2
	if err := st.CheckSize(); err == nil || !strings.Contains(err.Error(), "decision-draws: must be 0") {
		t.Errorf("CheckSize() with -2 decision draws = %v; want an error naming decision-draws", err)
	}
}
