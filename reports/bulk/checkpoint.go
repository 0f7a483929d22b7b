package bulk

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"slices"

	"github.com/cybercba/cybercba/reports"
)

// A checkpoint keeps a shard's finished rows durably as they finish, in a
// file beside its part (the part's name + ".checkpoint"), so that a shard
// stopped by its time limit, pre-empted or cancelled loses only the rows
// in flight: run again with the same inputs and settings, it reads the
// rows it has and runs the rest. A row's results do not depend on which
// other rows run (see Run), so the part is the same, cell for cell.
//
// The file is text: a first line naming the run it belongs to (the SHA-256
// of its Key), then one line a finished row, each a gob encoding in
// base64, written and synced before the next row is taken as done. A line
// cut short by a stop is ignored; a file of another run is replaced.

// Key is what a shard's rows depend on: a checkpoint is read only by the
// run with the same key.
type Key struct {
	Version       string // the tool's
	Digest        string // the inputs workbook's SHA-256
	Seed          uint64
	Draws, Years  int
	DecisionDraws int
	RowSeeds      bool
	Shard, Shards int
}

func (k Key) line() string {
	h := sha256.Sum256(fmt.Appendf(nil, "%#v", k))
	return "cybercba checkpoint " + hex.EncodeToString(h[:])
}

// Finished is one row's outcome as a checkpoint keeps it: the row's index
// in the input (from 0) and its summary, or the problems that stopped it.
type Finished struct {
	I    int
	Row  *reports.BatchRow
	Errs []reports.BatchError
}

// Checkpoint is an open checkpoint file.
type Checkpoint struct {
	path string
	f    *os.File
	// Done holds the rows an earlier run of the same key finished, by
	// index; pass it as Options.Done.
	Done map[int]Finished
	// Note says what became of an earlier checkpoint ("" when there was
	// none): how many rows it gave, or why it was set aside.
	Note string
}

// CheckpointPath is the checkpoint file of the part at path.
func CheckpointPath(part string) string { return part + ".checkpoint" }

// OpenCheckpoint opens the checkpoint of the part at path for the run
// key: the rows of an earlier run with the same key are read into Done,
// and new rows are appended after them; a checkpoint of another run (other
// inputs, settings or version) is started afresh.
func OpenCheckpoint(part string, key Key) (*Checkpoint, error) {
	c := &Checkpoint{path: CheckpointPath(part), Done: map[int]Finished{}}
	b, err := os.ReadFile(c.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		first, rest, _ := bytes.Cut(b, []byte("\n"))
		if string(first) != key.line() {
			c.Note = fmt.Sprintf("%s is from another run (other inputs, settings or version): starting afresh", c.path)
			break
		}
		sc := bufio.NewScanner(bytes.NewReader(rest))
		sc.Buffer(nil, 64<<20)
		for sc.Scan() {
			var f Finished
			raw, err := base64.StdEncoding.DecodeString(sc.Text())
			if err != nil || gob.NewDecoder(bytes.NewReader(raw)).Decode(&f) != nil {
				continue // cut short by a stop
			}
			c.Done[f.I] = f
		}
		c.Note = fmt.Sprintf("%s holds %d finished rows: running the rest", c.path, len(c.Done))
		// Rewritten whole, without any line cut short.
	}
	tmp := c.path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	c.f = f
	_, err = io.WriteString(f, key.line()+"\n")
	for _, i := range slices.Sorted(maps.Keys(c.Done)) {
		if err = c.write(c.Done[i]); err != nil {
			break
		}
	}
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = os.Rename(tmp, c.path)
	}
	if err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, err
	}
	return c, nil
}

func (c *Checkpoint) write(f Finished) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(f); err != nil {
		return err
	}
	_, err := io.WriteString(c.f, base64.StdEncoding.EncodeToString(buf.Bytes())+"\n")
	return err
}

// Record appends a finished row and syncs it to disk.
func (c *Checkpoint) Record(f Finished) error {
	if err := c.write(f); err != nil {
		return fmt.Errorf("%s: %w", c.path, err)
	}
	if err := c.f.Sync(); err != nil {
		return fmt.Errorf("%s: %w", c.path, err)
	}
	return nil
}

// Close closes the file, keeping it for a later run. A nil Checkpoint
// (a run without one) does nothing.
func (c *Checkpoint) Close() error {
	if c == nil {
		return nil
	}
	return c.f.Close()
}

// Remove closes and removes the file: the part is written. A nil
// Checkpoint does nothing.
func (c *Checkpoint) Remove() error {
	if c == nil {
		return nil
	}
	c.f.Close()
	return os.Remove(c.path)
}

// Resume opens the checkpoint of the part at path for key (see
// OpenCheckpoint) and sets o to take the rows it holds and to record each
// row as it finishes. say, if not nil, is told what became of an earlier
// checkpoint and of the first row that could not be recorded (the run goes
// on: only its resumability is lost).
func Resume(part string, key Key, o *Options, say func(string)) (*Checkpoint, error) {
	c, err := OpenCheckpoint(part, key)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	if say == nil {
		say = func(string) {}
	}
	if c.Note != "" {
		say(c.Note)
	}
	failed := false
	o.Done = c.Done
	o.Finished = func(f Finished) {
		if err := c.Record(f); err != nil && !failed {
			failed = true
			say(fmt.Sprintf("cannot record finished rows, so a stopped run will start over: %v", err))
		}
	}
	return c, nil
}
