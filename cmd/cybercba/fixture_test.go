package main

import (
	"strings"
	"sync"
	"testing"
)

// runCache holds the results of runs made through cachedRun, by command
// line.
var runCache sync.Map // string → *cachedResult

type cachedResult struct {
	once sync.Once
	r    result
}

// cachedRun is cybercba for a run whose output several tests read (the
// agreement tests' JSON): the first call with a command line runs it, and
// later calls with the same command line, in any test of the process, get
// the same exit code, stdout and stderr. Use it only for runs without
// files (--no-files) whose output is a function of the command line, and
// never in a test of that (determinism, repeatability): the cache would
// make it pass by construction.
func cachedRun(t *testing.T, args ...string) result {
	t.Helper()
	v, _ := runCache.LoadOrStore(strings.Join(args, "\x00"), &cachedResult{})
	c := v.(*cachedResult)
	c.once.Do(func() { c.r = cybercba(t, args...) })
	return c.r
}
