package data

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/cybercba/cybercba/model"
)

//go:embed nhs.yaml
var defaultYAML []byte

// DefaultName is the name the embedded dataset is reported under.
const DefaultName = "nhs.yaml (embedded default)"

// DefaultBytes returns the embedded default dataset's text.
func DefaultBytes() []byte { return slices.Clone(defaultYAML) }

// Default returns the embedded default NHS dataset.
func Default() (*Dataset, error) {
	return Load(bytes.NewReader(defaultYAML), DefaultName)
}

// Dataset is a whole input file: sources, the calibration incident, hold-out
// incidents and one or more scopes.
type Dataset struct {
	Version     int         `yaml:"version" json:"version"`
	Name        string      `yaml:"name" json:"name"`
	Currency    string      `yaml:"currency" json:"currency"`
	PriceYear   string      `yaml:"price_year" json:"price_year"`
	Sources     []Source    `yaml:"sources" json:"sources"`
	Calibration Calibration `yaml:"calibration" json:"calibration"`
	Holdouts    []Holdout   `yaml:"holdouts" json:"holdouts"`
	// OptimismBias holds the Green Book guidance's uplift range for each
	// project type (equipment, outsourcing), used when a run asks for the
	// guidance's optimism bias.
	OptimismBias map[string]*Number `yaml:"optimism_bias,omitempty" json:"optimism_bias,omitempty"`
	Scopes       []Scope            `yaml:"scopes" json:"scopes"`
	// File is the name the dataset was loaded from.
	File string `yaml:"-" json:"-"`
	// lines maps paths such as "scopes[0].threats[1]" to their lines, or,
	// for a dataset read from a workbook, to positions in cells.
	lines map[string]int
	// cells, for a dataset read from a workbook, holds the positions that
	// lines and the numbers' refs point to, so that Validate names cells.
	cells *cellIndex
	// edited lists the workbook cells of numbers changed without a source.
	edited []string
}

// Source is a publication a number is drawn from.
type Source struct {
	ID        string `yaml:"id" json:"id"`
	Publisher string `yaml:"publisher" json:"publisher"`
	Title     string `yaml:"title" json:"title"`
	Year      int    `yaml:"year" json:"year"`
	URL       string `yaml:"url,omitempty" json:"url,omitempty"`
}

// Calibration is the incident the outage cost rates are fitted to.
type Calibration struct {
	Incident   string  `yaml:"incident" json:"incident"`
	PriceYear  string  `yaml:"price_year" json:"price_year"`
	Spread     Number  `yaml:"spread" json:"spread"`
	Duration   Number  `yaml:"duration" json:"duration"`
	LostOutput Number  `yaml:"lost_output" json:"lost_output"`
	ITCosts    Number  `yaml:"it_costs" json:"it_costs"`
	Total      Number  `yaml:"total" json:"total"`
	Deflator   Number  `yaml:"deflator" json:"deflator"`
	Note       string  `yaml:"note" json:"note"`
	Checks     []Check `yaml:"checks" json:"checks"`
}

// Check is a figure printed beside the calibration, not fitted.
type Check struct {
	ID    string `yaml:"id" json:"id"`
	Name  string `yaml:"name" json:"name"`
	Value Number `yaml:"value" json:"value"`
}

// Holdout is an incident the calibrated model is validated against.
type Holdout struct {
	ID        string  `yaml:"id" json:"id"`
	Name      string  `yaml:"name" json:"name"`
	Spread    Number  `yaml:"spread" json:"spread"`
	Duration  Number  `yaml:"duration" json:"duration"`
	KDaily    *Number `yaml:"k_daily" json:"k_daily,omitempty"`
	KRecovery *Number `yaml:"k_recovery" json:"k_recovery,omitempty"`
	Fixed     *Number `yaml:"fixed" json:"fixed,omitempty"`
	Observed  Number  `yaml:"observed" json:"observed"`
}

// Scope is what one analysis covers.
type Scope struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name" json:"name"`
	Orgs Number `yaml:"orgs" json:"orgs"`
	// Daily and Recovery, when set, override the calibrated cost rates.
	Daily    *Number `yaml:"daily" json:"daily,omitempty"`
	Recovery *Number `yaml:"recovery" json:"recovery,omitempty"`
	// Harm, when set, holds the social view's inputs (patient harm).
	Harm *Harm `yaml:"harm,omitempty" json:"harm,omitempty"`
	// RiskTolerance, when set, is the organisation's risk appetite: the
	// annual losses and the chances of exceeding them it accepts, as
	// written ("500m:1/50, 1bn:1/100"; see ParseTolerance). A run's
	// --risk-tolerance, or an inputs workbook's Settings row, replaces it.
	RiskTolerance string    `yaml:"risk_tolerance,omitempty" json:"risk_tolerance,omitempty"`
	Threats       []Threat  `yaml:"threats" json:"threats"`
	Controls      []Control `yaml:"controls" json:"controls"`
}

// Harm holds the inputs valuing the patient harm of outages: extra deaths
// per organisation-day of full outage, QALYs lost per death, and the value
// of a QALY.
type Harm struct {
	DeathsPerDay  Number `yaml:"deaths_per_day" json:"deaths_per_day"`
	QALYsPerDeath Number `yaml:"qalys_per_death" json:"qalys_per_death"`
	ValuePerQALY  Number `yaml:"value_per_qaly" json:"value_per_qaly"`
	// KFull is the intensity of a full (trust-wide) outage against the
	// calibration incident's average organisation: an organisation-day at
	// intensity k_d is min(k_d/k_full, 1) full-outage days.
	KFull Number `yaml:"k_full" json:"k_full"`
}

