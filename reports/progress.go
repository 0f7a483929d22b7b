package reports

import (
	"io"
	"os"
	"sync"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Progress is a progress bar on a terminal, in stages: each stage (a
// model.Config.Stage name) starts the bar again under its own name and
// count, so that the work after the simulation (the decision table, the
// explanation, the sensitivity analysis) shows as it advances rather than
// as a bar stalled at 99%. Its methods are safe for concurrent use, and do
// nothing on a nil Progress.
type Progress struct {
	mu        sync.Mutex
	w         io.Writer
	bar       *progressbar.ProgressBar
	what      string
	high, max int
}

// NewProgress returns a bar described what, counting total steps, on
// stderr when it is a terminal and quiet is not set; else nil.
func NewProgress(stderr io.Writer, quiet bool, what string, total int) *Progress {
	f, ok := stderr.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	p := &Progress{w: stderr}
	p.start(what, total)
	return p
}

// start draws a new bar described what, of total steps.
func (p *Progress) start(what string, total int) {
	if p.bar != nil {
		p.bar.Finish()
	}
	p.what, p.high, p.max = what, 0, total
	p.bar = progressbar.NewOptions(max(total, 1),
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSetRenderBlankState(true), // shown from the start, not from the first step
	)
}

// Step reports done of total steps of the current stage (a total beyond
// the bar's grows it: --target-se adds draws).
func (p *Progress) Step(done, total int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil { // after Done
		return
	}
	if total > p.max {
		p.max = total
		p.bar.ChangeMax(total)
	}
	if done > p.high {
		p.high = done
		p.bar.Set(done)
	}
}

// Stage starts a new stage named name, its count known at its first step.
func (p *Progress) Stage(name string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if name != p.what && p.bar != nil {
		p.start(name, 1)
	}
}

// Done clears the bar from the terminal once the work it follows has
// ended, so that the output starts on a clean line (the last stage's bar
// would otherwise stay, run into the first line of the output); later
// steps, stages and wrapped messages draw nothing more.
func (p *Progress) Done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
	p.what = "\x00done"
}

// Funcs returns the callbacks of model.Config (Progress and Stage), nil
// for a nil Progress.
func (p *Progress) Funcs() (step func(done, total int), stage func(name string)) {
	if p == nil {
		return nil, nil
	}
	return p.Step, p.Stage
}

// Wrap returns say wrapped so that its line is written on a clear line
// and the bar drawn again below it (say itself on a nil Progress, or a nil
// say).
func (p *Progress) Wrap(say func(msg string)) func(msg string) {
	if p == nil || say == nil {
		return say
	}
	return func(msg string) {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.bar == nil { // after Done
			say(msg)
			return
		}
		p.bar.Clear()
		say(msg)
		p.bar.RenderBlank()
	}
}
