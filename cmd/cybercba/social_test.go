package main

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestSocialView checks run --view social: the social table and the
// differs lines appear; the money-only figures are what the financial view
// gives, bit for bit; the ranking follows the NPV printed in its rows.
func TestSocialView(t *testing.T) {
	t.Parallel()
	// The default scope's runs, shared with TestDeathsLine (and its JSON
	// with TestSocialRecommendation): the figures, not the scope, are under test.
	args := runArgs("--view", "social")
	r := cachedRun(t, args...)
	mustSucceed(t, r, args)
	for _, want := range []string{"in the social view", "Social view: patient harm valued at £82.5k per QALY", "NPV with harm", "NPV money only", "Implied extra deaths"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--view social output lacks %q", want)
		}
	}
	type control struct {
		ID   string
		Rank int
		NPV  struct{ Mean float64 } `json:"npv_decision"`
		// MoneyNPV is npv_money: money only in either view, as are the
		// control's own bcr, rosi, p_npv_positive and payback.
		MoneyNPV *struct{ Mean float64 } `json:"npv_money"`
		viewFigures
		PVBenefit struct{ Mean float64 } `json:"pv_benefit"`
		PVCost    struct{ Mean float64 } `json:"pv_cost"`
		EAC       struct{ Mean float64 } `json:"eac"`
		DeltaALE  struct{ Mean float64 } `json:"delta_ale"`
		Social    *struct {
			NPV struct{ Mean float64 } `json:"npv"`
			viewFigures
			PVBenefit  struct{ Mean float64 } `json:"pv_benefit"`
			PVHarm     struct{ Mean float64 } `json:"pv_harm"`
			DeltaTotal struct{ Mean float64 } `json:"delta_total"`
		} `json:"social"`
	}
	var fin, soc struct{ Controls []control }
	for view, dst := range map[string]any{"financial": &fin, "social": &soc} {
		args := runArgs("--view", view, "--json")
		r := cachedRun(t, args...)
		mustSucceed(t, r, args)
		if err := json.Unmarshal([]byte(r.stdout), dst); err != nil {
			t.Fatal(err)
		}
		// Each control's NPVs under names that say what they count, none
		// under a bare "npv" whose meaning would follow the view.
		var raw struct{ Controls []map[string]json.RawMessage }
		if err := json.Unmarshal([]byte(r.stdout), &raw); err != nil {
			t.Fatal(err)
		}
		for _, c := range raw.Controls {
			_, bare := c["npv"]
			_, dec := c["npv_decision"]
			_, money := c["npv_money"]
			_, social := c["social"]
			if bare || !dec || !money || social != (view == "social") {
				t.Errorf("--view %s: a control's JSON has npv %v, npv_decision %v, npv_money %v, social %v", view, bare, dec, money, social)
			}
		}
	}
	withHarm := 0
	for i := range fin.Controls {
		f, s := fin.Controls[i], soc.Controls[i]
		if s.MoneyNPV == nil || f.NPV != *s.MoneyNPV {
			t.Errorf("%s: financial NPV %v; the social run's money-only NPV %v", f.ID, f.NPV, s.MoneyNPV)
		}
		if f.Social != nil || s.Social == nil {
			t.Fatalf("%s: social results present in the wrong view", f.ID)
		}
		if s.Social != nil && s.NPV != s.Social.NPV {
			t.Errorf("%s: the social view's NPV %v is not its NPV with harm %v", s.ID, s.NPV, s.Social.NPV)
		}
		// No field changes meaning with the view (issue 22): npv_money is
		// money only in both runs, the same figure; the deciding NPV is
		// named npv_decision, and the NPV with harm social.npv.
		if f.MoneyNPV == nil || s.MoneyNPV == nil || *f.MoneyNPV != *s.MoneyNPV || f.MoneyNPV.Mean != f.NPV.Mean {
			t.Errorf("%s: npv_money financial %v, social %v; want both present, equal and the financial run's npv_decision %v", f.ID, f.MoneyNPV, s.MoneyNPV, f.NPV)
		}
		// So are bcr, rosi, p_npv_positive and payback (with their
		// intervals and standard errors): the financial run's, bit for
		// bit, in the social run too; social.* hold the figures with harm.
		if f.viewFigures != s.viewFigures {
			t.Errorf("%s: the social run's money-only figures %+v; the financial run's %+v", f.ID, s.viewFigures, f.viewFigures)
		}
		checkWithHarm(t, s.ID, s.PVBenefit.Mean, s.PVCost.Mean, s.EAC.Mean, s.Social.PVHarm.Mean, s.Social.DeltaTotal.Mean, s.Social.PVBenefit.Mean, s.Social.viewFigures)
		if s.Social.NPV != s.NPV {
			t.Errorf("%s: social.npv %v; the social view's npv_decision %v", s.ID, s.Social.NPV, s.NPV)
		}
		if s.Social.BCR.Mean != s.BCR.Mean && s.Social.PVHarm.Mean != 0 {
			withHarm++
		}
	}
	if withHarm == 0 {
		t.Error("no control's BCR differs with harm counted: the test cannot tell the views apart")
	}
	// The ranking follows the NPV printed in the same rows.
	byRank := slices.Clone(soc.Controls)
	slices.SortFunc(byRank, func(a, b control) int { return a.Rank - b.Rank })
	for k := 1; k < len(byRank); k++ {
		if byRank[k].NPV.Mean > byRank[k-1].NPV.Mean {
			t.Errorf("social ranking: %s (rank %d, NPV %g) above %s (rank %d, NPV %g)",
				byRank[k-1].ID, byRank[k-1].Rank, byRank[k-1].NPV.Mean, byRank[k].ID, byRank[k].Rank, byRank[k].NPV.Mean)
		}
	}
	// A view not among the choices is bad usage (see suggest_value_test.go).
	if r := cybercba(t, runArgs("--view", "moral")...); r.code != exitUsage || !strings.Contains(r.stderr, "--view") {
		t.Errorf("--view moral: exit %d, stderr %q; want 2 naming --view", r.code, r.stderr)
	}
	r = cybercba(t, runArgs("--scope", "acute-trust", "--bias-guidance")...)
	if r.code != exitOK || !strings.Contains(r.stdout, "Optimism-bias uplift (drawn from the Green Book guidance") {
		t.Errorf("--bias-guidance: exit %d; output lacks the uplift line:\n%s", r.code, r.stdout)
	}
}

