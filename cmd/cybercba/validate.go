package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/cybercba/cybercba/data"
)

const validateUsage = `Usage: cybercba validate [flags] inputs.xlsx|dataset.yaml

Checks an inputs workbook (or a YAML or JSON dataset) as run and batch
would read it, and lists every problem at once, one a line, each naming the
sheet and cell (or line) and the field:

  inputs.xlsx: Controls!H7: capex: must be a non-negative amount, got "tbc"

It checks the numbers and their sources, the ids that sheets refer to, the
settings, the calibration, each scope's model and each scenario row. With
no problem it says what the file holds, and lists the numbers changed
without a source, which are read as judgements (tag J, "edited in <file>").
Exit status 3 when there is a problem.

Examples:
  cybercba validate inputs.xlsx
  cybercba validate my-dataset.yaml

Flags:
`

func runValidate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	strict := fs.Bool("strict", false, "treat input warnings as problems (exit 3)")
	pos, err := parseArgs(fs, args, stdout, validateUsage)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &usageError{fmt.Sprintf("validate: want one file, got %d (see cybercba validate -h)", len(pos))}
	}
	name, b, err := readInput(pos[0])
	if err != nil {
		return &inputError{err}
	}
	path := name
	var (
		ds   *data.Dataset
		st   = data.DefaultSettings()
		scns []data.Scenario
	)
	if isWorkbook(name, b) {
		in, err := inputsFrom(b, name)
		if err != nil {
			return listProblems(stdout, path, err)
		}
		ds, st, scns = in.ds, in.settings, in.scenarios
	} else {
		ds, err = data.Load(bytes.NewReader(b), name)
		if err != nil {
			return listProblems(stdout, path, err)
		}
	}
	warnings, problems := data.CheckRun(ds, st, scns)
	var errs []error
	if problems != nil {
		errs = append(errs, problems)
	}
	if *strict {
		for _, w := range warnings {
			errs = append(errs, fmt.Errorf("%s (--strict)", w))
		}
		warnings = nil
	}
	if len(errs) > 0 {
		return listProblems(stdout, path, errors.Join(errs...))
	}
	var scopes []string
	for _, sc := range ds.Scopes {
		scopes = append(scopes, fmt.Sprintf("%s (%d threats, %d controls)", sc.ID, len(sc.Threats), len(sc.Controls)))
	}
	fmt.Fprintf(stdout, "%s: ok: %s; %d sources, %d hold-out incidents", path, strings.Join(scopes, ", "), len(ds.Sources), len(ds.Holdouts))
	if scns != nil {
		fmt.Fprintf(stdout, "; %d scenarios", len(scns))
	}
	fmt.Fprintln(stdout)
	if len(warnings) > 0 {
		fmt.Fprintf(stdout, "%d warnings (worth a look, not errors; --strict makes them errors):\n", len(warnings))
		for _, w := range warnings {
			fmt.Fprintf(stdout, "  warning: %s\n", w)
		}
	}
	if e := ds.Edited(); len(e) > 0 {
		what := fmt.Sprintf("%d numbers were", len(e))
		if len(e) == 1 {
			what = "1 number was"
		}
		fmt.Fprintf(stdout, "%s changed without a source, so read as judgements (tag J, \"edited in %s\"):\n", what, filepath.Base(path))
		for _, c := range e {
			fmt.Fprintf(stdout, "  %s\n", c)
		}
	}
	return nil
}

// listProblems writes every problem err holds to stdout, one a line, and
// returns an input error counting them.
func listProblems(stdout io.Writer, path string, err error) error {
	ps := problems(err)
	for _, p := range ps {
		fmt.Fprintln(stdout, p)
	}
	if len(ps) == 1 {
		return &inputError{fmt.Errorf("%s: 1 problem", path)}
	}
	return &inputError{fmt.Errorf("%s: %d problems", path, len(ps))}
}
