package reports

import (
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Kind is a kind of workbook the tool writes.
type Kind int

// The kinds of workbook.
const (
	KindReport  Kind = iota // run's report.xlsx
	KindResults             // batch's and merge's results
	KindInputs              // template's inputs workbook
)

func (k Kind) String() string {
	return [...]string{"a cybercba run's report", "cybercba batch results", "a cybercba inputs workbook"}[k]
}

// markers are the sheets each kind of workbook has.
var markers = [...][]string{
	KindReport:  {"Summary", "Ranking", "Inputs"},
	KindResults: {"Summary", "Errors", "About"},
	KindInputs:  {"Settings", "Threats", "Controls"},
}

// IsOutput reports whether the file at path is this tool's workbook of
// kind: written by cybercba (its document properties say so) and holding
// the kind's sheets.
func IsOutput(path string, k Kind) bool {
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: 256 << 20, UnzipXMLSizeLimit: 64 << 20})
	if err != nil {
		return false
	}
	defer f.Close()
	props, err := f.GetDocProps()
	if err != nil || !strings.HasPrefix(props.Creator, "cybercba") {
		return false
	}
	sheets := f.GetSheetList()
	for _, s := range markers[k] {
		if !slices.Contains(sheets, s) {
			return false
		}
	}
	return true
}