// Threat is a threat scenario as written in a dataset.
type Threat struct {
	ID         string  `yaml:"id" json:"id"`
	Name       string  `yaml:"name" json:"name"`
	Rate       Number  `yaml:"rate" json:"rate"`
	Dispersion *Number `yaml:"dispersion" json:"dispersion,omitempty"`
	Spread     Number  `yaml:"spread" json:"spread"`
	Duration   Number  `yaml:"duration" json:"duration"`
	KDaily     *Number `yaml:"k_daily" json:"k_daily,omitempty"`
	KRecovery  *Number `yaml:"k_recovery" json:"k_recovery,omitempty"`
	Fixed      *Number `yaml:"fixed" json:"fixed,omitempty"`
	// Trend is the growth of the rate a year (0.2 is +20%), a 90%
	// interval; blank is none. It acts in phased plans.
	Trend *Number `yaml:"trend,omitempty" json:"trend,omitempty"`
	Note  string  `yaml:"note" json:"note,omitempty"`
}

// Control is a candidate investment as written in a dataset. Capex and
// Opex are per unit; the model's costs are times Units.
type Control struct {
	ID           string  `yaml:"id" json:"id"`
	Name         string  `yaml:"name" json:"name"`
	Project      string  `yaml:"project" json:"project,omitempty"`
	Units        *Number `yaml:"units" json:"units,omitempty"`
	Capex        Number  `yaml:"capex" json:"capex"`
	Opex         Number  `yaml:"opex" json:"opex"`
	Lifetime     Number  `yaml:"lifetime" json:"lifetime"`
	OptimismBias *Number `yaml:"optimism_bias" json:"optimism_bias,omitempty"`
	// Group names a set of mutually exclusive controls; Requires lists the
	// controls this one needs.
	Group    string   `yaml:"exclusive_group,omitempty" json:"exclusive_group,omitempty"`
	Requires []string `yaml:"requires,omitempty,flow" json:"requires,omitempty"`
	Effects  []Effect `yaml:"effects" json:"effects"`
	// RolloutYears is how many years the control takes to reach its full
	// effect after it starts (blank or ≤ 1: at once), RolloutShape linear
	// (default) or step. Decay is how its effect fades between renewals:
	// none (default), step, exponential or weibull, with DecayLife the
	// step's life, the exponential's half-life or the Weibull's scale L
	// in years and DecayShape the Weibull's k. They act in phased plans.
	RolloutYears *Number `yaml:"rollout_years,omitempty" json:"rollout_years,omitempty"`
	RolloutShape string  `yaml:"rollout_shape,omitempty" json:"rollout_shape,omitempty"`
	Decay        string  `yaml:"decay,omitempty" json:"decay,omitempty"`
	DecayLife    *Number `yaml:"decay_life,omitempty" json:"decay_life,omitempty"`
	DecayShape   *Number `yaml:"decay_shape,omitempty" json:"decay_shape,omitempty"`
	Note         string  `yaml:"note" json:"note,omitempty"`
}

// Effect is a control's reductions of one threat.
type Effect struct {
	Threat    string  `yaml:"threat" json:"threat"`
	Frequency *Number `yaml:"frequency" json:"frequency,omitempty"`
	Spread    *Number `yaml:"spread" json:"spread,omitempty"`
	Duration  *Number `yaml:"duration" json:"duration,omitempty"`
	Fixed     *Number `yaml:"fixed" json:"fixed,omitempty"`
}

// Number is one estimate with its provenance.
type Number struct {
	// Lo and Hi bound the 90% interval; equal for a fixed value.
	Lo, Hi float64
	// Tag is F (fact), D (derived) or J (judgement).
	Tag string
	// Src lists source ids.
	Src []string
	// Note is the reasoning or arithmetic.
	Note string
	// Line is where the number was written, 0 if unknown.
	Line int
	// ranged is whether the input gave lo and hi rather than value.
	ranged bool
	// bad holds a problem found while reading the number, reported by
	// Validate with the rest.
	bad string
	// ref, for a number read from a workbook, is its position in the
	// dataset's cells.
	ref int
}

// pos returns where the number was read: its workbook position, or its line.
func (n *Number) pos() int {
	if n.ref != 0 {
		return n.ref
	}
	return n.Line
}

// Estimate returns the model's view of the number.
func (n Number) Estimate() model.Estimate { return model.Estimate{Lo: n.Lo, Hi: n.Hi} }

// String writes the number as it would be read: "[lo, hi]" or "value".
func (n Number) String() string {
	if n.Lo == n.Hi {
		return fmt.Sprintf("%g", n.Lo)
	}
	return fmt.Sprintf("[%g, %g]", n.Lo, n.Hi)
}

type numberYAML struct {
	Lo    *float64 `yaml:"lo,omitempty" json:"lo,omitempty"`
	Hi    *float64 `yaml:"hi,omitempty" json:"hi,omitempty"`
	Value *float64 `yaml:"value,omitempty" json:"value,omitempty"`
	Tag   string   `yaml:"tag" json:"tag"`
	Src   []string `yaml:"src,omitempty,flow" json:"src,omitempty"`
	Note  string   `yaml:"note,omitempty" json:"note,omitempty"`
}

