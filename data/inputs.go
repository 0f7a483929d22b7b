package data

import (
	"bytes"
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
	ds, st, scns, err := LoadWorkbook(bytes.NewReader(b), name)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	return &Inputs{Dataset: ds, Settings: st, Scenarios: scns, Digest: hex.EncodeToString(sum[:])}, nil
}

// ApplySettings sets every option from a workbook's Settings, except those
// given (set reports whether a flag, by its name, was given).
func (o *RunSpec) ApplySettings(s Settings, set func(flag string) bool) {
	if !set("scope") {
		o.Scope = s.Scope
	}
	if !set("draws") {
		o.Draws = s.Draws
	}
	if !set("years") {
		o.Years = s.Years
	}
	if !set("seed") {
		o.Seed = s.Seed
	}
	if !set("horizon") {
		o.Horizon = s.Horizon
	}
	if !set("discount") && s.Discount != nil {
		o.Discount = strconv.FormatFloat(*s.Discount, 'g', -1, 64)
	}
	if !set("optimism-bias") {
		o.Bias = s.OptimismBias
	}
	if !set("budget") && s.Budget != nil {
		o.Budget = strconv.FormatFloat(*s.Budget, 'f', -1, 64)
	}
	if !set("capex-budget") && s.CapexBudget != nil {
		o.CapexBudget = strconv.FormatFloat(*s.CapexBudget, 'f', -1, 64)
	}
	if !set("objective") {
		o.Objective = s.Objective
	}
	if !set("metric") {
		o.Metric = s.Metric
	}
	if !set("risk-tolerance") {
		o.RiskTolerance = s.RiskTolerance
	}
	if !set("budget-plan") {
		o.BudgetPlan = s.BudgetPlan
	}
	if !set("budget-plan-kind") {
		o.BudgetPlanKind = s.BudgetPlanKind
	}
}
