// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"vigie/internal/auth"
)

// codeRe matches the error codes that reach users: FieldError codes
// ("validation.required") and import RowError codes (import., ctdc.).
var codeRe = regexp.MustCompile(`^(validation|import|ctdc)\.[a-z0-9_]+$`)

// usedCodes returns every error code written as a string literal in the
// non-test Go files of internal/, this package excepted. Parsing the files
// (rather than grepping) skips comments, which also name codes.
func usedCodes(t *testing.T) map[string][]string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	self, _ := filepath.Abs(".")
	codes := map[string][]string{}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path == self || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err == nil && codeRe.MatchString(s) && !slices.Contains(codes[s], rel) {
				codes[s] = append(codes[s], rel)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return codes
}

// TestEveryCodeHasMessage: a validation or import code added to the code
// base without a message in both catalogs fails here, before a user sees
// "⟦validation.new_code⟧".
func TestEveryCodeHasMessage(t *testing.T) {
	codes := usedCodes(t)
	if len(codes) < 40 {
		t.Fatalf("found only %d codes in internal/: is the walk broken?", len(codes))
	}
	for _, code := range slices.Sorted(func(yield func(string) bool) {
		for c := range codes {
			if !yield(c) {
				return
			}
		}
	}) {
		for _, l := range Langs {
			if !messages.ids[l][code] {
				t.Errorf("%s: no message for %s (used in %s)", l, code, strings.Join(codes[code], ", "))
			}
		}
	}
}

// TestNoStaleCodeMessages: a message for a code nothing emits any more is
// dead weight that translators would keep maintaining.
func TestNoStaleCodeMessages(t *testing.T) {
	codes := usedCodes(t)
	for _, id := range IDs() {
		if codeRe.MatchString(id) && codes[id] == nil {
			t.Errorf("%s: no Go file of internal/ uses this code", id)
		}
	}
}

// TestPasswordRulesFollowPolicy: the password messages state the policy's
// numbers as plain text (FieldError carries no parameter), so they are
// compared with the policy itself.
func TestPasswordRulesFollowPolicy(t *testing.T) {
	tests := []struct {
		id string
		n  int
	}{
		{"validation.password_too_short", auth.MinPasswordLen},
		{"password.rules.length", auth.MinPasswordLen},
		{"validation.password_too_long", auth.MaxPasswordLen},
	}
	for _, tt := range tests {
		for _, l := range Langs {
			if s := For(l).T(tt.id); !strings.Contains(s, strconv.Itoa(tt.n)) {
				t.Errorf("%s: %s = %q does not say %d", l, tt.id, s, tt.n)
			}
		}
	}
}
