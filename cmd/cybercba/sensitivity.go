package main

import (
	"context"
	"fmt"
	"io"

	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports"
)

func runSensitivity(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o runOptions
	fs := runFlags(&o)
	fs.Init("sensitivity", fs.ErrorHandling())
	top := fs.Int("top", 15, "switching values for the top `n` inputs of the tornado")
	pos, err := parseArgs(fs, args, stdout, usage("sensitivity"))
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
	bar := reports.NewProgress(stderr, o.Quiet, model.StageSimulate, o.Draws)
	job.Config.Progress, job.Config.Stage = bar.Funcs()
	job.Announce = bar.Wrap(job.Announce)
	job.Width = termWidth(stdout)
	d, err := analyse(ctx, job, true, *top)
	bar.Done()
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
	reports.WrittenLine(msg, o.Out, written, termWidth(msg))
	return nil
}
