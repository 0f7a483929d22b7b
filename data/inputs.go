package data

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// zipMagic starts every .xlsx file (a zip archive).
var zipMagic = []byte("PK\x03\x04")

// IsWorkbook reports whether a file is an .xlsx workbook: by its extension,
// or by its first bytes.
func IsWorkbook(path string, head []byte) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm", ".xltx", ".xltm":
		return true
	case ".yaml", ".yml", ".json":
		return false
	}
	return bytes.HasPrefix(head, zipMagic)
}

// LoadBytes reads a dataset from b, named name: an inputs workbook
// or a YAML or JSON file, told apart by name and content.
func LoadBytes(b []byte, name string) (*Dataset, error) {
	if k := kindOf(b, name); k != "" {
		return nil, notADataset(name, k)
	}
	if IsWorkbook(name, b) {
		ds, _, _, err := LoadWorkbook(bytes.NewReader(b), name)
		return ds, err
	}
	return Load(bytes.NewReader(b), name)
}

// Inputs is an inputs workbook as read, with the SHA-256 of its bytes.
type Inputs struct {
	Dataset   *Dataset
	Settings  Settings
	Scenarios []Scenario
	Digest    string
}

// ReadInputs reads an inputs workbook from its bytes b, named name.
func ReadInputs(b []byte, name string) (*Inputs, error) {
	if !IsWorkbook(name, b) {
		return nil, fmt.Errorf("%s: not an .xlsx workbook (write one with cybercba template)", name)
	}
	if k := kindOf(b, name); k != "" {
		return nil, fmt.Errorf("%s: this is %s, not an inputs workbook (cybercba template writes one)", name, k)
	}
	ds, st, scns, err := LoadWorkbook(bytes.NewReader(b), name)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	return &Inputs{Dataset: ds, Settings: st, Scenarios: scns, Digest: hex.EncodeToString(sum[:])}, nil
}

// ApplySettings sets every option that the Settings sheet holds from s,
// except those given on the command line (set reports whether a flag, by
// its name, was given). The values are those of s.Spec.
func (o *RunSpec) ApplySettings(s Settings, set func(flag string) bool) {
	from := s.Spec()
	for _, f := range []struct {
		flag string
		copy func()
	}{
		{"scope", func() { o.Scope = from.Scope }},
		{"draws", func() { o.Draws = from.Draws }},
		{"years", func() { o.Years = from.Years }},
		{"decision-draws", func() { o.DecisionDraws = from.DecisionDraws }},
		{"seed", func() { o.Seed = from.Seed }},
		{"horizon", func() { o.Horizon = from.Horizon }},
		{"discount", func() { o.Discount = from.Discount }},
		{"optimism-bias", func() { o.Bias = from.Bias }},
		{"budget", func() { o.Budget = from.Budget }},
		{"capex-budget", func() { o.CapexBudget = from.CapexBudget }},
		{"objective", func() { o.Objective = from.Objective }},
		{"metric", func() { o.Metric = from.Metric }},
		{"risk-tolerance", func() { o.RiskTolerance = from.RiskTolerance }},
		{"view", func() { o.View = from.View }},
		{"correlation", func() { o.Correlations = from.Correlations }},
		{"budget-plan", func() { o.BudgetPlan = from.BudgetPlan }},
		{"budget-plan-kind", func() { o.BudgetPlanKind = from.BudgetPlanKind }},
	} {
		if !set(f.flag) {
			f.copy()
		}
	}
}

// Spec returns the run specification the settings describe, the defaults
// of DefaultRunSpec for what they leave out: the one conversion from the
// Settings sheet (and a Scenarios row, through Scenario.Settings) to a run's
// options.
func (s Settings) Spec() RunSpec {
	o := DefaultRunSpec()
	o.Scope, o.Draws, o.Years, o.Seed, o.Horizon = s.Scope, s.Draws, s.Years, s.Seed, s.Horizon
	o.DecisionDraws = s.DecisionDraws
	if s.Discount != nil {
		o.Discount = strconv.FormatFloat(*s.Discount, 'g', -1, 64)
	}
	o.Bias = s.OptimismBias
	if s.Budget != nil {
		o.Budget = strconv.FormatFloat(*s.Budget, 'f', -1, 64)
	}
	if s.CapexBudget != nil {
		o.CapexBudget = strconv.FormatFloat(*s.CapexBudget, 'f', -1, 64)
	}
	o.Objective, o.Metric, o.RiskTolerance = cmp.Or(s.Objective, o.Objective), cmp.Or(s.Metric, o.Metric), s.RiskTolerance
	o.View, o.Correlations = cmp.Or(s.View, o.View), s.Correlations
	o.BudgetPlan, o.BudgetPlanKind = s.BudgetPlan, s.BudgetPlanKind
	return o
}
