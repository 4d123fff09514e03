// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"crypto/sha256"
	"fmt"
	"strings"

	"vigie/internal/domain"
)

// firstRows remembers, for each source key a file gives itself (a
// vig_SourceKey or an id), the row that gave it first. A second row with
// that key was taken by the import for the first one, "already imported",
// and its victim was lost without a word (a row copied in Excel to add a
// victim keeps the copied key): it is rejected instead. Generated keys
// (content and occurrence) never repeat and are not kept. Keys are kept
// as 16-byte digests: a re-import of a large export holds one per row.
type firstRows map[[16]byte]int

// duplicate reports the row that first gave c's source key, registering
// row when the key is new. generated is the key the reader would have
// made for the row: such keys are not checked.
func (f firstRows) duplicate(c *domain.Case, generated string, row int) (int, bool) {
	if c.SourceKey == "" || c.SourceKey == generated {
		return 0, false
	}
	key := c.SourceKey
	if id, ok := strings.CutPrefix(key, "id:"); ok {
		key = "id:" + strings.ToLower(id) // an ID in any letter case, as the database matches it
	}
	sum := sha256.Sum256([]byte(key))
	var k [16]byte
	copy(k[:], sum[:16])
	if first, ok := f[k]; ok {
		return first, true
	}
	f[k] = row
	return 0, false
}

// duplicateKeyError is the reject of a row whose key an earlier row of the
// file gave, on the column the key came from.
func duplicateKeyError(c *domain.Case, row, first int) domain.RowError {
	column, value := "vig_SourceKey", c.SourceKey
	if c.ID != "" && strings.HasSuffix(c.SourceKey, "id:"+c.ID) {
		column, value = "id", c.ID
	}
	return domain.RowError{Row: row, Column: column, Value: errorValue(value), Code: "import.duplicate_key",
		Reason: fmt.Sprintf("is also the %s of row %d: two rows with one key are one case, and this one would be lost; give each victim its own %s or remove this row", strings.TrimPrefix(column, "vig_"), first, column)}
}

// Repeat is a row whose cells are those of an earlier row of the file, cell
// for cell, with no key of its own: each becomes a case (anonymised rows
// may be different victims with the same description), so the import says
// it, for the person who pasted a row twice to check.
type Repeat struct {
	Row, First int
}

// maxRepeats bounds the rows a reader lists (repeats, hidden rows); the
// others are counted.
const maxRepeats = 1000

// bounded keeps at most maxRepeats items and counts the others.
type bounded[T any] struct {
	items []T
	more  int
}

func (b *bounded[T]) add(x T) {
	if len(b.items) < maxRepeats {
		b.items = append(b.items, x)
	} else {
		b.more++
	}
}

// contents counts the rows of each content, for the generated source keys
// (the occurrence), and keeps the first row of each content and the
// repeats of rows the file gave no key.
type contents struct {
	seen    map[[32]byte]occurrence
	repeats bounded[Repeat]
}

type occurrence struct{ n, first int }

func newContents() contents { return contents{seen: map[[32]byte]occurrence{}} }

// count registers one more row of content sum and returns its occurrence
// (1 for the first) and the row of the first.
func (c *contents) count(sum [32]byte, row int) (n, first int) {
	o := c.seen[sum]
	if o.n == 0 {
		o.first = row
	}
	o.n++
	c.seen[sum] = o
	return o.n, o.first
}

// repeat records that row, keyed by its content, repeats row first.
func (c *contents) repeat(row, first int) { c.repeats.add(Repeat{Row: row, First: first}) }

// idKey is the source key of a row that gives an id and no vig_SourceKey:
// a Vigie case ID ("id:" and the ID: the case itself when it is in this
// database, an export imported back) for every file alike; another
// system's case number ("1", "KIN-004") names a row within its file only,
// so it is prefixed by the source (two agencies' files both had a case 1,
// and the second file's were skipped as already imported).
func idKey(source, id string) string {
	if domain.LooksLikeUUID(id) {
		return "id:" + id
	}
	return source + ":id:" + id
}
