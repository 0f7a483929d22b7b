// Package format writes numbers for people, one way wherever they are
// shown: the terminal, the plots, the workbook and the HTML report.
//
// Amounts of money have three significant figures and a k, m, bn or tn
// suffix (£950, £12.3k, £4.56m, £1.20bn); axis ticks drop trailing zeros
// (£2.5m). Negative numbers carry U+2212 (−), a value that rounds to zero
// is written without a sign, NaN is n/a and ±Inf is ∞ or −∞, and no
// number, however large or small, prints as more than a few characters.
// Percentages, ratios, counts with thousands separators, intervals and
// return periods follow the same rules, and the names of the ranking
// metrics, portfolio objectives and the way threats combine are worded
// here once.
package format
