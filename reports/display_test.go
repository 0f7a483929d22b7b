package reports

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/data/xlsxtest"
)

// TestDisplayEditsFound is issue 27's hostile case 9: reproduce and
// reproduce --quick passed a report whose number format showed £137.8m as
// "£137.8bn", whose top Ranking row was hidden, whose chart title was
// changed or chart re-pointed to another column, or whose About sheet's
// provenance was edited. Each edit is now named by CompareWorkbooks (what
// reproduce shows) and moves the digest QuickCheck compares; an unedited
// report, and one saved again unchanged, pass both.
func TestDisplayEditsFound(t *testing.T) {
	t.Parallel()
	r := *report(t, typical)
	r.Reproduce = &Reproduction{Digest: testDigest, Args: []string{"--seed=1"}, Dataset: []byte("version: 1\n")}
	write := func() []byte {
		var buf bytes.Buffer
		if err := WriteWorkbook(&buf, &r); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	file, recomputed := write(), write()
	skip := func(sheet, cell string) bool { return false }
	withExcelize := func(edit func(f *excelize.File)) []byte {
		f, err := excelize.OpenReader(bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		edit(f)
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	// The first chart's XML, edited by edit.
	inChart := func(edit func(s string) string) []byte {
		done := false
		out := xlsxtest.RewriteParts(t, file, func(name string, part []byte) []byte {
			if name != "xl/charts/chart1.xml" {
				return part
			}
			done = true
			return []byte(edit(string(part)))
		})
		if !done {
			t.Fatal("no xl/charts/chart1.xml")
		}
		return out
	}
	f, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// A money cell in millions on the Summary sheet, and its format.
	money, code := "", ""
	rows, _ := f.GetRows(sheetSummary)
	for i, row := range rows {
		for j := range row {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if v, _ := f.GetCellValue(sheetSummary, ref); money == "" && regexp.MustCompile(`^£\d+(\.\d+)?m$`).MatchString(v) {
				money = ref
				id, _ := f.GetCellStyle(sheetSummary, ref)
				st, _ := f.GetStyle(id)
				if st.CustomNumFmt != nil {
					code = *st.CustomNumFmt
				}
			}
		}
	}
	if money == "" || !strings.Contains(code, `"m"`) {
		t.Fatalf("no Summary cell shown in £ millions (found %q, format %q)", money, code)
	}
	about, provenance := "", ""
	aboutRows, _ := f.GetRows(sheetAbout)
	for i, row := range aboutRows {
		if len(row) > 0 && strings.HasPrefix(row[0], "Provenance.") {
			about, provenance = "A"+strconv.Itoa(i+1), row[0]
		}
	}
	draws := regexp.MustCompile(`[\d,]+ outer draws`)
	if !draws.MatchString(provenance) {
		t.Fatalf("no About paragraph on provenance naming the draws: %q", provenance)
	}

	tests := []struct {
		name string
		file []byte
		want string // "" for none
	}{
		{"unedited", file, ""},
		{"saved again", withExcelize(func(*excelize.File) {}), ""},
		{"£m shown as £bn", withExcelize(func(f *excelize.File) {
			bn := strings.ReplaceAll(code, `"m"`, `"bn"`)
			id, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &bn})
			f.SetCellStyle(sheetSummary, money, money, id)
		}), `Summary!` + money + ` \(number format\): the file says £[\d.]+bn, the inputs give £[\d.]+m`},
		{"top Ranking row hidden", withExcelize(func(f *excelize.File) { f.SetRowVisible(sheetRanking, 2, false) }),
			`Ranking!2:2 \(row\): the file says hidden, the inputs give shown`},
		{"Ranking sheet hidden", withExcelize(func(f *excelize.File) { f.SetSheetVisible(sheetRanking, false) }),
			`Ranking \(sheet\): the file says hidden, the inputs give visible`},
		{"a column hidden", withExcelize(func(f *excelize.File) { f.SetColVisible(sheetRanking, "C", false) }),
			`Ranking!C:C \(column\): the file says hidden, the inputs give shown`},
		{"chart title", inChart(func(s string) string {
			return regexp.MustCompile(`(<(?:c:)?title>.*?<a:t>)[^<]*`).ReplaceAllString(s, "${1}Edited title")
		}), `!\w+\d+ \(chart 1 title\): the file says "Edited title", the inputs give "[^"]+"`},
		{"chart re-pointed", inChart(func(s string) string {
			return regexp.MustCompile(`(<(?:c:)?val><(?:c:)?numRef><(?:c:)?f>[^<]*!\$)([A-Z]+)`).ReplaceAllStringFunc(s, func(m string) string {
				return m[:len(m)-1] + string(m[len(m)-1]+1)
			})
		}), `\(chart 1 series 1 values\): the file says "[^"]+", the inputs give "[^"]+"`},
		{"About's draws", withExcelize(func(f *excelize.File) {
			f.SetCellValue(sheetAbout, about, draws.ReplaceAllString(provenance, "4,000 outer draws"))
		}), `About!` + about + `: the file says Provenance\..*4,000 outer draws`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			diffs, err := CompareWorkbooks(tt.file, recomputed, skip)
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, d := range diffs {
				lines = append(lines, d.String())
			}
			got := strings.Join(lines, "\n")
			recorded, now, err := QuickCheck(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" {
				if len(diffs) > 0 {
					t.Errorf("CompareWorkbooks =\n%s\nwant nothing", got)
				}
				if recorded != now || len(now) != 64 {
					t.Errorf("QuickCheck: recorded %q, now %q; want them equal", recorded, now)
				}
				return
			}
			if len(diffs) != 1 || !regexp.MustCompile(tt.want).MatchString(got) {
				t.Errorf("CompareWorkbooks =\n%s\nwant one line matching %s", got, tt.want)
			}
			if recorded == now || recorded == "" {
				t.Errorf("QuickCheck: recorded %q, now %q; want them to differ", recorded, now)
			}
		})
	}
}
