package reports

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"slices"
	"strings"
)

// canonicalZip rewrites the .xlsx archive b so that the same workbook is
// always the same bytes: its parts in name order ([Content_Types].xml
// first) and [Content_Types].xml's Default and Override entries sorted
// (excelize writes both in map order, which changes from run to run).
func canonicalZip(b []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	files := slices.Clone(zr.File)
	slices.SortFunc(files, func(x, y *zip.File) int {
		if (x.Name == "[Content_Types].xml") != (y.Name == "[Content_Types].xml") {
			if x.Name == "[Content_Types].xml" {
				return -1
			}
			return 1
		}
		return strings.Compare(x.Name, y.Name)
	})
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range files {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		part, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		if f.Name == "[Content_Types].xml" {
			part = sortContentTypes(part)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: f.Modified})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(part); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

var contentTypeEntry = regexp.MustCompile(`<(?:Default|Override)\s[^>]*?(?:/>|>\s*</(?:Default|Override)>)`)

// sortContentTypes sorts [Content_Types].xml's entries: Defaults, then
// Overrides, each in text order.
func sortContentTypes(x []byte) []byte {
	locs := contentTypeEntry.FindAllIndex(x, -1)
	if len(locs) == 0 {
		return x
	}
	var entries []string
	for _, l := range locs {
		entries = append(entries, string(x[l[0]:l[1]]))
	}
	slices.SortStableFunc(entries, func(a, b string) int {
		if da, db := strings.HasPrefix(a, "<Default"), strings.HasPrefix(b, "<Default"); da != db {
			if da {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	// The entries are contiguous children of <Types>: put them back in the
	// span they took.
	first, last := locs[0][0], locs[len(locs)-1][1]
	between := string(x[first:last])
	for _, e := range entries {
		between = strings.Replace(between, e, "\x00", 1)
	}
	if strings.Trim(between, "\x00 \t\r\n") != "" {
		return x // something else between them: leave the file as it is
	}
	return slices.Concat(x[:first], []byte(strings.Join(entries, "")), x[last:])
}
