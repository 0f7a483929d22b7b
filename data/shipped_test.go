package data

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// internalRef matches what must never reach a user: the project's internal
// guides (DATA.md, MODEL.md, STYLE.md), a reviewer's or author's
// note-to-self ("reviewer: check", "J, verify", "(verify)", TODO), and a
// path on a developer's machine.
var internalRef = regexp.MustCompile(`(?i)\b(DATA|MODEL|STYLE|DEVELOPERS)\.md\b|reviewer|\bverify\b|\bto check\b|\bTODO\b|\bFIXME\b|\bXXX\b|/work/|/home/|/Users/|/tmp/|[A-Z]:\\\\`)

// InternalRefs returns the lines of text that refer to internal files,
// reviewers' notes or developer paths, for tests of every output.
func InternalRefs(text string) []string {
	var bad []string
	for line := range strings.Lines(text) {
		if internalRef.MatchString(line) {
			bad = append(bad, strings.TrimSpace(line))
		}
	}
	return bad
}

// TestShippedText checks the embedded dataset, comments included, for
// internal references, and that every section of data/README.md a note
// cites exists.
func TestShippedText(t *testing.T) {
	t.Parallel()
	text := string(DefaultBytes())
	for _, l := range InternalRefs(text) {
		t.Errorf("nhs.yaml refers to an internal file, a reviewer's note or a path: %.200s", l)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range InternalRefs(string(readme)) {
		t.Errorf("data/README.md refers to an internal file, a reviewer's note or a path: %.200s", l)
	}
	cited := regexp.MustCompile(`data/README\.md §(\d+)`).FindAllStringSubmatch(text, -1)
	if len(cited) == 0 {
		t.Fatal("nhs.yaml cites no section of data/README.md")
	}
	for _, c := range cited {
		if !strings.Contains(string(readme), "\n## §"+c[1]+" ") {
			t.Errorf("nhs.yaml cites data/README.md §%s, which has no such section", c[1])
		}
	}
}

// TestInternalRefs checks that the pattern finds each kind of internal
// reference and passes ordinary notes.
func TestInternalRefs(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in  string
		bad bool
	}{
		{"DATA.md §3: 1-3 events a year", true},
		{"T1 x 209 would give 1-8 (reviewer: check)", true},
		{"x ~1.15 to 2024-25 prices (J, verify)", true},
		{"facts in /work/shared/DATA.md", true},
		{"see MODEL.md §1", true},
		{"1-3 disruptive events a year (data/README.md §3)", false},
		{"NAO para 2.4; Med", false},
	} {
		if got := len(InternalRefs(tt.in)) > 0; got != tt.bad {
			t.Errorf("InternalRefs(%q) found %v; want %v", tt.in, got, tt.bad)
		}
	}
}

// guideRef matches a reference to the project's internal guides, which
// users do not have.
var guideRef = regexp.MustCompile(`\b(DATA|MODEL|STYLE|DEVELOPERS)\.md\b`)

// TestSourcesCiteNoInternalGuides checks the code users read (every
// non-test Go file, whose comments go doc shows) and the README for
// references to the internal guides: they cite the sources themselves.
func TestSourcesCiteNoInternalGuides(t *testing.T) {
	t.Parallel()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !(strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") || path == filepath.Join("..", "README.md")) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if guideRef.MatchString(line) {
				t.Errorf("%s:%d refers to an internal guide: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
