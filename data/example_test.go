package data_test

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/model"
)

// Default is the embedded NHS dataset: its scopes, and the model of one,
// with outage costs calibrated on WannaCry.
func ExampleDefault() {
	ds, err := data.Default()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ds.Currency, ds.PriceYear, len(ds.Sources) > 0)
	for _, sc := range ds.Scopes {
		fmt.Printf("%s: %d threats, %d controls\n", sc.ID, len(sc.Threats), len(sc.Controls))
	}
	cal, err := model.Calibrate(ds.Target(), 2017)
	if err != nil {
		fmt.Println(err)
		return
	}
	sc, err := ds.Scope("acute-trust")
	if err != nil {
		fmt.Println(err)
		return
	}
	m := sc.Model(cal)
	fmt.Println(m.Scope, m.Validate())
	// Output:
	// GBP 2024-25 true
	// nhs-england: 7 threats, 12 controls
	// acute-trust: 8 threats, 12 controls
	// A single acute trust (reference) <nil>
}

// mini is a small dataset: one scope, one threat, two controls.
const mini = `version: 1
name: "A two-control test dataset"
currency: GBP
price_year: "2024-25"
sources:
  - id: test
    publisher: Test Publisher
    title: "A test source"
    year: 2024
calibration:
  incident: "Test incident"
  price_year: "2024-25"
  spread:      {lo: 10, hi: 20, tag: J, note: "test"}
  duration:    {lo: 2, hi: 4, tag: J, note: "test"}
  lost_output: {value: 3000000, tag: F, src: [test]}
  it_costs:    {value: 7000000, tag: F, src: [test]}
  total:       {value: 10000000, tag: D, src: [test], note: "3m + 7m"}
  deflator:    {value: 1, tag: J, note: "same prices"}
holdouts:
  - id: mini-holdout
    name: "A hold-out incident"
    spread:   {lo: 1, hi: 3, tag: J, note: "test"}
    duration: {lo: 5, hi: 10, tag: J, note: "test"}
    observed: {value: 2000000, tag: J, note: "test"}
scopes:
  - id: mini
    name: "Mini trust"
    orgs: {value: 1, tag: J, note: "one trust"}
    threats:
      - id: T1
        name: "Ransomware"
        rate:     {lo: 0.05, hi: 0.2, tag: J, note: "test"}
        spread:   {value: 1, tag: J, note: "one trust"}
        duration: {lo: 5, hi: 30, tag: J, note: "test"}
    controls:
      - id: K1
        name: "Backups"
        capex:    {lo: 50000, hi: 100000, tag: J, note: "test"}
        opex:     {lo: 10000, hi: 30000, tag: J, note: "test"}
        lifetime: {value: 5, tag: J, note: "test"}
        effects:
          - threat: T1
            duration: {lo: 0.3, hi: 0.6, tag: J, note: "test"}
      - id: K2
        name: "MFA"
        capex:    {value: 0, tag: J, note: "test"}
        opex:     {lo: 5000, hi: 20000, tag: J, note: "test"}
        lifetime: {value: 1, tag: J, note: "test"}
        effects:
          - threat: T1
            frequency: {lo: 0.2, hi: 0.5, tag: J, note: "test"}
`

// Load reads a dataset in YAML or JSON and validates it; a problem names
// the file, the line and the field.
func ExampleLoad() {
	ds, err := data.Load(strings.NewReader(mini), "mini.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	sc, _ := ds.Scope("mini")
	fmt.Println(ds.Name, "·", sc.Name, "·", len(sc.Threats), "threat,", len(sc.Controls), "controls")
	broken := strings.Replace(mini, "rate:     {lo: 0.05, hi: 0.2", "rate:     {lo: 0.2, hi: 0.05", 1)
	_, err = data.Load(strings.NewReader(broken), "mini.yaml")
	fmt.Println(err)
	// Output:
	// A two-control test dataset · Mini trust · 1 threat, 2 controls
	// mini.yaml:32: scopes[mini].threats[T1].rate: lo 0.2 is above hi 0.05
}

// ParseAmount reads amounts of money as people write them.
func ExampleParseAmount() {
	for _, s := range []string{"£1.2m", "250k", "1,200,000", "£0.0025bn", "tbc"} {
		v, err := data.ParseAmount(s)
		fmt.Println(v, err != nil)
	}
	// Output:
	// 1.2e+06 false
	// 250000 false
	// 1.2e+06 false
	// 2.5e+06 false
	// 0 true
}

// WriteTemplate writes a dataset as an inputs workbook, and LoadWorkbook
// reads it back: the same numbers and the settings written.
func ExampleWriteTemplate() {
	ds, err := data.Default()
	if err != nil {
		fmt.Println(err)
		return
	}
	s := data.DefaultSettings()
	s.Scope = "acute-trust"
	var buf bytes.Buffer
	if err := data.WriteTemplate(&buf, ds, s.Scope, s); err != nil {
		fmt.Println(err)
		return
	}
	back, settings, scenarios, err := data.LoadWorkbook(&buf, "inputs.xlsx")
	if err != nil {
		fmt.Println(err)
		return
	}
	sc, _ := back.Scope("acute-trust")
	fmt.Println(settings.Scope, len(back.Scopes), len(sc.Controls), len(scenarios) > 0)
	fmt.Println(sc.Threats[0].Rate.Lo == ds.Scopes[1].Threats[0].Rate.Lo)
	// Output:
	// acute-trust 2 12 true
	// true
}

// An amount given on the command line is checked against the dataset's
// currency.
func ExampleCheckCurrency() {
	fmt.Println(data.CheckCurrency("£2.5m", "GBP"))
	fmt.Println(data.CheckCurrency("$2.5m", "GBP"))
	// Output:
	// <nil>
	// "$2.5m" is in $, but the dataset's amounts are in GBP (£): convert it and give the GBP amount
}
