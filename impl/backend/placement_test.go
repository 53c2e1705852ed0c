package backend_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// kerasSource is the comment that lets a loss or metric branch on the
// backend: it names the Keras Python source whose branch the line mirrors,
// such as "// keras/src/losses/loss.py: apply_mask: sample_weight *= mask".
var kerasSource = regexp.MustCompile(`^//\s*keras/src/\S+\.py\b`)

// uncitedAllowance is how many uncited backend references a file may still
// hold: the crossentropy kernels, which are being reworked on branch speed
// and get their citations (or move here) when that lands; kernels_fast.go
// arrives with that branch. The numbers only go down.
var uncitedAllowance = map[string]int{
	"losses/functions.go":    6,
	"losses/kernels.go":      6,
	"losses/kernels_fast.go": 1,
}

// TestBackendBranchesCiteKeras keeps backend semantics in this package: a
// loss or metric file may name a backend (backend.TensorFlow, backend.JAX,
// backend.NumPy: in a comparison, a case or a call) only on a line that
// carries, or directly follows, a comment citing the Keras Python source
// whose branch it mirrors. Anything else is a backend op's behaviour and
// belongs here, as a method of Backend.
func TestBackendBranchesCiteKeras(t *testing.T) {
	for _, pkg := range []string{"losses", "metrics"} {
		files, err := filepath.Glob(filepath.Join("..", pkg, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) == 0 {
			t.Fatalf("no Go files in ../%s", pkg)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			name := pkg + "/" + filepath.Base(path)
			uncited := uncitedLines(t, path)
			allowed := uncitedAllowance[name]
			if len(uncited) > allowed {
				for _, line := range uncited {
					t.Errorf("%s:%d names a backend without a // keras/src/....py comment citing the Keras branch it mirrors", name, line)
				}
			}
			if len(uncited) < allowed {
				t.Errorf("%s: %d uncited backend references, fewer than its allowance of %d: lower the allowance", name, len(uncited), allowed)
			}
		}
	}
}

// uncitedLines returns the lines of the Go file at path that name a backend
// constant of package backend without a citing comment on the line or the
// line before.
func uncitedLines(t *testing.T, path string) []int {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	// A citing comment covers its own line and, if it stands alone on its
	// line, the next one.
	cited := map[int]bool{}
	for _, g := range f.Comments {
		for _, c := range g.List {
			if !kerasSource.MatchString(c.Text) {
				continue
			}
			pos := fset.Position(c.Pos())
			cited[pos.Line] = true
			lineStart := pos.Offset - (pos.Column - 1)
			if strings.TrimSpace(string(src[lineStart:pos.Offset])) == "" {
				cited[pos.Line+1] = true
			}
		}
	}
	var lines []int
	seen := map[int]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		pkg, ok := sel.X.(*ast.Ident)
		if !ok || pkg.Name != "backend" {
			return true
		}
		switch sel.Sel.Name {
		case "TensorFlow", "JAX", "NumPy":
			line := fset.Position(sel.Pos()).Line
			if !cited[line] && !seen[line] {
				seen[line] = true
				lines = append(lines, line)
			}
		}
		return true
	})
	return lines
}
