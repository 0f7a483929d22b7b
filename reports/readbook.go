package reports

import (
	"bytes"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// readWorkbook reads at most size bytes of a workbook from r, opens it with
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
