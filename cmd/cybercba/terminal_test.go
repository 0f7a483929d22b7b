package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// TestTerminal80 is issue 26's acceptance: the built command run on a
// pseudo-terminal (util-linux script) 80 columns wide, with COLUMNS=80,
// writes no line wider than 80 columns (display columns: £ and − count
// one), progress bar and warnings included, in both views, with a budget
// and the frontier; and validate and batch's table likewise.
func TestTerminal80(t *testing.T) {
	t.Parallel()
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("no script (util-linux) to make a pseudo-terminal")
	}
	if v, err := exec.Command(script, "--version").Output(); err != nil || !strings.Contains(string(v), "util-linux") {
		t.Skip("script is not util-linux's")
	}
	bin := binary(t)
	dir := t.TempDir()
	cases := []struct {
		name string
		args string
		long bool
	}{
		{"default", "run --draws 8 --years 200 --no-files", false},
		{"budget and frontier", "run --draws 8 --years 200 --no-files --budget 30m --frontier", false},
		{"social view", "run --draws 8 --years 200 --no-files --view social --budget 30m --frontier", true},
		{"sensitivity", "sensitivity --draws 8 --years 200 --no-files", true},
		{"files written", "run --draws 8 --years 200 -o " + dir + "/out", true},
		{"validate", "validate " + dir + "/inputs.xlsx", false},
		{"batch", "batch --draws 8 --years 200 -o " + dir + "/results.xlsx " + dir + "/inputs.xlsx", true},
	}
	if out, err := exec.Command(bin, "template", "-o", dir+"/inputs.xlsx").CombinedOutput(); err != nil {
		t.Fatalf("template: %v\n%s", err, out)
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if tt.long {
				skipUnlessLong(t, "a social view or sensitivity run takes 10-25 s")
			}
			t.Parallel()
			cmd := exec.Command(script, "-qec", "stty cols 80 rows 40; "+bin+" "+tt.args, "/dev/null")
			cmd.Env = append(os.Environ(), "COLUMNS=80")
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: %v\n%s", tt.args, err, out)
			}
			text := strings.ReplaceAll(string(out), "\r\n", "\n")
			if !utf8.ValidString(text) || !strings.Contains(text, "\n") {
				t.Fatalf("%s: output %q", tt.args, text)
			}
			lines := 0
			for line := range strings.SplitSeq(text, "\n") {
				for part := range strings.SplitSeq(line, "\r") { // a progress bar redrawn
					if w := uniseg.StringWidth(part); w > 80 {
						t.Errorf("%s: a line of %d columns: %q", tt.args, w, part)
					}
				}
				lines++
			}
			if lines < 3 {
				t.Errorf("%s: %d lines:\n%s", tt.args, lines, text)
			}
		})
	}
}
