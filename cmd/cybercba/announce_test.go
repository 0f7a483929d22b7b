package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cybercba/cybercba/data"
)

// TestAnnounce checks that a run of 2,000,000 simulated years or more
// says, before it starts, how long it should take and the memory it needs
// (from any estimated time on, here), and that a quiet run or a smaller
// one says nothing.
func TestAnnounce(t *testing.T) {
	defer func(d time.Duration) { data.AnnounceAfter = d }(data.AnnounceAfter)
	data.AnnounceAfter = 0
	for _, tc := range []struct {
		draws, years int
		quiet        bool
		want         string
	}{
		{200, 10_000, false, "cybercba: this run should take about "},
		{200, 10_000, true, ""},
		{200, 5_000, false, ""},
	} {
		j, err := prepare(runOptions{RunSpec: data.RunSpec{Draws: tc.draws, Years: tc.years, Seed: 2017, Horizon: 10, Metric: "npv", Objective: "npv", View: "financial", NoFiles: true}})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := announce(context.Background(), j, &buf, tc.quiet); err != nil {
			t.Fatal(err)
		}
		got := buf.String()
		if tc.want == "" && got != "" || !strings.HasPrefix(got, tc.want) {
			t.Errorf("%d × %d, quiet %v: %q; want %q", tc.draws, tc.years, tc.quiet, got, tc.want)
		}
		if tc.want != "" && !strings.Contains(got, "of memory (200 draws × 10,000 years, 12 controls; estimated from a pilot)") {
			t.Errorf("%q does not give the memory and the run's size", got)
		}
	}
}
