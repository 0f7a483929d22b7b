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

// writeOutputs writes report.xlsx, report.html and plots/ into dir,
// creating it, and returns the paths written, the workbook and the page
// first. onFile, if not nil, is called after each file with the count
// written and the total.
func writeOutputs(dir string, formats []string, rep *reports.Report, onFile func(done, total int)) ([]string, error) {
	if err := os.MkdirAll(filepath.Join(dir, "plots"), 0o755); err != nil {
		return nil, err
	}
	figs, err := reports.Figures(rep)
	if err != nil {
		return nil, err
	}
	var written []string
	total := 2 + len(figs)*len(formats)
	if onFile != nil {
		onFile(0, total)
	}
	write := func(path string, f func(io.Writer) error) error {
		if err := writeAtomic(path, f); err != nil {
			return err
		}
		written = append(written, path)
		if onFile != nil {
			onFile(len(written), total)
		}
		return nil
	}
	if err := write(filepath.Join(dir, "report.xlsx"), func(w io.Writer) error { return reports.WriteWorkbook(w, rep) }); err != nil {
		return written, err
	}
	if err := write(filepath.Join(dir, "report.html"), func(w io.Writer) error { return reports.WriteHTML(w, rep, figs) }); err != nil {
		return written, err
	}
	for _, f := range figs {
		for _, format := range formats {
			path := filepath.Join(dir, "plots", f.Name+"."+format)
			if err := write(path, func(w io.Writer) error { return f.Write(w, format) }); err != nil {
				return written, err
			}
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
	add := func(section, item, field, unit string, n *data.Number) {
		if n == nil {
			return
		}
		rows = append(rows, reports.Input{
			Section: section, Item: item, Field: field, Lo: n.Lo, Hi: n.Hi, Unit: unit,
			Tag: n.Tag, Sources: strings.Join(n.Src, ", "), Note: n.Note,
		})
	}
	c := &ds.Calibration
	item := c.Incident
	add("Calibration", item, "spread (organisations)", "organisations", &c.Spread)
	add("Calibration", item, "duration (days)", "days", &c.Duration)
	add("Calibration", item, "lost output", money+" "+c.PriceYear, &c.LostOutput)
	add("Calibration", item, "IT costs", money+" "+c.PriceYear, &c.ITCosts)
	add("Calibration", item, "total", money+" "+c.PriceYear, &c.Total)
	add("Calibration", item, "GDP deflator", "ratio", &c.Deflator)
	add("Scope", sc.ID+" "+sc.Name, "organisations", "organisations", &sc.Orgs)
	add("Scope", sc.ID, "daily lost output (override)", money+" per organisation-day", sc.Daily)
	add("Scope", sc.ID, "recovery cost (override)", money+" per organisation", sc.Recovery)
	for i := range sc.Threats {
		t := &sc.Threats[i]
		it := t.ID + " " + t.Name
		add("Threat", it, "rate", "events per year", &t.Rate)
		add("Threat", it, "dispersion", "φ", t.Dispersion)
		add("Threat", it, "spread", "organisations per event", &t.Spread)
		add("Threat", it, "duration", "outage days", &t.Duration)
		add("Threat", it, "k_daily", "× daily rate", t.KDaily)
		add("Threat", it, "k_recovery", "× recovery rate", t.KRecovery)
		add("Threat", it, "fixed", money+" per event", t.Fixed)
	}
	for i := range sc.Controls {
		ctl := &sc.Controls[i]
		it := ctl.ID + " " + ctl.Name
		add("Control", it, "units", "units bought", ctl.Units)
		add("Control", it, "capex", money+" per unit", &ctl.Capex)
		add("Control", it, "opex", money+" per unit per year", &ctl.Opex)
		add("Control", it, "lifetime", "years", &ctl.Lifetime)
		add("Control", it, "optimism bias", "uplift", ctl.OptimismBias)
		for _, e := range ctl.Effects {
			ei := ctl.ID + " on " + e.Threat
			add("Effect", ei, "frequency reduction", "fraction", e.Frequency)
			add("Effect", ei, "spread reduction", "fraction", e.Spread)
			add("Effect", ei, "duration reduction", "fraction", e.Duration)
			add("Effect", ei, "fixed-cost reduction", "fraction", e.Fixed)
		}
	}
	return rows
}