// UnmarshalYAML reads a number mapping. A malformed number is not a
// decoding error: the problem is kept, so that Validate reports it with its
// field and every other problem of the file.
func (n *Number) UnmarshalYAML(node *yaml.Node) error {
	*n = Number{Line: node.Line}
	if node.Kind != yaml.MappingNode {
		n.bad = "want a number such as {lo: 1, hi: 2, tag: J, note: \"...\"} or {value: 3, tag: F, src: [id]}"
		return nil
	}
	for i := 0; i < len(node.Content); i += 2 {
		switch k := node.Content[i].Value; k {
		case "lo", "hi", "value", "tag", "src", "note":
		default:
			n.Line = node.Content[i].Line
			n.bad = fmt.Sprintf("unknown key %q in a number (want lo, hi, value, tag, src, note)", k)
			return nil
		}
	}
	var raw numberYAML
	if err := node.Decode(&raw); err != nil {
		n.bad = "want numbers for lo, hi or value, a tag, a list of source ids in src and a note"
		return nil
	}
	n.Tag, n.Src, n.Note = raw.Tag, raw.Src, raw.Note
	switch {
	case raw.Value != nil && raw.Lo == nil && raw.Hi == nil:
		n.Lo, n.Hi = *raw.Value, *raw.Value
	case raw.Value == nil && raw.Lo != nil && raw.Hi != nil:
		n.Lo, n.Hi, n.ranged = *raw.Lo, *raw.Hi, true
	default:
		n.bad = "give either lo and hi (a 90% interval), or value"
	}
	return nil
}

// MarshalYAML writes the number back in flow style.
func (n Number) MarshalYAML() (any, error) {
	raw := numberYAML{Tag: n.Tag, Src: n.Src, Note: n.Note}
	if n.ranged || n.Lo != n.Hi {
		lo, hi := n.Lo, n.Hi
		raw.Lo, raw.Hi = &lo, &hi
	} else {
		v := n.Lo
		raw.Value = &v
	}
	node := &yaml.Node{}
	if err := node.Encode(raw); err != nil {
		return nil, err
	}
	node.Style = yaml.FlowStyle
	return node, nil
}

// MarshalJSON writes the number as the text format has it, {"lo", "hi"}
// or {"value"} with its tag, sources and note, and without where it was
// read (Line): the same dataset gives the same JSON, and digest, whether
// read from YAML, JSON or a workbook.
func (n Number) MarshalJSON() ([]byte, error) {
	raw := numberYAML{Tag: n.Tag, Src: n.Src, Note: n.Note}
	if n.ranged || n.Lo != n.Hi {
		lo, hi := n.Lo, n.Hi
		raw.Lo, raw.Hi = &lo, &hi
	} else {
		v := n.Lo
		raw.Value = &v
	}
	return json.Marshal(raw)
}

// maxFileSize is the largest dataset file Load reads.
const maxFileSize = 32 << 20

// unknownField matches yaml's report of a key a struct does not have.
var unknownField = regexp.MustCompile(`^line (\d+): field (\S+) not found in type \S+$`)

