package data

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"cybercba/model"
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
	Scopes      []Scope     `yaml:"scopes" json:"scopes"`
	// File is the name the dataset was loaded from.
	File string `yaml:"-" json:"-"`
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
	Daily    *Number   `yaml:"daily" json:"daily,omitempty"`
	Recovery *Number   `yaml:"recovery" json:"recovery,omitempty"`
	Threats  []Threat  `yaml:"threats" json:"threats"`
	Controls []Control `yaml:"controls" json:"controls"`
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
	Note       string  `yaml:"note" json:"note,omitempty"`
}

// Control is a candidate investment as written in a dataset. Capex and
// Opex are per unit; the model's costs are times Units.
type Control struct {
	ID           string   `yaml:"id" json:"id"`
	Name         string   `yaml:"name" json:"name"`
	Project      string   `yaml:"project" json:"project,omitempty"`
	Units        *Number  `yaml:"units" json:"units,omitempty"`
	Capex        Number   `yaml:"capex" json:"capex"`
	Opex         Number   `yaml:"opex" json:"opex"`
	Lifetime     Number   `yaml:"lifetime" json:"lifetime"`
	OptimismBias *Number  `yaml:"optimism_bias" json:"optimism_bias,omitempty"`
	Effects      []Effect `yaml:"effects" json:"effects"`
	Note         string   `yaml:"note" json:"note,omitempty"`
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
	Lo    *float64 `yaml:"lo" json:"lo,omitempty"`
	Hi    *float64 `yaml:"hi" json:"hi,omitempty"`
	Value *float64 `yaml:"value" json:"value,omitempty"`
	Tag   string   `yaml:"tag" json:"tag"`
	Src   []string `yaml:"src" json:"src,omitempty"`
	Note  string   `yaml:"note" json:"note,omitempty"`
}

