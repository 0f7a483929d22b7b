package reports

import (
	"bytes"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
)

// The files of a run's output set, in its folder.
const (
	SetBook  = "report.xlsx"
	SetPage  = "report.html"
	SetPlots = "plots"
)

// OutputFile is one file of a run's output set, rendered: its name in the
// set's folder and its bytes. Counted files (the workbook, the page and the
// plots' images) are those a progress bar and the paths written count;
// each figure's data as CSV beside its images is not.
type OutputFile struct {
	Name    string
	Data    bytes.Buffer
	Counted bool
	Err     error
}

// RenderOutputs renders a run's output set in memory: report.xlsx,
// report.html, then each figure in each of formats with its data as CSV
// under plots/. The workbook and the figures are rendered in parallel (each
// figure's formats in turn, on one goroutine, so that no plot is drawn
// twice at once), then the page. onFile, if not nil, is called with the
// count of counted files rendered and their total. A file that failed
// holds its error.
func RenderOutputs(rep *Report, formats []string, onFile func(done, total int)) ([]*OutputFile, error) {
	figs, err := Figures(rep)
	if err != nil {
		return nil, err
	}
	files := []*OutputFile{{Name: SetBook, Counted: true}, {Name: SetPage, Counted: true}}
	perFig := make([][]*OutputFile, len(figs))
	for i, f := range figs {
		for _, format := range formats {
			perFig[i] = append(perFig[i], &OutputFile{Name: filepath.Join(SetPlots, f.Name+"."+format), Counted: true})
		}
		perFig[i] = append(perFig[i], &OutputFile{Name: filepath.Join(SetPlots, f.Name+".csv")})
		files = append(files, perFig[i]...)
	}
	total := 2 + len(figs)*len(formats)
	var mu sync.Mutex
	done := 0
	rendered := func(f *OutputFile) {
		if onFile == nil || !f.Counted {
			return
		}
		mu.Lock()
		done++
		onFile(done, total)
		mu.Unlock()
	}
	if onFile != nil {
		onFile(0, total)
	}
	tasks := []func(){func() {
		files[0].Err = WriteWorkbook(&files[0].Data, rep)
		rendered(files[0])
	}}
	for i, f := range figs {
		tasks = append(tasks, func() {
			for k, format := range formats {
				out := perFig[i][k]
				out.Err = f.Write(&out.Data, format)
				rendered(out)
			}
			csv := perFig[i][len(formats)]
			csv.Err = f.WriteCSV(&csv.Data)
		})
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(tasks)) {
		wg.Go(func() {
			for {
				k := int(next.Add(1) - 1)
				if k >= len(tasks) {
					return
				}
				tasks[k]()
			}
		})
	}
	wg.Wait()
	files[1].Err = WriteHTML(&files[1].Data, rep, figs)
	rendered(files[1])
	return files, nil
}
