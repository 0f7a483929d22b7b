// Package data holds cybercba's inputs: the embedded default NHS dataset
// (nhs.yaml) and the loading and validation of datasets in its format (YAML,
// or the same structure as JSON).
//
// Every number in a dataset is an estimate with provenance:
//
//	rate: {lo: 0.03, hi: 0.2, tag: J, src: [nao2017], note: "one line of reasoning"}
//	orgs: {value: 209, tag: F, src: [nhsproviders2024]}
//
// lo and hi are a 90% interval (lognormal for positive quantities, beta for
// reductions), value a fixed number. tag F is a fact read in the sources
// named in src, D arithmetic on facts (the sum in note), J an analyst's
// judgement (the reason in note). Loading reports every problem at once,
// each naming the file, line and field.
//
// The same dataset can be an Excel workbook, for people who work in
// spreadsheets: WriteTemplate writes one (Settings, Scenarios, Scopes,
// Threats, Controls, Effects, Calibration, Holdouts and Sources sheets, with
// notes on every header and drop-down lists), and LoadWorkbook reads it
// back with its run Settings and its Scenarios (one bulk run per row). A
// number is three cells there, lo, hi and source, the source written
// "F [nao2017]: note" or "J: reason"; a number changed without a new source
// is read as a judgement, "edited in <file>". Every problem is a *CellError
// naming the sheet and cell:
//
//	inputs.xlsx: Controls!H7: capex: must be a non-negative amount, got "tbc"
//
// Cells may hold numbers or text as people type them: £1.2m, 250k,
// 1,200,000, 30%, with stray spaces, or formulas (their saved values).
package data