// Load reads a dataset in YAML (or JSON) from r, names it name in errors,
// and validates it, returning every problem at once.
func Load(r io.Reader, name string) (*Dataset, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(b) > maxFileSize {
		return nil, fmt.Errorf("%s: larger than %d MiB: not a dataset", name, maxFileSize>>20)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var ds Dataset
	var unknown []error
	if err := dec.Decode(&ds); err != nil {
		var te *yaml.TypeError
		switch {
		case errors.Is(err, io.EOF):
			return nil, fmt.Errorf("%s: empty file", name)
		case errors.As(err, &te):
			// Keys the format does not have: report them with the rest.
			for _, e := range te.Errors {
				m := unknownField.FindStringSubmatch(e)
				if m == nil {
					return nil, fmt.Errorf("%s: %s", name, e)
				}
				line, _ := strconv.Atoi(m[1])
				unknown = append(unknown, &FieldError{File: name, Line: line, Field: m[2], Msg: "unknown key (not part of the dataset format)"})
			}
		default:
			return nil, yamlErrorf(name, b, err)
		}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: holds more than one YAML document; a dataset is one", name)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, yamlErrorf(name, b, err)
	}
	ds.File = name
	ds.lines = map[string]int{}
	indexLines(&root, "", ds.lines)
	unknown = append(unknown, wholeNumbers(&root, name)...)
	err = ds.Validate()
	if err != nil || len(unknown) > 0 {
		return nil, errors.Join(append(unknown, err)...)
	}
	return &ds, nil
}

// wholeNumbers returns an error for each whole-number key (version, a
// source's year) written with a fraction, which the YAML decoder would
// truncate: 2024.5 is a typing slip, not the year 2024.
func wholeNumbers(root *yaml.Node, name string) []error {
	var errs []error
	check := func(path string, n *yaml.Node) {
		if n != nil && n.Kind == yaml.ScalarNode && n.Tag == "!!float" {
			errs = append(errs, &FieldError{File: name, Line: n.Line, Field: path, Msg: fmt.Sprintf("must be a whole number, got %s", n.Value)})
		}
	}
	doc := root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	check("version", mapValue(doc, "version"))
	if srcs := mapValue(doc, "sources"); srcs != nil && srcs.Kind == yaml.SequenceNode {
		for i, s := range srcs.Content {
			check(fmt.Sprintf("sources[%d].year", i), mapValue(s, "year"))
		}
	}
	return errs
}

// mapValue returns the value of key in a mapping node, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// indexLines records the line of every key and list item under node, by
// path: "scopes[0].controls[2].effects[1].threat".
func indexLines(node *yaml.Node, path string, lines map[string]int) {
	switch node.Kind {
	case yaml.DocumentNode:
		for _, c := range node.Content {
			indexLines(c, path, lines)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(node.Content); i += 2 {
			p := node.Content[i].Value
			if path != "" {
				p = path + "." + p
			}
			lines[p] = node.Content[i].Line
			indexLines(node.Content[i+1], p, lines)
		}
	case yaml.SequenceNode:
		for i, c := range node.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			lines[p] = c.Line
			indexLines(c, p, lines)
		}
	}
}

// FormulaLike reports whether s begins as a spreadsheet formula would (=,
// +, -, −, @, a tab or a carriage return), so that a spreadsheet opening a
// CSV file holding it could run it (OWASP's CSV injection).
func FormulaLike(s string) bool {
	return s != "" && (strings.ContainsAny(s[:1], "=+-@\t\r") || strings.HasPrefix(s, "−"))
}

const formulaIDMsg = "%q must not begin with =, +, -, −, @, a tab or a carriage return: a spreadsheet opening a CSV file of the results would read it as a formula"

// Validate returns every problem with the dataset, each prefixed by the
// file name and line and naming the field: a *FieldError, or a *CellError
// naming the sheet and cell for a dataset read from a workbook.
func (ds *Dataset) Validate() error {
	v := validator{file: ds.File, money: ds.Money, lines: ds.lines, sources: map[string]bool{}}
	if ds.Version != 1 {
		v.errf(v.at("version"), "version", "must be 1, got %d", ds.Version)
	}
	if ds.Currency == "" {
		v.errf(v.at("currency"), "currency", "must be set (e.g. GBP)")
	}
	if ds.PriceYear == "" {
		v.errf(v.at("price_year"), "price_year", "must be set (e.g. 2024-25)")
	}
	for i, s := range ds.Sources {
		f := fmt.Sprintf("sources[%d]", i)
		line := v.at(f)
		switch {
		case s.ID == "":
			v.errf(line, f+".id", "must not be empty")
		case v.sources[s.ID]:
			v.errf(line, f+".id", "duplicate source id %q", s.ID)
		case FormulaLike(s.ID):
			v.errf(line, f+".id", formulaIDMsg, s.ID)
		}
		v.sources[s.ID] = true
		if s.Publisher == "" || s.Title == "" || s.Year == 0 {
			v.errf(line, f, "source %q needs publisher, title and year", s.ID)
		}
	}
	c := &ds.Calibration
	for _, k := range []struct {
		n    *Number
		f    string
		kind model.Kind
	}{
		{&c.Spread, "spread", model.Positive}, {&c.Duration, "duration", model.Positive},
		{&c.LostOutput, "lost_output", model.Positive}, {&c.ITCosts, "it_costs", model.Positive},
		{&c.Total, "total", model.Positive}, {&c.Deflator, "deflator", model.Positive},
	} {
		f := "calibration." + k.f
		if v.number(k.n, f, "calibration", k.kind, true) && k.n.Lo <= 0 && k.f != "lost_output" && k.f != "it_costs" && k.f != "total" {
			v.errf(k.n.pos(), f, "must be positive, got %s", k.n)
		}
	}
	for _, k := range []struct {
		n *Number
		f string
	}{{&c.LostOutput, "lost_output"}, {&c.ITCosts, "it_costs"}, {&c.Total, "total"}, {&c.Deflator, "deflator"}} {
		if k.n.Lo != k.n.Hi {
			v.errf(k.n.pos(), "calibration."+k.f, "must be a single value, got %s", k.n)
		}
	}
	if sum := c.LostOutput.Lo + c.ITCosts.Lo; c.Total.bad == "" && math.Abs(sum-c.Total.Lo) > 1e-9*math.Max(sum, 1) {
		v.errf(c.Total.pos(), "calibration.total", "%g is not lost_output + it_costs = %g", c.Total.Lo, sum)
	}
	if tg := ds.Target(); tg.Validate() == nil {
		if d, r := tg.RatesNow(); !(d <= model.MaxAmount && r <= model.MaxAmount) {
			v.errf(c.Spread.pos(), "calibration", "the fitted cost rates (c_d = %s a day, c_r = %s an organisation) are beyond %s: spread or duration is too small for the costs", ds.Money(d), ds.Money(r), ds.Money(model.MaxAmount))
		}
	}
	for i := range c.Checks {
		f := fmt.Sprintf("calibration.checks[%d]", i)
		v.number(&c.Checks[i].Value, fmt.Sprintf("calibration.checks[%s].value", c.Checks[i].ID), f, model.Positive, true)
	}
	for i := range ds.Holdouts {
		h := &ds.Holdouts[i]
		f := fmt.Sprintf("holdouts[%s]", h.ID)
		at := fmt.Sprintf("holdouts[%d]", i)
		v.number(&h.Spread, f+".spread", at, model.Positive, true)
		v.number(&h.Duration, f+".duration", at, model.Positive, true)
		v.number(h.KDaily, f+".k_daily", at, model.Positive, false)
		v.number(h.KRecovery, f+".k_recovery", at, model.Positive, false)
		v.number(h.Fixed, f+".fixed", at, model.Positive, false)
		v.number(&h.Observed, f+".observed", at, model.Positive, true)
	}
	if len(ds.Scopes) == 0 {
		v.errf(v.at("scopes"), "scopes", "at least one scope is needed")
	}
	projects := make([]string, 0, len(ds.OptimismBias))
	for k := range ds.OptimismBias {
		projects = append(projects, k)
	}
	slices.Sort(projects)
	for _, k := range projects {
		f := "optimism_bias." + k
		n := ds.OptimismBias[k]
		if k != model.ProjectEquipment && k != model.ProjectOutsourcing {
			v.errf(v.at(f), f, "project type must be equipment or outsourcing, got %q", k)
			continue
		}
		// An uplift range is drawn uniformly, not a lognormal interval:
		// check its provenance as a fixed number, then the range itself.
		if n == nil {
			v.errf(v.at(f), f, "missing")
			continue
		}
		lo, hi := n.Lo, n.Hi
		fixed := *n
		fixed.Hi = fixed.Lo
		v.number(&fixed, f, "optimism_bias", model.Positive, true)
		if !(hi >= lo) || hi > model.MaxUplift {
			v.errf(n.pos(), f, "want a range 0 ≤ lo ≤ hi ≤ %g, got [%g, %g]", float64(model.MaxUplift), lo, hi)
		}
	}
	scopes := map[string]bool{}
	for i := range ds.Scopes {
		v.scope(&ds.Scopes[i], fmt.Sprintf("scopes[%d]", i), scopes)
	}
	v.texts(ds)
	if ds.cells != nil {
		return errors.Join(ds.cells.cellErrors(v.errs)...)
	}
	return errors.Join(v.errs...)
}

type validator struct {
	file    string
	money   func(float64) string // an amount as the outputs write it
	lines   map[string]int
	sources map[string]bool
	errs    []error
}

// at returns the line of the key or item at path, 0 if unknown.
func (v *validator) at(path string) int { return v.lines[path] }

// FieldError is a problem with one field of a dataset.
type FieldError struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *FieldError) Error() string {
	if e.Line > 0 {
		return Escape(fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Msg))
	}
	return Escape(fmt.Sprintf("%s: %s: %s", e.File, e.Field, e.Msg))
}

