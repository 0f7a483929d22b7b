package data

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/model"
)

// LoadWorkbook reads a dataset, its run settings and its scenarios from an
// .xlsx workbook in the format WriteTemplate writes, names it name in
// errors, and validates it.
//
// It takes what real spreadsheets hold: columns in any order, headers in
// any case and spacing, blank rows, numbers stored as text, amounts such as
// £1.2m, 250k or 1,200,000, shares such as 30%, stray spaces, and formulas
// (their saved values). Every problem is a *CellError naming the sheet and
// cell, and all are returned at once, joined. The error covers the dataset
// and the settings; a problem with one scenario row is in that Scenario's
// Err, so that the other rows can still run (when the error is not nil, it
// lists the scenarios' problems too).
//
// The workbook is read from memory, at most 32 MiB of it, and opened with
// limits on what it unpacks to (64 MiB, and 16 MiB of XML per part in
// memory), and refused when its sheets span more than MaxSheetCells cells
// (CheckExtent), so a hostile file is refused, not a crash. r is only
// read.
func LoadWorkbook(r io.Reader, name string) (ds *Dataset, s Settings, scns []Scenario, err error) {
	defer func() {
		if p := recover(); p != nil {
			ds, s, scns = nil, Settings{}, nil
			err = fmt.Errorf("%s: cannot read the workbook: %v", name, p)
		}
	}()
	b, err := io.ReadAll(io.LimitReader(r, maxWorkbookSize+1))
	if err != nil {
		return nil, Settings{}, nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(b) > maxWorkbookSize {
		return nil, Settings{}, nil, fmt.Errorf("%s: larger than %d MiB: not an inputs workbook", name, maxWorkbookSize>>20)
	}
	if err := CheckExtent(b, name, unzipXMLLimit, MaxSheetCells); err != nil {
		return nil, Settings{}, nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: unzipSizeLimit, UnzipXMLSizeLimit: unzipXMLLimit})
	if err != nil {
		if f != nil {
			f.Close()
		}
		return nil, Settings{}, nil, fmt.Errorf("%s: not a readable .xlsx workbook (%v)", name, err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("%s: %w", name, cerr)
		}
	}()
	l := &loader{f: f, file: name, lines: map[string]int{}, props: readFingerprintProps(f)}
	return l.load()
}

// loader reads one workbook.
type loader struct {
	f      *excelize.File
	file   string
	sheets map[string]string // normalized name → name in the file
	order  map[string]int    // name in the file → its place
	index  cellIndex
	lines  map[string]int
	errs   []error
	edited []string
	broken map[*table]bool // tables missing a required column
	// brokenSheets names the sheets missing a required column: references
	// to their rows are not checked (one problem, not one a row).
	brokenSheets map[string]bool
	// settingCells holds the sheet and cell of each setting read.
	settingCells map[string][2]string
	// currency is the dataset's currency code, from the Settings sheet.
	currency string
	// props holds the template values kept in the custom properties.
	props map[string]string
	// numFmts caches the number formats of the styles read (see numFmt).
	numFmts map[int]numFmt
}

// Edited returns the cells of the numbers a workbook changed without giving
// a source (so tagged J, "edited in <file>"), e.g. "Threats!D3 (rate)". It
// is empty for a dataset read from text.
func (ds *Dataset) Edited() []string { return slices.Clone(ds.edited) }

func (l *loader) load() (*Dataset, Settings, []Scenario, error) {
	l.sheets, l.order = map[string]string{}, map[string]int{}
	l.broken = map[*table]bool{}
	l.brokenSheets = map[string]bool{}
	l.settingCells = map[string][2]string{}
	for i, name := range l.f.GetSheetList() {
		l.order[name] = i
		if _, dup := l.sheets[norm(name)]; !dup {
			l.sheets[norm(name)] = name
		}
	}
	ds := &Dataset{File: l.file}
	st := l.settings(ds)
	l.currency = ds.Currency
	l.sources(ds)
	l.calibration(ds)
	l.holdouts(ds)
	l.scopes(ds)
	ds.cells, ds.lines = &l.index, l.lines
	ds.edited = l.edited
	errs := slices.Clone(l.errs)
	if err := ds.Validate(); err != nil {
		errs = append(errs, unjoin(err)...)
	}
	errs = append(errs, l.checkSettings(ds, &st)...)
	scns := l.scenarios(ds, st)
	errs = append(errs, l.checkBaseline(st, scns)...)
	if len(errs) > 0 {
		for _, sc := range scns {
			if sc.Err != nil {
				errs = append(errs, unjoin(sc.Err)...)
			}
		}
		l.sort(errs)
		return nil, Settings{}, nil, errors.Join(errs...)
	}
	return ds, st, scns, nil
}

// sort orders problems by sheet, then row, then column.
func (l *loader) sort(errs []error) {
	key := func(e error) (int, int, int) {
		var ce *CellError
		if !errors.As(e, &ce) {
			return -1, 0, 0
		}
		sh, ok := l.order[ce.Sheet]
		if !ok {
			sh = len(l.order)
		}
		col, row, _ := excelize.CellNameToCoordinates(ce.Cell)
		return sh, row, col
	}
	slices.SortStableFunc(errs, func(a, b error) int {
		as, ar, ac := key(a)
		bs, br, bc := key(b)
		return cmp.Or(cmp.Compare(as, bs), cmp.Compare(ar, br), cmp.Compare(ac, bc))
	})
}

