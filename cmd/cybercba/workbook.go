package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cybercba/cybercba/data"
)

// zipMagic starts every .xlsx file (a zip archive).
var zipMagic = []byte("PK\x03\x04")

// isWorkbook reports whether a file is an .xlsx workbook: by its extension,
// or by its first bytes.
func isWorkbook(path string, head []byte) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm", ".xltx", ".xltm":
		return true
	case ".yaml", ".yml", ".json":
		return false
	}
	return bytes.HasPrefix(head, zipMagic)
}

// stdinName is how standard input ("-") is named in messages.
const stdinName = "stdin"

// readInput reads the whole input at path once: a file, a pipe or FIFO, or
// standard input when path is "-". It returns the name to report it under
// and its bytes; an input larger than maxInputs is refused. Reading once
// matters: a FIFO or a pipe gives its bytes to one reader only.
func readInput(path string) (name string, b []byte, err error) {
	var r io.Reader
	if path == "-" {
		name, r = stdinName, os.Stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return path, nil, err
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			return path, nil, fmt.Errorf("%s: is a folder, not a dataset", path)
		}
		name, r = path, f
	}
	b, err = io.ReadAll(io.LimitReader(r, maxInputs+1))
	if err != nil {
		return name, nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(b) > maxInputs {
		return name, nil, fmt.Errorf("%s: larger than %d MiB: not a dataset or inputs workbook", name, maxInputs>>20)
	}
	return name, b, nil
}

// loadDatasetBytes reads a dataset from b, named name: an inputs workbook
// or a YAML or JSON file, told apart by name and content.
func loadDatasetBytes(b []byte, name string) (*data.Dataset, error) {
	if isWorkbook(name, b) {
		ds, _, _, err := data.LoadWorkbook(bytes.NewReader(b), name)
		return ds, err
	}
	return data.Load(bytes.NewReader(b), name)
}

// inputs is an inputs workbook as read, with the SHA-256 of its bytes.
type inputs struct {
	path      string
	ds        *data.Dataset
	settings  data.Settings
	scenarios []data.Scenario
	digest    string
}

// maxInputs is the largest inputs file read (data.LoadWorkbook reads no
// more).
const maxInputs = 32 << 20

// loadInputs reads the inputs workbook at path ("-" for standard input).
// The file is only read, and only once.
func loadInputs(path string) (*inputs, error) {
	name, b, err := readInput(path)
	if err != nil {
		return nil, err
	}
	return inputsFrom(b, name)
}

// inputsFrom reads an inputs workbook from its bytes b, named name.
func inputsFrom(b []byte, name string) (*inputs, error) {
	if !isWorkbook(name, b) {
		return nil, fmt.Errorf("%s: not an .xlsx workbook (write one with cybercba template)", name)
	}
	ds, st, scns, err := data.LoadWorkbook(bytes.NewReader(b), name)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	return &inputs{path: name, ds: ds, settings: st, scenarios: scns, digest: hex.EncodeToString(sum[:])}, nil
}

// useWorkbook reads run's dataset, once, when one is named: a workbook's
// Settings then set every flag not given on the command line.
func useWorkbook(fs *flag.FlagSet, o *runOptions) error {
	if o.Dataset == "" {
		return nil
	}
	name, b, err := readInput(o.Dataset)
	if err != nil {
		return &inputError{err}
	}
	if !isWorkbook(name, b) {
		ds, err := data.Load(bytes.NewReader(b), name)
		if err != nil {
			return &inputError{err}
		}
		o.dataset = ds
		return nil
	}
	in, err := inputsFrom(b, name)
	if err != nil {
		return &inputError{err}
	}
	o.dataset = in.ds
	applySettings(fs, o, in.settings)
	return nil
}

// flagsSet returns the names of the flags given on the command line.
func flagsSet(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// applySettings sets every run option whose flag was not given from a
// workbook's Settings.
func applySettings(fs *flag.FlagSet, o *runOptions, s data.Settings) {
	set := flagsSet(fs)
	if !set["scope"] {
		o.Scope = s.Scope
	}
	if !set["draws"] {
		o.Draws = s.Draws
	}
	if !set["years"] {
		o.Years = s.Years
	}
	if !set["seed"] {
		o.Seed = s.Seed
	}
	if !set["horizon"] {
		o.Horizon = s.Horizon
	}
	if !set["discount"] && s.Discount != nil {
		o.Discount = strconv.FormatFloat(*s.Discount, 'g', -1, 64)
	}
	if !set["optimism-bias"] {
		o.Bias = s.OptimismBias
	}
	if !set["budget"] && s.Budget != nil {
		o.Budget = strconv.FormatFloat(*s.Budget, 'f', -1, 64)
	}
	if !set["capex-budget"] && s.CapexBudget != nil {
		o.CapexBudget = strconv.FormatFloat(*s.CapexBudget, 'f', -1, 64)
	}
	if !set["objective"] {
		o.Objective = s.Objective
	}
	if !set["metric"] {
		o.Metric = s.Metric
	}
	if !set["risk-tolerance"] {
		o.RiskTolerance = s.RiskTolerance
	}
}

// parseArgs parses args with fs, letting flags and arguments mix
// ("batch inputs.xlsx -o results.xlsx"), and returns the arguments. After
// "--" every word is an argument. Help asked for goes to stdout; a bad
// flag is a usage error.
func parseArgs(fs *flag.FlagSet, args []string, stdout io.Writer, usage string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args, stdout, usage); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if consumed := args[:len(args)-len(rest)]; len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// sameFile reports whether two paths name one existing file.
func sameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

// problems returns the problems an error joins, one per line.
func problems(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var ie *inputError
		if errors.As(e, &ie) && ie.err != e {
			walk(ie.err)
			return
		}
		out = append(out, e.Error())
	}
	walk(err)
	return out
}
