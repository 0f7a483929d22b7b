package reports

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/data"
)

// rawBook is what a reader sees on a workbook's sheets, read from its XML
// parts: every cell's value as stored (numbers as written, at full
// precision: excelize's reading rounds to 15 significant digits; shared
// strings resolved) and number format, the hidden rows and columns, each
// sheet's state, and each chart's titles, types and series references.
type rawBook struct {
	order  []string
	sheets map[string]*rawSheet
}

// rawSheet is one sheet of a rawBook. A sheet left unread (not wanted)
// has only its state.
type rawSheet struct {
	state string // "" for visible, "hidden" or "veryHidden"
	read  bool
	// cells maps a reference to its value as stored; formats to the
	// number format code of each cell holding a value.
	cells, formats         map[string]string
	hiddenRows, hiddenCols map[int]bool
	charts                 []rawChart
}

// rawChart is a chart drawn on a sheet: where its top-left corner is, and
// what a reader sees of it, property by property ("title", "type",
// "series 1 values" → the text or the reference).
type rawChart struct {
	anchor string
	props  map[string]string
}

// maxRawPart bounds one part of a workbook read by readRawBook.
const maxRawPart = 256 << 20

// zipParts returns the parts of the .xlsx workbook's bytes b.
func zipParts(b []byte) (data.Parts, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	return data.ZipParts(zr, maxRawPart), nil
}

// readRawBook reads a workbook's sheets from its parts; of a sheet that
// want refuses, only the name and state.
func readRawBook(read data.Parts, want func(sheet string) bool) (*rawBook, error) {
	sheets, err := data.SheetParts(read)
	if err != nil {
		return nil, err
	}
	numFmts, err := readNumFmts(read)
	if err != nil {
		return nil, err
	}
	var shared []string
	if b, err := read("xl/sharedStrings.xml"); err == nil {
		var sst struct {
			SI []struct {
				T string `xml:"t"`
				R []struct {
					T string `xml:"t"`
				} `xml:"r"`
			} `xml:"si"`
		}
		if err := xml.Unmarshal(b, &sst); err != nil {
			return nil, fmt.Errorf("shared strings: %w", err)
		}
		for _, si := range sst.SI {
			s := si.T
			for _, r := range si.R {
				s += r.T
			}
			shared = append(shared, s)
		}
	}
	rb := &rawBook{sheets: map[string]*rawSheet{}}
	for _, s := range sheets {
		rs := &rawSheet{state: s.State}
		if rs.state == "visible" {
			rs.state = ""
		}
		rb.order = append(rb.order, s.Name)
		rb.sheets[s.Name] = rs
		if want != nil && !want(s.Name) {
			continue
		}
		b, err := read(s.Part)
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", s.Name, err)
		}
		drawing, err := rs.readSheet(b, shared, numFmts)
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", s.Name, err)
		}
		if drawing != "" {
			if rs.charts, err = readCharts(read, s.Part, drawing); err != nil {
				return nil, fmt.Errorf("sheet %s: %w", s.Name, err)
			}
		}
	}
	return rb, nil
}

// readNumFmts returns the number format code of each cell style (an index
// into styles.xml's cellXfs): a custom format's code, or a built-in
// format's number ("General" for 0).
func readNumFmts(read data.Parts) ([]string, error) {
	b, err := read("xl/styles.xml")
	if err != nil {
		return nil, nil // no styles: every cell General
	}
	var st struct {
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmtID int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if err := xml.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("xl/styles.xml: %w", err)
	}
	custom := map[int]string{}
	for _, n := range st.NumFmts {
		custom[n.ID] = n.Code
	}
	out := make([]string, len(st.Xfs))
	for i, x := range st.Xfs {
		switch code, ok := custom[x.NumFmtID]; {
		case ok:
			out[i] = code
		case x.NumFmtID == 0:
			out[i] = "General"
		default:
			out[i] = "built-in format " + strconv.Itoa(x.NumFmtID)
		}
	}
	return out, nil
}

