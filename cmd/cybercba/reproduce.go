package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"go.yaml.in/yaml/v3"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports"
)

const reproduceUsage = `Usage: cybercba reproduce [flags] report.xlsx

Re-runs an earlier report from the inputs and settings it recorded (its
Reproduce sheet) and says whether this build gets the same headline figures,
bit for bit. If the recorded inputs, or the Inputs sheet, were edited since
the run, it says so (a digest mismatch) and shows what changed.

Examples:
  cybercba reproduce cybercba-out/report.xlsx

Exit codes: 0 identical, 1 the figures differ or the inputs were edited,
3 the file is not a readable cybercba report.

Flags:
`

// reproduceArgs are the run flags a report records: what changes results.
var reproduceArgs = []string{"scope", "seed", "draws", "years", "horizon", "discount", "optimism-bias", "metric",
	"budget", "capex-budget", "objective", "frontier", "frontier-budgets", "target-se", "correlation", "threat-climate", "view"}

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

// canonicalYAML is the dataset as the Reproduce sheet records it.
func canonicalYAML(ds *data.Dataset) []byte {
	b, err := yaml.Marshal(ds)
	if err != nil {
		return nil
	}
	return b
}

// headline returns a run's headline figures, exactly.
func headline(j *job, an *model.Analysis, pa *model.PortfolioAnalysis) [][2]string {
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	b := an.Baseline
	out := [][2]string{
		{"baseline ALE", g(b.ALE)}, {"baseline ALE SE", g(b.ALESE)}, {"baseline P95", g(b.P95)}, {"baseline TVaR95", g(b.TVaR95)},
		{"draws", strconv.Itoa(an.Sim.Draws)},
	}
	for _, r := range an.Results {
		id := strings.Join(r.Controls, "+")
		out = append(out, [2]string{id + " ΔALE", g(r.DeltaALE.Mean)}, [2]string{id + " NPV", g(r.NPV.Mean)})
	}
	if pa != nil && pa.Result != nil {
		out = append(out, [2]string{"recommended portfolio", strings.Join(pa.Choice.Controls, "+")}, [2]string{"recommended NPV", g(pa.Result.NPV.Mean)})
	}
	return out
}

func runReproduce(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("reproduce", flag.ContinueOnError)
	quiet := fs.Bool("quiet", false, "no progress bar")
	if err := parseFlags(fs, args, stdout, reproduceUsage); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &usageError{"reproduce: want one report.xlsx"}
	}
	path := fs.Arg(0)
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: 256 << 20, UnzipXMLSizeLimit: 64 << 20})
	if err != nil {
		return &inputError{fmt.Errorf("%s: %w", path, err)}
	}
	defer f.Close()
	rec, err := reports.ReadReproduction(f)
	if err != nil {
		return &inputError{fmt.Errorf("%s: %w", path, err)}
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
	if job.digest != rec.Digest {
		changes = append(changes, fmt.Sprintf("the recorded inputs' SHA-256 is %s…, the report says %s…: the Reproduce sheet was edited", job.digest[:16], rec.Digest[:min(16, len(rec.Digest))]))
	}
	changes = append(changes, editedInputs(f, ds, job.scope)...)
	job.cfg.Progress = progress(stderr, o.Quiet, "re-running", o.Draws)
	d, err := analyse(ctx, job, o.Sensitivity, 15)
	if err != nil {
		return err
	}
	now := headline(job, d.Analysis, d.Portfolio)
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
	if len(diffs) == 0 {
		fmt.Fprintf(stdout, "Identical: all %d headline figures match bit for bit.\n", len(now))
	} else {
		fmt.Fprintf(stdout, "Different: %d of %d headline figures differ:\n", len(diffs), len(now))
		for _, d := range diffs {
			fmt.Fprintln(stdout, "  "+d)
		}
	}
	if len(changes) > 0 || len(diffs) > 0 {
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

// editedInputs compares the report's Inputs sheet with the recorded
// inputs, cell by cell, and lists the cells that differ.
func editedInputs(f *excelize.File, ds *data.Dataset, sc *data.Scope) []string {
	rows, err := f.GetRows("Inputs", excelize.Options{RawCellValue: true})
	if err != nil {
		return []string{"the Inputs sheet is missing"}
	}
	want := inputRows(ds, sc, currencyOf(ds, "")) // only the numbers are compared
	var out []string
	for i, in := range want {
		r := i + 2 // header in row 1
		if r-1 >= len(rows) {
			out = append(out, fmt.Sprintf("Inputs!A%d: row missing (%s %s)", r, in.Item, in.Field))
			continue
		}
		row := rows[r-1]
		get := func(c int) string {
			if c < len(row) {
				return row[c]
			}
			return ""
		}
		for _, cv := range []struct {
			c int
			v float64
		}{{3, in.Lo}, {4, in.Hi}} {
			c, v := cv.c, cv.v
			x, err := strconv.ParseFloat(get(c), 64)
			if err != nil || math.Abs(x-v) > 1e-12*math.Max(math.Abs(v), 1) {
				cell, _ := excelize.CoordinatesToCellName(c+1, r)
				out = append(out, fmt.Sprintf("Inputs!%s: %s %s was %g in the recorded inputs, the sheet says %q", cell, in.Item, in.Field, v, get(c)))
			}
		}
	}
	return out
}
