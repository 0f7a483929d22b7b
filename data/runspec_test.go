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
