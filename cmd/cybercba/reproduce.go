package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/reports"
)

const reproduceUsage = `Usage: cybercba reproduce [flags] report.xlsx

Re-runs an earlier report from the inputs and settings it recorded (its
Reproduce sheet), rebuilds the whole workbook in memory, and compares every
cell of every results sheet with the file's, bit for bit: an edited figure
is named ("Summary!B7: the file says £1.00, the inputs give £167m"). If the
recorded inputs, or the Inputs sheet, were edited since the run, it says so
(a digest mismatch) and shows what changed. --quick only checks the digest
of the results sheets recorded on the About sheet, without re-running.

Examples:
  cybercba reproduce cybercba-out/report.xlsx
  cybercba reproduce --quick cybercba-out/report.xlsx

Exit codes: 0 identical, 1 the figures differ or the inputs were edited,
3 the file is not a readable cybercba report.

Flags:
`

// reproduceArgs are the run flags a report records: what changes results.
var reproduceArgs = []string{"scope", "seed", "draws", "years", "horizon", "discount", "optimism-bias", "metric",
	"budget", "capex-budget", "objective", "frontier", "frontier-budgets", "target-se", "correlation", "threat-climate", "view", "sensitivity"}

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
	pos, err := parseArgs(fs, args, stdout, reproduceUsage)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &usageError{"reproduce: want one report.xlsx"}
	}
	path := pos[0]
	raw, err := os.ReadFile(path)
	if err != nil {
		return &inputError{err}
	}
	if *quick {
		f, err := excelize.OpenReader(bytes.NewReader(raw), excelize.Options{UnzipSizeLimit: 256 << 20, UnzipXMLSizeLimit: 64 << 20})
		if err != nil {
			return &inputError{fmt.Errorf("%s: %w", path, err)}
		}
		defer f.Close()
		return quickCheck(stdout, f, path)
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
	job.Config.Progress = progress(stderr, o.Quiet, "re-running", o.Draws)
	d, err := analyse(ctx, job, o.Sensitivity, 15)
	if err != nil {
		return err
	}
	cells, err := reports.RecomputedCells(raw, f, job, d, rec)
	if err != nil {
		return err
	}
	now := reports.Headline(d.Analysis, d.Portfolio)
	var diffs []string
	was := map[string]string{}
	for _, fg := range rec.Figures {
		was[fg[0]] = fg[1]
	}
	for _, fg := range now {
		if w, ok := was[fg[0]]; !ok || w != fg[1] {
			diffs = append(diffs, fmt.Sprintf("%s: recorded %s, now %s", fg[0], orNone(w), fg[1]))
		}
		delete(was, fg[0])
	}
	for _, fg := range rec.Figures {
		if _, left := was[fg[0]]; left {
			diffs = append(diffs, fmt.Sprintf("%s: recorded %s, now absent", fg[0], fg[1]))
		}
	}
	fmt.Fprintf(stdout, "cybercba %s · reproducing %s (%s)\n", version(), path, strings.Join(rec.Args, " "))
	if len(changes) > 0 {
		fmt.Fprintln(stdout, "Digest mismatch: the recorded inputs were edited since the run:")
		for _, c := range changes {
			fmt.Fprintln(stdout, "  "+c)
		}
	}
	reports.WriteCellDiffs(stdout, cells)
	if len(diffs) == 0 && len(cells) == 0 {
		fmt.Fprintf(stdout, "Identical: every cell of the results sheets (%s) and all %d headline figures match bit for bit.\n", strings.Join(reports.CheckedSheets(f), ", "), len(now))
	} else if len(diffs) > 0 {
		fmt.Fprintf(stdout, "Different: %d of %d headline figures differ:\n", len(diffs), len(now))
		for _, d := range diffs {
			fmt.Fprintln(stdout, "  "+d)
		}
	}
	if len(changes) > 0 || len(diffs) > 0 || len(cells) > 0 {
		return errNotReproduced
	}
	return nil
}

var errNotReproduced = fmt.Errorf("not reproduced")

func orNone(s string) string {
	if s == "" {
		return "nothing"
	}
	return s
}
