package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDiffersLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fr, sr   int
		fin, soc float64
		want     string
	}{
		{1, 1, 5e5, 9e5, ""},
		{2, 1, 5e5, 9e5, "C8: rank 2 on money, 1 with harm"},
		{3, 3, -4.12e5, 2.53e6, "C8: NPV −£412k on money, £2.53m with harm"},
		{5, 3, -4.12e5, 2.53e6, "C8: rank 5 on money, 3 with harm; NPV −£412k on money, £2.53m with harm"},
		{4, 4, -1e5, -2e4, ""},
	}
	for _, tt := range tests {
		if got := differsLine("£", "C8", tt.fr, tt.sr, tt.fin, tt.soc); got != tt.want {
			t.Errorf("differsLine(%d, %d, %g, %g) = %q; want %q", tt.fr, tt.sr, tt.fin, tt.soc, got, tt.want)
		}
	}
}

// TestSocialView checks run --view social: the social table and the
// differs lines appear, and every financial figure is what the financial
// view gives, bit for bit.
func TestSocialView(t *testing.T) {
	t.Parallel()
	args := runArgs("--scope", "acute-trust", "--view", "social")
	r := cybercba(t, args...)
	mustSucceed(t, r, args)
	for _, want := range []string{"in the social view", "Social view: patient harm valued at £82.5k per QALY", "NPV with harm"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--view social output lacks %q", want)
		}
	}
	type control struct {
		ID     string
		NPV    struct{ Mean float64 } `json:"npv"`
		Social *struct {
			NPV struct{ Mean float64 } `json:"npv"`
		} `json:"social"`
	}
	var fin, soc struct{ Controls []control }
	for view, dst := range map[string]any{"financial": &fin, "social": &soc} {
		args := runArgs("--scope", "acute-trust", "--view", view, "--json")
		r := cybercba(t, args...)
		mustSucceed(t, r, args)
		if err := json.Unmarshal([]byte(r.stdout), dst); err != nil {
			t.Fatal(err)
		}
	}
	for i := range fin.Controls {
		if fin.Controls[i].NPV != soc.Controls[i].NPV {
			t.Errorf("%s: financial NPV %v in the financial view, %v in the social", fin.Controls[i].ID, fin.Controls[i].NPV, soc.Controls[i].NPV)
		}
		if fin.Controls[i].Social != nil || soc.Controls[i].Social == nil {
			t.Errorf("%s: social results present in the wrong view", fin.Controls[i].ID)
		}
	}
	if r := cybercba(t, runArgs("--view", "moral")...); r.code != exitInput || !strings.Contains(r.stderr, "--view") {
		t.Errorf("--view moral: exit %d, stderr %q; want 3 naming --view", r.code, r.stderr)
	}
	r = cybercba(t, runArgs("--scope", "acute-trust", "--bias-guidance")...)
	if r.code != exitOK || !strings.Contains(r.stdout, "Optimism-bias uplift (drawn from the Green Book guidance") {
		t.Errorf("--bias-guidance: exit %d; output lacks the uplift line:\n%s", r.code, r.stdout)
	}
}
