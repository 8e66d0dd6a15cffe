package testkit

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The kit calls t.Fatal and skips the care a program needs: the agent must never link it in.
func TestNothingButTestsImportTheKit(t *testing.T) {
	const kit = "edgeplane.io/device-agent/internal/testkit"
	root := filepath.Join("..", "..") // the module's root
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "vendor") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == kit {
				t.Errorf("%s imports %s, which is for tests only", path, kit)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
