package main

import (
	"flag"
	"fmt"
	"strings"
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

// suggest returns the candidate nearest to name, or "" when none is near
// enough to be a slip: at most one edit (a letter added, dropped, changed,
// or two swapped) for names of up to four letters, two for longer ones; or
// a unique candidate that name begins, when name has three letters or more.
func suggest(name string, candidates []string) string {
	best, bestD := "", 1<<30
	limit := 1
	if len([]rune(name)) > 4 {
		limit = 2
	}
	var prefixed []string
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(name), c); d < bestD {
			best, bestD = c, d
		}
		if len(name) >= 3 && strings.HasPrefix(c, strings.ToLower(name)) {
			prefixed = append(prefixed, c)
		}
	}
	switch {
	case bestD <= limit:
		return best
	case len(prefixed) == 1:
		return prefixed[0]
	}
	return ""
}

// editDistance is the optimal-string-alignment distance between a and b:
// the fewest insertions, deletions, substitutions and swaps of adjacent
// letters that turn one into the other.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

// unknownCommand is the error for a command run does not know.
func unknownCommand(cmd string) error {
	msg := fmt.Sprintf("unknown command %q", cmd)
	if s := suggest(cmd, commands); s != "" {
		msg += fmt.Sprintf(": did you mean %q?", s)
	}
	return &hinted{&usageError{msg}, shortUsage}
}

// flagSuggestion returns ": did you mean --name?" for an error of fs.Parse
// about a flag it does not define, when one of its flags is near, or "".
func flagSuggestion(fs *flag.FlagSet, err error) string {
	const prefix = "flag provided but not defined: -"
	name, ok := strings.CutPrefix(err.Error(), prefix)
	if !ok {
		return ""
	}
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if s := suggest(strings.TrimLeft(name, "-"), names); s != "" {
		return ": did you mean --" + s + "?"
	}
	return ""
}
