package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/cybercba/cybercba/model"
)

// TestProgressStages is issue 27's case 10 on the terminal: a new stage
// starts the bar again under its name, at zero, and its steps advance it
// to its own total (the bar sat at 99% after the simulation); a nil
// Progress (not a terminal, or --quiet) does nothing.
func TestProgressStages(t *testing.T) {
	var buf bytes.Buffer
	p := &Progress{w: &buf}
	p.start(model.StageSimulate, 200)
	p.Step(200, 200)
	p.Stage(model.StageTable)
	if p.what != model.StageTable || p.high != 0 {
		t.Fatalf("after Stage: %q at %d; want %q at 0", p.what, p.high, model.StageTable)
	}
	for k := 1; k <= 40; k++ {
		p.Step(k, 40)
	}
	if p.high != 40 || p.max != 40 {
		t.Errorf("table stage at %d of %d; want 40 of 40", p.high, p.max)
	}
	if !strings.Contains(buf.String(), model.StageTable) {
		t.Errorf("the bar never showed %q", model.StageTable)
	}
	var said []string
	p.Wrap(func(msg string) { said = append(said, msg) })("estimate")
	if len(said) != 1 {
		t.Errorf("Wrap: said %q", said)
	}
	var none *Progress
	none.Step(1, 2)
	none.Stage("x")
	if step, stage := none.Funcs(); step != nil || stage != nil {
		t.Error("a nil Progress gives callbacks")
	}
	if NewProgress(&buf, false, "x", 1) != nil {
		t.Error("a bar on a buffer, not a terminal")
	}
}
