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

const calibrateUsage = `Usage: cybercba calibrate [flags] [dataset.yaml]

Fits the outage cost rates to the calibration incident (WannaCry in the
default dataset): the daily lost output per organisation-day, c_d, and the IT
recovery cost per disrupted organisation, c_r, so that the model's replay of
the incident costs what was reported (£92m = £19m lost output + £73m IT).
Prints the inputs with their sources, the fitted rates in the incident's and
the dataset's prices, the replay's mean and 90% interval, and how far each
hold-out incident lands from the model's replay of it.

Examples:
  cybercba calibrate
  cybercba calibrate --seed 7 my-dataset.yaml

Flags:
`

func runCalibrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("calibrate", flag.ContinueOnError)
	seed := fs.Uint64("seed", 2017, "random `seed` of the simulated replays")
	symbol := fs.String("currency-symbol", "", currencyUsage)
	pos, err := parseArgs(fs, args, stdout, calibrateUsage)
	if err != nil {
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
	reports.WriteCalibration(stdout, ds, cal, *seed, version(), reports.Symbol(ds, *symbol))
	return nil
}
