package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/cybercba/cybercba/data"
)

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

// maxInputs is the largest inputs file read (data.LoadWorkbook reads no
// more).
const maxInputs = 32 << 20

// loadInputs reads the inputs workbook at path ("-" for standard input).
// The file is only read, and only once.
func loadInputs(path string) (*data.Inputs, error) {
	name, b, err := readInput(path)
	if err != nil {
		return nil, err
	}
	return data.ReadInputs(b, name)
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
	if !data.IsWorkbook(name, b) {
		ds, err := data.LoadBytes(b, name)
		if err != nil {
			return &inputError{err}
		}
		o.dataset = ds
		return nil
	}
	in, err := data.ReadInputs(b, name)
	if err != nil {
		return &inputError{err}
	}
	o.dataset = in.Dataset
	given := flagsSet(fs)
	o.ApplySettings(in.Settings, func(name string) bool { return given[name] })
	return nil
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

// flagsSet returns the names of the flags given on the command line.
func flagsSet(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}
