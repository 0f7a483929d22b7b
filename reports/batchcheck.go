package reports

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// A results workbook vouches for itself. Its About sheet carries a digest
// of what it holds (every Summary and Errors cell, and the About lines
// that ReadBatch reads back: input, settings, part and host), and a hidden
// Check sheet the digests of each Summary and Errors row and column and
// each About line. ReadBatch recomputes them from the cells it reads: a
// cell changed after cybercba wrote it is named by the row and the column
// whose digests no longer match.
//
// The digests are of the values, as ReadBatch reads them back, in a
// canonical text (numbers in the shortest form that reads back the same),
// not of the file's bytes, which Excel rewrites on every save.

// batchCheck is the hidden sheet of digests.
const batchCheck = "Check"

// batchCheckHead is the Check sheet's header.
var batchCheckHead = []string{"What", "Where", "SHA-256 (first 16 hex digits)"}

// batchCheckLine is one digest: of a Summary or Errors row ("Summary
// row", "5") or column ("Summary column", "O"), or of an About line
// ("About", "Master seed").
type batchCheckLine struct{ what, where, digest string }

// batchCanon is the canonical text of a cell value.
func batchCanon(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case uint64:
		return strconv.FormatUint(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

// short returns the first 16 hex digits of the SHA-256 of the cells,
// which are length-prefixed so that no two lists of cells run together.
func short(cells []string) string {
	h := sha256.New()
	for _, c := range cells {
		writeCell(h, c)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// writeCell adds a cell's text to a digest, length first.
func writeCell(h hash.Hash, c string) {
	var n [20]byte
	h.Write(strconv.AppendInt(n[:0], int64(len(c)), 10))
	h.Write([]byte{':'})
	io.WriteString(h, c)
	h.Write([]byte{';'})
}

// batchAboutChecked returns the About lines the digest covers, by label,
// as canonical text.
func batchAboutChecked(b *Batch) [][2]string {
	part := "all"
	if b.Shards > 0 {
		part = fmt.Sprintf("%d of %d", b.Shard, b.Shards)
	}
	return [][2]string{
		{batchAboutTool, b.Tool},
		{batchAboutVersion, b.Version},
		{batchAboutInput, b.Input},
		{batchAboutDigest, b.Digest},
		{batchAboutCurrency, b.Currency},
		{batchAboutSymbol, string(b.currency())},
		{batchAboutPriceYear, b.PriceYear},
		{batchAboutSeed, strconv.FormatUint(b.Seed, 10)},
		{batchAboutSeedMode, b.seedMode()},
		{batchAboutDraws, strconv.Itoa(b.Draws)},
		{batchAboutYears, strconv.Itoa(b.Years)},
		{batchAboutScope, b.Scope},
		{batchAboutObjective, b.Objective},
		{batchAboutMetric, b.Metric},
		{batchAboutTotal, strconv.Itoa(b.Total)},
		{batchAboutPart, part},
		{batchAboutHost, b.Host},
	}
}

// batchErrorCells returns an Errors row's cells, as written.
func batchErrorCells(e *BatchError) []any {
	return []any{e.Index, e.Row, e.Name, e.Cell, e.Msg}
}

// checkLines returns the digests of b's contents: Summary rows, then
// columns, Errors rows, then columns, then About lines.
func checkLines(b *Batch) []batchCheckLine {
	var lines []batchCheckLine
	grid := func(sheet string, nrows, ncols int, cell func(k, i int) string) {
		// Each column's digest is streamed, so that only one row's cells
		// are held at a time.
		cols := make([]hash.Hash, ncols)
		for i := range cols {
			cols[i] = sha256.New()
		}
		row := make([]string, ncols)
		what := sheet + " row"
		for k := range nrows {
			for i := range ncols {
				row[i] = cell(k, i)
				writeCell(cols[i], row[i])
			}
			lines = append(lines, batchCheckLine{what, strconv.Itoa(k + 2), short(row)})
		}
		for i, h := range cols {
			lines = append(lines, batchCheckLine{sheet + " column", batchCol(i + 1), hex.EncodeToString(h.Sum(nil))[:16]})
		}
	}
	grid(batchSummary, len(b.Rows), len(batchColumns), func(k, i int) string {
		return batchCanon(batchColumns[i].value(&b.Rows[k]))
	})
	grid(batchErrors, len(b.Errors), len(batchErrorsHead), func(k, i int) string {
		return batchCanon(batchErrorCells(&b.Errors[k])[i])
	})
	for _, a := range batchAboutChecked(b) {
		lines = append(lines, batchCheckLine{batchAbout, a[0], short([]string{a[1]})})
	}
	return lines
}

// resultsDigest is the SHA-256, in hex, of the check lines.
func resultsDigest(lines []batchCheckLine) string {
	h := sha256.New()
	for _, l := range lines {
		fmt.Fprintf(h, "%s\t%s\t%s\n", l.what, l.where, l.digest)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ResultsDigest returns the SHA-256 of b's results as its workbook
// records it on the About sheet ("Results SHA-256"): of every Summary and
// Errors cell and the About lines ReadBatch reads back.
func ResultsDigest(b *Batch) string {
	return resultsDigest(checkLines(b))
}

// check writes the hidden Check sheet.
func (bb *batchBook) check(lines []batchCheckLine) {
	if bb.err != nil {
		return
	}
	f, s := bb.f, batchCheck
	sw, err := f.NewStreamWriter(s)
	if err != nil {
		bb.do(err)
		return
	}
	head := []any{batchCheckHead[0], batchCheckHead[1], batchCheckHead[2]}
	bb.do(sw.SetRow("A1", head))
	for k, l := range lines {
		if bb.err != nil {
			return
		}
		bb.do(sw.SetRow(batchCell(1, k+2), []any{l.what, l.where, l.digest}))
	}
	bb.do(sw.Flush())
	bb.do(f.SetSheetVisible(s, false, true))
}

// verifyBatch checks b, as read from the workbook f named name, against
// the digests the workbook records. about maps an About label to its row.
func verifyBatch(f *excelize.File, name string, b *Batch, recorded string, about map[string]int) error {
	edited := func(what string) error {
		return fmt.Errorf("%s: %s was changed after cybercba wrote it: its results digest does not match; run it again rather than edit it", name, what)
	}
	rows, err := f.GetRows(batchCheck, excelize.Options{RawCellValue: true})
	if err != nil || len(rows) == 0 || strings.Join(rows[0], "\t") != strings.Join(batchCheckHead, "\t") {
		return fmt.Errorf("%s: no Check sheet of digests: written by another version of cybercba, or edited", name)
	}
	var stored []batchCheckLine
	for _, r := range rows[1:] {
		r = append(r, "", "", "")
		stored = append(stored, batchCheckLine{r[0], r[1], r[2]})
	}
	aboutCell := func(label string) string {
		if row, ok := about[label]; ok {
			return fmt.Sprintf("About!B%d (%s)", row, label)
		}
		return "About: " + label
	}
	if resultsDigest(stored) != recorded {
		return edited(aboutCell(batchAboutResults) + " or the hidden Check sheet")
	}
	got := checkLines(b)
	if resultsDigest(got) == recorded {
		return nil
	}
	// Name the cells: where a row's and a column's digests both differ.
	index := func(lines []batchCheckLine) map[[2]string]string {
		m := map[[2]string]string{}
		for _, l := range lines {
			m[[2]string{l.what, l.where}] = l.digest
		}
		return m
	}
	was, now := index(stored), index(got)
	var cells []string
	for _, sheet := range []string{batchSummary, batchErrors} {
		var badRows, badCols []string
		count := func(lines []batchCheckLine) int {
			n := 0
			for _, l := range lines {
				if l.what == sheet+" row" {
					n++
				}
			}
			return n
		}
		if a, b := count(stored), count(got); a != b {
			cells = append(cells, fmt.Sprintf("%s (%d rows, but it was written with %d)", sheet, b, a))
			continue
		}
		for _, l := range got {
			switch l.what {
			case sheet + " row":
				if was[[2]string{l.what, l.where}] != l.digest {
					badRows = append(badRows, l.where)
				}
			case sheet + " column":
				if was[[2]string{l.what, l.where}] != l.digest {
					badCols = append(badCols, l.where)
				}
			}
		}
		for _, r := range badRows {
			for _, c := range badCols {
				cells = append(cells, sheet+"!"+c+r+batchHeadOf(sheet, c, b.currency()))
			}
		}
	}
	for _, l := range got {
		if l.what == batchAbout && was[[2]string{l.what, l.where}] != now[[2]string{l.what, l.where}] {
			cells = append(cells, aboutCell(l.where))
		}
	}
	if len(cells) == 0 {
		cells = []string{"a cell"}
	}
	if len(cells) > 5 {
		cells = append(cells[:5], fmt.Sprintf("and %d more", len(cells)-5))
	}
	return edited(strings.Join(cells, ", "))
}

// batchHeadOf returns " (header)" for a Summary or Errors column letter.
func batchHeadOf(sheet, col string, cur currency) string {
	n, err := excelize.ColumnNameToNumber(col)
	if err != nil || n < 1 {
		return ""
	}
	switch {
	case sheet == batchSummary && n <= len(batchColumns):
		return " (" + cur.in(batchColumns[n-1].head) + ")"
	case sheet == batchErrors && n <= len(batchErrorsHead):
		return " (" + batchErrorsHead[n-1] + ")"
	}
	return ""
}
