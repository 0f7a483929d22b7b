package model

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsStayInModel checks that model imports only the standard
// library and gonum: no I/O packages, nothing of ours.
func TestImportsStayInModel(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	forbidden := []string{"os", "io", "io/fs", "bufio", "net", "net/http", "os/exec", "log", "fmt/print"}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ast, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range ast.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			first := strings.Split(p, "/")[0]
			switch {
			case strings.HasPrefix(p, "gonum.org/v1/gonum/"):
			case strings.HasPrefix(p, "github.com/cybercba/cybercba"):
				t.Errorf("%s imports %s: model imports nothing of ours", f, p)
			case strings.Contains(first, "."):
				t.Errorf("%s imports %s: model may import only the standard library and gonum", f, p)
			default:
				for _, bad := range forbidden {
					if p == bad {
						t.Errorf("%s imports %s: model does no I/O", f, p)
					}
				}
			}
		}
	}
}
