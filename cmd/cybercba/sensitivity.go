package main

import (
	"context"
	"fmt"
	"io"

	"github.com/cybercba/cybercba/reports"
)

const sensitivityUsage = `Usage: cybercba sensitivity [flags] [dataset.yaml]

Shows which assumptions drive the answer, and what would have to be true for
the decision to be a bad buy. The decision is the best single control by NPV,
or with --budget the best portfolio within it.

  Tornado: each uncertain input moved from its 5th to its 95th percentile,
  every other input at its median; the swing in the decision's NPV. With
  every input fixed the expected loss has an exact closed form, so the
  swings carry no Monte Carlo error.
  Switching values (HM Treasury Green Book): for the top inputs, the value at
  which the decision's NPV crosses zero, and the value at which another
  decision becomes best, each with how far it is from the median.
  Value of information: EVPI, what perfect knowledge of every parameter could
  be worth, and each parameter's EVPPI (Strong and Oakley's regression
  method), across the outer draws of the simulation.

Examples:
  cybercba sensitivity
  cybercba sensitivity --scope acute-trust --top 10
  cybercba sensitivity --budget 60m --json > sensitivity.json
  cybercba sensitivity --no-files

Like run, it writes report.xlsx (with its Sensitivity sheet), report.html
and plots/ (with the tornado) into the -o folder, unless --no-files.

Flags:
`

func runSensitivity(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o runOptions
	fs := runFlags(&o)
	fs.Init("sensitivity", fs.ErrorHandling())
	top := fs.Int("top", 15, "switching values for the top `n` inputs of the tornado")
	pos, err := parseArgs(fs, args, stdout, sensitivityUsage)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
	case 1:
		o.Dataset = pos[0]
	default:
		return &usageError{fmt.Sprintf("sensitivity: want at most one dataset, got %q", pos)}
	}
	if *top < 1 {
		return &inputError{fmt.Errorf("--top: must be at least 1, got %d", *top)}
	}
	if err := useWorkbook(fs, &o); err != nil {
		return err
	}
	job, err := prepare(o)
	if err != nil {
		return err
	}
	if err := announce(ctx, job, stderr, o.Quiet); err != nil {
		return err
	}
	job.Config.Progress = progress(stderr, o.Quiet, "simulating", o.Draws)
	d, err := analyse(ctx, job, true, *top)
	if err != nil {
		return err
	}
	sens := d.Sensitivity
	if sens == nil {
		return &inputError{fmt.Errorf("sensitivity: %s: there is no decision to analyse (no control changes the loss)", job.Dataset.File)}
	}
	// The files of a run with --sensitivity: the tornado among the plots,
	// the Sensitivity sheet in the workbook, and report.html.
	var written []string
	if !o.NoFiles {
		if written, err = writeRunFiles(job, o, recordedArgs(fs), d, stderr); err != nil {
			return err
		}
	}
	msg := stdout
	if o.JSON {
		if err := reports.WriteSensitivityJSON(stdout, job, sens); err != nil {
			return err
		}
		msg = stderr // keep stdout pure JSON
	} else {
		reports.WriteSensitivity(stdout, job, sens)
	}
	writtenLine(msg, o.Out, written)
	return nil
}
