package data

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// MaxSheetCells is the most cells a workbook's sheets may span, counting
// each row from column A to its last cell, blank cells included, as
// excelize lays a sheet out in memory (about 200 bytes a cell) before it
// reads a cell's type, style or formula. A template's sheets span a few
// thousand; a file with blank cells out in column XFD (16,384 columns a
// row) would otherwise take gigabytes to open.
const MaxSheetCells = 500_000

// CheckExtent reads the sheets of the .xlsx workbook b without expanding
// them. It returns an error naming the sheet and cell of the first cell
// that refers to a shared string the workbook does not hold (excelize
// reads it as a blank, so a control's name would vanish), and one naming
// the sheet and the cells that lie far out
// (the cells beyond column ZZ, or the rows) when the sheets span more than
// limit cells (MaxSheetCells for an inputs workbook), so that a small file
// cannot make a reader use gigabytes of memory. name names the file in the
// error. A file that is not a zip archive is left for excelize to refuse.
// Each part is read at most unzip bytes.
func CheckExtent(b []byte, name string, unzip int64, limit int) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil // not a zip: excelize says so in its own words
	}
	sheets := sheetNames(zr, unzip)
	strs := sharedStrings(zr, unzip)
	total := 0
	var worst *extent
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") || !strings.HasSuffix(zf.Name, ".xml") {
			continue
		}
		e, err := scanSheet(zf, unzip, strs)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", name, zf.Name, err)
		}
		e.sheet = sheets[zf.Name]
		if e.sheet == "" {
			e.sheet = zf.Name
		}
		if e.badString != "" {
			return fmt.Errorf("%s: %s!%s: refers to shared string %d, but the workbook holds %d: the file is damaged (open it in Excel or LibreOffice and save it again)",
				name, e.sheet, e.badString, e.badIndex, strs)
		}
		total += e.cells
		if worst == nil || e.cells > worst.cells {
			worst = &e
		}
	}
	if total <= limit || worst == nil {
		return nil
	}
	far := fmt.Sprintf("rows down to %s", grouped(worst.rows))
	where := worst.sheet
	if worst.farCol > 0 {
		letters, _ := excelize.ColumnNumberToName(worst.farCol)
		far = "column " + letters
		where = fmt.Sprintf("%s!%s%d:%s%d", worst.sheet, letters, worst.firstFarRow, letters, worst.lastFarRow)
	}
	return fmt.Errorf("%s: %s: the sheets span %s cells (each row counted to its last cell, blank cells included), more than the %s a workbook may: delete the cells far beyond the tables (here %s), save, and try again",
		name, where, grouped(total), grouped(limit), far)
}

// extent is what scanSheet finds in one worksheet.
type extent struct {
	sheet string
	// cells counts each row up to the last row, from column A to its last
	// cell (1 for a row without cells).
	cells int
	rows  int // the last row
	// farCol is the last column of the cells beyond farColumn, if any,
	// and firstFarRow, lastFarRow the first and last rows holding one.
	farCol, firstFarRow, lastFarRow int
	// badString is the first cell naming a shared string the workbook
	// does not hold (excelize reads it as blank), and badIndex its index.
	badString string
	badIndex  int
}

// sharedStrings counts the shared strings of a workbook (its
// xl/sharedStrings.xml's <si> items), or returns -1 when it cannot.
func sharedStrings(zr *zip.Reader, limit int64) int {
	for _, zf := range zr.File {
		if zf.Name != "xl/sharedStrings.xml" {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return -1
		}
		defer rc.Close()
		dec := xml.NewDecoder(io.LimitReader(rc, limit))
		n, depth := 0, 0
		for {
			tok, err := dec.RawToken()
			if err == io.EOF {
				return n
			}
			if err != nil {
				return -1
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				depth++
				if depth == 2 && tok.Name.Local == "si" {
					n++
				}
			case xml.EndElement:
				depth--
			}
		}
	}
	return 0
}

// farColumn is the last column a table of ours reaches comfortably: cells
// beyond it are named in CheckExtent's error.
const farColumn = 702 // ZZ

// scanSheet counts a worksheet's cells, row by row, from its XML tokens,
// and finds the first cell naming a shared string beyond the strs the
// workbook holds (strs < 0: not checked).
func scanSheet(zf *zip.File, limit int64, strs int) (extent, error) {
	rc, err := zf.Open()
	if err != nil {
		return extent{}, err
	}
	defer rc.Close()
	dec := xml.NewDecoder(io.LimitReader(rc, limit))
	var e extent
	row, lastCol, col, withCells := 0, 0, 0, 0
	shared, inV := false, false // in a shared-string cell, in its <v>
	endRow := func() {
		if lastCol > 0 {
			e.cells += lastCol
			withCells++
		}
		e.rows = max(e.rows, row)
		lastCol, col = 0, 0
	}
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return e, err
		}
		if cd, ok := tok.(xml.CharData); ok && inV && shared && e.badString == "" && strs >= 0 {
			if i, err := strconv.Atoi(strings.TrimSpace(string(cd))); err == nil && (i < 0 || i >= strs) {
				e.badString, e.badIndex = cellName(col, row), i
			}
		}
		if end, ok := tok.(xml.EndElement); ok && end.Name.Local == "v" {
			inV = false
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "v":
			inV = true
		case "row":
			endRow()
			row++
			if r := attr(se, "r"); r != "" {
				fmt.Sscan(r, &row)
			}
		case "c":
			shared = attr(se, "t") == "s"
			col++
			if c, r, err := excelize.CellNameToCoordinates(attr(se, "r")); err == nil {
				col, row = c, r
			}
			lastCol = max(lastCol, col)
			if col > farColumn {
				if e.firstFarRow == 0 {
					e.firstFarRow = row
				}
				e.lastFarRow = row
				e.farCol = max(e.farCol, col)
			}
		}
	}
	endRow()
	e.cells += max(0, e.rows-withCells)
	return e, nil
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// sheetNames maps each worksheet part ("xl/worksheets/sheet1.xml") to its
// sheet's name; a part it cannot name is left out.
func sheetNames(zr *zip.Reader, limit int64) map[string]string {
	out := map[string]string{}
	sheets, _ := SheetParts(ZipParts(zr, limit))
	for _, s := range sheets {
		if s.Part != "" {
			out[s.Part] = s.Name
		}
	}
	return out
}