func (l *loader) errf(sheet, cell, field, format string, args ...any) {
	l.errs = append(l.errs, &CellError{File: l.file, Sheet: sheet, Cell: cell, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// table is a table sheet as read.
type table struct {
	spec  *spec
	sheet string // as named in the file
	// cols maps a text field's name, or a number's name and part
	// ("rate/lo"), to its 1-based column.
	cols map[string]int
	fp   int // the template values column, or 0
	// props holds the workbook's template values by property name.
	props map[string]string
	rows  []sheetRow
}

// sheetRow is one non-blank row: its number and its cells' raw text.
type sheetRow struct {
	n     int
	cells []string
}

// get returns the trimmed text of a row's cell in column col (0: none).
func (t *table) get(r sheetRow, col int) string {
	if col < 1 || col > len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[col-1])
}

// text returns a text field's value in a row.
func (t *table) text(r sheetRow, name string) string { return t.get(r, t.cols[name]) }

// columnFor returns the column a problem with field seg points to: a
// number's lo column (or its source column for a provenance problem), a
// text field's column, or the row's first column.
func (t *table) columnFor(seg string, prov bool) int {
	var nums []*field
	for i := range t.spec.fields {
		fd := &t.spec.fields[i]
		if fd.num {
			nums = append(nums, fd)
		}
		if norm(fd.name) != norm(seg) {
			continue
		}
		if !fd.num {
			if c := t.cols[fd.name]; c > 0 {
				return c
			}
			continue
		}
		return t.numColumn(fd.name, prov)
	}
	if len(nums) == 1 { // the Calibration sheet: every number is "value"
		return t.numColumn(nums[0].name, prov)
	}
	first := 0
	for _, c := range t.cols {
		if first == 0 || c < first {
			first = c
		}
	}
	return first
}

func (t *table) numColumn(name string, prov bool) int {
	parts := []string{"/lo", "/hi", "/source"}
	if prov {
		parts = []string{"/source", "/lo", "/hi"}
	}
	for _, p := range parts {
		if c := t.cols[name+p]; c > 0 {
			return c
		}
	}
	return 0
}

// readTable reads a table sheet: its header row (the first non-blank one)
// and the non-blank rows under it. It returns nil when the sheet is
// missing, reporting that when required.
func (l *loader) readTable(sp *spec, required bool) *table {
	name, ok := l.sheets[norm(sp.sheet)]
	if !ok {
		if required {
			l.errf(sp.sheet, "", "", "no %s sheet in the workbook", sp.sheet)
		}
		return nil
	}
	rows, err := l.rows(name)
	if err != nil {
		l.errf(name, "", "", "%v", err)
		return nil
	}
	t := &table{spec: sp, sheet: name, cols: map[string]int{}, props: l.props}
	if len(rows) == 0 {
		l.checkColumns(t, nil)
		return t
	}
	known := map[string]string{} // normalized header → column key
	display := map[string]string{}
	for i := range sp.fields {
		fd := &sp.fields[i]
		if !fd.num {
			for _, k := range fd.keys("") {
				known[k], display[k] = fd.name, fd.head
			}
			continue
		}
		for _, p := range []string{"lo", "hi", "source"} {
			for _, k := range fd.keys(p) {
				known[k], display[k] = fd.name+"/"+p, numHead(fd.head, p)
			}
		}
	}
	// The header is the first row naming a required column (rows above it,
	// such as a title, are not read), or else the first row.
	h := slices.IndexFunc(rows[:min(len(rows), 20)], func(r sheetRow) bool {
		return slices.ContainsFunc(r.cells, func(c string) bool {
			key, ok := known[norm(c)]
			return ok && sp.requiredKey(key)
		})
	})
	head := rows[max(h, 0)]
	t.rows = rows[max(h, 0)+1:]
	var blank []int
	for i, h := range head.cells {
		col := i + 1
		h = strings.TrimSpace(h)
		k := norm(h)
		switch key, ok := known[k]; {
		case strings.HasPrefix(h, "#"):
		case k == "":
			blank = append(blank, col)
		case ok && t.cols[key] > 0:
			l.errf(name, cellName(col, head.n), "", "column %q appears twice (also in %s)", h, colLetters(t.cols[key]))
		case ok:
			t.cols[key] = col
		case k == norm(fingerprintHead) && sp.fingerprint:
			t.fp = col
		default:
			msg := fmt.Sprintf("unknown column %q", h)
			if s := suggest(k, display); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			l.errf(name, cellName(col, head.n), "", "%s; start a header with # to keep a column of your own", msg)
		}
	}
	width := len(head.cells)
	for _, r := range t.rows {
		width = max(width, len(r.cells))
	}
	for col := len(head.cells) + 1; col <= width; col++ {
		blank = append(blank, col)
	}
	for _, col := range blank {
		for _, r := range t.rows {
			if t.get(r, col) != "" {
				l.errf(name, cellName(col, r.n), "", "data in a column with no header (row %d): give it a header, or start one with # for a column of your own", head.n)
				break
			}
		}
	}
	l.checkColumns(t, &head)
	return t
}

// requiredKey reports whether a column key (a field's name, or a number's
// "name/lo") is a required field's.
func (sp *spec) requiredKey(key string) bool {
	name, part, _ := strings.Cut(key, "/")
	for _, fd := range sp.fields {
		if fd.name == name && fd.required && (part == "" || part == "lo") {
			return true
		}
	}
	return false
}

// checkColumns reports a table's missing required columns.
func (l *loader) checkColumns(t *table, head *sheetRow) {
	for _, fd := range t.spec.fields {
		key, what := fd.name, fd.head
		if fd.num {
			key, what = fd.name+"/lo", numHead(fd.head, "lo")
		}
		if fd.required && t.cols[key] == 0 {
			where := ""
			if head != nil {
				where = fmt.Sprintf(" (headers are read from row %d)", head.n)
			}
			l.errf(t.sheet, "", "", "missing column %q%s", what, where)
			l.broken[t] = true
			l.brokenSheets[t.spec.sheet] = true
		}
	}
}

// suggest returns the known header nearest k, if near enough.
func suggest(k string, display map[string]string) string {
	best, bestD := "", math.MaxInt
	for key, d := range display {
		if dist := levenshtein(k, key); dist < bestD || (dist == bestD && d < best) {
			best, bestD = d, dist
		}
	}
	if bestD <= max(2, len(k)/4) {
		return best
	}
	return ""
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			sub := prev[j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, sub)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// colLetters returns a column's letters.
func colLetters(col int) string {
	return strings.TrimRight(cellName(col, 1), "0123456789")
}

// rows reads a sheet's non-blank rows, with the cells' raw values (full
// precision, formulas' saved values).
func (l *loader) rows(sheet string) ([]sheetRow, error) {
	it, err := l.f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	var out []sheetRow
	n := 0
	for it.Next() {
		n++
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			it.Close()
			return nil, err
		}
		if blankRow(cells) {
			continue
		}
		if n > maxSheetRows {
			it.Close()
			return nil, fmt.Errorf("data in row %d: a sheet is read to row %s at most", n, grouped(maxSheetRows))
		}
		out = append(out, sheetRow{n: n, cells: cells})
	}
	if err := it.Error(); err != nil {
		it.Close()
		return nil, err
	}
	return out, it.Close()
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// formulaWithoutValue reports whether a blank cell holds a formula whose
// value was never saved (a file written by a program that does not
// calculate).
func (l *loader) formulaWithoutValue(sheet string, col, row int) bool {
	if col < 1 {
		return false
	}
	f, err := l.f.GetCellFormula(sheet, cellName(col, row))
	return err == nil && f != ""
}

const noValueMsg = "holds a formula with no saved value: open the workbook in Excel (or LibreOffice) and save it, or type the value"

// rowPos registers a table row's position.
func (l *loader) rowPos(t *table, r sheetRow) int {
	return l.index.add(position{sheet: t.sheet, row: r.n, tab: t})
}

// cellPos registers a cell's position.
func (l *loader) cellPos(t *table, r sheetRow, col int) int {
	return l.index.add(position{sheet: t.sheet, row: r.n, col: col, tab: t})
}

// sheetPos registers a whole sheet's position.
func (l *loader) sheetPos(sheet string) int {
	if name, ok := l.sheets[norm(sheet)]; ok {
		sheet = name
	}
	return l.index.add(position{sheet: sheet})
}

// number reads the number of field name in a row, or nil when its cells
// are blank. A problem with a cell is kept in the number (bad), with the
// cell's position, for Validate to report with the rest.
func (l *loader) number(t *table, r sheetRow, name string, kind cellKind, fp map[string]original) *Number {
	loC, hiC, srcC := t.cols[name+"/lo"], t.cols[name+"/hi"], t.cols[name+"/source"]
	lo, hi, src := t.get(r, loC), t.get(r, hiC), t.get(r, srcC)
	bad := func(col int, format string, args ...any) *Number {
		return &Number{bad: fmt.Sprintf(format, args...), ref: l.cellPos(t, r, col)}
	}
	if lo == "" && l.formulaWithoutValue(t.sheet, loC, r.n) {
		return bad(loC, noValueMsg)
	}
	if hi == "" && l.formulaWithoutValue(t.sheet, hiC, r.n) {
		return bad(hiC, noValueMsg)
	}
	switch {
	case lo == "" && hi == "" && src == "":
		return nil
	case lo == "" && hi == "":
		return bad(loC, "the number is blank but its source is given: give lo (and hi for an interval), or clear the source")
	case lo == "":
		return bad(loC, "lo is blank: give lo alone for a fixed value, or lo and hi for a 90%% interval")
	}
	for _, c := range []struct {
		col  int
		text string
	}{{loC, lo}, {hiC, hi}} {
		if c.text != "" {
			if msg := l.cellProblem(t.sheet, c.col, r.n, c.text, kind); msg != "" {
				return bad(c.col, "%s", msg)
			}
		}
	}
	n := &Number{ref: l.rowPos(t, r)}
	var msg string
	if n.Lo, msg = parseCell(lo, kind); msg != "" {
		return bad(loC, "%s", msg)
	}
	n.Hi = n.Lo
	if hi != "" {
		if n.Hi, msg = parseCell(hi, kind); msg != "" {
			return bad(hiC, "%s", msg)
		}
		n.ranged = true
	}
	o, had := fp[name]
	changed := had && (n.Lo != o.lo || n.Hi != o.hi)
	where := fmt.Sprintf("%s!%s (%s)", sheetRef(t.sheet), cellName(loC, r.n), t.label(r, name))
	file := filepath.Base(l.file)
	switch {
	case src == "":
		n.Tag, n.Note = "J", "edited in "+file
		l.edited = append(l.edited, where)
	case changed && provenanceHash(src) == o.hash:
		was := Number{Lo: o.lo, Hi: o.hi}
		n.Tag, n.Note = "J", fmt.Sprintf("edited in %s; the template had %s, %s", file, was, src)
		l.edited = append(l.edited, where)
	default:
		if n.Tag, n.Src, n.Note, msg = parseProvenance(src); msg != "" {
			return bad(srcC, "%s", msg)
		}
	}
	return n
}

// label names a number of a row for people: "rate of S1", "frequency of
// C1 on T1", "deflator".
func (t *table) label(r sheetRow, name string) string {
	what := strings.TrimSpace(numHead(t.spec.field(name).head, ""))
	switch {
	case t.cols["item"] > 0:
		item := t.text(r, "item")
		if id := t.text(r, "id"); id != "" {
			item += " " + id
		}
		return item
	case t.cols["control"] > 0:
		return fmt.Sprintf("%s of %s on %s", what, t.text(r, "control"), t.text(r, "threat"))
	case t.text(r, "id") != "":
		return what + " of " + t.text(r, "id")
	}
	return what
}

// fingerprint returns a row's template values.
func (t *table) fingerprint(r sheetRow) map[string]original {
	if v, ok := t.props[fingerprintProp(t.spec.sheet, t.key(r))]; ok {
		return parseFingerprint(v)
	}
	if t.fp == 0 {
		return nil
	}
	return parseFingerprint(t.get(r, t.fp))
}

// settings reads the Settings sheet: the dataset's name, currency, price
// year and version, and the run settings.
func (l *loader) settings(ds *Dataset) Settings {
	st := DefaultSettings()
	ds.Version = 1
	for _, k := range []string{"name", "currency", "price_year", "version"} {
		l.lines[k] = l.sheetPos(sheetSettings)
	}
	t := l.readTable(&settingsSpec, false)
	if t == nil || l.broken[t] {
		return st
	}
	seen := map[string]int{}
	valueCol := t.cols["value"]
	for _, r := range t.rows {
		keyCell := cellName(t.cols["setting"], r.n)
		key := t.text(r, "setting")
		i := slices.IndexFunc(settingKeys, func(s setting) bool {
			return norm(s.key) == norm(key) || slices.ContainsFunc(s.aliases, func(a string) bool { return norm(a) == norm(key) })
		})
		if i < 0 {
			display := map[string]string{}
			for _, s := range settingKeys {
				display[norm(s.key)] = s.key
			}
			msg := fmt.Sprintf("unknown setting %q", key)
			if s := suggest(norm(key), display); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			l.errf(t.sheet, keyCell, "", "%s", msg)
			continue
		}
		k := settingKeys[i].key
		if prev, dup := seen[k]; dup {
			l.errf(t.sheet, keyCell, k, "set twice (also on row %d)", prev)
			continue
		}
		seen[k] = r.n
		cell := cellName(valueCol, r.n)
		v := t.text(r, "value")
		if v == "" && l.formulaWithoutValue(t.sheet, valueCol, r.n) {
			l.errf(t.sheet, cell, k, noValueMsg)
			continue
		}
		pos := l.cellPos(t, r, valueCol)
		l.settingCells[k] = [2]string{t.sheet, cell}
		bad := func(msg string) { l.errf(t.sheet, cell, k, "%s", msg) }
		// A TRUE, a date or a number in a date format is not the setting
		// it shows (TRUE in draws ran 1 draw). No setting is a logical
		// value.
		if v != "" {
			if msg := l.cellProblem(t.sheet, valueCol, r.n, v, kindFraction); msg != "" {
				bad(msg)
				continue
			}
		}
		switch k {
		case "name":
			ds.Name, l.lines["name"] = v, pos
		case "currency":
			ds.Currency, l.lines["currency"] = v, pos
		case "price year":
			ds.PriceYear, l.lines["price_year"] = v, pos
		case "format version":
			l.lines["version"] = pos
			if v != "" {
				n, msg := parseWhole(v, 0, math.MaxInt32)
				if msg != "" {
					bad(msg)
				}
				ds.Version = n
			}
		case "scope":
			st.Scope = v
		case "draws", "years", "horizon", "decision draws":
			if v == "" {
				continue
			}
			lim := map[string][2]int{"draws": {1, model.MaxDraws}, "years": {1, model.MaxYears}, "horizon": {1, model.MaxHorizon}, "decision draws": {0, model.MaxDraws}}[k]
			n, msg := parseWhole(v, lim[0], lim[1])
			if msg != "" {
				bad(msg)
				continue
			}
			switch k {
			case "draws":
				st.Draws = n
			case "years":
				st.Years = n
			case "decision draws":
				st.DecisionDraws = n
			default:
				st.Horizon = n
			}
		case "seed":
			if v != "" {
				seed, msg := parseSeed(v)
				if msg != "" {
					bad(msg)
				}
				st.Seed = seed
			}
		case "discount rate":
			if v == "" || norm(v) == "greenbook" {
				continue
			}
			r, msg := parseRateCell(v)
			if msg != "" {
				bad(msg)
				continue
			}
			st.Discount = &r
		case "optimism bias":
			if v == "" {
				continue
			}
			b, msg := parseCell(v, kindFraction)
			if msg == "" && b < 0 {
				msg = fmt.Sprintf("must not be negative, got %q", v)
			}
			if msg != "" {
				bad(msg)
				continue
			}
			st.OptimismBias = b
		case "budget", "capex budget":
			if v == "" || norm(v) == "none" {
				continue
			}
			a, msg := parseCell(v, kindAmount)
			if msg != "" {
				bad(msg)
				continue
			}
			if k == "budget" {
				st.Budget = &a
			} else {
				st.CapexBudget = &a
			}
		case "objective":
			if v != "" {
				st.Objective = strings.ToLower(v)
			}
		case "metric":
			if v != "" {
				st.Metric = strings.ToLower(v)
			}
		case "risk tolerance":
			st.RiskTolerance = v
		case "budget plan":
			st.BudgetPlan = v
			if v != "" {
				if _, err := ParseBudgetPlan(v, ""); err != nil {
					bad(err.Error())
				}
			}
		case "budget plan kind":
			st.BudgetPlanKind = strings.ToLower(v)
			if v != "" {
				if _, err := model.ParsePlanBudgetKind(st.BudgetPlanKind); err != nil {
					bad(Suggest(err).Error())
				}
			}
		case "view":
			if v == "" {
				continue
			}
			if _, err := model.ParseView(strings.ToLower(v)); err != nil {
				bad(Suggest(err).Error())
				continue
			}
			st.View = strings.ToLower(v)
		case "correlations":
			if _, err := ParseCorrelations(v); err != nil {
				bad(err.Error())
				continue
			}
			st.Correlations = v
		case "baseline scenario":
			st.Baseline = v
		}
	}
	return st
}

// parseRateCell reads a discount rate: a fraction in (−1, 1), or a
// percentage.
func parseRateCell(s string) (float64, string) {
	r, err := ParseRate(s)
	if err != nil || r <= -1 || r >= 1 {
		return 0, fmt.Sprintf("must be a rate such as 3.5%% or 0.035, between -100%% and 100%%, got %q", s)
	}
	return r, ""
}

// checkBaseline checks that the Settings' baseline scenario names a
// Scenarios row, suggesting the nearest name when it does not.
func (l *loader) checkBaseline(st Settings, scns []Scenario) []error {
	if st.Baseline == "" || slices.ContainsFunc(scns, func(sc Scenario) bool { return sc.Name == st.Baseline }) {
		return nil
	}
	var names []string
	for _, sc := range scns {
		names = append(names, sc.Name)
	}
	c := l.settingCells["baseline scenario"]
	msg := fmt.Sprintf("no Scenarios row is named %q%s", st.Baseline, didYouMean(st.Baseline, names))
	if len(names) == 0 {
		msg = fmt.Sprintf("%q: there are no Scenarios rows to compare with", st.Baseline)
	}
	return []error{&CellError{File: l.file, Sheet: c[0], Cell: c[1], Field: "baseline scenario", Msg: msg}}
}

// checkSettings checks the settings that depend on the dataset: the scope,
// and the names of the objective and metric.
func (l *loader) checkSettings(ds *Dataset, st *Settings) []error {
	var errs []error
	at := func(key string) (string, string) {
		if c, ok := l.settingCells[key]; ok {
			return c[0], c[1]
		}
		if name, ok := l.sheets[norm(sheetSettings)]; ok {
			return name, ""
		}
		return sheetSettings, ""
	}
	add := func(key, format string, args ...any) {
		sheet, cell := at(key)
		errs = append(errs, &CellError{File: l.file, Sheet: sheet, Cell: cell, Field: key, Msg: fmt.Sprintf(format, args...)})
	}
	if st.Scope != "" && len(ds.Scopes) > 0 {
		if _, err := ds.Scope(st.Scope); err != nil {
			add("scope", "no scope %q (the Scopes sheet has %s)%s", st.Scope, strings.Join(scopeIDs(ds), ", "), didYouMean(st.Scope, scopeIDs(ds)))
		}
	}
	if _, err := model.ParseObjective(st.Objective); err != nil {
		add("objective", "%v", Suggest(err))
	}
	if _, err := model.ParseMetric(st.Metric); err != nil {
		add("metric", "%v", Suggest(err))
	}
	if _, err := ParseTolerance(st.RiskTolerance); err != nil {
		add("risk tolerance", "%v", err)
	}
	// The options that depend on the scope, each on its own cell.
	if len(ds.Scopes) > 0 && !l.brokenSheets[sheetThreats] {
		sc := &ds.Scopes[0]
		if st.Scope != "" {
			sc, _ = ds.Scope(st.Scope)
		}
		budgets := map[string]string{}
		for k, key := range map[string]string{"budget": "budget", "capex_budget": "capex budget"} {
			if c, ok := l.settingCells[key]; ok {
				if v, err := l.f.GetCellValue(c[0], c[1]); err == nil && strings.TrimSpace(v) != "" && norm(v) != "none" {
					budgets[k] = v
				}
			}
		}
		if sc != nil {
			ps := scopeOptionProblems(ds, sc, st.View, st.Correlations, st.RiskTolerance, budgets)
			for _, k := range []string{"view", "correlations", "risk_tolerance", "budget", "capex_budget"} {
				if msg, ok := ps[k]; ok {
					add(strings.ReplaceAll(k, "_", " "), "%s", msg)
				}
			}
		}
	}
	if int64(st.Draws)*int64(st.Years) > 50_000_000 {
		add("years", "draws × years must be at most 50,000,000 simulated years, got %d", int64(st.Draws)*int64(st.Years))
	}
	return errs
}

func scopeIDs(ds *Dataset) []string {
	var ids []string
	for _, s := range ds.Scopes {
		ids = append(ids, s.ID)
	}
	return ids
}

// sources reads the Sources sheet.
func (l *loader) sources(ds *Dataset) {
	t := l.readTable(&sourcesSpec, false)
	if t == nil {
		return
	}
	for _, r := range t.rows {
		p := l.rowPos(t, r)
		at := fmt.Sprintf("sources[%d]", len(ds.Sources))
		l.lines[at], l.lines[at+".id"] = p, p
		s := Source{ID: t.text(r, "id"), Publisher: t.text(r, "publisher"), Title: t.text(r, "title"), URL: t.text(r, "url")}
		if y := t.text(r, "year"); y != "" {
			n, msg := parseWhole(y, 0, 9999)
			if msg != "" {
				l.errf(t.sheet, cellName(t.cols["year"], r.n), "year", "%s", msg)
			}
			s.Year = n
		}
		ds.Sources = append(ds.Sources, s)
	}
}

// calibration reads the Calibration sheet.
func (l *loader) calibration(ds *Dataset) {
	l.lines["calibration"] = l.sheetPos(sheetCalibration)
	t := l.readTable(&calibrationSpec, true)
	if t == nil || l.broken[t] {
		return
	}
	c := &ds.Calibration
	nums := map[string]*Number{
		"spread": &c.Spread, "duration": &c.Duration, "lostoutput": &c.LostOutput,
		"itcosts": &c.ITCosts, "total": &c.Total, "deflator": &c.Deflator,
	}
	seen := map[string]int{}
	bias := map[string]int{} // project type → row
	for _, r := range t.rows {
		item := norm(t.text(r, "item"))
		itemCell := cellName(t.cols["item"], r.n)
		fp := t.fingerprint(r)
		if item == "optimismbias" {
			l.biasRange(ds, t, r, fp, bias)
			continue
		}
		if item == "check" {
			id := t.text(r, "id")
			at := fmt.Sprintf("calibration.checks[%d]", len(c.Checks))
			l.lines[at] = l.rowPos(t, r)
			ch := Check{ID: id, Name: t.text(r, "text")}
			if n := l.number(t, r, "value", kindAmount, fp); n != nil {
				ch.Value = *n
			}
			c.Checks = append(c.Checks, ch)
			continue
		}
		if prev, dup := seen[item]; dup && item != "" {
			l.errf(t.sheet, itemCell, "item", "%q appears twice (also on row %d)", t.text(r, "item"), prev)
			continue
		}
		seen[item] = r.n
		switch item {
		case "incident":
			c.Incident = t.text(r, "text")
		case "priceyear":
			c.PriceYear = t.text(r, "text")
		case "note":
			c.Note = t.text(r, "text")
		default:
			dst, ok := nums[item]
			if !ok {
				l.errf(t.sheet, itemCell, "item", "unknown item %q (want incident, price year, spread, duration, lost output, it costs, total, deflator, note, check or optimism bias)", t.text(r, "item"))
				continue
			}
			kind := kindAmount
			if item == "spread" || item == "duration" || item == "deflator" {
				kind = kindNumber
			}
			if n := l.number(t, r, "value", kind, fp); n != nil {
				*dst = *n
			} else {
				*dst = Number{ref: l.rowPos(t, r), bad: "missing: give the value in lo (and hi for an interval)"}
			}
		}
	}
}

// biasRange reads an optimism bias row of the Calibration sheet: the
// guidance's uplift range for the project type in its id column. rows
// holds the row of each project type read so far.
func (l *loader) biasRange(ds *Dataset, t *table, r sheetRow, fp map[string]original, rows map[string]int) {
	k := strings.ToLower(t.text(r, "id"))
	idCol := max(t.cols["id"], 1)
	if prev, dup := rows[k]; dup {
		l.errf(t.sheet, cellName(idCol, r.n), "id", "optimism bias %q appears twice (also on row %d)", k, prev)
		return
	}
	rows[k] = r.n
	l.lines["optimism_bias."+k] = l.cellPos(t, r, idCol)
	n := l.number(t, r, "value", kindUplift, fp)
	if n == nil {
		n = &Number{ref: l.rowPos(t, r), bad: "missing: give the uplift range in lo and hi, e.g. 10% and 200%"}
	}
	if ds.OptimismBias == nil {
		ds.OptimismBias = map[string]*Number{}
	}
	ds.OptimismBias[k] = n
}

// holdouts reads the Holdouts sheet.
func (l *loader) holdouts(ds *Dataset) {
	t := l.readTable(&holdoutsSpec, false)
	if t == nil || l.broken[t] {
		return
	}
	for _, r := range t.rows {
		fp := t.fingerprint(r)
		at := fmt.Sprintf("holdouts[%d]", len(ds.Holdouts))
		l.lines[at] = l.rowPos(t, r)
		h := Holdout{ID: t.text(r, "id"), Name: t.text(r, "name")}
		l.numberInto(&h.Spread, t, r, "spread", fp)
		l.numberInto(&h.Duration, t, r, "duration", fp)
		h.KDaily = l.number(t, r, "k_daily", kindNumber, fp)
		h.KRecovery = l.number(t, r, "k_recovery", kindNumber, fp)
		h.Fixed = l.number(t, r, "fixed", kindAmount, fp)
		l.numberInto(&h.Observed, t, r, "observed", fp)
		ds.Holdouts = append(ds.Holdouts, h)
	}
}

// numberInto reads a required number into dst, leaving it zero (reported
// missing by Validate) when its cells are blank.
func (l *loader) numberInto(dst *Number, t *table, r sheetRow, name string, fp map[string]original) {
	if n := l.number(t, r, name, t.spec.field(name).kind, fp); n != nil {
		*dst = *n
	}
}

// scopes reads the Scopes, Threats, Controls and Effects sheets.
func (l *loader) scopes(ds *Dataset) {
	l.lines["scopes"] = l.sheetPos(sheetScopes)
	t := l.readTable(&scopesSpec, true)
	if t == nil || l.broken[t] {
		return
	}
	for _, r := range t.rows {
		fp := t.fingerprint(r)
		p := l.rowPos(t, r)
		at := fmt.Sprintf("scopes[%d]", len(ds.Scopes))
		l.lines[at], l.lines[at+".id"] = p, p
		s := Scope{ID: t.text(r, "id"), Name: t.text(r, "name")}
		l.numberInto(&s.Orgs, t, r, "orgs", fp)
		s.Daily = l.number(t, r, "daily", kindAmount, fp)
		s.Recovery = l.number(t, r, "recovery", kindAmount, fp)
		s.Harm = l.harm(t, r, fp)
		if s.Harm != nil {
			l.lines[at+".harm"] = p
		}
		ds.Scopes = append(ds.Scopes, s)
	}
	l.threats(ds)
	l.controls(ds)
	l.effects(ds)
}

// harm reads a scope's harm inputs, or nil when their cells are all blank.
// A number left blank beside the others is left zero, for Validate to
// report missing.
func (l *loader) harm(t *table, r sheetRow, fp map[string]original) *Harm {
	var h Harm
	dsts := []*Number{&h.DeathsPerDay, &h.QALYsPerDeath, &h.ValuePerQALY, &h.KFull}
	given := false
	for i, name := range []string{"deaths_per_day", "qalys_per_death", "value_per_qaly", "k_full"} {
		if n := l.number(t, r, name, t.spec.field(name).kind, fp); n != nil {
			*dsts[i], given = *n, true
		}
	}
	if !given {
		return nil
	}
	return &h
}

// scopeOf returns the index of the scope a row names, reporting a problem
// and returning −1 when there is none.
func (l *loader) scopeOf(ds *Dataset, t *table, r sheetRow) int {
	id := t.text(r, "scope")
	cell := cellName(max(t.cols["scope"], 1), r.n)
	if id == "" {
		if len(ds.Scopes) == 1 {
			return 0
		}
		l.errf(t.sheet, cell, "scope", "must name a scope: the Scopes sheet has %d (%s)", len(ds.Scopes), strings.Join(scopeIDs(ds), ", "))
		return -1
	}
	for i, s := range ds.Scopes {
		if s.ID == id {
			return i
		}
	}
	if !l.brokenSheets[sheetScopes] {
		l.errf(t.sheet, cell, "scope", "unknown scope %q (the Scopes sheet has %s)", id, strings.Join(scopeIDs(ds), ", "))
	}
	return -1
}

// threats reads the Threats sheet into the scopes.
func (l *loader) threats(ds *Dataset) {
	t := l.readTable(&threatsSpec, true)
	if t == nil || l.broken[t] {
		return
	}
	for _, r := range t.rows {
		si := l.scopeOf(ds, t, r)
		if si < 0 {
			continue
		}
		fp := t.fingerprint(r)
		s := &ds.Scopes[si]
		p := l.rowPos(t, r)
		at := fmt.Sprintf("scopes[%d].threats[%d]", si, len(s.Threats))
		l.lines[at], l.lines[at+".id"] = p, p
		th := Threat{ID: t.text(r, "id"), Name: t.text(r, "name"), Note: t.text(r, "note")}
		l.numberInto(&th.Rate, t, r, "rate", fp)
		th.Dispersion = l.number(t, r, "dispersion", kindNumber, fp)
		l.numberInto(&th.Spread, t, r, "spread", fp)
		l.numberInto(&th.Duration, t, r, "duration", fp)
		th.KDaily = l.number(t, r, "k_daily", kindNumber, fp)
		th.KRecovery = l.number(t, r, "k_recovery", kindNumber, fp)
		th.Fixed = l.number(t, r, "fixed", kindAmount, fp)
		th.Trend = l.number(t, r, "trend", kindFraction, fp)
		s.Threats = append(s.Threats, th)
	}
}

// controls reads the Controls sheet into the scopes.
func (l *loader) controls(ds *Dataset) {
	t := l.readTable(&controlsSpec, true)
	if t == nil || l.broken[t] {
		return
	}
	for _, r := range t.rows {
		si := l.scopeOf(ds, t, r)
		if si < 0 {
			continue
		}
		fp := t.fingerprint(r)
		s := &ds.Scopes[si]
		p := l.rowPos(t, r)
		at := fmt.Sprintf("scopes[%d].controls[%d]", si, len(s.Controls))
		l.lines[at], l.lines[at+".id"], l.lines[at+".project"] = p, p, p
		c := Control{
			ID: t.text(r, "id"), Name: t.text(r, "name"), Project: strings.ToLower(t.text(r, "project")),
			Group: t.text(r, "exclusive_group"), Requires: splitIDs(t.text(r, "requires")), Note: t.text(r, "note"),
		}
		for j := range c.Requires {
			l.lines[fmt.Sprintf("%s.requires[%d]", at, j)] = p
		}
		c.Units = l.number(t, r, "units", kindNumber, fp)
		l.numberInto(&c.Capex, t, r, "capex", fp)
		l.numberInto(&c.Opex, t, r, "opex", fp)
		l.numberInto(&c.Lifetime, t, r, "lifetime", fp)
		c.OptimismBias = l.number(t, r, "optimism_bias", kindFraction, fp)
		c.RolloutYears = l.number(t, r, "rollout_years", kindNumber, fp)
		c.RolloutShape = strings.ToLower(t.text(r, "rollout_shape"))
		c.Decay = strings.ToLower(t.text(r, "decay"))
		c.DecayLife = l.number(t, r, "decay_life", kindNumber, fp)
		c.DecayShape = l.number(t, r, "decay_shape", kindNumber, fp)
		s.Controls = append(s.Controls, c)
	}
}

// effects reads the Effects sheet into the controls.
func (l *loader) effects(ds *Dataset) {
	t := l.readTable(&effectsSpec, false)
	if t == nil || l.broken[t] {
		return
	}
	for _, r := range t.rows {
		si := l.scopeOf(ds, t, r)
		if si < 0 {
			continue
		}
		s := &ds.Scopes[si]
		id := t.text(r, "control")
		ci := slices.IndexFunc(s.Controls, func(c Control) bool { return c.ID == id })
		if ci < 0 {
			if l.brokenSheets[sheetControls] {
				continue
			}
			l.errf(t.sheet, cellName(t.cols["control"], r.n), "control", "unknown control %q in scope %s (the Controls sheet has %s)", id, s.ID, strings.Join(controlIDs(s), ", "))
			continue
		}
		fp := t.fingerprint(r)
		c := &s.Controls[ci]
		p := l.rowPos(t, r)
		at := fmt.Sprintf("scopes[%d].controls[%d].effects[%d]", si, ci, len(c.Effects))
		l.lines[at], l.lines[at+".threat"] = p, p
		c.Effects = append(c.Effects, Effect{
			Threat:    t.text(r, "threat"),
			Frequency: l.number(t, r, "frequency", kindFraction, fp),
			Spread:    l.number(t, r, "spread", kindFraction, fp),
			Duration:  l.number(t, r, "duration", kindFraction, fp),
			Fixed:     l.number(t, r, "fixed", kindFraction, fp),
		})
	}
}

func controlIDs(s *Scope) []string {
	var ids []string
	for _, c := range s.Controls {
		ids = append(ids, c.ID)
	}
	return ids
}

// scenarios reads the Scenarios sheet. Problems with a row go in its Err.
func (l *loader) scenarios(ds *Dataset, st Settings) []Scenario {
	errs := len(l.errs)
	t := l.readTable(&scenariosSpec, false)
	var out []Scenario
	if t == nil {
		return nil
	}
	if len(l.errs) > errs { // problems with the sheet's headers: every row carries them
		sheetErr := errors.Join(l.errs[errs:]...)
		l.errs = l.errs[:errs]
		for i, r := range t.rows {
			out = append(out, Scenario{Index: i + 1, Row: r.n, Name: t.text(r, "name"), Err: sheetErr})
		}
		return out
	}
	names := map[string]int{}
	for i, r := range t.rows {
		sc := Scenario{Index: i + 1, Row: r.n, Name: t.text(r, "name"), RateMultiplier: 1, LossMultiplier: 1, CostMultiplier: 1}
		var errs []error
		bad := func(name, format string, args ...any) {
			errs = append(errs, &CellError{File: l.file, Sheet: t.sheet, Cell: cellName(max(t.cols[name], 1), r.n),
				Field: scenariosSpec.field(name).head, Msg: fmt.Sprintf(format, args...)})
		}
		get := func(name string) string {
			v := t.text(r, name)
			if v == "" && l.formulaWithoutValue(t.sheet, t.cols[name], r.n) {
				bad(name, noValueMsg)
			}
			return v
		}
		switch prev, dup := names[sc.Name]; {
		case textProblem(sc.Name, maxNameLen, false) != "":
			bad("name", "%s", textProblem(sc.Name, maxNameLen, false))
			sc.Name = Escape(sc.Name)
		case sc.Name == "":
			bad("name", "must not be empty: the name identifies the row and sets its seed")
		case dup:
			bad("name", "%q is also the name of row %d: names must be unique", sc.Name, prev)
		}
		names[sc.Name] = r.n
		sc.Scope = get("scope")
		scope := cmp.Or(sc.Scope, st.Scope)
		var s *Scope
		if len(ds.Scopes) > 0 {
			s = &ds.Scopes[0]
		}
		if scope != "" {
			s = nil
			if found, err := ds.Scope(scope); err == nil {
				s = found
			} else if sc.Scope != "" {
				bad("scope", "unknown scope %q (the Scopes sheet has %s)%s", scope, strings.Join(scopeIDs(ds), ", "), didYouMean(scope, scopeIDs(ds)))
			}
		}
		budgets := map[string]string{}
		for _, b := range []struct {
			name string
			dst  **float64
		}{{"budget", &sc.Budget}, {"capex_budget", &sc.CapexBudget}} {
			v := get(b.name)
			if v != "" && norm(v) != "none" {
				budgets[b.name] = v
			}
			switch {
			case v == "":
			case norm(v) == "none":
				*b.dst = new(math.Inf(1))
			default:
				a, msg := parseCell(v, kindAmount)
				if msg != "" {
					bad(b.name, "%s (or none)", msg)
					continue
				}
				*b.dst = &a
			}
		}
		if v := get("horizon"); v != "" {
			n, msg := parseWhole(v, 1, model.MaxHorizon)
			if msg != "" {
				bad("horizon", "%s", msg)
			}
			sc.Horizon = n
		}
		if v := get("discount_rate"); v != "" {
			if norm(v) == "greenbook" {
				sc.Discount = new(math.NaN())
			} else if r, msg := parseRateCell(v); msg != "" {
				bad("discount_rate", "%s (or green book)", msg)
			} else {
				sc.Discount = &r
			}
		}
		if v := get("optimism_bias"); v != "" {
			b, msg := parseCell(v, kindFraction)
			if msg == "" && b < 0 {
				msg = fmt.Sprintf("must not be negative, got %q", v)
			}
			if msg != "" {
				bad("optimism_bias", "%s", msg)
			} else {
				sc.OptimismBias = &b
			}
		}
		if v := get("budget_plan"); v != "" {
			sc.BudgetPlan = v
			if norm(v) != "none" {
				if _, err := ParseBudgetPlan(v, ""); err != nil {
					bad("budget_plan", "%s (or none)", err)
				}
			}
		}
		if v := get("budget_plan_kind"); v != "" {
			sc.BudgetPlanKind = strings.ToLower(strings.TrimSpace(v))
			if _, err := model.ParsePlanBudgetKind(sc.BudgetPlanKind); err != nil {
				bad("budget_plan_kind", "%s", Suggest(err))
			}
		}
		if v := get("seed"); v != "" {
			seed, msg := parseSeed(v)
			if msg != "" {
				bad("seed", "%s", msg)
			} else {
				sc.Seed = &seed
			}
		}
		for _, m := range []struct {
			name string
			dst  *float64
		}{{"rate_multiplier", &sc.RateMultiplier}, {"loss_multiplier", &sc.LossMultiplier}, {"cost_multiplier", &sc.CostMultiplier}} {
			if v := get(m.name); v != "" {
				x, msg := parseCell(v, kindNumber)
				if msg != "" {
					bad(m.name, "%s", msg)
					continue
				}
				*m.dst = x
			}
		}
		if v := get("view"); v != "" {
			if _, err := model.ParseView(strings.ToLower(v)); err != nil {
				bad("view", "%s", Suggest(err))
			} else {
				sc.View = strings.ToLower(v)
			}
		}
		if v := get("correlations"); v != "" {
			if _, err := ParseCorrelations(v); err != nil {
				bad("correlations", "%s", err)
			} else {
				sc.Correlations = v
			}
		}
		if v := get("risk_tolerance"); v != "" {
			if _, err := ParseTolerance(v); err != nil {
				bad("risk_tolerance", "%s", err)
			} else {
				sc.RiskTolerance = v
			}
		}
		if v := get("controls"); v != "" && norm(v) != "all" {
			sc.Controls = splitIDs(v)
			if s != nil && !l.brokenSheets[sheetControls] {
				for _, id := range sc.Controls {
					if !slices.ContainsFunc(s.Controls, func(c Control) bool { return c.ID == id }) {
						bad("controls", "unknown control %q in scope %s (it has %s)%s", id, s.ID, strings.Join(controlIDs(s), ", "), didYouMean(id, controlIDs(s)))
					}
				}
				for _, c := range s.Controls {
					if !slices.Contains(sc.Controls, c.ID) {
						continue
					}
					for _, req := range c.Requires {
						if !slices.Contains(sc.Controls, req) {
							bad("controls", "control %s requires %s: allow both, or neither", c.ID, req)
						}
					}
				}
			}
		}
		// The options that depend on the row's scope, each blamed on the
		// row's cell that gives it, or on its scope cell when the
		// Settings give it and the row changes the scope.
		if s != nil && !l.brokenSheets[sheetThreats] {
			own := scopeOptionProblems(ds, s, sc.View, sc.Correlations, sc.RiskTolerance, budgets)
			for _, k := range []string{"view", "correlations", "risk_tolerance", "budget", "capex_budget"} {
				if msg, ok := own[k]; ok {
					bad(k, "%s", msg)
				}
			}
			if sc.Scope != "" {
				view, corr := st.View, st.Correlations
				if sc.View != "" {
					view = ""
				}
				if sc.Correlations != "" {
					corr = ""
				}
				inherited := scopeOptionProblems(ds, s, view, corr, "", nil)
				for _, k := range []string{"view", "correlations"} {
					if msg, ok := inherited[k]; ok {
						bad("scope", "the Settings' %s: %s", strings.ReplaceAll(k, "_", " "), msg)
					}
				}
			}
		}
		sc.Err = errors.Join(errs...)
		out = append(out, sc)
	}
	return out
}
