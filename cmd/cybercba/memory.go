package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/cybercba/cybercba/model"
)

// overheadBytes is the memory a run takes beyond its simulations: the
// program, the dataset, the appraisals and the reports.
const overheadBytes = 64 << 20

// runBytes estimates the memory a run holds at its peak: the analysis's
// simulation (the baseline and every control alone), the recommended
// portfolio's, and, with a budget or frontier, the chosen portfolios'
// (the ΔTVaR search's sample besides), all alive at once.
func runBytes(j *job) int64 {
	m, cfg := j.model, j.cfg
	b := model.SimBytes(m, len(m.Controls), cfg) + model.SimBytes(m, 1, cfg) + overheadBytes
	if j.choose {
		points := 1
		if j.frontier != nil {
			points += max(len(j.frontier), 21)
		}
		b += model.SimBytes(m, points, cfg)
		if j.objective == model.MaxDeltaTVaR {
			b += 200 << 20 // the ΔTVaR sample's cap
		}
	}
	return b
}

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

// parseBytes reads a memory size: 512M, 8G, 1.5GiB, or a number of bytes.
func parseBytes(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "IB"), "B")
	mult := 1.0
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'K':
			mult = 1 << 10
		case 'M':
			mult = 1 << 20
		case 'G':
			mult = 1 << 30
		case 'T':
			mult = 1 << 40
		}
		if mult != 1 {
			t = t[:n-1]
		}
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
	if err != nil || !(v > 0) || v*mult > 1<<62 {
		return 0, fmt.Errorf("want a memory size such as 512M or 8G, got %q", s)
	}
	return int64(v * mult), nil
}

// gib writes bytes in GiB (or MiB below one GiB).
func gib(b int64) string {
	if b < 1<<30 {
		return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
}

// checkMemory refuses a run whose estimated memory exceeds --max-memory,
// or the machine's memory, saying what it would need and what to change;
// a run that fits gets the limit as the Go runtime's soft memory limit, so
// that the collector keeps the heap under it.
func checkMemory(j *job, maxMemory string) error {
	limit, what := machineBytes(), "the machine's memory"
	if maxMemory != "" {
		v, err := parseBytes(maxMemory)
		if err != nil {
			return &inputError{fmt.Errorf("--max-memory: %w", err)}
		}
		limit, what = v, "--max-memory"
	}
	if limit <= 0 {
		return nil
	}
	need := runBytes(j)
	if need > limit {
		cfg := j.cfg
		options := len(j.model.Controls) + 1
		ratio := float64(limit-overheadBytes) / float64(need-overheadBytes)
		hint := fmt.Sprintf("use at most about --draws %d at --years %d", int64(float64(cfg.Draws)*ratio), cfg.Years)
		if d := int64(float64(cfg.Draws) * ratio); d < 2 {
			hint = fmt.Sprintf("use at most about --years %d at --draws %d", max(int64(float64(cfg.Years)*ratio), 1), cfg.Draws)
		}
		if cfg.TargetSE > 0 {
			hint += " (--target-se may grow the draws 100-fold: a smaller --draws or a larger --target-se)"
		}
		return &inputError{fmt.Errorf("--draws × --years: the run would need about %s of memory (%d draws × %d years × %d options × 8 bytes, and the rest), more than %s, %s: %s, or fewer controls",
			gib(need), cfg.Draws, cfg.Years, options, what, gib(limit), hint)}
	}
	debug.SetMemoryLimit(limit)
	return nil
}
