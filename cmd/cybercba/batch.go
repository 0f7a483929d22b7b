package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/cybercba/cybercba/reports"
	"github.com/cybercba/cybercba/reports/bulk"
)

// batchOptions are the settings of `cybercba batch`.
type batchOptions struct {
	Input string
	Out   string
	// Shard (from 1) of Shards, or 0 and 0 for every row; Shard is "i/n"
	// as given, Shards the count for an index from the environment.
	Shard   string
	Shards  int
	Workers int
	Quiet   bool
	// Force lets batch replace a file at -o that is not batch results.
	Force bool
	// Draws, Years and Seed override the Settings when set (set lists the
	// flags given).
	Draws, Years, DecisionDraws int
	Seed                        uint64
	set                         map[string]bool
	// CurrencySymbol, if set, overrides the dataset's currency's symbol.
	CurrencySymbol string
	// RowSeeds gives each row its own seed, derived from the master seed
	// and the row's name, instead of the master seed's common random
	// numbers.
	RowSeeds bool
}

func runBatchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o batchOptions
	fs := flag.NewFlagSet("batch", flag.ContinueOnError)
	fs.StringVar(&o.Out, "o", "results.xlsx", "the results workbook to write")
	fs.StringVar(&o.Shard, "shard", "", "run only shard `i/n` (from 1/n to n/n) and write a part file")
	fs.IntVar(&o.Shards, "shards", 0, "the shard `count`, when the shard index comes from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID (both from 0)")
	fs.IntVar(&o.Workers, "workers", 0, "goroutines (0: one per CPU); results do not depend on it")
	fs.IntVar(&o.Draws, "draws", 0, "outer draws per scenario, instead of the Settings'")
	fs.IntVar(&o.Years, "years", 0, "simulated years per draw, instead of the Settings'")
	fs.IntVar(&o.DecisionDraws, "decision-draws", 0, "outer draws behind each row's intervals and probabilities, instead of the Settings' (0: 10,000)")
	fs.Uint64Var(&o.Seed, "seed", 0, "master random `seed`, instead of the Settings'")
	fs.BoolVar(&o.Quiet, "quiet", false, "no progress bar")
	fs.BoolVar(&o.Force, "force", false, "replace -o even when it is not cybercba batch results (earlier results are always replaced)")
	fs.BoolVar(&o.RowSeeds, "row-seeds", false, "give each row its own seed (from the master seed and the row's name) instead of the master seed's common random numbers")
	fs.StringVar(&o.CurrencySymbol, "currency-symbol", "", currencyUsage)
	pos, err := parseArgs(fs, args, stdout, usage("batch"))
	if err != nil {
		return err
	}
	if err := checkSymbol(o.CurrencySymbol); err != nil {
		return err
	}
	if len(pos) != 1 {
		return &usageError{fmt.Sprintf("batch: want one inputs workbook, got %d (see cybercba batch -h)", len(pos))}
	}
	o.Input, o.set = pos[0], flagsSet(fs)
	shard, shards, err := bulk.ShardOf(o.Shard, o.Shards, os.Getenv)
	if err != nil {
		return &usageError{fmt.Sprintf("batch: %v", err)}
	}
	out := o.Out
	if shards > 1 {
		out = bulk.PartName(o.Out, shard, shards)
	}
	if sameFile(o.Input, out) {
		return &usageError{fmt.Sprintf("batch: -o %s is the inputs workbook: choose another name", out)}
	}
	// Before any scenario runs: the results must have somewhere to go.
	if err := checkOutput("-o", out, reports.KindResults, o.Force, o.Input); err != nil {
		return err
	}
	if err := checkOutput("-o", bulk.HTMLBeside(out), reports.KindResults, true, o.Input); err != nil {
		return err
	}
	start := time.Now()
	b, ck, err := runBatch(ctx, o, shard, shards, out, stderr)
	if err != nil {
		return err
	}
	if err := writeAtomic(out, func(w io.Writer) error { return reports.WriteBatch(w, b) }); err != nil {
		return fmt.Errorf("writing results: %w", err)
	}
	ck.Remove() // the part holds every row now
	wrote := out
	if shards <= 1 { // a part's page comes with the merge
		page := bulk.HTMLBeside(out)
		if err := writeAtomic(page, func(w io.Writer) error { return reports.WriteBatchHTML(w, b) }); err != nil {
			return fmt.Errorf("writing results: %w", err)
		}
		wrote += " and " + page
	}
	what := "every scenario"
	if shards > 1 {
		what = fmt.Sprintf("shard %d of %d", shard, shards)
	}
	ran, failed := len(b.Rows), b.Failed()
	reports.WriteBatchTable(stdout, b, termWidth(stdout))
	fmt.Fprintf(reports.Wrap(stdout, termWidth(stdout)), "Ran %d of %d scenarios (%s) in %s; wrote %s\n", ran, ran+failed, what, time.Since(start).Round(10*time.Millisecond), wrote)
	if failed > 0 {
		return fmt.Errorf("%d of %d scenarios failed: their problems are on the Errors sheet of %s", failed, ran+failed, out)
	}
	return nil
}

