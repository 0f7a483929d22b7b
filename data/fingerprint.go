package data

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// A template records each number's value and source as written twice: in
// a hidden "template values" column, and in the workbook's custom document
// properties, one per row, keyed by the row's ids. A user who deletes or
// clears the hidden column (or sorts the rows) keeps the properties, so a
// number changed without its source is still read as their judgement.

// fingerprintKeys are the fields that identify a row of each sheet with
// template values.
var fingerprintKeys = map[string][]string{
	sheetScopes:      {"id"},
	sheetThreats:     {"scope", "id"},
	sheetControls:    {"scope", "id"},
	sheetEffects:     {"scope", "control", "threat"},
	sheetCalibration: {"item", "id"},
	sheetHoldouts:    {"id"},
}

// fingerprintProp names the custom property holding a row's template
// values.
func fingerprintProp(sheet string, key []string) string {
	return "cybercba template values: " + sheet + "!" + strings.Join(key, "|")
}

// rowKey returns a written row's key: the text of its key fields.
func (r *row) key(sheet string) []string {
	var key []string
	for _, k := range fingerprintKeys[sheet] {
		v := ""
		if c := r.lo.cols[k]; c > 0 && r.vals[c-1] != nil {
			v = strings.TrimSpace(fmt.Sprint(r.vals[c-1]))
		}
		key = append(key, norm(v))
	}
	return key
}

// tableKey returns a read row's key.
func (t *table) key(r sheetRow) []string {
	var key []string
	for _, k := range fingerprintKeys[t.spec.sheet] {
		key = append(key, norm(t.text(r, k)))
	}
	return key
}

// readFingerprintProps returns the workbook's template values by property
// name, or nil.
func readFingerprintProps(f *excelize.File) map[string]string {
	props, err := f.GetCustomProps()
	if err != nil {
		return nil
	}
	out := map[string]string{}
	for _, p := range props {
		if s, ok := p.Value.(string); ok && strings.HasPrefix(p.Name, "cybercba template values: ") {
			out[p.Name] = s
		}
	}
	return out
}
