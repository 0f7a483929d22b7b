package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDecisionDrawsFlag checks --decision-draws: the count in force is the
// one every output states (the JSON's settings and results, the terminal's
// line), never fewer than --draws, and a bad count is refused naming the
// flag. That reproduce replays a report's count is checked by TestGolden's
// reproduce step (and TestReproduce in the long tier): a re-run on the
// default 10,000 would change the intervals, and reproduce would say so.
func TestDecisionDrawsFlag(t *testing.T) {
	t.Parallel()
	decided := func(t *testing.T, extra ...string) (settings int, results []int) {
		t.Helper()
		args := append([]string{"run", "--no-files", "--draws", "8", "--years", "200", "--json"}, extra...)
		r := cybercba(t, args...)
		mustSucceed(t, r, args)
		var out struct {
			Settings struct {
				DecisionDraws int `json:"decision_draws"`
			}
			Controls []struct {
				DecisionDraws int `json:"decision_draws"`
			}
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatal(err)
		}
		for _, c := range out.Controls {
			results = append(results, c.DecisionDraws)
		}
		return out.Settings.DecisionDraws, results
	}
	for _, tt := range []struct {
		flag string
		want int
	}{{"", 10_000}, {"0", 10_000}, {"400", 400}, {"3", 8}} {
		var extra []string
		if tt.flag != "" {
			extra = []string{"--decision-draws", tt.flag}
		}
		got, per := decided(t, extra...)
		if got != tt.want {
			t.Errorf("--decision-draws %q: settings.decision_draws %d; want %d", tt.flag, got, tt.want)
		}
		if len(per) == 0 {
			t.Errorf("--decision-draws %q: no controls in the JSON", tt.flag)
		}
		for i, n := range per {
			if n != tt.want {
				t.Errorf("--decision-draws %q: control %d's decision_draws %d; want %d", tt.flag, i, n, tt.want)
			}
		}
	}
	args := []string{"run", "--no-files", "--draws", "8", "--years", "200", "--decision-draws", "400"}
	r := cybercba(t, args...)
	mustSucceed(t, r, args)
	if !strings.Contains(r.stdout, "decision on 400 draws") {
		t.Errorf("cybercba %s: the terminal does not say %q:\n%s", strings.Join(args, " "), "decision on 400 draws", r.stdout)
	}
	for _, bad := range []string{"-1", "1000001"} {
		r := cybercba(t, "run", "--no-files", "--decision-draws", bad)
		if r.code != exitInput || !strings.Contains(r.stderr, "--decision-draws: must be 0 (the default, 10,000) to 1,000,000, got "+bad) {
			t.Errorf("--decision-draws %s: exit %d, stderr %q; want %d naming the flag", bad, r.code, r.stderr, exitInput)
		}
	}
}
