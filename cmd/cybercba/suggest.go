package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/cybercba/cybercba/data"
)

// commands are the command names run knows, for "did you mean".
var commands = []string{"run", "calibrate", "sensitivity", "template", "validate", "batch", "merge", "reproduce", "help", "version"}

// shortUsage is the list of commands printed under a usage error, so that
// the error comes first and the screen does not fill.
const shortUsage = `Usage: cybercba <command> [flags] [dataset]
Commands: run, calibrate, sensitivity, template, validate, batch, merge, reproduce, help.
Run "cybercba help" for what each does, "cybercba help <command>" for its flags.
`

// hinted is a usage error with lines to print after it.
type hinted struct {
	*usageError
	hint string
}

func (e *hinted) Unwrap() error { return e.usageError }

// unknownCommand is the error for a command run does not know.
func unknownCommand(cmd string) error {
	msg := fmt.Sprintf("unknown command %q", cmd)
	if s := data.Nearest(cmd, commands); s != "" {
		msg += fmt.Sprintf(": did you mean %q?", s)
	}
	return &hinted{&usageError{msg}, shortUsage}
}

// flagSuggestion returns ": did you mean --name?" for an error of fs.Parse
// about a flag it does not define, when one of its flags is near, or "".
func flagSuggestion(fs *flag.FlagSet, err error) string {
	if strings.HasPrefix(err.Error(), `invalid value "" for flag`) {
		return ": the value is empty; if it came from a variable, such as --workers \"$SLURM_CPUS_PER_TASK\" in a job without --cpus-per-task, that variable is unset (give a default: ${SLURM_CPUS_PER_TASK:-1})"
	}
	const prefix = "flag provided but not defined: -"
	name, ok := strings.CutPrefix(err.Error(), prefix)
	if !ok {
		return ""
	}
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if s := data.Nearest(strings.TrimLeft(name, "-"), names); s != "" {
		return ": did you mean --" + s + "?"
	}
	return ""
}
