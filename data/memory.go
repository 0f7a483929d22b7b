package data

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cybercba/cybercba/model"
)

// overheadBytes is the memory a run takes beyond its simulations: the
// program, the dataset, the appraisals and the reports.
const overheadBytes = 64 << 20

// Bytes estimates the memory a run holds at its peak: its one
// simulation (model.Decide simulates the baseline, every control alone,
// the chosen portfolio, its build-up, at most one step a control, and the
// frontier's portfolios in one pass), the ΔTVaR search's sample besides,
// with the configuration cfg.
func (j *Job) Bytes(cfg model.Config) int64 {
	m := j.Model
	C := len(m.Controls)
	options := 2*C + 1
	if j.Frontier != nil {
		options += max(len(j.Frontier), 41)
	}
	b := model.SimBytes(m, options, cfg) + overheadBytes
	if j.Objective == model.MaxDeltaTVaR {
		b += 200 << 20 // the ΔTVaR sample's cap
	}
	return b
}

// ParseBytes reads a memory size: 512M, 8G, 1.5GiB, or a number of bytes.
func ParseBytes(s string) (int64, error) {
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

// fitting returns the largest n ≤ at, set into the run's configuration by
// set, for which the run fits in limit, or 0 if none does.
func fitting(j *Job, limit int64, set func(*model.Config, int), at int) int {
	fits := func(n int) bool {
		cfg := j.Config
		set(&cfg, n)
		return j.Bytes(cfg) <= limit
	}
	if !fits(1) {
		return 0
	}
	lo, hi := 1, at // fits(lo), and hi does not
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if fits(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// GiB writes bytes in GiB (or MiB below one GiB).
func GiB(b int64) string {
	if b < 1<<30 {
		return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
}

// Roughly writes a duration to two significant figures: 45 s, 3.5 min,
// 1.2 h.
func Roughly(d time.Duration) string {
	s := d.Seconds()
	switch {
	case s < 100:
		return fmt.Sprintf("%.2g s", s)
	case s < 100*60:
		return fmt.Sprintf("%.2g min", s/60)
	default:
		return fmt.Sprintf("%.2g h", s/3600)
	}
}

// CheckMemory returns an error when the run would need more memory than
// limit (named what, e.g. "--max-memory"), saying what it would need and
// what to change.
func (j *Job) CheckMemory(limit int64, what string) error {
	need := j.Bytes(j.Config)
	if need <= limit {
		return nil
	}
	cfg := j.Config
	options := len(j.Model.Controls) + 1
	hint := fmt.Sprintf("the program alone needs about %s", GiB(overheadBytes))
	if d := fitting(j, limit, func(cfg *model.Config, n int) { cfg.Draws = n }, cfg.Draws); d >= 1 && cfg.Draws > 1 {
		hint = fmt.Sprintf("use at most about --draws %d at --years %d, or fewer controls", d, cfg.Years)
	} else if y := fitting(j, limit, func(cfg *model.Config, n int) { cfg.Years = n }, cfg.Years); y >= 1 {
		hint = fmt.Sprintf("use at most about --years %d at --draws %d, or fewer controls", y, cfg.Draws)
	}
	if cfg.TargetSE > 0 {
		hint += " (--target-se may grow the draws 100-fold: a smaller --draws or a larger --target-se)"
	}
	return fmt.Errorf("--draws × --years: the run would need about %s of memory (%d draws × %d years, %d controls), more than %s, %s: %s",
		GiB(need), cfg.Draws, cfg.Years, options-1, what, GiB(limit), hint)
}

// announceYears is the size of run, in simulated years, from which a run
// estimates its time before it starts.
const announceYears = 2_000_000

// AnnounceAfter is the estimated time from which a run says how long it
// should take.
var AnnounceAfter = 10 * time.Second

// Announcement says, for a run of announceYears or more, how long its
// simulation should take on this machine (from a pilot of a few thousand
// of its years, see model.EstimateDuration) and how much memory it needs,
// when the time is AnnounceAfter or more; else it returns "".
func (j *Job) Announcement(ctx context.Context) (string, error) {
	if int64(j.Config.Draws)*int64(j.Config.Years) < announceYears {
		return "", nil
	}
	options := len(j.Model.Controls) + 2 // the singles, the recommendation and a build-up step
	if j.Frontier != nil {
		options += len(j.Model.Controls)
	}
	d, err := model.EstimateDuration(ctx, j.Model, options, j.Config)
	if err != nil || d < AnnounceAfter {
		return "", err
	}
	return fmt.Sprintf("this run should take about %s and %s of memory (%s draws × %s years, %d controls; estimated from a pilot)",
		Roughly(d), GiB(j.Bytes(j.Config)), count(j.Config.Draws), count(j.Config.Years), len(j.Model.Controls)), nil
}

// count writes n with thousands separators.
func count(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TableAnnouncement says, when the decision table is estimated to take
// AnnounceAfter or more, how long it should take; else it returns "".
// The table's cost grows with the portfolios and the controls they hold
// (a run of thousands of controls spent minutes there after the
// simulation's estimate and progress bar had finished).
func TableAnnouncement(e model.StageEstimate) string {
	if e.Table < AnnounceAfter {
		return ""
	}
	return fmt.Sprintf("after simulating, tabulating %s decision draws of %s portfolios (%s controls in all) should take about %s (estimated from a pilot)",
		count(e.TableDraws), count(e.Portfolios), count(e.Members), Roughly(e.Table))
}

// announceTable returns the Announce callback of the job's decision, or
// nil when the job announces nothing.
func (j *Job) announceTable() func(model.StageEstimate) {
	if j.Announce == nil {
		return nil
	}
	return func(e model.StageEstimate) {
		if msg := TableAnnouncement(e); msg != "" {
			j.Announce(msg)
		}
	}
}
