package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/cybercba/cybercba/reports"
)

// temps are this process's temporary files and folders, so that a signal
// that stops it can remove them (see stopNow in main.go). Creating one, and
// renaming finished work into place, happen under its lock: once stopping
// has begun, nothing new is created or put in place.
var temps = tempSet{paths: map[string]bool{}}

type tempSet struct {
	mu       sync.Mutex
	paths    map[string]bool
	stopping bool
	// written lists what was put in place, for the message of a stopped
	// run.
	written []string
}

// errStopping is returned by temps once a signal is stopping the process.
var errStopping = errors.New("stopping")

// createTemp is os.CreateTemp, recorded.
func (s *tempSet) createTemp(dir, pattern string) (*os.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		return nil, errStopping
	}
	f, err := os.CreateTemp(dir, pattern)
	if err == nil {
		s.paths[f.Name()] = true
	}
	return f, err
}

// mkdirTemp is os.MkdirTemp, recorded.
func (s *tempSet) mkdirTemp(dir, pattern string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		return "", errStopping
	}
	d, err := os.MkdirTemp(dir, pattern)
	if err == nil {
		s.paths[d] = true
	}
	return d, err
}

// create creates a new file at path (inside a temporary folder), unless
// stopping has begun: so that no file appears in a folder stop is
// removing.
func (s *tempSet) create(path string) (*os.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		return nil, errStopping
	}
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
}

// remove removes a temporary file or folder and forgets it.
func (s *tempSet) remove(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	os.RemoveAll(path)
	delete(s.paths, path)
}

// commit runs put, which renames finished work into place, unless
// stopping has begun; what names the work, for the message of a run
// stopped later. A temporary file that put renamed is forgotten.
func (s *tempSet) commit(what string, temp string, put func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		return errStopping
	}
	if err := put(); err != nil {
		return err
	}
	if temp != "" {
		delete(s.paths, temp)
	}
	s.written = append(s.written, what)
	return nil
}

// stop removes every temporary file and folder and returns what was put in
// place. It keeps the lock: nothing is created or committed after it, so
// the process can exit with nothing half-done. It must be called only on
// the way out.
func (s *tempSet) stop() []string {
	s.mu.Lock()
	s.stopping = true
	for p := range s.paths {
		os.RemoveAll(p)
	}
	return s.written
}

// writeAtomic writes a file through write, to a temporary name in the same
// directory, and renames it into place only when all went well: an
// interrupted or failed run leaves no half-written file.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	f, err := temps.createTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			temps.remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return temps.commit(path, f.Name(), func() error { return os.Rename(f.Name(), path) })
}

// writeOutputs writes the output set, report.xlsx, report.html and
// plots/, into dir, creating it, and returns the paths written, the
// workbook and the page first. The set is written whole into a temporary
// folder inside dir, then put in place under a lock on dir: the old
// report.xlsx, report.html and plots/ are moved aside, the new ones moved
// in, and the old ones removed. So a failed or stopped run leaves the
// previous set as it was, and two runs into one folder leave one run's
// set, never a mix. plots/ is replaced as a whole, with a list of the
// files written (.cybercba-files); a file the last run did not write is
// refused, or with force kept in the new plots/, so that no user's file is
// lost with it. onFile, if not nil, is called with the count of files
// written and the total.
func writeOutputs(dir string, formats []string, rep *reports.Report, force bool, onFile func(done, total int)) (written []string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	stage, err := temps.mkdirTemp(dir, ".cybercba-out-*")
	if err != nil {
		return nil, err
	}
	defer temps.remove(stage)
	if err := os.Chmod(stage, 0o755); err != nil {
		return nil, err
	}
	if err := os.Mkdir(filepath.Join(stage, reports.SetPlots), 0o755); err != nil {
		return nil, err
	}
	files, err := reports.RenderOutputs(rep, formats, onFile)
	if err != nil {
		return nil, err
	}
	files = append(files, reports.PlotsList(files))
	var names []string
	for _, f := range files {
		if f.Err == nil {
			f.Err = writeFile(filepath.Join(stage, f.Name), func(w io.Writer) error {
				_, err := f.Data.WriteTo(w)
				return err
			})
		}
		if f.Err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(dir, f.Name), f.Err)
		}
		if f.Counted {
			names = append(names, f.Name)
		}
		f.Data = bytes.Buffer{} // written: let it go
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot lock the folder against another run: %w", dir, err)
	}
	defer unlock()
	if err := reports.CheckPlots(filepath.Join(dir, reports.SetPlots), force); err != nil {
		return nil, err
	}
	if err := reports.KeepForeign(filepath.Join(dir, reports.SetPlots), filepath.Join(stage, reports.SetPlots)); err != nil {
		return nil, fmt.Errorf("%s: keeping the files cybercba did not write: %w", filepath.Join(dir, reports.SetPlots), err)
	}
	err = temps.commit(filepath.Join(dir, reports.SetBook)+", "+filepath.Join(dir, reports.SetPage)+" and "+filepath.Join(dir, reports.SetPlots), "", func() error {
		return swapSet(dir, stage)
	})
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		written = append(written, filepath.Join(dir, n))
	}
	return written, nil
}

// writeFile creates path, in a temporary folder, and writes it through
// write, synced.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := temps.create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// swapSet puts the set in stage in place of dir's: the old report.xlsx
// and plots/ are moved into stage/old (removed with stage), then the new
// ones into dir. If a step fails, what was done is undone.
func swapSet(dir, stage string) error {
	old := filepath.Join(stage, "old")
	if err := os.Mkdir(old, 0o755); err != nil {
		return err
	}
	type move struct{ from, to string }
	var done []move
	undo := func(err error) error {
		for i := len(done) - 1; i >= 0; i-- {
			os.Rename(done[i].to, done[i].from)
		}
		return err
	}
	for _, n := range []string{reports.SetBook, reports.SetPage, reports.SetPlots} {
		from := filepath.Join(dir, n)
		if _, err := os.Lstat(from); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := os.Rename(from, filepath.Join(old, n)); err != nil {
			return undo(err)
		}
		done = append(done, move{from, filepath.Join(old, n)})
	}
	for _, n := range []string{reports.SetPlots, reports.SetPage, reports.SetBook} {
		if err := os.Rename(filepath.Join(stage, n), filepath.Join(dir, n)); err != nil {
			return undo(err)
		}
		done = append(done, move{filepath.Join(stage, n), filepath.Join(dir, n)})
	}
	return nil
}
