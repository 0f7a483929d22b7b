// Command cybercba appraises cyber-security investments for hospitals: it
// simulates what attacks cost, what each control saves, and which are worth
// their price.
//
// Usage:
//
//	cybercba run [flags] [dataset.yaml]   rank the controls of a scope
//	cybercba calibrate [flags] [dataset.yaml]   fit outage costs to WannaCry
//	cybercba help [command]
//
// With no dataset, the embedded NHS default is used. Examples:
//
//	cybercba run
//	cybercba run --scope acute-trust --horizon 5 --draws 400
//	cybercba run --json > results.json
//	cybercba calibrate
//
// Exit codes: 0 success, 1 the run failed, 2 bad usage (an unknown flag or
// command), 3 invalid input (the dataset or a flag's value).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	exitInput   = 3
)

// usageError is bad usage: an unknown command or flag.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// inputError is invalid input: a dataset or a flag value.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode reports err on stderr and maps it to the documented exit code.
func exitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	fmt.Fprintf(stderr, "cybercba: %v\n", err)
	var ue *usageError
	var ie *inputError
	switch {
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &ie):
		return exitInput
	}
	return exitFailure
}

const topUsage = `cybercba appraises cyber-security investments for hospitals.

Usage:
  cybercba run [flags] [dataset.yaml]        rank the controls of a scope
  cybercba calibrate [flags] [dataset.yaml]  fit outage costs to WannaCry
  cybercba help [command]                    show a command's flags

With no dataset, the embedded NHS default is used.

Examples:
  cybercba run
  cybercba run --scope acute-trust --horizon 5
  cybercba calibrate

Exit codes: 0 ok, 1 run failure, 2 bad usage, 3 invalid input.
`

// run is the whole program: it parses args and writes to stdout and stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, topUsage)
		return &usageError{"no command given"}
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "run":
		return runRun(ctx, rest, stdout, stderr)
	case "calibrate":
		return runCalibrate(ctx, rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		if len(rest) > 0 && rest[0] != "help" {
			return run(ctx, []string{rest[0], "-h"}, stdout, stderr)
		}
		fmt.Fprint(stdout, topUsage)
		return nil
	case "version", "--version":
		fmt.Fprintln(stdout, "cybercba", version())
		return nil
	default:
		fmt.Fprint(stderr, topUsage)
		return &usageError{fmt.Sprintf("unknown command %q", cmd)}
	}
}

// parseFlags parses args with fs, turning flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err.Error()}
	}
	return nil
}

// version returns the module version, or the VCS revision of a development
// build.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	if v != "" && v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return "devel"
	}
	return "devel-" + rev + dirty
}