// runBatch runs the scenarios of shard (0: all) and returns the results,
// in scenario order, and for a shard its checkpoint (beside the part out),
// to remove once the part is written. Scenarios run on o.Workers
// goroutines, each simulated on one; only each row's summary is kept.
func runBatch(ctx context.Context, o batchOptions, shard, shards int, out string, stderr io.Writer) (_ *reports.Batch, ck *bulk.Checkpoint, err error) {
	in, err := loadInputs(o.Input)
	if err != nil {
		return nil, nil, &inputError{err}
	}
	st := in.Settings
	if o.set["draws"] {
		st.Draws = o.Draws
	}
	if o.set["years"] {
		st.Years = o.Years
	}
	if o.set["seed"] {
		st.Seed = o.Seed
	}
	if o.set["decision-draws"] {
		st.DecisionDraws = o.DecisionDraws
	}
	if err := st.CheckSize(); err != nil {
		return nil, nil, &inputError{err}
	}
	if o.Workers < 0 {
		return nil, nil, &inputError{fmt.Errorf("--workers: must not be negative, got %d", o.Workers)}
	}
	if len(in.Scenarios) == 0 {
		return nil, nil, &inputError{fmt.Errorf("%s: no scenarios: the Scenarios sheet has no rows", o.Input)}
	}
	opts := bulk.Options{
		Shard: shard, Shards: shards, Workers: o.Workers, RowSeeds: o.RowSeeds,
		Progress: shardProgress(stderr, o.Quiet, shard, shards, bulk.Picked(len(in.Scenarios), shard, shards)),
	}
	if shards > 0 { // a shard resumes from the rows it finished before
		if ck, err = bulk.Resume(out, bulk.Key{Version: version(), Digest: in.Digest, Seed: st.Seed, Draws: st.Draws, DecisionDraws: st.DecisionDraws, Years: st.Years, RowSeeds: o.RowSeeds, Shard: shard, Shards: shards}, &opts, func(s string) { fmt.Fprintf(stderr, "cybercba batch: %s\n", s) }); err != nil {
			return nil, nil, err
		}
		defer ck.Close()
	}
	b, err := bulk.Run(ctx, bulk.Input{Dataset: in.Dataset, Settings: st, Scenarios: in.Scenarios}, opts)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		return nil, nil, &inputError{fmt.Errorf("%s: %w", o.Input, err)}
	}
	bulk.Describe(b, bulk.Input{Dataset: in.Dataset, Settings: st}, o.Input, in.Digest, version(), reports.Symbol(in.Dataset, o.CurrencySymbol))
	if shards > 0 {
		b.Host, _ = os.Hostname()
	}
	return b, ck, nil
}
