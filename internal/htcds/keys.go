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
	if c.ID != "" && c.SourceKey == "id:"+c.ID {
		column, value = "id", c.ID
	}
	return domain.RowError{Row: row, Column: column, Value: errorValue(value), Code: "import.duplicate_key",
		Reason: fmt.Sprintf("is also the %s of row %d: two rows with one key are one case, and this one would be lost; give each victim its own %s or remove this row", strings.TrimPrefix(column, "vig_"), first, column)}
}
