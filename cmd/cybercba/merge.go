package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/cybercba/cybercba/reports"
	"github.com/cybercba/cybercba/reports/bulk"
)

func runMerge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	out := fs.String("o", "results.xlsx", "the results workbook to write (its folder is created if missing)")
	force := fs.Bool("force", false, "replace an existing -o file that is not a results workbook of this tool")
	strict := fs.Bool("strict", false, "exit 1 when some scenarios failed (as batch does), not 0")
	parts, err := parseArgs(fs, args, stdout, usage("merge"))
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
	if err := checkOutput("-o", *out, reports.KindResults, *force, parts...); err != nil {
		return err
	}
	if err := writeAtomic(*out, func(w io.Writer) error { return reports.WriteBatch(w, merged) }); err != nil {
		return fmt.Errorf("writing results: %w", err)
	}
	page := bulk.HTMLBeside(*out)
	if err := writeAtomic(page, func(w io.Writer) error { return reports.WriteBatchHTML(w, merged) }); err != nil {
		return fmt.Errorf("writing results: %w", err)
	}
	fmt.Fprintf(reports.Wrap(stdout, termWidth(stdout)), "Merged %d parts: %d scenarios, %d ran; wrote %s and %s\n", len(parts), merged.Total, len(merged.Rows), *out, page)
	if n := merged.Failed(); n > 0 {
		if *strict {
			return fmt.Errorf("%d of %d scenarios failed: their problems are on the Errors sheet of %s", n, merged.Total, *out)
		}
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
