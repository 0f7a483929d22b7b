package model

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

// manyControls is a generated model of many controls (issue 27's case 10:
// 2,000 controls ran over 300 s with no estimate, and a bar sitting at
// 99%), with a build-up of many prefixes.
func manyControls(threats, controls int) *Model {
	return randomModel(rand.New(rand.NewPCG(27, 10)), threats, controls, false, false)
}

// TestStagesAdvance is issue 27's case 10: Decide names each stage as it
// starts, and the progress callback receives advancing counts through the
// stages after the simulation (the decision table, block by block; the
// sensitivity analysis, step by step), each reaching its total, rather
// than nothing after the simulation's last draw.
func TestStagesAdvance(t *testing.T) {
	t.Parallel()
	m := manyControls(6, 12) // sensitivity's switching values re-optimise: kept small
	type event struct {
		stage       string
		done, total int
	}
	var mu sync.Mutex
	var events []event
	stage := ""
	var announced []StageEstimate
	o := DecideOptions{
		Config: Config{Draws: 4, Years: 100, Seed: 1, Workers: 2,
			Stage: func(name string) { mu.Lock(); stage = name; mu.Unlock() },
			Progress: func(done, total int) {
				mu.Lock()
				events = append(events, event{stage, done, total})
				mu.Unlock()
			}},
		Appraisal: Appraisal{Horizon: 10, Discount: GreenBook()}, Objective: MaxNPV, Constraints: NoBudget(),
		Explain: true, Sensitivity: true, Top: 2, DecisionDraws: 4 * drawBlock,
		Announce: func(e StageEstimate) { announced = append(announced, e) },
	}
	d, err := Decide(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	var stages []string
	byStage := map[string][]event{}
	for _, e := range events {
		if len(stages) == 0 || stages[len(stages)-1] != e.stage {
			stages = append(stages, e.stage)
		}
		byStage[e.stage] = append(byStage[e.stage], e)
	}
	want := []string{StageSimulate, StageTable, StageSensitivity}
	if !slices.Equal(stages[len(stages)-3:], want) {
		t.Errorf("stages reported with progress %q; want them to end %q", stages, want)
	}
	for _, s := range []string{StageTable, StageSensitivity} {
		ev := byStage[s]
		if len(ev) < 3 {
			t.Errorf("%s: %d progress calls %v; want at least 3", s, len(ev), ev)
			continue
		}
		last := ev[len(ev)-1]
		slices.SortFunc(ev, func(a, b event) int { return a.done - b.done })
		if ev[0].done >= last.total || ev[len(ev)-1].done != ev[0].total {
			t.Errorf("%s: progress %v; want counts advancing to the total", s, ev)
		}
	}
	if n := byStage[StageTable]; len(n) > 0 && n[len(n)-1].total != 4 {
		t.Errorf("table progress total %d; want 4 blocks of draws", n[len(n)-1].total)
	}
	if len(announced) != 1 || announced[0].Portfolios < len(m.Controls) || announced[0].Members < len(m.Controls)+len(d.Portfolio.Choice.Portfolio) || announced[0].Table <= 0 || announced[0].TableDraws != 4*drawBlock {
		t.Errorf("announced %+v; want one estimate of the table, %d draws, at least %d portfolios", announced, 4*drawBlock, len(m.Controls))
	}
}

// TestScaleTable checks the table estimate's arithmetic: linear in the
// draws.
func TestScaleTable(t *testing.T) {
	t.Parallel()
	if got := scaleTable(128*time.Millisecond, 128, 10_000); got != 10*time.Second {
		t.Errorf("scaleTable: %v; want 10s", got)
	}
}

// TestEstimateTableAccuracy is issue 27's case 10: with many controls the
// decision table outlasts the simulation, and its estimate from a pilot
// of 128 draws is within a factor of 2 of the time measured, for a
// generated model of 120 controls whose recommendation builds up over
// dozens of prefixes. Long tier: it times a table of 10,000 draws.
func TestEstimateTableAccuracy(t *testing.T) {
	skipUnlessLong(t, "times a decision table of 10,000 draws")
	m := manyControls(30, 120)
	o := DecideOptions{Config: Config{Draws: 10, Years: 100, Seed: 1}, Appraisal: Appraisal{Horizon: 10, Discount: GreenBook()},
		Objective: MaxNPV, Constraints: NoBudget(), Explain: true}
	p, err := planDecision(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	e, err := p.estimate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := newDrawTable(context.Background(), m, o.Appraisal, append([]Portfolio{{}}, p.options()...), e.TableDraws, 1, 0); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	ratio := float64(e.Table) / float64(took)
	t.Logf("%d portfolios holding %d controls, %d draws: estimated %v, took %v (ratio %.2f)", e.Portfolios, e.Members, e.TableDraws, e.Table, took, ratio)
	if ratio < 0.5 || ratio > 2 {
		t.Errorf("estimated %v, took %v: want within a factor of 2", e.Table, took)
	}
}