// viewFigures are a control's figures that the JSON gives money only at
// the top level and with harm under social.
type viewFigures struct {
	BCR            struct{ Mean, Lo, Hi float64 } `json:"bcr"`
	BCRSE          float64                        `json:"bcr_se"`
	ROSI           struct{ Mean, Lo, Hi float64 } `json:"rosi"`
	ROSISE         float64                        `json:"rosi_se"`
	PNPVPositive   float64                        `json:"p_npv_positive"`
	PNPVPositiveSE float64                        `json:"p_npv_positive_se"`
	Payback        int                            `json:"payback"`
	PaybackLo      int                            `json:"payback_lo"`
	PaybackHi      int                            `json:"payback_hi"`
}

// checkWithHarm checks a control's figures with harm against its money
// figures and harm avoided: PV(benefit) with harm = PV(ΔALE) + PV(harm),
// BCR = that over PV(cost), ROSI = (ΔALE + Δharm − EAC)/EAC.
func checkWithHarm(t *testing.T, id string, pvb, pvc, eac, pvHarm, deltaTotal, socialPVB float64, f viewFigures) {
	t.Helper()
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(b), 1) }
	if !close(socialPVB, pvb+pvHarm) {
		t.Errorf("%s: social.pv_benefit %g; want pv_benefit + pv_harm = %g", id, socialPVB, pvb+pvHarm)
	}
	if !close(f.BCR.Mean, (pvb+pvHarm)/pvc) {
		t.Errorf("%s: social.bcr %g; want (pv_benefit + pv_harm)/pv_cost = %g", id, f.BCR.Mean, (pvb+pvHarm)/pvc)
	}
	if !close(f.ROSI.Mean, (deltaTotal-eac)/eac) {
		t.Errorf("%s: social.rosi %g; want (delta_total − eac)/eac = %g", id, f.ROSI.Mean, (deltaTotal-eac)/eac)
	}
	if f.PNPVPositive < 0 || f.PNPVPositive > 1 || f.PNPVPositiveSE <= 0 && f.PNPVPositive > 0 && f.PNPVPositive < 1 {
		t.Errorf("%s: social.p_npv_positive %g ± %g", id, f.PNPVPositive, f.PNPVPositiveSE)
	}
}

// TestDeathsLine checks the social view's deaths line (issue 22, item 9):
// it says the deaths are statistical excess deaths from mortality studies,
// never attributed case by case, names the dataset's source, and gives the
// 90% interval the inputs imply, the JSON's, around the expected value.
func TestDeathsLine(t *testing.T) {
	t.Parallel()
	args := runArgs("--view", "social", "--json")
	r := cachedRun(t, args...)
	mustSucceed(t, r, args)
	var out struct {
		Recommended struct {
			Deaths float64 `json:"extra_deaths_a_year"`
			Drawn  *struct {
				Mean, Lo, Hi float64
			} `json:"extra_deaths_a_year_simulated"`
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	iv := out.Recommended.Drawn
	if iv == nil || !(iv.Lo < out.Recommended.Deaths && out.Recommended.Deaths < iv.Hi) {
		t.Fatalf("JSON extra deaths %v, interval %+v; want the expected value inside a 90%% interval", out.Recommended.Deaths, iv)
	}
	args = runArgs("--view", "social")
	r = cachedRun(t, args...) // shared with TestSocialView
	mustSucceed(t, r, args)
	var line string
	for l := range strings.Lines(r.stdout) {
		if strings.HasPrefix(l, "Implied extra deaths") {
			line = l
		}
	}
	for _, want := range []string{
		fmt.Sprintf("%.1f a year with no new controls (90%% interval %.1f to %.1f)", out.Recommended.Deaths, iv.Lo, iv.Hi),
		"statistical excess deaths", "Neprash et al.", "incident reports never attribute deaths case by case",
	} {
		if !strings.Contains(line, want) {
			t.Errorf("deaths line lacks %q:\n%s", want, line)
		}
	}
}
