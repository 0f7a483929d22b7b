package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestScripts runs the scripts in testdata/script/*.txtar. Each is a txtar
// archive: the comment is the script, the files are written to a fresh
// directory, $WORK, before it runs. Lines of the script:
//
//	# a comment
//	cybercba ARGS...   call run(ctx, ARGS, stdout, stderr)
//	exit N             exitCode of the last call must be N
//	stdout RE          the last call's stdout must match the regexp RE
//	stderr RE          likewise stderr
//	! stdout RE        stdout must not match RE (! stderr likewise)
//
// Arguments are split at spaces; single quotes keep spaces, and two single
// quotes inside quotes make one, as in testscript. $WORK is expanded in
// arguments and (quoted) in regexps, which are compiled in multi-line mode.
// Every cybercba line must be followed by an exit line, so no script leaves
// an exit code unchecked.
func TestScripts(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "script", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no scripts in testdata/script")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			ar := parseTxtar(b)
			work := t.TempDir()
			for _, f := range ar.files {
				p := filepath.Join(work, filepath.FromSlash(f.name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, f.data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			runScript(t, file, string(ar.comment), work)
		})
	}
}

// runScript runs one script's lines.
func runScript(t *testing.T, file, script, work string) {
	t.Helper()
	var (
		last      result
		ran       bool // a cybercba line has run
		unchecked int  // line of a cybercba call whose exit is unchecked, or 0
	)
	for i, line := range strings.Split(script, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		pos := fmt.Sprintf("%s:%d", file, i+1)
		words, err := splitArgs(line)
		if err != nil {
			t.Fatalf("%s: %v", pos, err)
		}
		neg := words[0] == "!"
		if neg {
			words = words[1:]
		}
		if len(words) == 0 {
			t.Fatalf("%s: ! needs a command", pos)
		}
		switch cmd, args := words[0], words[1:]; {
		case cmd == "cybercba" && !neg:
			if unchecked > 0 {
				t.Fatalf("%s:%d: cybercba call without an exit line after it", file, unchecked)
			}
			for k, a := range args {
				args[k] = strings.ReplaceAll(a, "$WORK", work)
			}
			last = cybercba(t, args...)
			ran, unchecked = true, i+1
			t.Logf("%s: cybercba %s\n--- stdout:\n%s--- stderr:\n%s", pos, strings.Join(args, " "), last.stdout, last.stderr)
		case cmd == "exit" && !neg && len(args) == 1:
			want, err := strconv.Atoi(args[0])
			if err != nil {
				t.Fatalf("%s: exit %q: want a number", pos, args[0])
			}
			if !ran {
				t.Fatalf("%s: exit before any cybercba line", pos)
			}
			if last.code != want {
				t.Errorf("%s: exit code = %d; want %d\nstderr:\n%s", pos, last.code, want, last.stderr)
			}
			unchecked = 0
		case (cmd == "stdout" || cmd == "stderr") && len(args) == 1:
			if !ran {
				t.Fatalf("%s: %s before any cybercba line", pos, cmd)
			}
			re, err := regexp.Compile("(?m)" + strings.ReplaceAll(args[0], "$WORK", regexp.QuoteMeta(work)))
			if err != nil {
				t.Fatalf("%s: %v", pos, err)
			}
			out := last.stdout
			if cmd == "stderr" {
				out = last.stderr
			}
			switch m := re.MatchString(out); {
			case neg && m:
				t.Errorf("%s: %s matches %q; want no match\n%s:\n%s", pos, cmd, re, cmd, out)
			case !neg && !m:
				t.Errorf("%s: %s does not match %q\n%s:\n%s", pos, cmd, re, cmd, out)
			}
		default:
			t.Fatalf("%s: unknown or malformed line %q", pos, line)
		}
	}
	if unchecked > 0 {
		t.Fatalf("%s:%d: cybercba call without an exit line after it", file, unchecked)
	}
}

// splitArgs splits a script line at spaces, keeping 'quoted' words whole.
func splitArgs(line string) ([]string, error) {
	var (
		words  []string
		word   strings.Builder
		inWord bool // a word has started, even if empty ('')
		quoted bool
	)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quoted && c == '\'' && i+1 < len(line) && line[i+1] == '\'':
			word.WriteByte('\'')
			i++
		case c == '\'':
			quoted = !quoted
			inWord = true
		case !quoted && (c == ' ' || c == '\t'):
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	if quoted {
		return nil, fmt.Errorf("unterminated quote in %q", line)
	}
	if inWord {
		words = append(words, word.String())
	}
	return words, nil
}

// archive is a parsed txtar file: a comment, then named files.
type archive struct {
	comment []byte
	files   []archiveFile
}

type archiveFile struct {
	name string
	data []byte
}

// parseTxtar parses the txtar format (golang.org/x/tools/txtar): a file
// starts at a line "-- name --" and runs to the next such line.
func parseTxtar(b []byte) archive {
	var ar archive
	cur := &ar.comment
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i+1], b[i+1:]
		} else {
			b = nil
		}
		if name, ok := fileMarker(line); ok {
			ar.files = append(ar.files, archiveFile{name: name})
			cur = &ar.files[len(ar.files)-1].data
			continue
		}
		*cur = append(*cur, line...)
	}
	return ar
}

// fileMarker reports whether line is "-- name --" and returns the name.
func fileMarker(line []byte) (string, bool) {
	s := strings.TrimRight(string(line), "\r\n")
	if !strings.HasPrefix(s, "-- ") || !strings.HasSuffix(s, " --") || len(s) < len("-- x --") {
		return "", false
	}
	name := strings.TrimSpace(s[3 : len(s)-3])
	return name, name != ""
}

func TestSplitArgs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"cybercba run", []string{"cybercba", "run"}},
		{"  a   b\tc ", []string{"a", "b", "c"}},
		{"stderr 'no scope \"x\"'", []string{"stderr", `no scope "x"`}},
		{"a '' b", []string{"a", "", "b"}},
		{"a 'it''s'", []string{"a", "it's"}},
		{"a'b c'd", []string{"ab cd"}},
	}
	for _, tt := range tests {
		got, err := splitArgs(tt.in)
		if err != nil {
			t.Errorf("splitArgs(%q) error: %v", tt.in, err)
			continue
		}
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) {
			t.Errorf("splitArgs(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	if _, err := splitArgs("a 'b"); err == nil {
		t.Errorf("splitArgs(%q) = nil error; want unterminated quote", "a 'b")
	}
}

func TestParseTxtar(t *testing.T) {
	t.Parallel()
	in := "comment 1\ncomment 2\n-- a.yaml --\nx: 1\n-- dir/b --\n-- c --\nlast"
	ar := parseTxtar([]byte(in))
	if got, want := string(ar.comment), "comment 1\ncomment 2\n"; got != want {
		t.Errorf("comment = %q; want %q", got, want)
	}
	want := []archiveFile{{"a.yaml", []byte("x: 1\n")}, {"dir/b", nil}, {"c", []byte("last")}}
	if len(ar.files) != len(want) {
		t.Fatalf("got %d files; want %d", len(ar.files), len(want))
	}
	for i, f := range ar.files {
		if f.name != want[i].name || !bytes.Equal(f.data, want[i].data) {
			t.Errorf("file %d = %q %q; want %q %q", i, f.name, f.data, want[i].name, want[i].data)
		}
	}
}
