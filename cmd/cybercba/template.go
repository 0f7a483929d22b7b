package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/reports"
)

// templateOptions are the settings of `cybercba template`.
type templateOptions struct {
	Dataset string // path, or "" for the embedded default
	Out     string
	Scope   string
	Force   bool
}

func runTemplate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o templateOptions
	fs := flag.NewFlagSet("template", flag.ContinueOnError)
	fs.StringVar(&o.Out, "o", "inputs.xlsx", "the workbook to write")
	fs.StringVar(&o.Scope, "scope", "", "the scope `id` the Settings sheet names (default: the dataset's first)")
	fs.BoolVar(&o.Force, "force", false, "replace the workbook if it exists")
	pos, err := parseArgs(fs, args, stdout, usage("template"))
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
	case 1:
		o.Dataset = pos[0]
	default:
		return &usageError{fmt.Sprintf("template: want at most one dataset, got %q", pos)}
	}
	return writeTemplate(o, stdout)
}

// writeTemplate writes the template o asks for.
func writeTemplate(o templateOptions, stdout io.Writer) error {
	if o.Out == "" {
		return &usageError{"template: -o: want a file name"}
	}
	if _, err := os.Stat(o.Out); err == nil && !o.Force {
		return &inputError{fmt.Errorf("%s exists: choose another name with -o, or replace it with --force", o.Out)}
	}
	if o.Dataset != "" && sameFile(o.Dataset, o.Out) {
		return &inputError{fmt.Errorf("-o %s is the dataset itself: choose another name", o.Out)}
	}
	if err := checkFolder("-o", filepath.Dir(o.Out)); err != nil {
		return err
	}
	ds, err := loadDataset(o.Dataset)
	if err != nil {
		return &inputError{err}
	}
	if o.Scope != "" {
		if _, err := ds.Scope(o.Scope); err != nil {
			return badOption(fmt.Errorf("--scope: %w", err))
		}
	}
	if err := writeAtomic(o.Out, func(w io.Writer) error {
		return data.WriteTemplate(w, ds, o.Scope, data.DefaultSettings())
	}); err != nil {
		return err
	}
	fmt.Fprintf(reports.Wrap(stdout, termWidth(stdout)), "Wrote %s: %d scopes, %d sources. Edit it, then: cybercba validate %s\n", o.Out, len(ds.Scopes), len(ds.Sources), o.Out)
	return nil
}
