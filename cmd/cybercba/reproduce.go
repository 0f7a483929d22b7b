package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/reports"
)

// reproduceArgs are the run flags a report records: what changes results.
var reproduceArgs = []string{"scope", "seed", "draws", "decision-draws", "years", "horizon", "discount", "optimism-bias", "metric",
	"budget", "capex-budget", "objective", "frontier", "frontier-budgets", "target-se", "correlation", "threat-climate", "view", "sensitivity",
	"bias-guidance", "risk-tolerance", "budget-plan", "budget-plan-kind"}

// recordedArgs returns the run's result-changing flags as --name=value.
func recordedArgs(fs *flag.FlagSet) []string {
	var out []string
	for _, name := range reproduceArgs {
		if f := fs.Lookup(name); f != nil {
			out = append(out, "--"+name+"="+f.Value.String())
		}
	}
	return out
}

func runReproduce(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("reproduce", flag.ContinueOnError)
	quiet := fs.Bool("quiet", false, "no progress bar")
	quick := fs.Bool("quick", false, "only check the results digest recorded on the About sheet (no re-run)")
	pos, err := parseArgs(fs, args, stdout, usage("reproduce"))
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &usageError{"reproduce: want one report.xlsx"}
	}
	path := pos[0]
	raw, err := reports.ReadReportFile(path)
	if err != nil {
		return &inputError{err}
	}
	if *quick {
		return quickCheck(stdout, raw, path)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw), excelize.Options{UnzipSizeLimit: 256 << 20, UnzipXMLSizeLimit: 64 << 20})
	if err != nil {
		return &inputError{err}
	}
	defer f.Close()
	rec, err := reports.ReadReproduction(bytes.NewReader(raw), path)
	if err != nil {
		return &inputError{err}
	}
	ds, err := data.Load(bytes.NewReader(rec.Dataset), path+" (recorded inputs)")
	if err != nil {
		return &inputError{err}
	}
	var o runOptions
	rfs := runFlags(&o)
	if err := rfs.Parse(rec.Args); err != nil {
		return &inputError{fmt.Errorf("%s: recorded arguments: %w", path, err)}
	}
	o.NoFiles, o.Quiet = true, *quiet
	o.dataset = ds
	job, err := prepare(o)
	if err != nil {
		return err
	}
	var changes []string
	if job.Digest != rec.Digest {
		changes = append(changes, fmt.Sprintf("the recorded inputs' SHA-256 is %s…, the report says %s…: the Reproduce sheet was edited", job.Digest[:16], rec.Digest[:min(16, len(rec.Digest))]))
	}
	changes = append(changes, rec.EditedInputs(reports.InputRows(ds, job.Scope, reports.Symbol(ds, "")))...) // only the numbers are compared
	bar := reports.NewProgress(stderr, o.Quiet, "re-running", o.Draws)
	job.Config.Progress, job.Config.Stage = bar.Funcs()
	d, err := analyse(ctx, job, o.Sensitivity, 15)
	bar.Done()
	if err != nil {
		return err
	}
	if err := job.AddHealth(d.Analysis, d.Portfolio); err != nil { // the social view's sheets
		return err
	}
	if err := job.AddPlan(ctx); err != nil {
		return err
	}
	cells, err := reports.RecomputedCells(raw, f, job, d, rec)
	if err != nil {
		return err
	}
	_, ok := reports.WriteReproduction(stdout, job, d, path, rec, changes, cells, reports.CheckedSheets(f))
	if !ok {
		return errNotReproduced
	}
	return nil
}

var errNotReproduced = fmt.Errorf("not reproduced")
