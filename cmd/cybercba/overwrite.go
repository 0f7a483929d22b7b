package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cybercba/cybercba/reports"
)

// The overwrite policy, one for every command that writes a file: no
// command writes over one of its own inputs; a run, batch or merge
// replaces an existing file only when it is this tool's output of the same
// kind (its last report, its last results), and anything else only with
// --force; and the output's folder is created and checked writable before
// any work, so that a long run cannot fail at its end for want of a place
// to put its results. (template, whose workbook a person then edits,
// replaces nothing without --force.)

// checkOutput applies the overwrite policy to the file path the command
// is about to write, as kind, before any work: it must not be one of
// inputs; an existing file must be this tool's of the same kind, unless
// force; and its folder is created if missing and must take a new file.
func checkOutput(flag, path string, k reports.Kind, force bool, inputs ...string) error {
	for _, in := range inputs {
		if in != "" && in != "-" && sameFile(in, path) {
			return &inputError{fmt.Errorf("%s %s is one of the command's inputs: choose another name", flag, path)}
		}
	}
	if fi, err := os.Stat(path); err == nil {
		switch {
		case fi.IsDir():
			return &inputError{fmt.Errorf("%s %s is a folder: give a file name", flag, path)}
		case !force && !reports.IsOutput(path, k):
			return &inputError{fmt.Errorf("%s %s exists and is not %s: choose another name, or replace it with --force", flag, path, k)}
		}
	}
	return checkFolder(flag, filepath.Dir(path))
}

// checkFolder creates dir if it is missing and checks that a file can be
// made in it. Its failure is invalid input (exit 3), reported before any
// work, not a run failure (exit 1, which a batch part's runner reads as
// "ran, do not retry").
func checkFolder(flag, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return &inputError{fmt.Errorf("%s: cannot create the folder %s: %w", flag, dir, err)}
	}
	f, err := os.CreateTemp(dir, ".cybercba-check-*")
	if err != nil {
		return &inputError{fmt.Errorf("%s: cannot write in the folder %s: %w", flag, dir, err)}
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return nil
}

// checkRunOutput applies the policy to run's output folder: its
// report.xlsx and report.html, and its plots, must not be the dataset,
// and an existing report.xlsx must be a run's report.
func checkRunOutput(o runOptions) error {
	if o.NoFiles {
		return nil
	}
	if strings.TrimSpace(o.Out) == "" {
		return &usageError{"-o: empty: give the folder to write report.xlsx, report.html and plots/ in (or --no-files)"}
	}
	if o.Dataset != "" && o.Dataset != "-" {
		if abs, err := filepath.Abs(o.Dataset); err == nil {
			if out, err := filepath.Abs(o.Out); err == nil && filepath.Dir(abs) == filepath.Join(out, reports.SetPlots) {
				return &inputError{fmt.Errorf("-o %s: the dataset %s is in its plots folder, which a run replaces: choose another folder", o.Out, o.Dataset)}
			}
		}
	}
	page := filepath.Join(o.Out, reports.SetPage)
	if err := checkOutput("-o", page, reports.KindReport, true, o.Dataset); err != nil {
		return err
	}
	if !o.Force && !reports.IsOwnPage(page) {
		return &inputError{fmt.Errorf("-o %s exists and is not a cybercba run's page: choose another folder, or replace it with --force", page)}
	}
	if err := reports.CheckPlots(filepath.Join(o.Out, reports.SetPlots), o.Force); err != nil {
		return &inputError{err}
	}
	return checkOutput("-o", filepath.Join(o.Out, reports.SetBook), reports.KindReport, o.Force, o.Dataset)
}
