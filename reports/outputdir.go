package reports

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/cybercba/cybercba/data"
)

// What a run's output folder may already hold: the overwrite policy's
// checks on report.html and plots/, made before a run simulates and again
// before its set is put in place.

// PlotsList returns the list of the plots among files (their names, one a
// line), to be written as plots/.cybercba-files, so that the next run
// tells the files it wrote from a user's.
func PlotsList(files []*OutputFile) *OutputFile {
	list := &OutputFile{Name: filepath.Join(SetPlots, PlotsListName)}
	for _, f := range files {
		if dir, name := filepath.Split(f.Name); filepath.Clean(dir) == SetPlots {
			fmt.Fprintln(&list.Data, name)
		}
	}
	return list
}

// PlotsListName names the file in plots/ that lists the files a run wrote
// there, so that the next run tells them from a user's.
const PlotsListName = ".cybercba-files"

// foreignPlots returns the entries of the plots folder that the run which
// wrote it did not, sorted: those not in its list, or when it has none (a
// folder written before the list was kept), all but the images and CSV
// files beside a run's report.xlsx.
func foreignPlots(plots string) ([]os.DirEntry, error) {
	entries, err := os.ReadDir(plots)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ours := map[string]bool{PlotsListName: true}
	b, err := os.ReadFile(filepath.Join(plots, PlotsListName))
	for _, n := range strings.Split(string(b), "\n") {
		ours[n] = true
	}
	// A folder written before the list was kept, beside its run's
	// report.xlsx: its images and CSV files are the run's.
	old := err != nil && IsOutput(filepath.Join(filepath.Dir(plots), SetBook), KindReport)
	var foreign []os.DirEntry
	for _, e := range entries {
		switch filepath.Ext(e.Name()) {
		case ".png", ".svg", ".pdf", ".csv":
			if old {
				ours[e.Name()] = true
			}
		}
		if !ours[e.Name()] || !e.Type().IsRegular() {
			foreign = append(foreign, e)
		}
	}
	return foreign, nil
}

// CheckPlots checks that the plots folder, if there is one, holds only
// what the last run wrote, which a new set replaces; with force, it may
// hold other files too (a run keeps them), but no folders.
func CheckPlots(plots string, force bool) error {
	foreign, err := foreignPlots(plots)
	if err != nil {
		return err
	}
	for _, e := range foreign {
		if e.IsDir() || !force {
			return fmt.Errorf("%s holds %s, which cybercba did not write, and a new run replaces the folder: move it, choose another -o, or keep it with --force", plots, data.Escape(e.Name()))
		}
	}
	return nil
}

// KeepForeign links (or, failing that, copies) the files of the plots
// folder that a run did not write into the new set's plots folder, so
// that replacing the folder keeps them.
func KeepForeign(plots, into string) error {
	foreign, err := foreignPlots(plots)
	if err != nil {
		return err
	}
	for _, e := range foreign {
		from, to := filepath.Join(plots, e.Name()), filepath.Join(into, e.Name())
		if os.Link(from, to) == nil {
			continue
		}
		b, err := os.ReadFile(from)
		if err != nil {
			return err
		}
		if err := os.WriteFile(to, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// IsOwnPage reports whether the file at path is missing or a report.html
// this tool wrote (its generator meta tag, within its first 4 KB, says
// cybercba).
func IsOwnPage(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return errors.Is(err, fs.ErrNotExist)
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	return bytes.Contains(head[:n], []byte(`<meta name="generator" content="cybercba`))
}
