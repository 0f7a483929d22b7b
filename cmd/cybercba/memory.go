package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/reports"
)

// machineBytes returns the memory this process may use: the smaller of the
// memory the machine has available and its control group's limit (a
// container's), or 0 when neither can be read.
func machineBytes() int64 {
	var best int64
	take := func(v int64) {
		if v > 0 && (best == 0 || v < best) {
			best = v
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) >= 2 && f[0] == "MemAvailable:" {
				if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
					take(kb << 10)
				}
			}
		}
	}
	for _, p := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if b, err := os.ReadFile(p); err == nil {
			if v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && v < 1<<60 {
				take(v)
			}
		}
	}
	return best
}

// checkMemory refuses a run whose estimated memory exceeds --max-memory,
// or the machine's memory, saying what it would need and what to change;
// a run that fits gets the limit as the Go runtime's soft memory limit, so
// that the collector keeps the heap under it.
func checkMemory(j *job, maxMemory string) error {
	limit, what := machineBytes(), "the machine's memory"
	if maxMemory != "" {
		v, err := data.ParseBytes(maxMemory)
		if err != nil {
			return &inputError{fmt.Errorf("--max-memory: %w", err)}
		}
		limit, what = v, "--max-memory"
	}
	if limit <= 0 {
		return nil
	}
	if err := j.CheckMemory(limit, what); err != nil {
		return &inputError{err}
	}
	debug.SetMemoryLimit(limit)
	return nil
}

// announce writes, before a long run, how long its simulation should take
// and how much memory it needs (see data.Job.Announcement), and has the job
// say how long its decision table should take once its portfolios are
// known (data.TableAnnouncement); quiet runs say nothing.
func announce(ctx context.Context, j *job, stderr io.Writer, quiet bool) error {
	if quiet {
		return nil
	}
	j.Announce = func(msg string) { fmt.Fprintln(reports.Wrap(stderr, termWidth(stderr)), "cybercba: "+msg) }
	msg, err := j.Announcement(ctx)
	if msg != "" {
		fmt.Fprintln(stderr, "cybercba: "+msg)
	}
	return err
}
