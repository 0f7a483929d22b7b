package reports

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
)

func TestDiffersLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fr, sr   int
		fin, soc float64
		want     string
	}{
		{1, 1, 5e5, 9e5, ""},
		{2, 1, 5e5, 9e5, "C8: rank 2 on money, 1 with harm"},
		{3, 3, -4.12e5, 2.53e6, "C8: NPV −£412k on money, £2.53m with harm"},
		{5, 3, -4.12e5, 2.53e6, "C8: rank 5 on money, 3 with harm; NPV −£412k on money, £2.53m with harm"},
		{4, 4, -1e5, -2e4, ""},
	}
	for _, tt := range tests {
		if got := differsLine("£", "C8", tt.fr, tt.sr, tt.fin, tt.soc); got != tt.want {
			t.Errorf("differsLine(%d, %d, %g, %g) = %q; want %q", tt.fr, tt.sr, tt.fin, tt.soc, got, tt.want)
		}
	}
}

// TestDecisionSentencesOnce checks that the terminal, report.html, the
// JSON and the workbook give the decision's sentences (left out, weak
// points, deaths) word for word alike, each written once in this file's
// package (issue 22: report.html kept sentences of its own beside them).
func TestDecisionSentencesOnce(t *testing.T) {
	t.Parallel()
	job := defaultJob(t, func(spec *data.RunSpec) {
		spec.Draws, spec.Years, spec.DecisionDraws, spec.View = 8, 200, 100, "social"
	})
	j := NewRun(job, "test", "")
	d, err := model.Decide(t.Context(), j.Model, j.DecideOptions(false, 0))
	if err != nil {
		t.Fatal(err)
	}
	ex := explanation(j, d)
	if len(ex.LeftOut) == 0 || ex.WeakPoint == "" || ex.Deaths == "" {
		t.Fatalf("the social run has left out %d, weak point %q, deaths %q: the test needs all three", len(ex.LeftOut), ex.WeakPoint, ex.Deaths)
	}
	want := slices.Concat(ex.LeftOut, []string{ex.WeakPoint, ex.Deaths})
	if ex.TopWeakPoint != "" {
		want = append(want, ex.TopWeakPoint)
	}
	// Each output's text, its spacing and invisible no-break joiners
	// aside (a terminal may wrap its prose).
	flat := func(s string) string { return strings.Join(strings.Fields(strings.ReplaceAll(s, wordJoiner, "")), " ") }
	var term, js bytes.Buffer
	WriteTable(&term, j, d, 0)
	if err := WriteJSON(&js, j, d); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Recommended struct {
			LeftOut   []struct{ Text string } `json:"left_out"`
			WeakPoint *struct{ Text string }  `json:"weak_point"`
		}
	}
	if err := json.Unmarshal(js.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	var jsonText []string
	for _, l := range out.Recommended.LeftOut {
		jsonText = append(jsonText, l.Text)
	}
	if out.Recommended.WeakPoint != nil {
		jsonText = append(jsonText, out.Recommended.WeakPoint.Text)
	}
	rep := j.Report(d)
	doc, _ := writePage(t, rep)
	f, _ := openBook(t, rep)
	var cells []string
	for _, sh := range f.GetSheetList() {
		for _, row := range rows(t, f, sh) {
			cells = append(cells, row...)
		}
	}
	outputs := map[string]string{
		"terminal": flat(term.String()), "report.html": flat(textOf(doc)),
		"report.xlsx": flat(strings.Join(cells, "\n")), "JSON": flat(strings.Join(jsonText, "\n")),
	}
	for name, text := range outputs {
		for k, s := range want {
			if name == "JSON" && k >= len(ex.LeftOut)+1 {
				break // the JSON holds the deaths as figures
			}
			if !strings.Contains(text, flat(s)) {
				t.Errorf("%s lacks the sentence %q", name, s)
			}
		}
	}
}

// TestInputNameOneStyle checks that a table names every input of a threat
// or control in one style, IDs and field first ("T1: events a year
// (Targeted ransomware…)"), short or long (issue 22: the sensitivity
// tables mixed "name (ID): field" for short names with "ID: field (name)"
// for long ones).
func TestInputNameOneStyle(t *testing.T) {
	t.Parallel()
	job := defaultJob(t, nil)
	short := 0
	for _, in := range model.Inputs(job.Model) {
		ids := in.Ref.ID
		if in.Ref.Threat != "" {
			ids += " on " + in.Ref.Threat
		}
		if ids == "" {
			continue
		}
		if len([]rune(in.Name())) <= 64 {
			short++
		}
		if got, want := inputName(in, 64), ids+": "+in.Field; !strings.HasPrefix(got, want) || strings.Contains(got, "("+in.Ref.ID+")") {
			t.Errorf("inputName(%q, 64) = %q; want it to start %q and not repeat the ID", in.Name(), got, want)
		}
	}
	if short == 0 {
		t.Fatal("no input of the default dataset has a name short enough to have been written the other way")
	}
}