// UnmarshalYAML reads a number mapping, rejecting unknown keys.
func (n *Number) UnmarshalYAML(node *yaml.Node) error {
	n.Line = node.Line
	if node.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: want a mapping such as {lo: 1, hi: 2, tag: J, note: \"...\"}", node.Line)
	}
	for i := 0; i < len(node.Content); i += 2 {
		switch k := node.Content[i].Value; k {
		case "lo", "hi", "value", "tag", "src", "note":
		default:
			return fmt.Errorf("line %d: unknown key %q in a number (want lo, hi, value, tag, src, note)", node.Content[i].Line, k)
		}
	}
	var raw numberYAML
	if err := node.Decode(&raw); err != nil {
		return err
	}
	n.Tag, n.Src, n.Note = raw.Tag, raw.Src, raw.Note
	switch {
	case raw.Value != nil && raw.Lo == nil && raw.Hi == nil:
		n.Lo, n.Hi = *raw.Value, *raw.Value
	case raw.Value == nil && raw.Lo != nil && raw.Hi != nil:
		n.Lo, n.Hi, n.ranged = *raw.Lo, *raw.Hi, true
	default:
		return fmt.Errorf("line %d: give either lo and hi, or value", node.Line)
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

// Load reads a dataset in YAML (or JSON) from r, names it name in errors,
// and validates it, returning every problem at once.
func Load(r io.Reader, name string) (*Dataset, error) {
	b, err := io.ReadAll(io.LimitReader(r, 32<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var ds Dataset
	if err := dec.Decode(&ds); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty file", name)
		}
		return nil, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	ds.File = name
	if err := ds.Validate(); err != nil {
		return nil, err
	}
	return &ds, nil
}

// Validate returns every problem with the dataset, each prefixed by the
// file name and line and naming the field.
func (ds *Dataset) Validate() error {
	v := validator{file: ds.File, sources: map[string]bool{}}
	if ds.Version != 1 {
		v.errf(0, "version", "must be 1, got %d", ds.Version)
	}
	if ds.Currency == "" {
		v.errf(0, "currency", "must be set (e.g. GBP)")
	}
	if ds.PriceYear == "" {
		v.errf(0, "price_year", "must be set (e.g. 2024-25)")
	}
	for i, s := range ds.Sources {
		f := fmt.Sprintf("sources[%d]", i)
		switch {
		case s.ID == "":
			v.errf(0, f+".id", "must not be empty")
		case v.sources[s.ID]:
			v.errf(0, f+".id", "duplicate source id %q", s.ID)
		}
		v.sources[s.ID] = true
		if s.Publisher == "" || s.Title == "" || s.Year == 0 {
			v.errf(0, f, "source %q needs publisher, title and year", s.ID)
		}
	}
	c := &ds.Calibration
	v.number(&c.Spread, "calibration.spread", model.Positive, true)
	v.number(&c.Duration, "calibration.duration", model.Positive, true)
	v.number(&c.LostOutput, "calibration.lost_output", model.Positive, true)
	v.number(&c.ITCosts, "calibration.it_costs", model.Positive, true)
	v.number(&c.Total, "calibration.total", model.Positive, true)
	v.number(&c.Deflator, "calibration.deflator", model.Positive, true)
	if c.Total.Lo > 0 && math.Abs(c.LostOutput.Lo+c.ITCosts.Lo-c.Total.Lo) > 1e-6*c.Total.Lo {
		v.errf(c.Total.Line, "calibration.total", "%g is not lost_output + it_costs = %g", c.Total.Lo, c.LostOutput.Lo+c.ITCosts.Lo)
	}
	for _, k := range []struct {
		n *Number
		f string
	}{{&c.LostOutput, "lost_output"}, {&c.ITCosts, "it_costs"}, {&c.Deflator, "deflator"}} {
		if k.n.Lo != k.n.Hi {
			v.errf(k.n.Line, "calibration."+k.f, "must be a single value, got %s", k.n)
		}
	}
	for i, ch := range ds.Calibration.Checks {
		v.number(&ds.Calibration.Checks[i].Value, fmt.Sprintf("calibration.checks[%s].value", ch.ID), model.Positive, true)
	}
	for i := range ds.Holdouts {
		h := &ds.Holdouts[i]
		f := fmt.Sprintf("holdouts[%s]", h.ID)
		v.number(&h.Spread, f+".spread", model.Positive, true)
		v.number(&h.Duration, f+".duration", model.Positive, true)
		v.number(h.KDaily, f+".k_daily", model.Positive, false)
		v.number(h.KRecovery, f+".k_recovery", model.Positive, false)
		v.number(h.Fixed, f+".fixed", model.Positive, false)
		v.number(&h.Observed, f+".observed", model.Positive, true)
	}
	if len(ds.Scopes) == 0 {
		v.errf(0, "scopes", "at least one scope is needed")
	}
	scopes := map[string]bool{}
	for i := range ds.Scopes {
		v.scope(&ds.Scopes[i], scopes)
	}
	return errors.Join(v.errs...)
}

type validator struct {
	file    string
	sources map[string]bool
	errs    []error
}

// FieldError is a problem with one field of a dataset.
type FieldError struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *FieldError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", e.File, e.Field, e.Msg)
}

func (v *validator) errf(line int, field, format string, args ...any) {
	v.errs = append(v.errs, &FieldError{File: v.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// number checks a number's value as a quantity of kind and its provenance.
// A nil optional number is fine; a nil required one is an error.
func (v *validator) number(n *Number, field string, kind model.Kind, required bool) {
	if n == nil {
		if required {
			v.errf(0, field, "missing")
		}
		return
	}
	if n.Line == 0 && n.Tag == "" && n.Lo == 0 && n.Hi == 0 {
		if required {
			v.errf(0, field, "missing")
		}
		return
	}
	if err := n.Estimate().Check(kind, field); err != nil {
		for _, e := range unjoin(err) {
			msg := strings.TrimPrefix(e.Error(), field+": ")
			v.errf(n.Line, field, "%s", msg)
		}
	}
	switch n.Tag {
	case "F", "D":
		if len(n.Src) == 0 {
			v.errf(n.Line, field, "tag %s needs at least one source in src", n.Tag)
		}
	case "J":
		if strings.TrimSpace(n.Note) == "" {
			v.errf(n.Line, field, "a judgement (tag J) needs its reason in note")
		}
	case "":
		v.errf(n.Line, field, "tag is missing: F (fact), D (derived) or J (judgement)")
	default:
		v.errf(n.Line, field, "tag must be F, D or J, got %q", n.Tag)
	}
	for _, s := range n.Src {
		if !v.sources[s] {
			v.errf(n.Line, field, "unknown source %q (not in sources)", s)
		}
	}
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func (v *validator) scope(s *Scope, seen map[string]bool) {
	f := fmt.Sprintf("scopes[%s]", s.ID)
	switch {
	case s.ID == "":
		v.errf(0, f+".id", "must not be empty")
	case seen[s.ID]:
		v.errf(0, f+".id", "duplicate scope id %q", s.ID)
	}
	seen[s.ID] = true
	v.number(&s.Orgs, f+".orgs", model.Positive, true)
	if s.Orgs.Lo != s.Orgs.Hi || (s.Orgs.Line > 0 && !(s.Orgs.Lo > 0)) {
		v.errf(s.Orgs.Line, f+".orgs", "must be a single positive value, got %s", s.Orgs)
	}
	v.number(s.Daily, f+".daily", model.Positive, false)
	v.number(s.Recovery, f+".recovery", model.Positive, false)
	if len(s.Threats) == 0 {
		v.errf(0, f+".threats", "at least one threat is needed")
	}
	threats := map[string]bool{}
	for i := range s.Threats {
		t := &s.Threats[i]
		tf := fmt.Sprintf("%s.threats[%s]", f, t.ID)
		switch {
		case t.ID == "":
			tf = fmt.Sprintf("%s.threats[%d]", f, i)
			v.errf(t.Rate.Line, tf+".id", "must not be empty")
		case threats[t.ID]:
			v.errf(t.Rate.Line, tf+".id", "duplicate threat id %q", t.ID)
		}
		threats[t.ID] = true
		v.number(&t.Rate, tf+".rate", model.Positive, true)
		v.number(t.Dispersion, tf+".dispersion", model.Positive, false)
		if t.Dispersion != nil && t.Dispersion.Lo != t.Dispersion.Hi {
			v.errf(t.Dispersion.Line, tf+".dispersion", "must be a single value, got %s", t.Dispersion)
		}
		v.number(&t.Spread, tf+".spread", model.Positive, true)
		v.number(&t.Duration, tf+".duration", model.Positive, true)
		v.number(t.KDaily, tf+".k_daily", model.Positive, false)
		v.number(t.KRecovery, tf+".k_recovery", model.Positive, false)
		v.number(t.Fixed, tf+".fixed", model.Positive, false)
	}
	controls := map[string]bool{}
	for i := range s.Controls {
		c := &s.Controls[i]
		cf := fmt.Sprintf("%s.controls[%s]", f, c.ID)
		switch {
		case c.ID == "":
			cf = fmt.Sprintf("%s.controls[%d]", f, i)
			v.errf(c.Capex.Line, cf+".id", "must not be empty")
		case controls[c.ID]:
			v.errf(c.Capex.Line, cf+".id", "duplicate control id %q", c.ID)
		}
		controls[c.ID] = true
		switch c.Project {
		case "", "equipment", "outsourcing", "none":
		default:
			v.errf(c.Capex.Line, cf+".project", "must be equipment, outsourcing or none, got %q", c.Project)
		}
		v.number(c.Units, cf+".units", model.Positive, false)
		if c.Units != nil && (c.Units.Lo != c.Units.Hi || c.Units.Lo != math.Trunc(c.Units.Lo) || c.Units.Lo < 1) {
			v.errf(c.Units.Line, cf+".units", "must be a single whole number ≥ 1, got %s", c.Units)
		}
		v.number(&c.Capex, cf+".capex", model.Positive, true)
		v.number(&c.Opex, cf+".opex", model.Positive, true)
		v.number(&c.Lifetime, cf+".lifetime", model.Positive, true)
		if c.Lifetime.Lo != c.Lifetime.Hi || c.Lifetime.Lo != math.Trunc(c.Lifetime.Lo) || c.Lifetime.Lo > 125 {
			v.errf(c.Lifetime.Line, cf+".lifetime", "must be a whole number of years from 0 to 125, got %s", c.Lifetime)
		}
		v.number(c.OptimismBias, cf+".optimism_bias", model.Positive, false)
		hit := map[string]bool{}
		for j := range c.Effects {
			e := &c.Effects[j]
			ef := fmt.Sprintf("%s.effects[%d]", cf, j)
			line := firstLine(e.Frequency, e.Spread, e.Duration, e.Fixed)
			switch {
			case !threats[e.Threat]:
				v.errf(line, ef+".threat", "unknown threat %q (this scope has %s)", e.Threat, strings.Join(ids(s.Threats), ", "))
			case hit[e.Threat]:
				v.errf(line, ef+".threat", "threat %q appears twice; put all its reductions in one effect", e.Threat)
			}
			hit[e.Threat] = true
			if e.Frequency == nil && e.Spread == nil && e.Duration == nil && e.Fixed == nil {
				v.errf(line, ef, "no reduction given (want frequency, spread, duration or fixed)")
			}
			v.number(e.Frequency, ef+".frequency", model.Fraction, false)
			v.number(e.Spread, ef+".spread", model.Fraction, false)
			v.number(e.Duration, ef+".duration", model.Fraction, false)
			v.number(e.Fixed, ef+".fixed", model.Fraction, false)
		}
	}
}

func firstLine(ns ...*Number) int {
	for _, n := range ns {
		if n != nil && n.Line > 0 {
			return n.Line
		}
	}
	return 0
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
	return nil, fmt.Errorf("%s: no scope %q (have %s)", ds.File, id, strings.Join(have, ", "))
}

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

// Model returns the scope's model, with the outage cost rates from cal (in
// the dataset's price year) unless the scope overrides them.
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
		}
		if c.OptimismBias != nil {
			mc.OptimismBias = c.OptimismBias.Estimate()
		}
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
