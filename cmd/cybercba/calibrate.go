package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports/format"
)

const calibrateUsage = `Usage: cybercba calibrate [flags] [dataset.yaml]

Fits the outage cost rates to the calibration incident (WannaCry in the
default dataset): the daily lost output per organisation-day, c_d, and the IT
recovery cost per disrupted organisation, c_r, so that the model's replay of
the incident costs what was reported (£92m = £19m lost output + £73m IT).
Prints the inputs with their sources, the fitted rates in the incident's and
the dataset's prices, the replay's mean and 90% interval, and how far each
hold-out incident lands from the model's replay of it.

Examples:
  cybercba calibrate
  cybercba calibrate --seed 7 my-dataset.yaml

Flags:
`

func runCalibrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("calibrate", flag.ContinueOnError)
	seed := fs.Uint64("seed", 2017, "random `seed` of the simulated replays")
	symbol := fs.String("currency-symbol", "", currencyUsage)
	pos, err := parseArgs(fs, args, stdout, calibrateUsage)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return &usageError{fmt.Sprintf("calibrate: want at most one dataset, got %q", pos)}
	}
	ds, err := loadDataset(strings.Join(pos, ""))
	if err != nil {
		return &inputError{err}
	}
	cal, err := model.Calibrate(ds.Target(), *seed)
	if err != nil {
		return &inputError{fmt.Errorf("%s: %w", ds.File, err)}
	}
	writeCalibration(stdout, ds, cal, *seed, currencyOf(ds, *symbol))
	return nil
}

// sourceText renders a number's provenance: its tag and sources.
func sourceText(ds *data.Dataset, n data.Number) string {
	tag := map[string]string{"F": "fact", "D": "derived", "J": "judgement"}[n.Tag]
	var src []string
	for _, id := range n.Src {
		if s := ds.SourceByID(id); s != nil {
			src = append(src, fmt.Sprintf("%s, %s (%d)", s.Publisher, s.Title, s.Year))
		}
	}
	if len(src) == 0 {
		return tag
	}
	return tag + ": " + strings.Join(src, "; ")
}

func writeCalibration(w io.Writer, ds *data.Dataset, cal model.Calibration, seed uint64, cur currency) {
	c := ds.Calibration
	fmt.Fprintf(w, "cybercba %s · calibration on %s (%s prices) · %s\n\n", version(), c.Incident, c.PriceYear, ds.File)
	fmt.Fprintln(w, "Inputs:")
	for _, in := range []struct {
		name  string
		n     data.Number
		money bool
	}{
		{"spread S, organisations disrupted (90% interval)", c.Spread, false},
		{"duration D, outage days (90% interval)", c.Duration, false},
		{"lost output", c.LostOutput, true},
		{"IT costs", c.ITCosts, true},
		{"total", c.Total, true},
		{"GDP deflator to " + ds.PriceYear, c.Deflator, false},
	} {
		v := in.n.String()
		if in.money {
			v = cur.money(in.n.Lo)
		}
		fmt.Fprintf(w, "  %-52s %-10s %s\n", in.name, v, sourceText(ds, in.n))
	}
	if c.Note != "" {
		fmt.Fprintf(w, "  Note: %s\n", c.Note)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Fitted rates (c_d = lost output / (E[S]·E[D]), c_r = IT costs / E[S]):")
	fmt.Fprintf(w, "  daily lost output per organisation-day, c_d    %10s (%s)   %10s (%s)\n", cur.money(cal.Daily), c.PriceYear, cur.money(cal.DailyNow), ds.PriceYear)
	fmt.Fprintf(w, "  IT recovery per disrupted organisation, c_r    %10s (%s)   %10s (%s)\n\n", cur.money(cal.Recovery), c.PriceYear, cur.money(cal.RecoveryNow), ds.PriceYear)
	rp := cal.Replay
	fmt.Fprintf(w, "Replay of %s with the fitted rates (%s prices):\n", c.Incident, c.PriceYear)
	fmt.Fprintf(w, "  expected cost %s = %s lost output + %s IT (closed form)\n", cur.money(rp.Mean), cur.money(rp.LostOutput), cur.money(rp.IT))
	fmt.Fprintf(w, "  simulated     %s ± %s (1 SE, %s replays, seed %d); 90%% interval %s\n",
		cur.money(rp.SimMean), cur.money(rp.SE), thousands(200000), seed, format.Currency(cur).Interval(rp.P5, rp.P95))
	fmt.Fprintf(w, "  target        %s: off by %+.3f%%\n\n", cur.money(c.Total.Lo), 100*(rp.SimMean-c.Total.Lo)/c.Total.Lo)
	if len(c.Checks) > 0 {
		fmt.Fprintln(w, "Other figures, for comparison (not fitted):")
		for _, ch := range c.Checks {
			fmt.Fprintf(w, "  %-60s %10s   %s\n", ch.Name, cur.money(ch.Value.Lo), sourceText(ds, ch.Value))
		}
		fmt.Fprintf(w, "  the fitted lost output for the same replay                   %10s\n\n", cur.money(rp.LostOutput))
	}
	if len(ds.Holdouts) == 0 {
		return
	}
	fmt.Fprintf(w, "Hold-out incidents (validation, not fitted), replayed at the fitted rates in %s prices:\n", ds.PriceYear)
	t := &table{right: map[int]bool{1: true, 2: true, 3: true, 4: true}}
	t.add("Incident", "Observed", "Model mean", "Model 90% interval", "Observed/model", "Verdict")
	for _, h := range ds.Holdouts {
		r := model.ReplayIncident(h.Incident(), cal.DailyNow, cal.RecoveryNow, seed)
		verdict := "inside the model's 90% interval"
		switch {
		case h.Observed.Lo < r.P5:
			verdict = "below the model's 90% interval"
		case h.Observed.Lo > r.P95:
			verdict = "above the model's 90% interval"
		}
		t.add(clip(h.Name, 60), cur.money(h.Observed.Lo), cur.money(r.Mean), cur.money(r.P5)+" to "+cur.money(r.P95),
			fmt.Sprintf("%.2f×", h.Observed.Lo/r.Mean), verdict)
	}
	fmt.Fprint(w, t.String())
	fmt.Fprintln(w)
	for _, h := range ds.Holdouts {
		fmt.Fprintf(w, "  %s: observed %s (%s). %s\n", h.ID, cur.money(h.Observed.Lo), sourceText(ds, h.Observed), h.Observed.Note)
	}
}
