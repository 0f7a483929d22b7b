package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// shardProgress reports a batch's progress: a bar on a terminal, or, when
// stderr is a file (a scheduler's log), plain lines without terminal
// control codes, each time another tenth of the rows is done and at least
// every minute. It returns nil with quiet.
func shardProgress(stderr io.Writer, quiet bool, shard, shards, total int) func(done, total int) {
	if quiet {
		return nil
	}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return progress(stderr, quiet, "scenarios", total)
	}
	who := "cybercba batch"
	if shards > 0 {
		host, _ := os.Hostname()
		who = fmt.Sprintf("cybercba batch: shard %d of %d on %s", shard, shards, host)
	}
	start := time.Now()
	noun := "scenarios"
	if total == 1 {
		noun = "scenario"
	}
	fmt.Fprintf(stderr, "%s: %d %s to run\n", who, total, noun)
	var mu sync.Mutex
	step, last := 0, start
	return func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		now := time.Now()
		s := done * 10 / max(total, 1)
		if s <= step && now.Sub(last) < time.Minute {
			return
		}
		step, last = s, now
		fmt.Fprintf(stderr, "%s: %d of %d done (%d%%) after %s\n", who, done, total, done*100/max(total, 1), now.Sub(start).Round(time.Second))
	}
}
