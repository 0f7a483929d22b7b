package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/reports"
)

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
			Tolerance []reports.ToleranceCheck `json:"risk_tolerance"`
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

// TestScopeRiskTolerance checks a scope's own risk_tolerance in a
// dataset: a run checks it, --risk-tolerance replaces it, a template
// carries it on its Settings sheet, and a bad one is refused at load,
// naming the field.
func TestScopeRiskTolerance(t *testing.T) {
	t.Parallel()
	withTolerance := func(tol string) string {
		y := strings.Replace(string(data.DefaultBytes()), "  - id: nhs-england\n", "  - id: nhs-england\n    risk_tolerance: \""+tol+"\"\n", 1)
		path := filepath.Join(t.TempDir(), "tolerant.yaml")
		if err := os.WriteFile(path, []byte(y), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	path := withTolerance("1m:1/50")
	check := func(args []string, want string) {
		t.Helper()
		r := cybercba(t, args...)
		mustSucceed(t, r, args)
		if !strings.Contains(r.stdout, want) {
			t.Errorf("cybercba %s: no %q in\n%s", strings.Join(args, " "), want, r.stdout)
		}
	}
	check(runArgs(path), "Risk tolerance: at £1.00m a year the baseline is exceeded")
	check(runArgs(path, "--risk-tolerance", "2m:1/50"), "Risk tolerance: at £2.00m a year")
	book := filepath.Join(t.TempDir(), "inputs.xlsx")
	if r := cybercba(t, "template", path, "-o", book); r.code != exitOK {
		t.Fatalf("template: exit %d: %s", r.code, r.stderr)
	}
	f, err := os.Open(book)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, st, _, err := data.LoadWorkbook(f, book)
	if err != nil || st.RiskTolerance != "1m:1/50" {
		t.Errorf("the template's Settings risk tolerance = %q, %v; want the scope's 1m:1/50", st.RiskTolerance, err)
	}
	r := cybercba(t, runArgs(withTolerance("1m"))...)
	if r.code != exitInput || !strings.Contains(r.stderr, "scopes[nhs-england].risk_tolerance") {
		t.Errorf("a bad risk_tolerance: exit %d, %q; want 3 naming the field", r.code, r.stderr)
	}
}
