package data

import (
	"testing"
	"time"

	"github.com/cybercba/cybercba/model"
)

// TestTableAnnouncement is issue 27's case 10: a decision table estimated
// to take AnnounceAfter or more is announced with its size, and a short
// one is not; a job without Announce asks for no estimate.
func TestTableAnnouncement(t *testing.T) {
	t.Parallel()
	e := model.StageEstimate{Table: 4 * time.Minute, Portfolios: 2149, Members: 12345, TableDraws: 10_000}
	want := "after simulating, tabulating 10,000 decision draws of 2,149 portfolios (12,345 controls in all) should take about 4 min (estimated from a pilot)"
	if got := TableAnnouncement(e); got != want {
		t.Errorf("TableAnnouncement = %q; want %q", got, want)
	}
	e.Table = AnnounceAfter - time.Millisecond
	if got := TableAnnouncement(e); got != "" {
		t.Errorf("TableAnnouncement(just under %v) = %q; want nothing", AnnounceAfter, got)
	}
	var said []string
	j := &Job{}
	if j.announceTable() != nil {
		t.Error("a job without Announce asks for an estimate")
	}
	j.Announce = func(msg string) { said = append(said, msg) }
	j.announceTable()(model.StageEstimate{Table: time.Hour, Portfolios: 1, Members: 1, TableDraws: 1})
	j.announceTable()(model.StageEstimate{Table: time.Second})
	if len(said) != 1 {
		t.Errorf("announced %q; want the hour-long table only", said)
	}
}
