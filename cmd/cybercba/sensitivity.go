package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports/format"
)

const sensitivityUsage = `Usage: cybercba sensitivity [flags] [dataset.yaml]

Shows which assumptions drive the answer, and what would have to be true for
the decision to be a bad buy. The decision is the best single control by NPV,
or with --budget the best portfolio within it.

  Tornado: each uncertain input moved from its 5th to its 95th percentile,
  every other input at its median; the swing in the decision's NPV. With
  every input fixed the expected loss has an exact closed form, so the
  swings carry no Monte Carlo error.
  Switching values (HM Treasury Green Book): for the top inputs, the value at
  which the decision's NPV crosses zero, and the value at which another
  decision becomes best, each with how far it is from the median.
  Value of information: EVPI, what perfect knowledge of every parameter could
  be worth, and each parameter's EVPPI (Strong and Oakley's regression
  method), across the outer draws of the simulation.

Examples:
  cybercba sensitivity
  cybercba sensitivity --scope acute-trust --top 10
  cybercba sensitivity --budget 60m --json > sensitivity.json
  cybercba sensitivity --no-files

Like run, it writes report.xlsx (with its Sensitivity sheet), report.html
and plots/ (with the tornado) into the -o folder, unless --no-files.

Flags:
`

func runSensitivity(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o runOptions
	fs := runFlags(&o)
	fs.Init("sensitivity", fs.ErrorHandling())
	top := fs.Int("top", 15, "switching values for the top `n` inputs of the tornado")
	pos, err := parseArgs(fs, args, stdout, sensitivityUsage)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
	case 1:
		o.Dataset = pos[0]
	default:
		return &usageError{fmt.Sprintf("sensitivity: want at most one dataset, got %q", pos)}
	}
	if *top < 1 {
		return &inputError{fmt.Errorf("--top: must be at least 1, got %d", *top)}
	}
	if err := useWorkbook(fs, &o); err != nil {
		return err
	}
	job, err := prepare(o)
	if err != nil {
		return err
	}
	if err := announce(ctx, job, stderr, o.Quiet); err != nil {
		return err
	}
	job.cfg.Progress = progress(stderr, o.Quiet, "simulating", o.Draws)
	d, err := analyse(ctx, job, true, *top)
	if err != nil {
		return err
	}
	sens := d.Sensitivity
	if sens == nil {
		return &inputError{fmt.Errorf("sensitivity: %s: there is no decision to analyse (no control changes the loss)", job.ds.File)}
	}
	// The files of a run with --sensitivity: the tornado among the plots,
	// the Sensitivity sheet in the workbook, and report.html.
	var written []string
	if !o.NoFiles {
		if written, err = writeRunFiles(job, recordedArgs(fs), d, stderr); err != nil {
			return err
		}
	}
	msg := stdout
	if o.JSON {
		b, err := json.MarshalIndent(sensitivityJSON(job, sens), "", "  ")
		if err != nil {
			return err
		}
		if _, err = stdout.Write(append(b, '\n')); err != nil {
			return err
		}
		msg = stderr // keep stdout pure JSON
	} else {
		writeSensitivity(stdout, job, sens)
	}
	writtenLine(msg, o.Out, written)
	return nil
}

// portfolioName lists a portfolio's control IDs, or "doing nothing".
func portfolioName(m *model.Model, p model.Portfolio) string {
	if len(p) == 0 {
		return "doing nothing"
	}
	var ids []string
	for _, c := range p {
		ids = append(ids, m.Controls[c].ID)
	}
	return strings.Join(ids, "+")
}

// inputValue formats an input's value in its unit.
func inputValue(cur currency, in model.Input, x float64) string {
	if math.IsNaN(x) {
		return "none"
	}
	switch in.Unit {
	case model.Share:
		return percent(x)
	case model.Money:
		return cur.money(x)
	}
	return format.Number(x)
}

