package reports

import (
	"testing"

	"github.com/cybercba/cybercba/model"
)

// TestInputsNumberFormats checks that the Inputs sheet formats each
// input's bounds by what it measures, as the input states it, whatever its
// unit's wording: money in the currency, a share as a percentage, anything
// else as a plain number.
func TestInputsNumberFormats(t *testing.T) {
	t.Parallel()
	r := *report(t, typical)
	r.CurrencySymbol = "€"
	r.Inputs = []Input{
		{Section: "Control", Item: "C1", Field: "capex", Measure: model.Money, Unit: "€ per unit", Lo: 5e4, Hi: 1e5},
		{Section: "Effect", Item: "C1 on T1", Field: "frequency reduction", Measure: model.Share, Unit: "fraction", Lo: 0.2, Hi: 0.5},
		{Section: "Threat", Item: "T1", Field: "rate", Measure: model.Plain, Unit: "events per year", Lo: 0.05, Hi: 0.2},
	}
	f, _ := openBook(t, &r)
	for i, want := range []string{currency("€").numFmt(), fmtPct, fmtValue} {
		for _, col := range []int{inputsLoCol, inputsHiCol} {
			cell := cellName(col+1, i+2)
			id, err := f.GetCellStyle(sheetInputs, cell)
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			if st.CustomNumFmt == nil || *st.CustomNumFmt != want {
				t.Errorf("Inputs!%s (%s) number format = %v; want %s", cell, r.Inputs[i].Field, st.CustomNumFmt, want)
			}
		}
	}
}
