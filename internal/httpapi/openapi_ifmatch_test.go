// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// TestVersionedRoutesDocumented: the routes whose handler reads If-Match
// (it calls expectedVersion or deleteVersion, found in this package's
// source) are exactly those the OpenAPI document gives an If-Match header
// parameter; the document named none, though the summaries relied on it.
func TestVersionedRoutesDocumented(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	reads := map[string]bool{} // handler method names
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil || fn.Name.Name == "expectedVersion" || fn.Name.Name == "deleteVersion" {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					if id, ok := call.Fun.(*ast.Ident); ok && (id.Name == "expectedVersion" || id.Name == "deleteVersion") {
						reads[fn.Name.Name] = true
					}
				}
				return true
			})
		}
	}
	if len(reads) < 10 {
		t.Fatalf("found only %d handlers reading If-Match: %v", len(reads), reads)
	}
	var doc struct {
		Paths map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(buildOpenAPI("test"), &doc); err != nil {
		t.Fatal(err)
	}
	for _, rt := range routes {
		fname := runtime.FuncForPC(reflect.ValueOf(rt.handle).Pointer()).Name()
		handler := fname[strings.LastIndex(fname, ".")+1:]
		key := rt.method + " " + rt.pattern
		op := doc.Paths[rt.pattern][strings.ToLower(rt.method)]
		documented := false
		params, _ := op["parameters"].([]any)
		for _, p := range params {
			if m := p.(map[string]any); m["name"] == "If-Match" && m["in"] == "header" {
				documented = true
			}
		}
		if reads[handler] != documented {
			t.Errorf("%s (%s): reads If-Match %v, documented %v", key, handler, reads[handler], documented)
		}
	}
}