func writeSensitivity(w io.Writer, j *job, s *model.Sensitivity) {
	m, o := j.model, j.opts
	fmt.Fprintf(w, "cybercba %s · %s · sensitivity · %s draws × %s years · seed %d · money in %s, %s prices\n\n",
		version(), m.Scope, thousands(o.Draws), thousands(o.Years), o.Seed, moneyConvention(j), j.ds.PriceYear)
	tn := s.Tornado
	fmt.Fprintf(w, "Decision: %s, %s. Its expected NPV is %s (%s).\n\n",
		s.DecisionName, portfolioName(m, s.Decision), j.cur.money(tn.Central), viewLabel(j.appraisal))
	fmt.Fprintf(w, "Tornado around the expected case: each input from its 5th to its 95th percentile, the others uncertain as they are (%d inputs; exact closed form, centred on the expected NPV):\n\n", len(tn.Bars))
	t := &table{right: map[int]bool{0: true, 2: true, 3: true, 4: true, 5: true, 6: true}}
	t.add("#", "Input", "P5", "P95", "NPV at P5", "NPV at P95", "Swing")
	for i, b := range tn.Bars {
		if i == 20 {
			break
		}
		t.add(fmt.Sprint(i+1), inputName(b.Input, 64), inputValue(j.cur, b.Input, b.Lo), inputValue(j.cur, b.Input, b.Hi),
			j.cur.money(b.NPVLo), j.cur.money(b.NPVHi), j.cur.money(b.Swing()))
	}
	fmt.Fprint(w, t.String())
	if len(tn.Bars) > 20 {
		fmt.Fprintf(w, "(%d more inputs with smaller swings; --json or the workbook list them all)\n", len(tn.Bars)-20)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Switching values: where, with every other input uncertain as it is, the decision's expected NPV reaches zero, and where another decision becomes best:")
	fmt.Fprintln(w)
	t = &table{right: map[int]bool{1: true, 2: true, 3: true, 4: true}}
	t.add("Input", "Central", "NPV = 0 at", "(percentile)", "Decision changes at", "to")
	for _, sw := range s.Switches {
		d := sw.Input.Estimate.Dist(sw.Input.Kind)
		pct := ""
		if !math.IsNaN(sw.NPVZero) {
			switch p := 100 * d.CDF(sw.NPVZero); {
			case p < 0.1:
				pct = "below P0.1"
			case p > 99.9:
				pct = "above P99.9"
			default:
				pct = fmt.Sprintf("P%.1f", p)
			}
		}
		to := ""
		if !math.IsNaN(sw.Change) {
			to = portfolioName(m, sw.NewDecision)
			if !slices.Equal(sw.OldDecision, s.Decision) {
				to = "from " + portfolioName(m, sw.OldDecision) + " to " + to
			}
		}
		t.add(inputName(sw.Input, 64), inputValue(j.cur, sw.Input, d.Mean()), inputValue(j.cur, sw.Input, sw.NPVZero), pct,
			inputValue(j.cur, sw.Input, sw.Change), to)
	}
	fmt.Fprint(w, t.String())
	fmt.Fprintln(w, "\"none\": no switch between the 5th percentile ÷ 1000 and the 95th × 1000 (fractions: 0 to 100%).")
	fmt.Fprintln(w)
	v := s.VOI
	fmt.Fprintf(w, "Value of information, choosing among doing nothing and %d alternatives, across %s outer draws:\n", len(v.Alternatives), thousands(o.Draws))
	fmt.Fprintf(w, "  EVPI %s: the most that perfect knowledge of every parameter could be worth to this decision.\n", j.cur.money(v.EVPI))
	fmt.Fprintf(w, "  Best on current knowledge: %s.\n\n", portfolioName(m, v.Best))
	t = &table{right: map[int]bool{0: true, 2: true, 3: true}}
	t.add("#", "Parameter", "EVPPI", "of EVPI")
	for i, e := range v.EVPPI {
		if i == 15 {
			break
		}
		share := "n/a"
		if v.EVPI > 0 {
			share = percent(e.Value / v.EVPI)
		}
		t.add(fmt.Sprint(i+1), inputName(e.Input, 64), j.cur.money(e.Value), share)
	}
	fmt.Fprint(w, t.String())
	fmt.Fprintf(w, "EVPPI by regression of net benefit on the parameter over the %d outer draws (Strong, Oakley and Brennan 2014; a penalised cubic spline chosen by generalised cross-validation), each with its standard error in the JSON and workbook; compare, don't add.\n", o.Draws)
}

type jsonTornadoBar struct {
	Input  string  `json:"input"`
	Field  string  `json:"field"`
	P5     float64 `json:"p5"`
	P95    float64 `json:"p95"`
	NPVP5  float64 `json:"npv_at_p5"`
	NPVP95 float64 `json:"npv_at_p95"`
	Swing  float64 `json:"swing"`
}

type jsonSwitch struct {
	Input       string   `json:"input"`
	Median      float64  `json:"median"`
	NPVZero     *float64 `json:"npv_zero_at"`
	Change      *float64 `json:"decision_changes_at"`
	NewDecision []string `json:"new_decision,omitempty"`
	OldDecision []string `json:"old_decision,omitempty"`
}

type jsonValue struct {
	Input string  `json:"input"`
	EVPPI float64 `json:"evppi"`
	SE    float64 `json:"evppi_se"`
}

type jsonSensitivity struct {
	Tool      string           `json:"tool"`
	Version   string           `json:"version"`
	Scope     string           `json:"scope"`
	Currency  string           `json:"currency"`
	Symbol    string           `json:"currency_symbol"`
	PriceYear string           `json:"price_year"`
	Seed      uint64           `json:"seed"`
	Draws     int              `json:"draws"`
	Years     int              `json:"years"`
	Decision  []string         `json:"decision"`
	Central   float64          `json:"central_npv"`
	Tornado   []jsonTornadoBar `json:"tornado"`
	Switching []jsonSwitch     `json:"switching_values"`
	EVPI      float64          `json:"evpi"`
	EVPPI     []jsonValue      `json:"evppi"`
}

func ids(m *model.Model, p model.Portfolio) []string {
	var out []string
	for _, c := range p {
		out = append(out, m.Controls[c].ID)
	}
	return out
}

func sensitivityJSON(j *job, s *model.Sensitivity) jsonSensitivity {
	out := jsonSensitivity{
		Tool: "cybercba", Version: version(), Scope: j.scope.ID,
		Currency: j.ds.Currency, Symbol: string(j.cur), PriceYear: j.ds.PriceYear, Seed: j.opts.Seed, Draws: j.opts.Draws, Years: j.opts.Years,
		Decision: ids(j.model, s.Decision), Central: s.Tornado.Central, EVPI: s.VOI.EVPI,
	}
	for _, b := range s.Tornado.Bars {
		out.Tornado = append(out.Tornado, jsonTornadoBar{Input: b.Input.Item, Field: b.Input.Field, P5: b.Lo, P95: b.Hi, NPVP5: b.NPVLo, NPVP95: b.NPVHi, Swing: b.Swing()})
	}
	for _, sw := range s.Switches {
		js := jsonSwitch{Input: sw.Input.Name(), Median: sw.Median, NPVZero: orNull(sw.NPVZero), Change: orNull(sw.Change)}
		if js.Change != nil {
			js.NewDecision = ids(j.model, sw.NewDecision)
			js.OldDecision = ids(j.model, sw.OldDecision)
		}
		out.Switching = append(out.Switching, js)
	}
	for _, e := range s.VOI.EVPPI {
		out.EVPPI = append(out.EVPPI, jsonValue{Input: e.Input.Name(), EVPPI: e.Value, SE: e.SE})
	}
	return out
}

// inputName names an input in at most n characters for a table, shortening
// its item, never its field: "Supplier or shared-service outage (…: days
// of outage".
func inputName(in model.Input, n int) string {
	field := ": " + in.Field
	room := n - len([]rune(field))
	if room < 12 {
		return clip(in.Name(), n)
	}
	return clip(in.Item, room) + field
}
