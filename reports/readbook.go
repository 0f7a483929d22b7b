package reports

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/data"
)

// maxBookCells is the most cells a report's or results workbook's sheets
// may span (data.CheckExtent): far more than any cybercba writes, and a
// few hundred MiB in excelize's memory.
const maxBookCells = 2_000_000

// ReadReport reads at most 256 MiB of a report workbook from r, naming it
// name in errors, and checks that its sheets do not span more cells than
// any report holds (data.CheckExtent), so that what the bytes are opened
// with next cannot be made to use gigabytes of memory.
func ReadReport(r io.Reader, name string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxReportSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(b) > maxReportSize {
		return nil, fmt.Errorf("%s: larger than %d MiB: not a cybercba report", name, maxReportSize>>20)
	}
	return b, data.CheckExtent(b, name, reportUnzipPart, maxBookCells)
}

// ReadReportFile reads the report workbook at path with ReadReport: at
// most 256 MiB (reproduce /dev/zero is refused, not a crash) and no more
// cells than a report holds.
func ReadReportFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadReport(f, path)
}

// readWorkbook reads at most size bytes of a workbook from r, checks its
// extent (data.CheckExtent), opens it with
// limits on what it unpacks to (unzip in all, part for one XML part), hands
// it to read and closes it, naming it name in errors. A panic inside
// excelize becomes an error; what is "a cybercba <what>" in the messages.
func readWorkbook[T any](r io.Reader, name, what string, size, unzip, part int64, read func(*excelize.File) (T, error)) (out T, err error) {
	var zero T
	defer func() {
		if p := recover(); p != nil {
			out, err = zero, fmt.Errorf("%s: cannot read the workbook: %v", name, p)
		}
	}()
	b, err := io.ReadAll(io.LimitReader(r, size+1))
	if err != nil {
		return zero, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(b)) > size {
		return zero, fmt.Errorf("%s: larger than %d MiB: not a cybercba %s", name, size>>20, what)
	}
	if err := data.CheckExtent(b, name, part, maxBookCells); err != nil {
		return zero, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: unzip, UnzipXMLSizeLimit: part})
	if err != nil {
		if f != nil {
			f.Close()
		}
		return zero, fmt.Errorf("%s: not a readable .xlsx workbook (%v)", name, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("%s: %w", name, cerr)
		}
	}()
	return read(f)
}
