// Package reports builds cybercba's outputs for people from model results:
// publication plots (gonum/plot) and a finance-grade Excel workbook
// (excelize). It runs no simulation of its own: everything it shows is read
// from a Report, which the command fills from one run. The one computation
// it does itself is the Monte Carlo standard error of each point of the
// loss exceedance table and plot, by the batch means the model uses for its
// own figures.
//
// Figures returns the run's plots: the loss exceedance curve, with the
// baseline's sampling band, the histogram of baseline annual losses, the
// ranking of controls by NPV with 90% intervals, and, when the run has
// them, the ranking in the financial and social views side by side (with
// patient harm), the efficient frontier (the best portfolio at each
// budget), the tornado of the sensitivity analysis, the calibration
// against WannaCry and the hold-out incidents, and, for a social run with
// Report.Health, the health-economic views: the cost-effectiveness plane
// (a panel per option), the acceptability curves and frontier, the EVPI
// against the value of a QALY, the EVPPI by input and group, and which
// portfolio is best at each budget. Each is written as PNG, SVG
// or PDF by Figure.Write; all share one look (Liberation Sans, no text
// under 11 pt at 6×4 in, the Okabe–Ito colours) and carry a caption of
// their provenance: the tool and version, draws × years, seed, target
// standard error, the inputs' SHA-256, the dataset and how threats combine.
//
// WriteWorkbook writes the workbook: Summary, Ranking, Percentiles, LEC,
// LEC chart, What-if (a live model: the closed form of expected NPV as
// spreadsheet formulas over editable inputs), Draws (its outer draws,
// each row's expected NPV a formula), Calibration, Inputs, Sources and About sheets, with native
// Excel charts of the LEC and of NPV by control, and each Monte Carlo
// figure beside its standard error; and, after Ranking, a Social sheet when
// the results have the social view, a Portfolio sheet when the run chose a
// portfolio under a budget, a Frontier sheet, with a native chart, when it
// has a frontier, and a Sensitivity sheet, with a native chart of the
// largest swings, when it has a sensitivity analysis; and the Health
// economics (options, ICER table, EVPPI), Acceptability (with a native
// chart) and CE plane draws sheets when the report has the health-economic
// views.
//
// Both write to an io.Writer; naming, temporary files and renaming are the
// caller's.
package reports
