package data

import "strings"

// Nearest returns the candidate nearest to name, or "" when none is near
// enough to be a slip: at most one edit (a letter added, dropped, changed,
// or two swapped) for names of up to four letters, two for longer ones; or
// a unique candidate that name begins, when name has three letters or more.
func Nearest(name string, candidates []string) string {
	best, bestD := "", 1<<30
	limit := 1
	if len([]rune(name)) > 4 {
		limit = 2
	}
	var prefixed []string
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(name), c); d < bestD {
			best, bestD = c, d
		}
		if len(name) >= 3 && strings.HasPrefix(c, strings.ToLower(name)) {
			prefixed = append(prefixed, c)
		}
	}
	switch {
	case bestD <= limit:
		return best
	case len(prefixed) == 1:
		return prefixed[0]
	}
	return ""
}

// editDistance is the optimal-string-alignment distance between a and b:
// the fewest insertions, deletions, substitutions and swaps of adjacent
// letters that turn one into the other.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}
