package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

func TestHonestFigures(t *testing.T) {
	t.Parallel()
	args := runArgs("--scope", "acute-trust", "--json", "--target-se", "5%", "--workers", "1")
	r := cybercba(t, args...)
	mustSucceed(t, r, args)
	var got struct {
		Settings struct {
			Draws    int     `json:"draws"`
			TargetSE float64 `json:"target_se"`
		} `json:"settings"`
		Baseline struct {
			ALE, ALESE float64
			P95SE      float64 `json:"p95_se"`
			LEC        []struct {
				SE *float64 `json:"se"`
			} `json:"lec"`
		} `json:"baseline"`
		Digest      string   `json:"inputs_sha256"`
		Aggregation string   `json:"aggregation"`
		Warnings    []string `json:"warnings"`
		Controls    []struct {
			NPVSE  float64 `json:"npv_decision_se"`
			BCRSE  float64 `json:"bcr_se"`
			PPosSE float64 `json:"p_npv_positive_se"`
		} `json:"controls"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("--json: %v", err)
	}
	if got.Settings.TargetSE != 0.05 || got.Baseline.ALESE/got.Baseline.ALE > 0.05 {
		t.Errorf("target 5%%: settings %+v, relative SE %g", got.Settings, got.Baseline.ALESE/got.Baseline.ALE)
	}
	if got.Settings.Draws <= 8 {
		t.Errorf("--target-se 5%% from 8 draws used %d draws; want more", got.Settings.Draws)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(got.Digest) {
		t.Errorf("inputs_sha256 = %q; want 64 hex digits", got.Digest)
	}
	if got.Baseline.P95SE <= 0 || len(got.Controls) == 0 || got.Controls[0].NPVSE <= 0 || got.Controls[0].BCRSE <= 0 || got.Controls[0].PPosSE < 0 {
		t.Errorf("missing standard errors: baseline P95 SE %g, controls %+v", got.Baseline.P95SE, got.Controls)
	}
	if !strings.HasPrefix(got.Aggregation, "Threats summed, independent") {
		t.Errorf("aggregation = %q", got.Aggregation)
	}
	// Same target, two workers: the same bits.
	args2 := runArgs("--scope", "acute-trust", "--json", "--target-se", "5%", "--workers", "2")
	if r2 := cybercba(t, args2...); r2.stdout != r.stdout {
		t.Error("--target-se: 1 and 2 workers give different JSON")
	}
}

func TestStrictAndCorrelationFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--scope", "acute-trust", "--budget", "1bn", "--strict"}, exitInput, "above the Gordon–Loeb bound"},
		{[]string{"--scope", "acute-trust", "--budget", "1bn"}, exitOK, "warning: "},
		{[]string{"--scope", "acute-trust", "--correlation", "T1:NOPE=0.5"}, exitInput, `"NOPE"`},
		{[]string{"--scope", "acute-trust", "--correlation", "T1-T2"}, exitInput, "--correlation"},
		{[]string{"--scope", "acute-trust", "--target-se", "abc"}, exitInput, "--target-se"},
		{[]string{"--scope", "acute-trust", "--threat-climate", "0.5"}, exitOK, "rank-correlated 0.50"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			r := cybercba(t, runArgs(tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stdout+r.stderr, tt.want) {
				t.Errorf("exit %d; want %d with %q\nstdout:\n%s\nstderr:\n%s", r.code, tt.code, tt.want, r.stdout, r.stderr)
			}
		})
	}
}
