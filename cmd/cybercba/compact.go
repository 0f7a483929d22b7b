package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/cybercba/cybercba/model"
)

// termWidth returns the width in columns of w when it is a terminal, or 0
// (unknown: write the full table) when it is a file or a pipe.
func termWidth(w io.Writer) int {
	if c, ok := w.(*checkedWriter); ok {
		w = c.w
	}
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return width
}

// tableWidth returns the width of the widest line of text.
func tableWidth(text string) int {
	w := 0
	for line := range strings.SplitSeq(text, "\n") {
		w = max(w, len([]rune(line)))
	}
	return w
}

// rankingText returns the ranking as t renders it, or, when the terminal
// is narrower than that and --wide is not given, in the compact layout of
// compactRanking.
func rankingText(j *job, an *model.Analysis, t *table) string {
	full := t.String()
	if j.opts.Wide || j.width <= 0 || tableWidth(full) <= j.width {
		return full
	}
	return compactRanking(j, an, j.width)
}

// compactRanking writes every control alone in rank order, its name on one
// line and its figures on the next, for a terminal width columns wide:
//
//	1  R-C1  Every trust: MFA on remote, admin, cloud and supplier access
//	   NPV £199m ±12.1m [−£31.0m, £531m] · £15.3m/yr · BCR 2.56 · P(NPV>0) 0.94
//	   ΔALE £39.3m/yr
//
// Figures that do not fit a line go on the next.
func compactRanking(j *job, an *model.Analysis, width int) string {
	var b strings.Builder
	indent := "    "
	for k, i := range an.Ranking.Order {
		r := &an.Results[i]
		c := j.model.Controls[r.Portfolio[0]]
		head := fmt.Sprintf("%2d  %s  ", k+1, c.ID)
		fmt.Fprintf(&b, "%s%s\n", head, clip(c.Name, max(width-len([]rune(head)), 12)))
		parts := []string{
			"NPV " + j.cur.money(r.NPV.Mean) + " ±" + j.cur.bare(r.NPVSE) + " [" + j.cur.money(r.NPV.Lo) + ", " + j.cur.money(r.NPV.Hi) + "]",
			j.cur.money(r.EAC.Mean) + "/yr",
			"BCR " + ratioText(r.BCR.Mean),
			fmt.Sprintf("P(NPV>0) %.2f", r.PNPVPositive),
			"ΔALE " + j.cur.money(r.DeltaALE.Mean) + "/yr",
		}
		if r.Money != nil {
			parts = append(parts, "money only "+j.cur.money(r.Money.NPV.Mean))
		}
		line := indent
		for n, p := range parts {
			sep := " · "
			if n == 0 {
				sep = ""
			}
			if n > 0 && len([]rune(line+sep+p)) > width {
				b.WriteString(line + "\n")
				line, sep = indent, ""
			}
			line += sep + p
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("(compact layout; --wide for the full table)\n")
	return b.String()
}
