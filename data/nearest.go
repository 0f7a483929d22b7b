package data

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cybercba/cybercba/model"
)

// Nearest returns the candidate nearest to name, letter case aside, or ""
// when none is near enough to be a slip: at most one edit (a letter added,
// dropped, changed, or two swapped) for names of up to four letters (of
// one or two, only a letter dropped: "rn" for "run", but "C1" is not a
// slip for "N1"), two for longer ones; or a unique candidate that name begins, when name has
// three letters or more.
// When several candidates are equally near ("T9" among T1 to T8), none is
// suggested.
func Nearest(name string, candidates []string) string {
	best, bestD, ties := "", 1<<30, 0
	n := len([]rune(name))
	limit := 1
	if n > 4 {
		limit = 2
	}
	var prefixed []string
	for _, c := range candidates {
		d := editDistance(strings.ToLower(name), strings.ToLower(c))
		if n <= 2 && d > 0 && len([]rune(c)) <= n {
			continue // a letter changed in a name of two is another name
		}
		switch {
		case d < bestD:
			best, bestD, ties = c, d, 1
		case d == bestD:
			ties++
		}
		if len(name) >= 3 && strings.HasPrefix(strings.ToLower(c), strings.ToLower(name)) {
			prefixed = append(prefixed, c)
		}
	}
	switch {
	case bestD <= limit && ties == 1:
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

// Suggest returns err with the nearest accepted name added when it holds
// a name not among a fixed set (a *model.UnknownError) and one is near:
// `unknown view "socail" (want financial or social): did you mean "social"?`.
func Suggest(err error) error {
	var ue *model.UnknownError
	if errors.As(err, &ue) {
		if near := Nearest(ue.Got, ue.Want); near != "" {
			return fmt.Errorf("%w: did you mean %q?", err, near)
		}
	}
	return err
}

// didYouMean returns `: did you mean "x"?` for the candidate nearest to
// name, or "" when none is near.
func didYouMean(name string, candidates []string) string {
	if near := Nearest(name, candidates); near != "" {
		return fmt.Sprintf(": did you mean %q?", near)
	}
	return ""
}
