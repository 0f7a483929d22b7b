package data

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"
)

// Parts reads the parts of an .xlsx workbook by name ("xl/workbook.xml"),
// each at most a limit of bytes unpacked, so that a small file cannot
// make its reader hold gigabytes. It is how CheckExtent and the reports'
// raw readers (reproduce, merge) read a workbook's XML without excelize,
// which lays every sheet out in memory first.
type Parts func(name string) ([]byte, error)

// ZipParts returns the Parts of the zip archive zr, each read at most
// limit bytes: a part larger than that is an error naming it.
func ZipParts(zr *zip.Reader, limit int64) Parts {
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	return func(name string) ([]byte, error) {
		f, ok := files[name]
		if !ok {
			return nil, fmt.Errorf("no part %s", name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, limit+1))
		if int64(len(b)) > limit {
			return nil, fmt.Errorf("part %s is larger than %d MiB unpacked", name, limit>>20)
		}
		return b, err
	}
}

// SheetPart is a worksheet of a workbook: its name, the part holding it
// ("xl/worksheets/sheet1.xml"), and its state ("" or "visible" for a
// visible sheet, "hidden" or "veryHidden").
type SheetPart struct {
	Name, Part, State string
}

// SheetParts lists a workbook's worksheets in the workbook's order, from
// xl/workbook.xml and its relationships. A sheet whose relationship is
// missing has Part "".
func SheetParts(read Parts) ([]SheetPart, error) {
	var wb struct {
		Sheets []struct {
			Name  string `xml:"name,attr"`
			State string `xml:"state,attr"`
			ID    string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := readXML(read, "xl/workbook.xml", &wb); err != nil {
		return nil, err
	}
	target, err := Rels(read, "xl/workbook.xml")
	if err != nil {
		return nil, err
	}
	var out []SheetPart
	for _, s := range wb.Sheets {
		out = append(out, SheetPart{Name: s.Name, Part: target[s.ID], State: s.State})
	}
	return out, nil
}

// Rels returns the relationships of the part named part (read from its
// _rels file), each id mapped to the target part's full name; none when
// the part has no _rels file.
func Rels(read Parts, part string) (map[string]string, error) {
	dir, file := path.Split(part)
	relsName := dir + "_rels/" + file + ".rels"
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
			Mode   string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	target := map[string]string{}
	b, err := read(relsName)
	if err != nil {
		return target, nil // no relationships
	}
	if err := xml.Unmarshal(b, &rels); err != nil {
		return nil, fmt.Errorf("%s: %w", relsName, err)
	}
	for _, r := range rels.Rels {
		t := r.Target
		switch {
		case r.Mode == "External":
		case strings.HasPrefix(t, "/"):
			t = strings.TrimPrefix(t, "/")
		default:
			t = path.Join(dir, t)
		}
		target[r.ID] = t
	}
	return target, nil
}

// readXML reads the part name into v.
func readXML(read Parts, name string, v any) error {
	b, err := read(name)
	if err != nil {
		return err
	}
	if err := xml.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
