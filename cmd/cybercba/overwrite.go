package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The overwrite policy, one for every command that writes a file: no
// command writes over one of its own inputs; a run, batch or merge
// replaces an existing file only when it is this tool's output of the same
// kind (its last report, its last results), and anything else only with
// --force; and the output's folder is created and checked writable before
// any work, so that a long run cannot fail at its end for want of a place
// to put its results. (template, whose workbook a person then edits,
// replaces nothing without --force.)

// outputKind is a kind of workbook the tool writes.
type outputKind int

const (
	kindReport  outputKind = iota // run's report.xlsx
	kindResults                   // batch's and merge's results
	kindInputs                    // template's inputs workbook
)

func (k outputKind) String() string {
	return [...]string{"a cybercba run's report", "cybercba batch results", "a cybercba inputs workbook"}[k]
}

// markers are the sheets each kind of workbook has.
var markers = [...][]string{
	kindReport:  {"Summary", "Ranking", "Inputs"},
	kindResults: {"Summary", "Errors", "About"},
	kindInputs:  {"Settings", "Threats", "Controls"},
}

// isOutput reports whether the file at path is this tool's workbook of
// kind: written by cybercba (its document properties say so) and holding
// the kind's sheets.
func isOutput(path string, k outputKind) bool {
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: 256 << 20, UnzipXMLSizeLimit: 64 << 20})
	if err != nil {
		return false
	}
	defer f.Close()
	props, err := f.GetDocProps()
	if err != nil || !strings.HasPrefix(props.Creator, "cybercba") {
		return false
	}
	sheets := f.GetSheetList()
	for _, s := range markers[k] {
		if !slices.Contains(sheets, s) {
			return false
		}
	}
	return true
}

// checkOutput applies the overwrite policy to the file path the command
// is about to write, as kind, before any work: it must not be one of
// inputs; an existing file must be this tool's of the same kind, unless
// force; and its folder is created if missing and must take a new file.
func checkOutput(flag, path string, k outputKind, force bool, inputs ...string) error {
	for _, in := range inputs {
		if in != "" && in != "-" && sameFile(in, path) {
			return &inputError{fmt.Errorf("%s %s is one of the command's inputs: choose another name", flag, path)}
		}
	}
	if fi, err := os.Stat(path); err == nil {
		switch {
		case fi.IsDir():
			return &inputError{fmt.Errorf("%s %s is a folder: give a file name", flag, path)}
		case !force && !isOutput(path, k):
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
	if o.Dataset != "" && o.Dataset != "-" {
		if abs, err := filepath.Abs(o.Dataset); err == nil {
			if out, err := filepath.Abs(o.Out); err == nil && filepath.Dir(abs) == filepath.Join(out, setPlots) {
				return &inputError{fmt.Errorf("-o %s: the dataset %s is in its plots folder, which a run replaces: choose another folder", o.Out, o.Dataset)}
			}
		}
	}
	if err := checkOutput("-o", filepath.Join(o.Out, setPage), kindReport, true, o.Dataset); err != nil {
		return err
	}
	return checkOutput("-o", filepath.Join(o.Out, setBook), kindReport, o.Force, o.Dataset)
}
