package model

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"sync"
	"testing"
)

// bulkJobs returns jobs on the test model: some that change only costs,
// budgets, horizon, discount or optimism bias (one loss model), one with
// the threats' rates doubled and one with a control's capex fixed (each
// their own).
func bulkJobs() []Job {
	base := func() *Model { m := testModel(); m.Harm = harmModel().Harm; return m }
	cfg := Config{Draws: 30, Years: 700, Seed: 5, Workers: 1}
	a := Appraisal{Horizon: 10, Discount: GreenBook()}
	opts := func(mod func(*DecideOptions)) DecideOptions {
		o := DecideOptions{Config: cfg, Appraisal: a, Metric: ByNPV, Objective: MaxNPV, Constraints: NoBudget(), DecisionDraws: 300}
		if mod != nil {
			mod(&o)
		}
		return o
	}
	costly := base()
	for i := range costly.Controls {
		c := &costly.Controls[i]
		c.Capex = Estimate{Lo: c.Capex.Lo * 2.5, Hi: c.Capex.Hi * 2.5}
		c.Opex = Estimate{Lo: c.Opex.Lo * 2.5, Hi: c.Opex.Hi * 2.5}
	}
	rates := base()
	for i := range rates.Threats {
		t := &rates.Threats[i]
		t.Rate = Estimate{Lo: t.Rate.Lo * 2, Hi: t.Rate.Hi * 2}
	}
	fixed := base()
	fixed.Controls[1].Capex = Estimate{Lo: fixed.Controls[1].Capex.Hi, Hi: fixed.Controls[1].Capex.Hi}
	return []Job{
		{base(), opts(nil)},
		{costly, opts(nil)},
		{base(), opts(func(o *DecideOptions) { o.Constraints.Annual = 60e3 })},
		{rates, opts(nil)},
		{base(), opts(func(o *DecideOptions) {
			o.Appraisal.Horizon, o.Appraisal.Discount, o.Appraisal.OptimismBias = 5, FlatDiscount(0.07), 0.4
		})},
		{fixed, opts(nil)},
		{base(), opts(func(o *DecideOptions) { o.Appraisal.View = Social; o.Frontier = []float64{} })},
		{base(), opts(func(o *DecideOptions) { o.Appraisal.Horizon = -1 })}, // invalid
	}
}

// TestDecideAllMatchesDecide checks that each job of a bulk run, sharing
// a simulation with the jobs of the same loss model, gets bit for bit the
// decision Decide gives it alone, whatever the workers and whichever jobs
// run; and that an invalid job gets its error.
func TestDecideAllMatchesDecide(t *testing.T) {
	t.Parallel()
	jobs := bulkJobs()
	ctx := context.Background()
	alone := make([]*Decision, len(jobs))
	for i, j := range jobs {
		d, err := Decide(ctx, j.Model, j.Options)
		if i == len(jobs)-1 {
			if err == nil {
				t.Fatal("the invalid job decided")
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		alone[i] = d
	}
	// Shared simulations really are shared: 4 loss models among 7 jobs.
	keys := map[string]bool{}
	for _, j := range jobs[:len(jobs)-1] {
		k, ok := lossKey(j.Model, j.Options.Config)
		if !ok {
			t.Fatal("a job's loss model has no key")
		}
		keys[k] = true
	}
	if len(keys) != 3 {
		t.Errorf("%d loss models among the jobs; want 3 (base, rates doubled, capex fixed)", len(keys))
	}
	for _, tc := range []struct {
		workers int
		run     func(int) bool
	}{
		{1, nil}, {3, nil}, {2, func(i int) bool { return i%2 == 1 }},
	} {
		var mu sync.Mutex
		got := map[int]*Decision{}
		errs := map[int]error{}
		var progress int
		err := DecideAll(ctx, jobs, BulkOptions{Workers: tc.workers, Run: tc.run, Progress: func(done, total int) {
			mu.Lock()
			progress = max(progress, done)
			mu.Unlock()
		}}, func(i int, d *Decision, err error) {
			mu.Lock()
			defer mu.Unlock()
			if _, dup := got[i]; dup {
				t.Errorf("job %d emitted twice", i)
			}
			got[i], errs[i] = d, err
		})
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for i := range jobs {
			if tc.run != nil && !tc.run(i) {
				if _, ok := got[i]; ok {
					t.Errorf("workers %d: job %d ran but was not asked for", tc.workers, i)
				}
				continue
			}
			want++
			if i == len(jobs)-1 {
				if errs[i] == nil {
					t.Errorf("workers %d: the invalid job gave no error", tc.workers)
				}
				continue
			}
			if errs[i] != nil {
				t.Fatalf("workers %d: job %d: %v", tc.workers, i, errs[i])
			}
			if diff := sameBits("", reflect.ValueOf(alone[i]), reflect.ValueOf(got[i])); diff != "" {
				t.Errorf("workers %d: job %d differs from Decide alone: %s", tc.workers, i, diff)
			}
			if diff := sameTable(alone[i].Table, got[i].Table); diff != "" {
				t.Errorf("workers %d: job %d's decision table differs from Decide alone's: %s", tc.workers, i, diff)
			}
		}
		// Jobs 0 and 2 differ only in their budget: one table between them.
		if tc.run == nil && got[0].Table != got[2].Table {
			t.Errorf("workers %d: jobs 0 and 2 (a budget apart) built two decision tables; want one shared", tc.workers)
		}
		if progress != want {
			t.Errorf("workers %d: progress reached %d; want %d", tc.workers, progress, want)
		}
	}
}

// sameBits compares a and b field by field, floats by their bits (so NaN
// equals NaN), following pointers and skipping what names a simulation or
// an option's place in one; it returns the first difference's path.
func sameBits(path string, a, b reflect.Value) string {
	if a.Kind() != b.Kind() {
		return path + ": kinds differ"
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return path + ": nil against non-nil"
			}
			return ""
		}
		// A shared decision table holds the other jobs' portfolios too:
		// sameTable compares a job's own columns in it.
		if a.Type() == reflect.TypeFor[*Sim]() || a.Type() == reflect.TypeFor[*DrawTable]() {
			return ""
		}
		return sameBits(path, a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			name := a.Type().Field(i).Name
			if name == "Option" || !a.Type().Field(i).IsExported() {
				continue
			}
			if d := sameBits(path+"."+name, a.Field(i), b.Field(i)); d != "" {
				return d
			}
		}
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: length %d against %d", path, a.Len(), b.Len())
		}
		for i := range a.Len() {
			if d := sameBits(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i)); d != "" {
				return d
			}
		}
	case reflect.Map:
		if a.Len() != b.Len() {
			return path + ": map sizes differ"
		}
	case reflect.Float64, reflect.Float32:
		if math.Float64bits(a.Float()) != math.Float64bits(b.Float()) {
			return fmt.Sprintf("%s: %v against %v", path, a.Float(), b.Float())
		}
	case reflect.Func:
	default:
		if a.CanInterface() && !reflect.DeepEqual(a.Interface(), b.Interface()) {
			return fmt.Sprintf("%s: %v against %v", path, a.Interface(), b.Interface())
		}
	}
	return ""
}

