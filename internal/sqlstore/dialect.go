// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"time"

	"vigie/internal/domain"
)

// dialect holds the few places where SQLite and PostgreSQL differ. All
// queries are written once with ? placeholders; rebind rewrites them for
// PostgreSQL. Keep this list short: every difference here is one the
// contract tests must cover on both databases.
type dialect int

const (
	sqliteDialect dialect = iota
	postgresDialect
)

func (d dialect) String() string {
	if d == postgresDialect {
		return "postgres"
	}
	return "sqlite"
}

// rebind turns ? placeholders into $1, $2... for PostgreSQL. Queries in
// this package never contain a literal question mark.
func (d dialect) rebind(q string) string {
	if d != postgresDialect || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// timeLayout is fixed-width so that SQLite's text comparison orders times.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// ts encodes a timestamp for storage.
func (d dialect) ts(t time.Time) any {
	t = t.UTC().Truncate(time.Microsecond)
	if d == postgresDialect {
		return t
	}
	return t.Format(timeLayout)
}

// date encodes a calendar date, NULL when unknown.
func (d dialect) date(v domain.Date) any {
	if v.IsZero() {
		return nil
	}
	if d == postgresDialect {
		return v.Time()
	}
	return v.String()
}

// dbTime scans a timestamp stored by either dialect.
type dbTime struct{ t time.Time }

func (s *dbTime) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		s.t = x.UTC()
	case string:
		return s.parse(x)
	case []byte:
		return s.parse(string(x))
	case nil:
		s.t = time.Time{}
	default:
		return fmt.Errorf("cannot scan %T into a time", v)
	}
	return nil
}

func (s *dbTime) parse(x string) error {
	t, err := time.Parse(time.RFC3339Nano, x)
	if err != nil {
		return err
	}
	s.t = t.UTC()
	return nil
}

// dbDate scans a calendar date stored by either dialect (or NULL).
type dbDate struct{ d domain.Date }

func (s *dbDate) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		s.d = domain.Date{}
	case time.Time:
		s.d = domain.NewDate(x.Date())
	case string:
		d, err := domain.ParseDate(x)
		if err != nil {
			return err
		}
		s.d = d
	case []byte:
		return s.Scan(string(x))
	default:
		return fmt.Errorf("cannot scan %T into a date", v)
	}
	return nil
}

var _ driver.Valuer = nullString("")

// nullString stores "" as NULL (for optional unique columns).
type nullString string

func (s nullString) Value() (driver.Value, error) {
	if s == "" {
		return nil, nil
	}
	return string(s), nil
}
