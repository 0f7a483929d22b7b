package bulk

import (
	"bytes"
	"context"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestRunResumes checks that a shard stopped after some rows and run again
// with those rows (as its checkpoint gives them) runs only the rest and
// returns what an uninterrupted run does, bit for bit: rows run alone, and
// failed rows too.
func TestRunResumes(t *testing.T) {
	t.Parallel()
	in := testInput(t)
	for _, shard := range []int{0, 1, 2} {
		shards := 0
		if shard > 0 {
			shards = 2
		}
		want, err := Run(context.Background(), in, Options{Shard: shard, Shards: shards, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		// The first run records rows until it has two, then stops.
		ctx, cancel := context.WithCancel(context.Background())
		var mu sync.Mutex
		got := map[int]Finished{}
		Run(ctx, in, Options{Shard: shard, Shards: shards, Workers: 1, Finished: func(f Finished) {
			mu.Lock()
			defer mu.Unlock()
			got[f.I] = f
			if len(got) == 2 {
				cancel()
			}
		}})
		cancel()
		if len(got) < 2 {
			t.Fatalf("shard %d: %d rows finished before the stop; want 2", shard, len(got))
		}
		ran := map[int]bool{}
		again, err := Run(context.Background(), in, Options{Shard: shard, Shards: shards, Workers: 2, Done: got, Finished: func(f Finished) {
			mu.Lock()
			defer mu.Unlock()
			ran[f.I] = true
		}})
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if ran[i] {
				t.Errorf("shard %d: row %d ran again though its checkpoint held it", shard, i)
			}
		}
		if !sameBatch(t, again, want) {
			t.Errorf("shard %d resumed after %d rows:\n got %+v\nwant %+v", shard, len(got), again, want)
		}
	}
}

// TestCheckpointFile checks the checkpoint file: rows recorded are read
// back by a run with the same key, a line cut short is ignored, and a run
// with another key (another seed) starts afresh.
func TestCheckpointFile(t *testing.T) {
	t.Parallel()
	in := testInput(t)
	want, err := Run(context.Background(), in, Options{Shard: 1, Shards: 2, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	part := filepath.Join(t.TempDir(), "results.part-1-of-2.xlsx")
	key := Key{Version: "test", Digest: "abc", Seed: 1, Draws: 12, Years: 400, Shard: 1, Shards: 2}
	var opts Options
	var notes []string
	ck, err := Resume(part, key, &opts, func(s string) { notes = append(notes, s) })
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 0 || len(opts.Done) != 0 {
		t.Errorf("a new checkpoint: notes %q, %d rows; want none", notes, len(opts.Done))
	}
	opts.Shard, opts.Shards, opts.Workers = 1, 2, 2
	if _, err := Run(context.Background(), in, opts); err != nil {
		t.Fatal(err)
	}
	ck.Close()
	// A stop in the middle of a line.
	f, err := os.OpenFile(CheckpointPath(part), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("Rm9vYmFy")
	f.Close()
	opts = Options{Shard: 1, Shards: 2, Workers: 2}
	notes = nil
	ck, err = Resume(part, key, &opts, func(s string) { notes = append(notes, s) })
	if err != nil {
		t.Fatal(err)
	}
	// The rows run, not the one that could not be prepared (it is
	// refused again at once).
	if n := len(want.Rows); len(opts.Done) != n || len(notes) != 1 || !strings.Contains(notes[0], fmt.Sprintf("holds %d finished rows: running the rest", n)) {
		t.Errorf("reopened: %d rows, notes %q; want %d and a note", len(opts.Done), notes, n)
	}
	got, err := Run(context.Background(), in, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !sameBatch(t, got, want) {
		t.Errorf("from the checkpoint alone:\n got %+v\nwant %+v", got, want)
	}
	ck.Close()
	other := key
	other.Seed = 2
	opts, notes = Options{}, nil
	ck, err = Resume(part, other, &opts, func(s string) { notes = append(notes, s) })
	if err != nil {
		t.Fatal(err)
	}
	if len(opts.Done) != 0 || len(notes) != 1 || !strings.Contains(notes[0], "is from another run") {
		t.Errorf("another seed: %d rows, notes %q; want none and a note", len(opts.Done), notes)
	}
	if err := ck.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(CheckpointPath(part)); !os.IsNotExist(err) {
		t.Errorf("Remove left %s: %v", CheckpointPath(part), err)
	}
}

// sameBatch reports whether a and b hold the same figures bit for bit (NaN
// included, which reflect.DeepEqual tells apart from itself).
func sameBatch(t *testing.T, a, b any) bool {
	t.Helper()
	var x, y bytes.Buffer
	if err := gob.NewEncoder(&x).Encode(a); err != nil {
		t.Fatal(err)
	}
	if err := gob.NewEncoder(&y).Encode(b); err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(x.Bytes(), y.Bytes())
}