// TestDecideAllKeepsEachJobsMode checks that two jobs which, alone, keep
// every simulated year still do when they share a simulation whose
// portfolios together pass the memory budget: each gets Decide's own
// results, percentiles included, bit for bit.
func TestDecideAllKeepsEachJobsMode(t *testing.T) {
	t.Parallel()
	m := testModel()
	// The same losses with mfa's running cost ×100: another
	// recommendation, whose portfolios are not among the first job's.
	dear := testModel()
	c := &dear.Controls[3]
	c.Opex = Estimate{Lo: c.Opex.Lo * 100, Hi: c.Opex.Hi * 100}
	cfg := Config{Draws: 20, Years: 500, Seed: 9, Workers: 1}
	a := Appraisal{Horizon: 10, Discount: GreenBook()}
	jobs := []Job{
		{m, DecideOptions{Config: cfg, Appraisal: a, Constraints: NoBudget(), DecisionDraws: 300}},
		{dear, DecideOptions{Config: cfg, Appraisal: a, Constraints: NoBudget(), DecisionDraws: 300}},
	}
	var alone []*Decision
	most := 0
	for _, j := range jobs {
		p, err := planDecision(context.Background(), j.Model, j.Options)
		if err != nil {
			t.Fatal(err)
		}
		most = max(most, len(p.options())+1)
	}
	// A budget that fits either job's options, not both jobs' together.
	budget := int64(streamBytes(m, most, cfg.Draws, cfg.Years)) + 1
	for i := range jobs {
		jobs[i].Options.Config.MemoryBudget = budget
		d, err := Decide(context.Background(), jobs[i].Model, jobs[i].Options)
		if err != nil {
			t.Fatal(err)
		}
		if d.Sim.Streaming() {
			t.Fatalf("job %d streams alone: the test's budget is wrong", i)
		}
		alone = append(alone, d)
	}
	got := make([]*Decision, len(jobs))
	err := DecideAll(context.Background(), jobs, BulkOptions{Workers: 2}, func(i int, d *Decision, err error) {
		if err != nil {
			t.Error(err)
		}
		got[i] = d
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got[0].Sim.Options); n <= most || !chooseStreaming(m, n, jobs[0].Options.Config) {
		t.Fatalf("the shared simulation holds %d options against one job's %d, within the budget: the test checks nothing", n, most)
	}
	for i := range jobs {
		if diff := sameBits("", reflect.ValueOf(alone[i]), reflect.ValueOf(got[i])); diff != "" {
			t.Errorf("job %d differs from Decide alone: %s", i, diff)
		}
	}
}

// sameTable reports where table b, perhaps shared with other jobs, differs
// from a, a job's own, in a's options' columns and the inputs' draws.
func sameTable(a, b *DrawTable) string {
	if a.Draws != b.Draws || a.Seed != b.Seed {
		return "draws or seed"
	}
	for o, p := range a.Options {
		q := b.Option(p)
		if q < 0 {
			return fmt.Sprintf("option %v missing", p)
		}
		for name, col := range map[string][][]float64{"ALE": a.ALE, "PVCost": a.PVCost, "NPV": a.NPV, "DeltaALE": a.DeltaALE, "DecisionPVCost": a.DecisionPVCost} {
			other := map[string][][]float64{"ALE": b.ALE, "PVCost": b.PVCost, "NPV": b.NPV, "DeltaALE": b.DeltaALE, "DecisionPVCost": b.DecisionPVCost}[name]
			if d := sameBits(fmt.Sprintf("%s[%v]", name, p), reflect.ValueOf(col[o]), reflect.ValueOf(other[q])); d != "" {
				return d
			}
		}
		if a.SocialNPV != nil {
			if d := sameBits(fmt.Sprintf("SocialNPV[%v]", p), reflect.ValueOf(a.SocialNPV[o]), reflect.ValueOf(b.SocialNPV[q])); d != "" {
				return d
			}
		}
	}
	return sameBits("Values", reflect.ValueOf(a.Values), reflect.ValueOf(b.Values))
}
