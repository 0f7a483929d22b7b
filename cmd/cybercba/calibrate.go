package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports"
)

func runCalibrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("calibrate", flag.ContinueOnError)
	seed := fs.Uint64("seed", 2017, "random `seed` of the simulated replays")
	symbol := fs.String("currency-symbol", "", currencyUsage)
	pos, err := parseArgs(fs, args, stdout, usage("calibrate"))
	if err != nil {
		return err
	}
	if err := checkSymbol(*symbol); err != nil {
		return err
	}
	if len(pos) > 1 {
		return &usageError{fmt.Sprintf("calibrate: want at most one dataset, got %q", pos)}
	}
	ds, err := loadDataset(strings.Join(pos, ""))
	if err != nil {
		return &inputError{err}
	}
	cal, err := model.Calibrate(ds.Target(), *seed)
	if err != nil {
		return &inputError{fmt.Errorf("%s: %w", ds.File, err)}
	}
	reports.WriteCalibration(stdout, ds, cal, *seed, version(), reports.Symbol(ds, *symbol), termWidth(stdout))
	return nil
}
