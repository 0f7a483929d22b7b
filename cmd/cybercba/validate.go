package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/reports"
)

func runValidate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	strict := fs.Bool("strict", false, "treat input warnings as problems (exit 3)")
	pos, err := parseArgs(fs, args, stdout, usage("validate"))
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
	if data.IsWorkbook(name, b) {
		in, err := data.ReadInputs(b, name)
		if err != nil {
			return listProblems(stdout, path, err)
		}
		ds, st, scns = in.Dataset, in.Settings, in.Scenarios
	} else {
		ds, err = data.LoadBytes(b, name)
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
	reports.WriteValidation(stdout, path, ds, scns, warnings, termWidth(stdout))
	return nil
}

// listProblems writes every problem err holds to stdout, one a line, and
// returns an input error counting them.
func listProblems(stdout io.Writer, path string, err error) error {
	ps := problems(err)
	for _, p := range ps {
		fmt.Fprintln(reports.Wrap(stdout, termWidth(stdout)), p)
	}
	if len(ps) == 1 {
		return &inputError{fmt.Errorf("%s: 1 problem", path)}
	}
	return &inputError{fmt.Errorf("%s: %d problems", path, len(ps))}
}
