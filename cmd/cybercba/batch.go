package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cybercba/cybercba/model"
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
	Draws, Years int
	Seed         uint64
	set          map[string]bool
	// CurrencySymbol, if set, overrides the dataset's currency's symbol.
	CurrencySymbol string
	// RowSeeds gives each row its own seed, derived from the master seed
	// and the row's name, instead of the master seed's common random
	// numbers.
	RowSeeds bool
}

const batchUsage = `Usage: cybercba batch [flags] inputs.xlsx

Runs every row of the workbook's Scenarios sheet and writes one results
workbook: Summary (one row per scenario: the baseline's expected annual
loss, its P95, the best control with its NPV, BCR and their 90% intervals,
and, for a row with a budget, the best portfolio within it and the share
of the budget it uses), a chart comparing the scenarios, Errors (the
problems of the rows that could not run, naming the row and cell; the
other rows still run) and About (seed, draws × years, the input's SHA-256);
and beside it, with the same name ending .html, one self-contained page:
the comparison of the scenarios first, then a section per scenario.

Each row starts from the Settings sheet; its cells replace what they set.
Every row runs on the master seed (common random numbers), unless it gives
its own, so the difference between two rows is the scenarios' effect alone,
not simulation noise, and a row's results do not depend on its place, the
worker count or the machine. --row-seeds instead derives each row's seed
from the master seed and the row's name (the first 8 bytes of
SHA-256(master seed as 8 big-endian bytes, then the name)). The portfolio
column is the row's recommendation: the best set for its view, within its
budget when it gives one. Rows whose loss model is the same (they change
only budgets, costs, horizon, discount or optimism bias) share one
simulation and differ only in their appraisal, so a sheet of such rows
runs at about the speed of one run; each simulation uses every worker.
A row's results are those it would have alone, whatever the workers or
the other rows; they are written in row order.

To spread the rows over machines, run shard i of n on each: it runs the
rows whose number − 1 is i − 1 modulo n, and writes results.part-i-of-n.xlsx
beside -o; then cybercba merge joins the parts into the workbook a single
run would write. --shard i/n counts shards from 1. Without --shard, the
shard comes from the environment: JOB_COMPLETION_INDEX (a Kubernetes
Indexed Job, counted from 0) with the count from --shards or
CYBERCBA_SHARDS, or SLURM_ARRAY_TASK_ID (counted from 0) with the count
from --shards or CYBERCBA_SHARDS (so that one task re-submitted alone is
still the same shard), else SLURM_ARRAY_TASK_ID minus SLURM_ARRAY_TASK_MIN
with SLURM_ARRAY_TASK_COUNT. --shard i/n must agree with the environment;
--shard 1/1 runs every row whatever the environment says. When the log is
not a terminal (a scheduler's log file), progress is written as plain
lines, about every tenth of the rows; a part records the shard and the
host that ran it.

A run stopped by SIGTERM (scancel, a Kubernetes eviction) or SIGINT
writes nothing, removes its temporary files and exits 143 or 130; run the
shard again to rebuild its part, bit for bit.

Amounts are written with the dataset's currency symbol (£ for GBP), or
the one --currency-symbol gives; the parts of a sharded run must agree.

Exit status 1 when some rows failed (the results workbook is still
written, with their problems on the Errors sheet), 3 when the workbook
itself has a problem (nothing is run).

Examples:
  cybercba batch inputs.xlsx -o results.xlsx
  cybercba batch inputs.xlsx -o results.xlsx --workers 8 --draws 100
  cybercba batch inputs.xlsx -o results.xlsx --shard 2/3

Flags:
`

func runBatchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o batchOptions
	fs := flag.NewFlagSet("batch", flag.ContinueOnError)
	fs.StringVar(&o.Out, "o", "results.xlsx", "the results workbook to write")
	fs.StringVar(&o.Shard, "shard", "", "run only shard `i/n` (from 1/n to n/n) and write a part file")
	fs.IntVar(&o.Shards, "shards", 0, "the shard `count`, when the shard index comes from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID (both from 0)")
	fs.IntVar(&o.Workers, "workers", 0, "goroutines (0: one per CPU); results do not depend on it")
	fs.IntVar(&o.Draws, "draws", 0, "outer draws per scenario, instead of the Settings'")
	fs.IntVar(&o.Years, "years", 0, "simulated years per draw, instead of the Settings'")
	fs.Uint64Var(&o.Seed, "seed", 0, "master random `seed`, instead of the Settings'")
	fs.BoolVar(&o.Quiet, "quiet", false, "no progress bar")
	fs.BoolVar(&o.Force, "force", false, "replace -o even when it is not cybercba batch results (earlier results are always replaced)")
	fs.BoolVar(&o.RowSeeds, "row-seeds", false, "give each row its own seed (from the master seed and the row's name) instead of the master seed's common random numbers")
	fs.StringVar(&o.CurrencySymbol, "currency-symbol", "", currencyUsage)
	pos, err := parseArgs(fs, args, stdout, batchUsage)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &usageError{fmt.Sprintf("batch: want one inputs workbook, got %d (see cybercba batch -h)", len(pos))}
	}
	o.Input, o.set = pos[0], flagsSet(fs)
	shard, shards, err := shardOf(o.Shard, o.Shards, os.Getenv)
	if err != nil {
		return &usageError{fmt.Sprintf("batch: %v", err)}
	}
	out := o.Out
	if shards > 1 {
		out = partName(o.Out, shard, shards)
	}
	if sameFile(o.Input, out) {
		return &usageError{fmt.Sprintf("batch: -o %s is the inputs workbook: choose another name", out)}
	}
	// Before any scenario runs: the results must have somewhere to go.
	if err := checkOutput("-o", out, kindResults, o.Force, o.Input); err != nil {
		return err
	}
	if err := checkOutput("-o", htmlBeside(out), kindResults, true, o.Input); err != nil {
		return err
	}
	start := time.Now()
	b, err := runBatch(ctx, o, shard, shards, stderr)
	if err != nil {
		return err
	}
	if err := writeAtomic(out, func(w io.Writer) error { return reports.WriteBatch(w, b) }); err != nil {
		return fmt.Errorf("writing results: %w", err)
	}
	wrote := out
	if shards <= 1 { // a part's page comes with the merge
		page := htmlBeside(out)
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
	reports.WriteBatchTable(stdout, b)
	fmt.Fprintf(stdout, "Ran %d of %d scenarios (%s) in %s; wrote %s\n", ran, ran+failed, what, time.Since(start).Round(10*time.Millisecond), wrote)
	if failed > 0 {
		return fmt.Errorf("%d of %d scenarios failed: their problems are on the Errors sheet of %s", failed, ran+failed, out)
	}
	return nil
}

// shardOf returns the shard to run, from 1, and the count: from
// --shard i/n, or else from a Kubernetes Indexed Job's or a Slurm array's
// environment; 0 and 0 for every row.
func shardOf(flagShard string, flagShards int, getenv func(string) string) (int, int, error) {
	if flagShard != "" {
		a, b, ok := strings.Cut(flagShard, "/")
		i, err1 := strconv.Atoi(strings.TrimSpace(a))
		n, err2 := strconv.Atoi(strings.TrimSpace(b))
		if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
			return 0, 0, fmt.Errorf("--shard: want i/n with 1 ≤ i ≤ n, e.g. 2/3, got %q", flagShard)
		}
		if n == 1 {
			return 0, 0, nil
		}
		// The scheduler's environment, if it names a shard, must agree.
		if ei, en, err := shardOf("", flagShards, getenv); err == nil && en > 0 && (ei != i || en != n) {
			return 0, 0, fmt.Errorf("--shard %d/%d, but the scheduler's environment (%s) makes this shard %d/%d: drop --shard, or make them agree", i, n, shardEnv(getenv), ei, en)
		}
		return i, n, nil
	}
	count := func(envs ...string) (int, string, error) {
		if flagShards > 0 {
			return flagShards, "--shards", nil
		}
		for _, e := range envs {
			if v := getenv(e); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil || n < 1 {
					return 0, e, fmt.Errorf("%s: want a count of at least 1, got %q", e, v)
				}
				return n, e, nil
			}
		}
		return 0, "", nil
	}
	index := func(name, v string, base int) (int, error) {
		i, err := strconv.Atoi(v)
		if err != nil {
			return 0, fmt.Errorf("%s: want a whole number, got %q", name, v)
		}
		return i - base + 1, nil
	}
	if v := getenv("JOB_COMPLETION_INDEX"); v != "" {
		n, from, err := count("CYBERCBA_SHARDS")
		if err != nil {
			return 0, 0, err
		}
		if n == 0 {
			return 0, 0, errors.New("JOB_COMPLETION_INDEX is set but not the shard count: set CYBERCBA_SHARDS to the Job's completions, or pass --shards (or --shard 1/1 to run every row)")
		}
		i, err := index("JOB_COMPLETION_INDEX", v, 0)
		if err != nil {
			return 0, 0, err
		}
		if i < 1 || i > n {
			return 0, 0, fmt.Errorf("JOB_COMPLETION_INDEX %s is outside 0 to %d (%s %d)", v, n-1, from, n)
		}
		return shardOrAll(i, n)
	}
	if v := getenv("SLURM_ARRAY_TASK_ID"); v != "" {
		n, from, err := count("CYBERCBA_SHARDS", "SLURM_ARRAY_TASK_COUNT")
		if err != nil {
			return 0, 0, err
		}
		if n == 0 {
			return 0, 0, errors.New("SLURM_ARRAY_TASK_ID is set but not SLURM_ARRAY_TASK_COUNT: pass --shards (or --shard 1/1 to run every row)")
		}
		// With the count given, array ids count from 0, so that one task
		// re-submitted alone (sbatch --array=2) is still shard 3 of 4;
		// from the array's own count, they count from its first id.
		base := 0
		if from == "SLURM_ARRAY_TASK_COUNT" {
			if n == 1 {
				return 0, 0, errors.New("SLURM_ARRAY_TASK_COUNT is 1 (an array of one task, as when one task is re-submitted): pass --shards with the whole array's count (or --shard 1/1 to run every row)")
			}
			if m := getenv("SLURM_ARRAY_TASK_MIN"); m != "" {
				if base, err = strconv.Atoi(m); err != nil {
					return 0, 0, fmt.Errorf("SLURM_ARRAY_TASK_MIN: want a whole number, got %q", m)
				}
			}
		}
		i, err := index("SLURM_ARRAY_TASK_ID", v, base)
		if err != nil {
			return 0, 0, err
		}
		if i < 1 || i > n {
			return 0, 0, fmt.Errorf("SLURM_ARRAY_TASK_ID %s is outside %d to %d (%s %d): use an array of consecutive ids", v, base, base+n-1, from, n)
		}
		return shardOrAll(i, n)
	}
	return 0, 0, nil
}

