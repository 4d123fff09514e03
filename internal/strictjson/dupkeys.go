// SPDX-License-Identifier: AGPL-3.0-or-later

package strictjson

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// maxDepth is encoding/json's own nesting limit: a deeper document is
// left to the real decode, which refuses it.
const maxDepth = 10000

// duplicateKey refuses an object that names the same key twice.
// encoding/json keeps the last value silently, while a proxy, a log or
// another parser may read the first: {"agency":"KIN","agency":"GOM"}
// would be checked as one thing and stored as another. The first
// repeated key is reported with its path, as unknown keys are. Paths are
// built only for that report: building each level's path as it opens
// would cost the square of the depth on a hostile nesting of arrays.
func duplicateKey(raw []byte) error {
	type frame struct {
		obj     bool
		seg     string // how the parent names this value: a key, or "[i]"
		seen    map[string]bool
		key     string // the key whose value comes next (objects)
		wantKey bool
		index   int // the element being read (arrays)
	}
	var stack []*frame
	top := func() *frame {
		if len(stack) == 0 {
			return nil
		}
		return stack[len(stack)-1]
	}
	// valueDone moves the enclosing container past a value; it says true
	// once the document's value is complete.
	valueDone := func() bool {
		f := top()
		if f == nil {
			return true
		}
		if f.obj {
			f.wantKey = true
		} else {
			f.index++
		}
		return false
	}
	open := func(obj bool) {
		seg := ""
		if f := top(); f != nil && f.obj {
			seg = f.key
		} else if f != nil {
			seg = "[" + strconv.Itoa(f.index) + "]"
		}
		stack = append(stack, &frame{obj: obj, wantKey: obj, seg: seg, seen: map[string]bool{}})
	}
	path := func(key string) string {
		var b strings.Builder
		for _, f := range slices.Concat(stack, []*frame{{seg: key}}) {
			if f.seg != "" && b.Len() > 0 && !strings.HasPrefix(f.seg, "[") {
				b.WriteByte('.')
			}
			b.WriteString(f.seg)
		}
		return b.String()
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		tok, err := dec.Token()
		if err != nil || len(stack) > maxDepth {
			return nil // syntax errors and depth are reported by the real decode
		}
		if f := top(); f != nil && f.obj && f.wantKey {
			if tok == json.Delim('}') {
				stack = stack[:len(stack)-1]
				if valueDone() {
					return nil
				}
				continue
			}
			k, _ := tok.(string)
			if f.seen[k] {
				return FieldError(path(k), "validation.duplicate_key", "appears twice in the same object; send it once")
			}
			f.seen[k], f.key, f.wantKey = true, k, false
			continue
		}
		switch tok {
		case json.Delim('{'):
			open(true)
			continue
		case json.Delim('['):
			open(false)
			continue
		case json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		if valueDone() {
			return nil
		}
	}
}
