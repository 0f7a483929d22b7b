package reports

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"
)

// rawBook holds every cell of a workbook as stored in its XML: numbers as
// written (full precision: excelize's reading rounds to 15 significant
// digits), shared strings resolved, by sheet name and cell reference.
type rawBook struct {
	order []string
	cells map[string]map[string]string
}

// maxRawPart bounds one part of a workbook read by readRawBook.
const maxRawPart = 256 << 20

// readRawBook reads the cells of an .xlsx workbook's bytes.
func readRawBook(b []byte) (*rawBook, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	read := func(name string) ([]byte, error) {
		f, ok := files[name]
		if !ok {
			return nil, fmt.Errorf("no part %s", name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, maxRawPart+1))
		if len(b) > maxRawPart {
			return nil, fmt.Errorf("part %s is too large", name)
		}
		return b, err
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	for name, dst := range map[string]any{"xl/workbook.xml": &wb, "xl/_rels/workbook.xml.rels": &rels} {
		b, err := read(name)
		if err != nil {
			return nil, err
		}
		if err := xml.Unmarshal(b, dst); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
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
	target := map[string]string{}
	for _, r := range rels.Rels {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		target[r.ID] = t
	}
	rb := &rawBook{cells: map[string]map[string]string{}}
	for _, s := range wb.Sheets {
		b, err := read(target[s.ID])
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", s.Name, err)
		}
		cells, err := rawCells(b, shared)
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", s.Name, err)
		}
		rb.order = append(rb.order, s.Name)
		rb.cells[s.Name] = cells
	}
	return rb, nil
}

// rawCells reads a worksheet's cells: reference → value as stored.
func rawCells(b []byte, shared []string) (map[string]string, error) {
	type cell struct {
		R  string `xml:"r,attr"`
		T  string `xml:"t,attr"`
		V  string `xml:"v"`
		IS struct {
			T string `xml:"t"`
			R []struct {
				T string `xml:"t"`
			} `xml:"r"`
		} `xml:"is"`
	}
	out := map[string]string{}
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "c" {
			continue
		}
		var c cell
		if err := dec.DecodeElement(&c, &se); err != nil {
			return nil, err
		}
		v := c.V
		switch c.T {
		case "s":
			var i int
			if _, err := fmt.Sscanf(c.V, "%d", &i); err == nil && i >= 0 && i < len(shared) {
				v = shared[i]
			}
		case "inlineStr":
			v = c.IS.T
			for _, r := range c.IS.R {
				v += r.T
			}
		}
		if v != "" {
			out[c.R] = v
		}
	}
}