// shardEnv lists the scheduler's variables that name a shard, as set.
func shardEnv(getenv func(string) string) string {
	var set []string
	for _, k := range []string{"JOB_COMPLETION_INDEX", "CYBERCBA_SHARDS", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT"} {
		if v := getenv(k); v != "" {
			set = append(set, k+"="+v)
		}
	}
	return strings.Join(set, " ")
}

func shardOrAll(i, n int) (int, int, error) {
	if n == 1 {
		return 0, 0, nil
	}
	return i, n, nil
}

// partName returns the part file of shard i of n: results.xlsx gives
// results.part-2-of-3.xlsx.
func partName(out string, i, n int) string {
	ext := filepath.Ext(out)
	return fmt.Sprintf("%s.part-%d-of-%d%s", strings.TrimSuffix(out, ext), i, n, ext)
}

// runBatch runs the scenarios of shard (0: all) and returns the results,
// in scenario order. Scenarios run on o.Workers goroutines, each simulated
// on one; only each row's summary is kept.
func runBatch(ctx context.Context, o batchOptions, shard, shards int, stderr io.Writer) (*reports.Batch, error) {
	in, err := loadInputs(o.Input)
	if err != nil {
		return nil, &inputError{err}
	}
	st := in.settings
	if o.set["draws"] {
		st.Draws = o.Draws
	}
	if o.set["years"] {
		st.Years = o.Years
	}
	if o.set["seed"] {
		st.Seed = o.Seed
	}
	if err := model.CheckSize(st.Draws, st.Years, "draws", "years"); err != nil {
		return nil, &inputError{err}
	}
	if o.Workers < 0 {
		return nil, &inputError{fmt.Errorf("--workers: must not be negative, got %d", o.Workers)}
	}
	if len(in.scenarios) == 0 {
		return nil, &inputError{fmt.Errorf("%s: no scenarios: the Scenarios sheet has no rows", o.Input)}
	}
	b, err := bulk.Run(ctx, bulk.Input{Dataset: in.ds, Settings: st, Scenarios: in.scenarios}, bulk.Options{
		Shard: shard, Shards: shards, Workers: o.Workers, RowSeeds: o.RowSeeds,
		Progress: shardProgress(stderr, o.Quiet, shard, shards, picked(len(in.scenarios), shard, shards)),
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &inputError{fmt.Errorf("%s: %w", o.Input, err)}
	}
	scope := st.Scope
	if scope == "" {
		scope = in.ds.Scopes[0].ID
	}
	b.Tool, b.Version, b.Generated = "cybercba", version(), time.Now().UTC().Truncate(time.Second)
	b.Input, b.Digest = o.Input, in.digest
	b.Currency, b.CurrencySymbol, b.PriceYear = in.ds.Currency, reports.Symbol(in.ds, o.CurrencySymbol), in.ds.PriceYear
	b.Seed, b.Draws, b.Years, b.Scope, b.Objective, b.Metric = st.Seed, st.Draws, st.Years, scope, st.Objective, st.Metric
	if shards > 0 {
		b.Host, _ = os.Hostname()
	}
	return b, nil
}

// picked returns the number of rows, of n, that shard (0: all) of shards
// runs.
func picked(n, shard, shards int) int {
	if shards == 0 {
		return n
	}
	return (n - shard + shards) / shards
}

// htmlBeside returns the name of the HTML page written beside a results
// workbook: results.xlsx gives results.html.
func htmlBeside(book string) string {
	page := strings.TrimSuffix(book, filepath.Ext(book)) + ".html"
	if page == book {
		page += ".html"
	}
	return page
}
