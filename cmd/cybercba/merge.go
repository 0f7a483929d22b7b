package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/cybercba/cybercba/reports"
)

const mergeUsage = `Usage: cybercba merge [flags] part.xlsx...

Joins the part files of a sharded batch run (cybercba batch --shard i/n)
into the results workbook a single run would have written: rows back in
scenario order, the Errors of every part, one chart. It checks that the
parts come from the same inputs workbook (by its SHA-256), settings,
version of cybercba and currency symbol (--currency-symbol), that shards 1
to n are each there once (naming a missing shard's array index, and where
and when each copy of a repeated one ran), and that every scenario is in
exactly one part. Each part's results digest (About, Results SHA-256) is
recomputed: a part changed after it was written is refused, naming the
part and the cell.
The merged workbook keeps the parts' currency symbol. The parts are only
read. Beside the workbook it writes the batch's HTML page (results.html
for results.xlsx), which shards leave to the merge.

Exit status 0 when the parts merge, even if some scenarios failed (their
problems are on the Errors sheet; a line on stderr says how many), 3 when
they do not.

Examples:
  cybercba merge results.part-1-of-3.xlsx results.part-2-of-3.xlsx results.part-3-of-3.xlsx -o results.xlsx
  cybercba merge results.part-*.xlsx -o results.xlsx

Flags:
`

func runMerge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	out := fs.String("o", "results.xlsx", "the results workbook to write (its folder is created if missing)")
	force := fs.Bool("force", false, "replace an existing -o file that is not a results workbook of this tool")
	parts, err := parseArgs(fs, args, stdout, mergeUsage)
	if err != nil {
		return err
	}
	if len(parts) == 0 {
		return &usageError{"merge: want the part files (see cybercba merge -h)"}
	}
	var bs []*reports.Batch
	for _, p := range parts {
		if sameFile(p, *out) {
			return &usageError{fmt.Sprintf("merge: -o %s is one of the parts: choose another name", *out)}
		}
		b, err := readPart(p)
		if err != nil {
			return &inputError{err}
		}
		bs = append(bs, b)
	}
	merged, err := reports.MergeBatches(bs, parts)
	if err != nil {
		return &inputError{err}
	}
	// The overwrite policy, before writing: never a part, an existing file
	// only if it is a results workbook of this tool (or --force); the
	// folder is created if missing.
	if err := checkOutput("-o", *out, kindResults, *force, parts...); err != nil {
		return err
	}
	if err := writeAtomic(*out, func(w io.Writer) error { return reports.WriteBatch(w, merged) }); err != nil {
		return fmt.Errorf("writing results: %w", err)
	}
	page := htmlBeside(*out)
	if err := writeAtomic(page, func(w io.Writer) error { return reports.WriteBatchHTML(w, merged) }); err != nil {
		return fmt.Errorf("writing results: %w", err)
	}
	fmt.Fprintf(stdout, "Merged %d parts: %d scenarios, %d ran; wrote %s and %s\n", len(parts), merged.Total, len(merged.Rows), *out, page)
	if n := merged.Failed(); n > 0 {
		fmt.Fprintf(stderr, "cybercba: %d of %d scenarios failed: their problems are on the Errors sheet of %s\n", n, merged.Total, *out)
	}
	return nil
}

func readPart(path string) (*reports.Batch, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return reports.ReadBatch(f, path)
}