// readSheet reads a worksheet's XML into rs, and returns the relationship
// id of its drawing, if it has one.
func (rs *rawSheet) readSheet(b []byte, shared, numFmts []string) (string, error) {
	rs.read = true
	rs.cells, rs.formats = map[string]string{}, map[string]string{}
	rs.hiddenRows, rs.hiddenCols = map[int]bool{}, map[int]bool{}
	format := func(style string) string {
		i, err := strconv.Atoi(style)
		switch {
		case style == "" || err != nil:
			i = 0
		case i < 0 || i >= len(numFmts):
			return "missing style " + style
		}
		if i < len(numFmts) {
			return numFmts[i]
		}
		return "General"
	}
	type cell struct {
		R  string `xml:"r,attr"`
		S  string `xml:"s,attr"`
		T  string `xml:"t,attr"`
		V  string `xml:"v"`
		IS struct {
			T string `xml:"t"`
			R []struct {
				T string `xml:"t"`
			} `xml:"r"`
		} `xml:"is"`
	}
	colStyle := map[int]string{}
	rowStyle := ""
	row, col := 0, 0
	drawing := ""
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return drawing, nil
		}
		if err != nil {
			return "", err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "col":
			lo, _ := strconv.Atoi(xmlAttr(se, "min"))
			hi, _ := strconv.Atoi(xmlAttr(se, "max"))
			hidden := isTrue(xmlAttr(se, "hidden")) || xmlAttr(se, "width") == "0"
			for c := max(lo, 1); c <= min(hi, excelize.MaxColumns); c++ {
				if hidden {
					rs.hiddenCols[c] = true
				}
				if s := xmlAttr(se, "style"); s != "" {
					colStyle[c] = s
				}
			}
		case "row":
			row++
			if r, err := strconv.Atoi(xmlAttr(se, "r")); err == nil {
				row = r
			}
			col = 0
			if isTrue(xmlAttr(se, "hidden")) || (isTrue(xmlAttr(se, "customHeight")) && zeroNumber(xmlAttr(se, "ht"))) {
				rs.hiddenRows[row] = true
			}
			rowStyle = ""
			if isTrue(xmlAttr(se, "customFormat")) {
				rowStyle = xmlAttr(se, "s")
			}
		case "drawing":
			for _, a := range se.Attr {
				if a.Name.Local == "id" {
					drawing = a.Value
				}
			}
		case "c":
			var c cell
			if err := dec.DecodeElement(&c, &se); err != nil {
				return "", err
			}
			col++
			if cc, rr, err := excelize.CellNameToCoordinates(c.R); err == nil {
				col, row = cc, rr
			}
			ref, _ := excelize.CoordinatesToCellName(col, max(row, 1))
			v := c.V
			switch c.T {
			case "s":
				if i, err := strconv.Atoi(strings.TrimSpace(c.V)); err == nil && i >= 0 && i < len(shared) {
					v = shared[i]
				}
			case "inlineStr":
				v = c.IS.T
				for _, r := range c.IS.R {
					v += r.T
				}
			}
			if v == "" {
				continue
			}
			rs.cells[ref] = v
			style := c.S
			if style == "" {
				style = rowStyle
			}
			if style == "" {
				style = colStyle[col]
			}
			rs.formats[ref] = format(style)
		}
	}
}

// isTrue reports whether an XML boolean attribute is set.
func isTrue(s string) bool { return s == "1" || s == "true" }

// zeroNumber reports whether s is a number equal to 0.
func zeroNumber(s string) bool {
	x, err := strconv.ParseFloat(s, 64)
	return err == nil && x == 0
}

