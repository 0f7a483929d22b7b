package reports_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/cybercba/cybercba/model"
	"github.com/cybercba/cybercba/reports"
)

func ExampleParseFormats() {
	formats, err := reports.ParseFormats("png, SVG,png")
	fmt.Println(formats, err)
	_, err = reports.ParseFormats("png,gif")
	fmt.Println(err)
	// Output:
	// [png svg] <nil>
	// unknown format "gif" (want one or more of png, svg, pdf)
}

// exampleReport analyses a small model as the command would, for the
// examples: a trust, one threat, two controls.
func exampleReport() (*reports.Report, error) {
	m := &model.Model{
		Scope: "example trust", Orgs: 1,
		Daily: model.Fixed(50e3), Recovery: model.Fixed(1e6),
		Threats: []model.Threat{{
			ID: "ransomware", Rate: model.Estimate{Lo: 0.05, Hi: 0.2},
			Spread: model.Fixed(1), Duration: model.Estimate{Lo: 3, Hi: 20},
		}},
		Controls: []model.Control{
			{ID: "backups", Name: "Offline backups", Opex: model.Fixed(20e3),
				Effects: []model.Effect{{Threat: "ransomware", Duration: model.Fixed(0.6)}}},
			{ID: "mfa", Name: "Multi-factor authentication", Opex: model.Fixed(10e3),
				Effects: []model.Effect{{Threat: "ransomware", Frequency: model.Fixed(0.3)}}},
		},
	}
	cfg := model.Config{Draws: 50, Years: 200, Seed: 1}
	an, err := model.Analyse(context.Background(), m, cfg, model.Appraisal{Horizon: 10, Discount: model.GreenBook()}, model.ByNPV)
	if err != nil {
		return nil, err
	}
	return &reports.Report{
		Tool: "cybercba", Version: "example", ScopeID: "example", ScopeName: m.Scope,
		Currency: "GBP", PriceYear: "2024-25",
		Settings: reports.Settings{Seed: cfg.Seed, Draws: cfg.Draws, Years: cfg.Years, Horizon: 10, Metric: "NPV"},
		Model:    m, Analysis: an,
	}, nil
}

// WriteWorkbook writes a run's results as an Excel workbook to any
// io.Writer: here a buffer, reopened to list its sheets.
func ExampleWriteWorkbook() {
	r, err := exampleReport()
	if err != nil {
		fmt.Println(err)
		return
	}
	var buf bytes.Buffer
	if err := reports.WriteWorkbook(&buf, r); err != nil {
		fmt.Println(err)
		return
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	fmt.Println(strings.Join(f.GetSheetList(), ", "))
	// Output:
	// Summary, Ranking, Percentiles, LEC, LEC chart, What-if, Draws, Calibration, Inputs, Sources, About
}

// Figures lists a run's plots, those its results call for (no
// calibration plot without a calibration, no frontier without a budget);
// each writes itself as PNG, SVG or PDF.
func ExampleFigures() {
	r, err := exampleReport()
	if err != nil {
		fmt.Println(err)
		return
	}
	figs, err := reports.Figures(r)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range figs {
		var buf bytes.Buffer
		if err := f.Write(&buf, "svg"); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(f.Name, strings.HasPrefix(buf.String(), "<?xml"))
	}
	// Output:
	// lec true
	// histogram true
	// ranking true
}
