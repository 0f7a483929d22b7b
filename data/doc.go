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
package data