func xmlAttr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// readCharts reads the charts of the drawing (by relationship id) of the
// worksheet part sheet, in the drawing's order.
func readCharts(read data.Parts, sheet, drawing string) ([]rawChart, error) {
	rels, err := data.Rels(read, sheet)
	if err != nil {
		return nil, err
	}
	part := rels[drawing]
	b, err := read(part)
	if err != nil {
		return nil, err
	}
	chartRels, err := data.Rels(read, part)
	if err != nil {
		return nil, err
	}
	var out []rawChart
	dec := xml.NewDecoder(bytes.NewReader(b))
	anchor, inFrom := "", false
	var col, row int
	var field string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", part, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "from":
				inFrom, col, row = true, 0, 0
			case "col", "row":
				if inFrom {
					field = t.Name.Local
				}
			case "chart":
				for _, a := range t.Attr {
					if a.Name.Local != "id" {
						continue
					}
					cb, err := read(chartRels[a.Value])
					if err != nil {
						return nil, err
					}
					props, err := chartProps(cb)
					if err != nil {
						return nil, fmt.Errorf("%s: %w", chartRels[a.Value], err)
					}
					out = append(out, rawChart{anchor: anchor, props: props})
				}
			}
		case xml.CharData:
			n, err := strconv.Atoi(strings.TrimSpace(string(t)))
			if err == nil && field == "col" {
				col = n
			} else if err == nil && field == "row" {
				row = n
			}
		case xml.EndElement:
			field = ""
			if t.Name.Local == "from" {
				inFrom = false
				anchor, _ = excelize.CoordinatesToCellName(col+1, row+1)
			}
		}
	}
}

// chartProps reads what a reader sees of a chart: its type(s), its title
// and axis titles, and each series' name and the cells its categories and
// values come from ("series 2 values" → "Ranking!$C$2:$C$9").
func chartProps(b []byte) (map[string]string, error) {
	props := map[string]string{}
	add := func(k, v string) {
		if old, ok := props[k]; ok {
			v = old + " | " + v
		}
		props[k] = v
	}
	var stack []string
	ser, axis := 0, 0
	title := -1 // the depth of the title being read, or −1
	titleLabel := ""
	var text strings.Builder
	dec := xml.NewDecoder(bytes.NewReader(b))
	label := func() string {
		// The innermost series part or axis of the stack.
		part, where := "", ""
		for _, s := range stack {
			switch s {
			case "tx":
				part = "name"
			case "cat", "xVal":
				part = "categories"
			case "val", "yVal":
				part = "values"
			case "bubbleSize":
				part = "sizes"
			case "ser":
				where = fmt.Sprintf("series %d", ser)
			case "catAx", "valAx", "dateAx", "serAx":
				where = fmt.Sprintf("axis %d", axis)
			}
		}
		return strings.TrimSpace(where + " " + part)
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return props, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := t.Name.Local
			stack = append(stack, n)
			switch {
			case n == "ser":
				ser++
			case n == "catAx" || n == "valAx" || n == "dateAx" || n == "serAx":
				axis++
			case n == "title" && title < 0:
				title = len(stack)
				titleLabel = strings.TrimSpace(label() + " title")
				text.Reset()
			case strings.HasSuffix(n, "Chart") && len(stack) >= 2 && stack[len(stack)-2] == "plotArea":
				add("type", n)
			case n == "numFmt":
				add(strings.TrimSpace(label()+" number format"), xmlAttr(t, "formatCode"))
			case n == "delete" && len(stack) >= 2 && strings.HasSuffix(stack[len(stack)-2], "Ax") && isTrue(xmlAttr(t, "val")):
				add(fmt.Sprintf("axis %d", axis), "deleted")
			}
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			switch leaf := stack[len(stack)-1]; {
			case title >= 0 && leaf == "t":
				text.Write(t)
			case title >= 0 && leaf == "f":
				text.WriteString("=" + strings.TrimSpace(string(t)))
			case title < 0 && leaf == "f":
				add(label(), strings.TrimSpace(string(t)))
			case title < 0 && leaf == "v" && !strings.HasSuffix(stack[len(stack)-2], "Cache") && stack[len(stack)-2] != "pt":
				add(label(), string(t)) // a literal series name
			}
		case xml.EndElement:
			if title == len(stack) {
				add(titleLabel, text.String())
				title = -1
			}
			stack = stack[:len(stack)-1]
		}
	}
}
