// Package reports builds cybercba's outputs for people from model results:
// publication plots (gonum/plot) and a finance-grade Excel workbook
// (excelize). It runs no simulation of its own: everything it shows is read
// from a Report, which the command fills from one run.
//
// Figures returns the run's plots: the loss exceedance curve, the histogram
// of baseline annual losses, the ranking of controls by NPV with 90%
// intervals, the efficient frontier when the run has one (the best
// portfolio at each budget), and the calibration against WannaCry and the hold-out
// incidents. Each is written as PNG, SVG or PDF by Figure.Write; all share
// one look (Liberation Sans, no text under 11 pt at 6×4 in, the Okabe–Ito
// colours) and carry a caption naming the tool, draws × years, seed and
// dataset.
//
// WriteWorkbook writes the workbook: Summary, Ranking, Percentiles, LEC,
// LEC chart, Calibration, Inputs, Sources and About sheets, with native
// Excel charts of the LEC and of NPV by control; and, after Ranking, a
// Portfolio sheet when the run chose a portfolio under a budget and a
// Frontier sheet, with a native chart, when it has a frontier.
//
// Both write to an io.Writer; naming, temporary files and renaming are the
// caller's.
package reports
