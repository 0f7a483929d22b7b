// Command cybercba appraises cyber-security investments for hospitals: it
// simulates what attacks cost, what each control saves, and which are worth
// their price.
//
// Usage:
//
//	cybercba run [flags] [dataset.yaml]   rank the controls of a scope
//	cybercba calibrate [flags] [dataset.yaml]   fit outage costs to WannaCry
//	cybercba sensitivity [flags] [dataset.yaml] which inputs drive the answer
//	cybercba template [flags] [dataset.yaml]   write the inputs as a workbook
//	cybercba validate inputs.xlsx|dataset.yaml  list every problem of the inputs
//	cybercba batch [flags] inputs.xlsx         run every scenario row
//	cybercba merge [flags] part.xlsx...        join the parts of a sharded batch
//	cybercba help [command]
//
// With no dataset, the embedded NHS default is used; a dataset is YAML,
// JSON or an inputs workbook (.xlsx), and - reads it from standard input.
// Examples:
//
//	cybercba run
//	cybercba run --scope acute-trust --horizon 5 --draws 400
//	cybercba run --json > results.json
//	cybercba calibrate
//	cybercba sensitivity --scope acute-trust
//	cybercba template -o inputs.xlsx
//	cybercba validate inputs.xlsx
//	cybercba batch inputs.xlsx -o results.xlsx
//
// Exit codes: 0 success, 1 the run failed (for batch: some scenarios
// failed; the results are still written), 2 bad usage (the command line
// cannot be parsed: an unknown command or flag, a flag without its value
// or with one not of its type, such as --draws ten, a word that is not
// one of the flag's choices, such as --view socail, or the wrong number of
// files), 3 invalid input (a line that parses but a value the command
// then refuses, such as --draws 0 or --max-memory lots, or a file that
// fails validation), 130 stopped
// by SIGINT (Ctrl-C), 143 stopped by SIGTERM (as Kubernetes and Slurm stop
// a job). A stopped run writes nothing new and leaves no temporary files.
package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/reports"
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
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	var got atomic.Pointer[os.Signal]
	go func() {
		s := <-sigs
		got.Store(&s)
		cancel()
		// The run stops at its next check of ctx; if it has not within
		// stopGrace, or a second signal comes, it stops now.
		select {
		case <-sigs:
		case <-time.After(stopGrace):
		}
		stopNow(s, os.Stderr)
	}()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if s := got.Load(); s != nil && err != nil {
		stopNow(*s, os.Stderr)
	}
	exiting.Lock() // not unlocked: the process ends
	os.Exit(exitCode(err, os.Stderr))
}

// stopGrace is how long a signalled run has to stop by itself.
const stopGrace = 700 * time.Millisecond

// exiting is held by whoever ends the process: a run that finishes, or a
// signal that stops it, whichever comes first.
var exiting sync.Mutex

// stopNow ends a run stopped by the signal s: it removes its temporary
// files, says so on stderr in one line and exits 128 + the signal's
// number (130 for SIGINT, 143 for SIGTERM), as a shell reports a process
// the signal killed.
func stopNow(s os.Signal, stderr io.Writer) {
	exiting.Lock() // not unlocked: the process ends
	written := temps.stop()
	fmt.Fprintln(stderr, stoppedMessage(s, written))
	os.Exit(signalExit(s))
}

// stoppedMessage is the line a run stopped by s prints; written lists what
// it had put in place before.
func stoppedMessage(s os.Signal, written []string) string {
	name := s.String()
	if n, ok := s.(syscall.Signal); ok {
		switch n {
		case syscall.SIGINT:
			name = "SIGINT"
		case syscall.SIGTERM:
			name = "SIGTERM"
		}
	}
	if len(written) == 0 {
		return fmt.Sprintf("cybercba: stopped by %s; nothing written", name)
	}
	return fmt.Sprintf("cybercba: stopped by %s; written before it stopped: %s", name, strings.Join(written, ", "))
}

// signalExit is the exit code of a run stopped by s: 128 + its number.
func signalExit(s os.Signal) int {
	if n, ok := s.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return exitFailure
}

// exitCode reports err on stderr and maps it to the documented exit code.
func exitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	// Escaped: a file name or value from the command line or a file
	// cannot rewrite the terminal.
	fmt.Fprintf(reports.Wrap(stderr, termWidth(stderr)), "cybercba: %s\n", data.Escape(err.Error()))
	if h, ok := err.(*hinted); ok {
		fmt.Fprint(stderr, h.hint)
	}
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

// run is the whole program: it parses args and writes to stdout and stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	out := &checkedWriter{w: stdout}
	err := command(ctx, args, out, stderr)
	if out.err != nil && (err == nil || errors.Is(err, flag.ErrHelp)) {
		return fmt.Errorf("writing to standard output: %w", out.err)
	}
	return err
}

// command runs the command args name.
func command(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return &hinted{&usageError{"no command given"}, shortUsage}
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "run":
		return runRun(ctx, rest, stdout, stderr)
	case "calibrate":
		return runCalibrate(ctx, rest, stdout, stderr)
	case "sensitivity":
		return runSensitivity(ctx, rest, stdout, stderr)
	case "reproduce":
		return runReproduce(ctx, rest, stdout, stderr)
	case "template":
		return runTemplate(ctx, rest, stdout, stderr)
	case "validate":
		return runValidate(ctx, rest, stdout, stderr)
	case "batch":
		return runBatchCmd(ctx, rest, stdout, stderr)
	case "merge":
		return runMerge(ctx, rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		if len(rest) > 0 && rest[0] != "help" {
			return run(ctx, []string{rest[0], "-h"}, stdout, stderr)
		}
		fmt.Fprint(stdout, usage("top"))
		return nil
	case "version", "--version":
		fmt.Fprintln(stdout, "cybercba", version())
		return nil
	default:
		return unknownCommand(cmd)
	}
}

// parseFlags parses args with fs. Help asked for goes to stdout; a bad flag
// is a usage error, reported once by main.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer, usage string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			printFlags(stdout, fs)
			return err
		}
		return &usageError{fmt.Sprintf("%s: %v%s (see cybercba %s -h)", fs.Name(), err, flagSuggestion(fs, err), fs.Name())}
	}
	return nil
}

// printFlags lists fs's flags GNU style, --name value, with defaults.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if name != "" {
			line += " " + name
		}
		fmt.Fprintf(w, "%s\n    \t%s", line, strings.ReplaceAll(usage, "\n", "\n    \t"))
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
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

// checkSymbol refuses a --currency-symbol that cannot be one
// (data.CheckSymbol): invalid input, as a value out of range is.
func checkSymbol(s string) error {
	if err := data.CheckSymbol(s); err != nil {
		return &inputError{fmt.Errorf("--currency-symbol: %w", err)}
	}
	return nil
}

// currencyUsage is the help text of --currency-symbol.
const currencyUsage = "`symbol` written before amounts of money, e.g. € or \"CHF \" (default: the dataset's currency's, £ for GBP, € for EUR, $ for USD, else the code)"

// helpTexts are the commands' help texts, help/<command>.txt ("top" for
// cybercba help).
//
//go:embed help
var helpTexts embed.FS

// usage returns the help text of the command name.
func usage(name string) string {
	b, err := helpTexts.ReadFile("help/" + name + ".txt")
	if err != nil {
		panic(err) // a command without its help file: a build error
	}
	return string(b)
}