func (v *validator) errf(line int, field, format string, args ...any) {
	v.errs = append(v.errs, &FieldError{File: v.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// number checks a number's value as a quantity of kind and its provenance,
// and reports whether its value can be used. A nil optional number is fine;
// a missing required one is reported at its parent, at.
func (v *validator) number(n *Number, field, at string, kind model.Kind, required bool) bool {
	if n == nil || (n.pos() == 0 && n.Tag == "" && n.Lo == 0 && n.Hi == 0 && n.bad == "") {
		if required {
			v.errf(v.at(at), field, "missing")
		}
		return false
	}
	if n.bad != "" {
		v.errf(n.pos(), field, "%s", n.bad)
		return false
	}
	ok := true
	if err := n.Estimate().Check(kind, field); err != nil {
		ok = false
		for _, e := range unjoin(err) {
			v.errf(n.pos(), field, "%s", strings.TrimPrefix(e.Error(), field+": "))
		}
	} else if max, what := limitOf(field); max > 0 && n.Hi > max {
		ok = false
		v.errf(n.pos(), field, "%g is beyond the largest the model takes, %g %s", n.Hi, max, what)
	} else if min, what := floorOf(field); n.Lo < min && (n.Lo != 0 || mustBePositive(field)) {
		ok = false
		v.errf(n.pos(), field, "%g is below the smallest the model takes, %g %s", n.Lo, min, what)
	}
	if p := textProblem(n.Note, maxNoteLen, true); p != "" {
		v.errf(n.pos(), field+".note", "%s", p)
	}
	for _, s := range n.Src {
		if p := textProblem(s, maxIDLen, false); p != "" {
			v.errf(n.pos(), field+".src", "%s", p)
		}
	}
	switch n.Tag {
	case "F", "D":
		if len(n.Src) == 0 {
			v.errf(n.pos(), field, "tag %s needs at least one source in src", n.Tag)
		}
	case "J":
		if strings.TrimSpace(n.Note) == "" {
			v.errf(n.pos(), field, "a judgement (tag J) needs its reason in note")
		}
	case "":
		v.errf(n.pos(), field, "tag is missing: F (fact), D (derived) or J (judgement)")
	default:
		v.errf(n.pos(), field, "tag must be F, D or J, got %q", n.Tag)
	}
	for _, s := range n.Src {
		if !v.sources[s] {
			v.errf(n.pos(), field, "unknown source %q (not in sources)", s)
		}
	}
	return ok
}

// floorOf returns the smallest non-zero value the model takes for a field,
// by its last name, and what the value counts: below it, ratios such as
// a hold-out's observed cost against the model's, or cost per QALY, are
// beyond any float (a hold-out observed at 5e-324 "overshot by +Inf×"; a
// rate of 1e-300 gave £1.17e305 per QALY). Any other number is at least
// minValue, or 0.
func floorOf(field string) (float64, string) {
	name := field[strings.LastIndexByte(field, '.')+1:]
	switch name {
	case "orgs":
		return 1, "organisation"
	case "observed", "total":
		return 1, "(an amount: one unit of money)"
	case "rate":
		return model.MinRate, "events a year (once in a million years)"
	case "spread":
		if !strings.Contains(field, "effects[") {
			return 1e-3, "organisations"
		}
	case "k_full":
		return 1e-6, "(a multiplier)"
	}
	return minValue, "(the smallest magnitude a number may have, other than 0)"
}

// minValue is the smallest magnitude a dataset number may have, other than
// 0: far below any quantity the model counts, far above the
// floating-point underflow (5e-324) that turns ratios into ∞.
const minValue = 1e-9

// mustBePositive reports whether a field's 0 is refused with its floor
// (the model divides by it).
func mustBePositive(field string) bool {
	switch field[strings.LastIndexByte(field, '.')+1:] {
	case "orgs", "observed", "k_full":
		return true
	case "spread": // a threat's may be 0 (its cost is fixed), not a hold-out's
		return strings.HasPrefix(field, "holdouts[")
	}
	return false
}

// limitOf returns the largest value the model takes for a field, by its
// last name (see model.MaxRate and the rest), and what the value counts;
// 0 for a field with no limit beyond model.MaxValue.
func limitOf(field string) (float64, string) {
	name := field[strings.LastIndexByte(field, '.')+1:]
	switch name {
	case "rate":
		return model.MaxRate, "events a year"
	case "duration":
		if strings.Contains(field, "effects[") {
			return 0, ""
		}
		return model.MaxDays, "days"
	case "spread", "orgs":
		if strings.Contains(field, "effects[") {
			return 0, ""
		}
		return model.MaxOrgs, "organisations"
	case "fixed":
		if strings.Contains(field, "effects[") {
			return 0, ""
		}
		return model.MaxAmount, "(an amount)"
	case "daily", "recovery", "capex", "opex", "value_per_qaly", "lost_output", "it_costs", "total", "observed":
		return model.MaxAmount, "(an amount)"
	case "k_daily", "k_recovery", "k_full", "deflator":
		return model.MaxMultiplier, "(a multiplier)"
	case "optimism_bias":
		return model.MaxUplift, "(an uplift of 10 is +1,000%)"
	case "dispersion":
		return model.MaxDispersion, "(dispersion φ)"
	case "deaths_per_day":
		return model.MaxDeathsPerDay, "deaths an organisation-day"
	case "qalys_per_death":
		return model.MaxQALYsPerDeath, "QALYs a death"
	}
	if strings.HasPrefix(field, "optimism_bias.") {
		return model.MaxUplift, "(an uplift of 10 is +1,000%)"
	}
	return 0, ""
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// maxUnits bounds a control's units, so that costs stay finite.
const maxUnits = 1e6

func (v *validator) scope(s *Scope, at string, seen map[string]bool) {
	f := fmt.Sprintf("scopes[%s]", s.ID)
	switch {
	case s.ID == "":
		v.errf(v.at(at), f+".id", "must not be empty")
	case seen[s.ID]:
		v.errf(v.at(at+".id"), f+".id", "duplicate scope id %q", s.ID)
	case FormulaLike(s.ID):
		v.errf(v.at(at+".id"), f+".id", formulaIDMsg, s.ID)
	}
	seen[s.ID] = true
	if v.number(&s.Orgs, f+".orgs", at, model.Positive, true) && (s.Orgs.Lo != s.Orgs.Hi || !(s.Orgs.Lo > 0)) {
		v.errf(s.Orgs.pos(), f+".orgs", "must be a single positive value, got %s", s.Orgs)
	}
	if h := s.Harm; h != nil {
		v.number(&h.DeathsPerDay, f+".harm.deaths_per_day", at+".harm", model.Positive, true)
		v.number(&h.QALYsPerDeath, f+".harm.qalys_per_death", at+".harm", model.Positive, true)
		v.number(&h.KFull, f+".harm.k_full", at+".harm", model.Positive, true)
		if v.number(&h.ValuePerQALY, f+".harm.value_per_qaly", at+".harm", model.Positive, true) && h.ValuePerQALY.Lo != h.ValuePerQALY.Hi {
			v.errf(h.ValuePerQALY.pos(), f+".harm.value_per_qaly", "must be a single value, got %s", h.ValuePerQALY)
		}
	}
	v.number(s.Daily, f+".daily", at, model.Positive, false)
	v.number(s.Recovery, f+".recovery", at, model.Positive, false)
	if _, err := ParseTolerance(s.RiskTolerance); err != nil {
		v.errf(v.at(at+".risk_tolerance"), f+".risk_tolerance", "%v", err)
	}
	if len(s.Threats) == 0 {
		v.errf(v.at(at), f+".threats", "at least one threat is needed")
	}
	threats := map[string]bool{}
	for i := range s.Threats {
		t := &s.Threats[i]
		ta := fmt.Sprintf("%s.threats[%d]", at, i)
		tf := fmt.Sprintf("%s.threats[%s]", f, t.ID)
		switch {
		case t.ID == "":
			tf = fmt.Sprintf("%s.threats[%d]", f, i)
			v.errf(v.at(ta), tf+".id", "must not be empty")
		case threats[t.ID]:
			v.errf(v.at(ta+".id"), tf+".id", "duplicate threat id %q", t.ID)
		case FormulaLike(t.ID):
			v.errf(v.at(ta+".id"), tf+".id", formulaIDMsg, t.ID)
		}
		threats[t.ID] = true
		v.number(&t.Rate, tf+".rate", ta, model.Positive, true)
		if v.number(t.Dispersion, tf+".dispersion", ta, model.Positive, false) && t.Dispersion.Lo != t.Dispersion.Hi {
			v.errf(t.Dispersion.pos(), tf+".dispersion", "must be a single value, got %s", t.Dispersion)
		}
		v.number(&t.Spread, tf+".spread", ta, model.Positive, true)
		v.number(&t.Duration, tf+".duration", ta, model.Positive, true)
		v.number(t.KDaily, tf+".k_daily", ta, model.Positive, false)
		v.number(t.KRecovery, tf+".k_recovery", ta, model.Positive, false)
		v.number(t.Fixed, tf+".fixed", ta, model.Positive, false)
		v.trend(t.Trend, tf+".trend", ta)
	}
	controls := map[string]bool{}
	for _, c := range s.Controls {
		controls[c.ID] = true
	}
	seenControls := map[string]bool{}
	for i := range s.Controls {
		c := &s.Controls[i]
		ca := fmt.Sprintf("%s.controls[%d]", at, i)
		cf := fmt.Sprintf("%s.controls[%s]", f, c.ID)
		switch {
		case c.ID == "":
			cf = fmt.Sprintf("%s.controls[%d]", f, i)
			v.errf(v.at(ca), cf+".id", "must not be empty")
		case seenControls[c.ID]:
			v.errf(v.at(ca+".id"), cf+".id", "duplicate control id %q", c.ID)
		case FormulaLike(c.ID):
			v.errf(v.at(ca+".id"), cf+".id", formulaIDMsg, c.ID)
		}
		seenControls[c.ID] = true
		switch c.Project {
		case "", "equipment", "outsourcing", "none":
		default:
			v.errf(v.at(ca+".project"), cf+".project", "must be equipment, outsourcing or none, got %q%s", c.Project, didYouMean(c.Project, []string{"equipment", "outsourcing", "none"}))
		}
		if v.number(c.Units, cf+".units", ca, model.Positive, false) &&
			(c.Units.Lo != c.Units.Hi || c.Units.Lo != math.Trunc(c.Units.Lo) || c.Units.Lo < 1 || c.Units.Lo > maxUnits) {
			v.errf(c.Units.pos(), cf+".units", "must be a single whole number from 1 to %g, got %s", float64(maxUnits), c.Units)
		}
		units := 1.0
		if c.Units != nil && c.Units.Lo >= 1 && c.Units.Lo <= maxUnits {
			units = c.Units.Lo
		}
		if v.number(&c.Capex, cf+".capex", ca, model.Positive, true) && units > 1 && c.Capex.Hi*units > model.MaxAmount {
			v.errf(c.Capex.pos(), cf+".capex", "%s × %g units is beyond the largest amount the model takes, %s", v.money(c.Capex.Hi), units, v.money(model.MaxAmount))
		}
		if v.number(&c.Opex, cf+".opex", ca, model.Positive, true) && units > 1 && c.Opex.Hi*units > model.MaxAmount {
			v.errf(c.Opex.pos(), cf+".opex", "%s × %g units is beyond the largest amount the model takes, %s", v.money(c.Opex.Hi), units, v.money(model.MaxAmount))
		}
		if v.number(&c.Lifetime, cf+".lifetime", ca, model.Positive, true) &&
			(c.Lifetime.Lo != c.Lifetime.Hi || c.Lifetime.Lo != math.Trunc(c.Lifetime.Lo) || c.Lifetime.Lo > model.MaxHorizon) {
			v.errf(c.Lifetime.pos(), cf+".lifetime", "must be a whole number of years from 0 to 125, got %s", c.Lifetime)
		}
		v.number(c.OptimismBias, cf+".optimism_bias", ca, model.Positive, false)
		v.timeOf(c, cf, ca)
		for j, r := range c.Requires {
			ra := fmt.Sprintf("%s.requires[%d]", ca, j)
			switch {
			case r == c.ID:
				v.errf(v.at(ra), fmt.Sprintf("%s.requires[%d]", cf, j), "a control cannot require itself")
			case !controls[r]:
				v.errf(v.at(ra), fmt.Sprintf("%s.requires[%d]", cf, j), "unknown control %q", r)
			}
		}
		hit := map[string]bool{}
		for j := range c.Effects {
			e := &c.Effects[j]
			ea := fmt.Sprintf("%s.effects[%d]", ca, j)
			ef := fmt.Sprintf("%s.effects[%d]", cf, j)
			line := v.at(ea + ".threat")
			if line == 0 {
				line = v.at(ea)
			}
			switch {
			case !threats[e.Threat]:
				v.errf(line, ef+".threat", "unknown threat %q (this scope has %s)%s", e.Threat, strings.Join(ids(s.Threats), ", "), didYouMean(e.Threat, ids(s.Threats)))
			case hit[e.Threat]:
				v.errf(line, ef+".threat", "control %q cuts threat %q twice; put all its reductions of that threat (frequency, spread, duration, fixed) in one effect", c.ID, e.Threat)
			}
			hit[e.Threat] = true
			if e.Frequency == nil && e.Spread == nil && e.Duration == nil && e.Fixed == nil {
				v.errf(v.at(ea), ef, "no reduction given (want frequency, spread, duration or fixed)")
			}
			v.number(e.Frequency, ef+".frequency", ea, model.Fraction, false)
			v.number(e.Spread, ef+".spread", ea, model.Fraction, false)
			v.number(e.Duration, ef+".duration", ea, model.Fraction, false)
			v.number(e.Fixed, ef+".fixed", ea, model.Fraction, false)
		}
	}
}

func ids(ts []Threat) []string {
	var s []string
	for _, t := range ts {
		s = append(s, t.ID)
	}
	return s
}

// Scope returns the scope with the given id.
func (ds *Dataset) Scope(id string) (*Scope, error) {
	for i := range ds.Scopes {
		if ds.Scopes[i].ID == id {
			return &ds.Scopes[i], nil
		}
	}
	var have []string
	for _, s := range ds.Scopes {
		have = append(have, s.ID)
	}
	return nil, &scopeError{fmt.Sprintf("%s: no scope %q (have %s)%s", ds.File, id, strings.Join(have, ", "), didYouMean(id, have)),
		&model.UnknownError{What: "scope", Got: id, Want: have, Hint: strings.Join(have, ", ")}}
}

// scopeError is a scope not in the dataset: a name not among its choices
// (a *model.UnknownError, so that a mistyped --scope is bad usage, as a
// mistyped --view is), said with the dataset's file.
type scopeError struct {
	msg string
	ue  *model.UnknownError
}

func (e *scopeError) Error() string { return e.msg }
func (e *scopeError) Unwrap() error { return e.ue }

// Target returns the calibration target.
func (ds *Dataset) Target() model.Target {
	c := ds.Calibration
	return model.Target{
		Spread: c.Spread.Estimate(), Duration: c.Duration.Estimate(),
		LostOutput: c.LostOutput.Lo, IT: c.ITCosts.Lo, Deflator: c.Deflator.Lo,
	}
}

// Incident returns a hold-out incident's replay inputs.
func (h *Holdout) Incident() model.Incident {
	return model.Incident{
		Spread: h.Spread.Estimate(), Duration: h.Duration.Estimate(),
		KDaily: opt(h.KDaily, 1), KRecovery: opt(h.KRecovery, 1), Fixed: opt(h.Fixed, 0),
	}
}

func opt(n *Number, def float64) model.Estimate {
	if n == nil {
		return model.Fixed(def)
	}
	return n.Estimate()
}

func optFrac(n *Number) model.Estimate { return opt(n, 0) }

// HarmModel returns the scope's harm inputs for the social view, or nil
// when the scope has none.
func (s *Scope) HarmModel() *model.Harm {
	if s.Harm == nil {
		return nil
	}
	return &model.Harm{
		DeathsPerDay:  s.Harm.DeathsPerDay.Estimate(),
		QALYsPerDeath: s.Harm.QALYsPerDeath.Estimate(),
		ValuePerQALY:  s.Harm.ValuePerQALY.Lo,
		FullIntensity: s.Harm.KFull.Estimate(),
	}
}

// BiasRanges returns the guidance's optimism-bias range by project type.
func (ds *Dataset) BiasRanges() map[string]model.BiasRange {
	if len(ds.OptimismBias) == 0 {
		return nil
	}
	out := map[string]model.BiasRange{}
	for k, n := range ds.OptimismBias {
		out[k] = model.BiasRange{Lo: n.Lo, Hi: n.Hi}
	}
	return out
}

// Model returns the scope's model, with the outage cost rates from cal (in
// the dataset's price year) unless the scope overrides them. The social
// view's harm is left off; HarmModel gives it.
func (s *Scope) Model(cal model.Calibration) *model.Model {
	m := &model.Model{
		Scope:    s.Name,
		Orgs:     s.Orgs.Lo,
		Daily:    model.Fixed(cal.DailyNow),
		Recovery: model.Fixed(cal.RecoveryNow),
	}
	if s.Daily != nil {
		m.Daily = s.Daily.Estimate()
	}
	if s.Recovery != nil {
		m.Recovery = s.Recovery.Estimate()
	}
	for _, t := range s.Threats {
		mt := model.Threat{
			ID: t.ID, Name: t.Name, Rate: t.Rate.Estimate(),
			Spread: t.Spread.Estimate(), Duration: t.Duration.Estimate(),
			KDaily: opt(t.KDaily, 1), KRecovery: opt(t.KRecovery, 1), Fixed: opt(t.Fixed, 0),
		}
		if t.Dispersion != nil {
			mt.Dispersion = t.Dispersion.Lo
		}
		if t.Trend != nil {
			mt.Trend = t.Trend.Estimate()
		}
		m.Threats = append(m.Threats, mt)
	}
	for _, c := range s.Controls {
		units := 1.0
		if c.Units != nil {
			units = c.Units.Lo
		}
		mc := model.Control{
			ID: c.ID, Name: c.Name,
			Capex:    model.Estimate{Lo: c.Capex.Lo * units, Hi: c.Capex.Hi * units},
			Opex:     model.Estimate{Lo: c.Opex.Lo * units, Hi: c.Opex.Hi * units},
			Lifetime: int(c.Lifetime.Lo),
			Group:    c.Group,
			Requires: c.Requires,
			Project:  c.Project,
		}
		if c.OptimismBias != nil {
			mc.OptimismBias = c.OptimismBias.Estimate()
		}
		mc.Rollout, mc.Decay = c.timeEffects()
		for _, e := range c.Effects {
			mc.Effects = append(mc.Effects, model.Effect{
				Threat:    e.Threat,
				Frequency: optFrac(e.Frequency), Spread: optFrac(e.Spread),
				Duration: optFrac(e.Duration), Fixed: optFrac(e.Fixed),
			})
		}
		m.Controls = append(m.Controls, mc)
	}
	return m
}

// SourceByID returns the source with the given id, or nil.
func (ds *Dataset) SourceByID(id string) *Source {
	for i := range ds.Sources {
		if ds.Sources[i].ID == id {
			return &ds.Sources[i]
		}
	}
	return nil
}

// NumberFor returns the scope's number a model input refers to, or nil
// when the input is not one of the scope's numbers (the calibrated cost
// rates, unless the scope overrides them, or a default intensity of 1).
// Control costs are per unit: the model's totals multiply them out.
func (s *Scope) NumberFor(ref model.InputRef) *Number {
	switch ref.Kind {
	case "rates":
		if ref.Key == "daily" {
			return s.Daily
		}
		return s.Recovery
	case "harm":
		if s.Harm == nil {
			return nil
		}
		switch ref.Key {
		case "deaths_per_day":
			return &s.Harm.DeathsPerDay
		case "qalys_per_death":
			return &s.Harm.QALYsPerDeath
		case "k_full":
			return &s.Harm.KFull
		}
	case "threat":
		for i := range s.Threats {
			t := &s.Threats[i]
			if t.ID != ref.ID {
				continue
			}
			switch ref.Key {
			case "rate":
				return &t.Rate
			case "spread":
				return &t.Spread
			case "duration":
				return &t.Duration
			case "fixed":
				return t.Fixed
			case "k_daily":
				return t.KDaily
			case "k_recovery":
				return t.KRecovery
			case "trend":
				return t.Trend
			}
		}
	case "control", "effect":
		for i := range s.Controls {
			c := &s.Controls[i]
			if c.ID != ref.ID {
				continue
			}
			switch ref.Key {
			case "capex":
				if ref.Kind == "control" {
					return &c.Capex
				}
			case "opex":
				return &c.Opex
			case "optimism_bias":
				return c.OptimismBias
			}
			for j := range c.Effects {
				e := &c.Effects[j]
				if ref.Kind != "effect" || e.Threat != ref.Threat {
					continue
				}
				switch ref.Key {
				case "frequency":
					return e.Frequency
				case "spread":
					return e.Spread
				case "duration":
					return e.Duration
				case "fixed":
					return e.Fixed
				}
			}
		}
	}
	return nil
}
