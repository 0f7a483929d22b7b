package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports"
)

// writeAtomic writes a file through write, to a temporary name in the same
// directory, and renames it into place only when all went well: an
// interrupted or failed run leaves no half-written file.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.Rename(f.Name(), path)
}

// writeOutputs writes report.xlsx and plots/ into dir, creating it, and
// returns the paths written.
func writeOutputs(dir string, formats []string, rep *reports.Report) ([]string, error) {
	if err := os.MkdirAll(filepath.Join(dir, "plots"), 0o755); err != nil {
		return nil, err
	}
	figs, err := reports.Figures(rep)
	if err != nil {
		return nil, err
	}
	var written []string
	book := filepath.Join(dir, "report.xlsx")
	if err := writeAtomic(book, func(w io.Writer) error { return reports.WriteWorkbook(w, rep) }); err != nil {
		return written, err
	}
	written = append(written, book)
	for _, f := range figs {
		for _, format := range formats {
			path := filepath.Join(dir, "plots", f.Name+"."+format)
			if err := writeAtomic(path, func(w io.Writer) error { return f.Write(w, format) }); err != nil {
				return written, err
			}
			written = append(written, path)
		}
	}
	return written, nil
}

// buildReport gathers what the outputs show.
func buildReport(j *job, an *model.Analysis) *reports.Report {
	ds := j.ds
	disc := discountText(j.appraisal, j.opts.Discount)
	rep := &reports.Report{
		Tool: "cybercba", Version: version(), Generated: time.Now().UTC(),
		Dataset: ds.File, ScopeID: j.scope.ID, ScopeName: j.model.Scope,
		Currency: ds.Currency, PriceYear: ds.PriceYear, CurrencySymbol: string(j.cur),
		Settings: reports.Settings{
			Seed: j.opts.Seed, Draws: j.opts.Draws, Years: j.opts.Years, Horizon: j.appraisal.Horizon,
			Discount: disc, OptimismBias: j.appraisal.OptimismBias, Metric: metricText(j.metric),
			TargetSE: j.cfg.TargetSE, InputsDigest: j.digest, Aggregation: aggregationText(j.model),
			View: j.appraisal.View.String(),
		},
		Model: j.model, Analysis: an,
		Calibration: reports.Calibration{
			Incident: ds.Calibration.Incident, PriceYear: ds.Calibration.PriceYear,
			Target: ds.Calibration.Total.Lo, LostOutput: ds.Calibration.LostOutput.Lo, IT: ds.Calibration.ITCosts.Lo,
			Spread: ds.Calibration.Spread.Estimate(), Duration: ds.Calibration.Duration.Estimate(),
			Fit: j.cal,
		},
	}
	for _, h := range ds.Holdouts {
		rep.Calibration.Holdouts = append(rep.Calibration.Holdouts, reports.Holdout{
			ID: h.ID, Name: h.Name, Observed: h.Observed.Lo,
			Replay: model.ReplayIncident(h.Incident(), j.cal.DailyNow, j.cal.RecoveryNow, j.opts.Seed),
		})
	}
	for _, ch := range ds.Calibration.Checks {
		rep.Calibration.Checks = append(rep.Calibration.Checks, reports.Check{Name: ch.Name, Value: ch.Value.Lo})
	}
	for _, s := range ds.Sources {
		rep.Sources = append(rep.Sources, reports.Source{ID: s.ID, Publisher: s.Publisher, Title: s.Title, Year: s.Year, URL: s.URL})
	}
	rep.Inputs = inputRows(ds, j.scope, j.cur)
	return rep
}

// inputRows lists every input number of the calibration and the scope, as
// used, with its provenance, amounts in the currency cur.
func inputRows(ds *data.Dataset, sc *data.Scope, cur currency) []reports.Input {
	var rows []reports.Input
	money := strings.TrimSpace(string(cur))
	add := func(section, item, field string, measure model.Unit, unit string, n *data.Number) {
		if n == nil {
			return
		}
		rows = append(rows, reports.Input{
			Section: section, Item: item, Field: field, Lo: n.Lo, Hi: n.Hi, Measure: measure, Unit: unit,
			Tag: n.Tag, Sources: strings.Join(n.Src, ", "), Note: n.Note,
		})
	}
	c := &ds.Calibration
	item := c.Incident
	add("Calibration", item, "spread (organisations)", model.Plain, "organisations", &c.Spread)
	add("Calibration", item, "duration (days)", model.Plain, "days", &c.Duration)
	add("Calibration", item, "lost output", model.Money, money+" "+c.PriceYear, &c.LostOutput)
	add("Calibration", item, "IT costs", model.Money, money+" "+c.PriceYear, &c.ITCosts)
	add("Calibration", item, "total", model.Money, money+" "+c.PriceYear, &c.Total)
	add("Calibration", item, "GDP deflator", model.Plain, "ratio", &c.Deflator)
	add("Scope", sc.ID+" "+sc.Name, "organisations", model.Plain, "organisations", &sc.Orgs)
	add("Scope", sc.ID, "daily lost output (override)", model.Money, money+" per organisation-day", sc.Daily)
	add("Scope", sc.ID, "recovery cost (override)", model.Money, money+" per organisation", sc.Recovery)
	for i := range sc.Threats {
		t := &sc.Threats[i]
		it := t.ID + " " + t.Name
		add("Threat", it, "rate", model.Plain, "events per year", &t.Rate)
		add("Threat", it, "dispersion", model.Plain, "φ", t.Dispersion)
		add("Threat", it, "spread", model.Plain, "organisations per event", &t.Spread)
		add("Threat", it, "duration", model.Plain, "outage days", &t.Duration)
		add("Threat", it, "k_daily", model.Plain, "× daily rate", t.KDaily)
		add("Threat", it, "k_recovery", model.Plain, "× recovery rate", t.KRecovery)
		add("Threat", it, "fixed", model.Money, money+" per event", t.Fixed)
	}
	for i := range sc.Controls {
		ctl := &sc.Controls[i]
		it := ctl.ID + " " + ctl.Name
		add("Control", it, "units", model.Plain, "units bought", ctl.Units)
		add("Control", it, "capex", model.Money, money+" per unit", &ctl.Capex)
		add("Control", it, "opex", model.Money, money+" per unit per year", &ctl.Opex)
		add("Control", it, "lifetime", model.Plain, "years", &ctl.Lifetime)
		add("Control", it, "optimism bias", model.Share, "uplift", ctl.OptimismBias)
		for _, e := range ctl.Effects {
			ei := ctl.ID + " on " + e.Threat
			add("Effect", ei, "frequency reduction", model.Share, "fraction", e.Frequency)
			add("Effect", ei, "spread reduction", model.Share, "fraction", e.Spread)
			add("Effect", ei, "duration reduction", model.Share, "fraction", e.Duration)
			add("Effect", ei, "fixed-cost reduction", model.Share, "fraction", e.Fixed)
		}
	}
	return rows
}
