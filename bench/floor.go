// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the driver vigie itself uses
)

// floorTables are the tables an import writes a row of (or more) per
// case, in the order it writes them.
var floorTables = []string{"cases", "case_citizenships", "case_exploitation", "events"}

// runFloor is `bench floor`: how fast SQLite itself can store the rows
// of an import, with no Go code in the way. It copies the rows that an
// earlier import wrote (an existing data directory, e.g. one kept with
// -keep) into a new database with INSERT … SELECT, through the same
// driver (modernc.org/sqlite) and settings as vigie's writer during an
// import, in three schemas:
//
//   - bare: the tables without any index or key (rowid tables);
//   - vigie: the tables and every index as vigie's migrations made them,
//     maintained row by row as an import does;
//   - deferred: the tables with their keys and unique indexes, then
//     every other index built afterwards with CREATE INDEX (a sort).
//
// No JSON, no encryption, no parsing, no binding of parameters: the
// figures are upper bounds of what any import code can reach with that
// schema on this machine.
//
//	go run ./bench floor -sqlite-data DIR [-threads N] [-tmp DIR]
func runFloor(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("floor", flag.ContinueOnError)
	data := fs.String("sqlite-data", "", "an existing SQLite data directory holding imported cases (required)")
	threads := fs.Int("threads", 0, "PRAGMA threads: SQLite's sorter worker threads for CREATE INDEX")
	tmp := fs.String("tmp", os.TempDir(), "directory for the new databases (removed at the end)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" || fs.NArg() > 0 {
		return errors.New("usage: bench floor -sqlite-data DIR [-threads N] [-tmp DIR]")
	}
	src := filepath.Join(*data, "vigie.db")
	if _, err := os.Stat(src); err != nil {
		return err
	}
	dir, err := os.MkdirTemp(*tmp, "vigie-bench-floor-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	printMachine(ctx, stdout, &config{}, dir)

	schema, err := readFloorSchema(ctx, src)
	if err != nil {
		return err
	}
	section(stdout, "SQLite floor: the rows of an import copied in SQL")
	fmt.Fprintf(stdout, "Source: %s, %d cases (%s). Each copy: a new database (WAL, synchronous=NORMAL, "+
		"8 MB page cache as during an import, temp_store=MEMORY, threads=%d, foreign keys off), one transaction, "+
		"INSERT INTO t SELECT * FROM source.t in rowid/key order.\n\n", src, schema.cases, schema.describe(), *threads)
	var rows [][]string
	for _, mode := range []string{"bare", "vigie", "deferred"} {
		progress("floor: %s", mode)
		load, build, err := floorCopy(ctx, filepath.Join(dir, mode+".db"), src, schema, mode, *threads)
		if err != nil {
			return fmt.Errorf("%s: %w", mode, err)
		}
		total := load + build
		rows = append(rows, []string{mode, fmt.Sprintf("%.2f", load.Seconds()), fmt.Sprintf("%.2f", build.Seconds()),
			fmt.Sprintf("%.2f", total.Seconds()), fmt.Sprintf("%.0f", float64(schema.cases)/total.Seconds())})
	}
	printTable(stdout, []string{"schema", "copy s", "index builds s", "total s", "cases/s"}, rows)
	fmt.Fprintf(stdout, "\nLoad average at the end (1, 5, 15 min): %s.\n", loadAvg())
	return nil
}

// floorSchema is the DDL of the copied tables and of their indexes, as
// stored in the source database.
type floorSchema struct {
	tables  map[string]string   // CREATE TABLE
	indexes map[string][]string // CREATE [UNIQUE] INDEX, per table (not the automatic ones)
	cases   int64
}

func (s floorSchema) describe() string {
	var parts []string
	for _, t := range floorTables {
		parts = append(parts, fmt.Sprintf("%s: %d explicit indexes", t, len(s.indexes[t])))
	}
	return strings.Join(parts, ", ")
}

func readFloorSchema(ctx context.Context, src string) (floorSchema, error) {
	s := floorSchema{tables: map[string]string{}, indexes: map[string][]string{}}
	db, err := sql.Open("sqlite", "file:"+src+"?mode=ro")
	if err != nil {
		return s, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT type, tbl_name, sql FROM sqlite_master
		WHERE tbl_name IN ('cases', 'case_citizenships', 'case_exploitation', 'events') AND sql IS NOT NULL`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var typ, tbl, ddl string
		if err := rows.Scan(&typ, &tbl, &ddl); err != nil {
			return s, err
		}
		switch typ {
		case "table":
			s.tables[tbl] = ddl
		case "index":
			s.indexes[tbl] = append(s.indexes[tbl], ddl)
		}
	}
	if err := rows.Err(); err != nil {
		return s, err
	}
	for _, t := range floorTables {
		if s.tables[t] == "" {
			return s, fmt.Errorf("%s has no table %s: is it a vigie database?", src, t)
		}
	}
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM cases`).Scan(&s.cases)
	if err == nil && s.cases == 0 {
		err = fmt.Errorf("%s holds no case: import some first", src)
	}
	return s, err
}

// floorCopy copies the tables into a new database in one of the three
// schemas and returns the time of the copy and of the index builds.
func floorCopy(ctx context.Context, dst, src string, s floorSchema, mode string, threads int) (load, build time.Duration, err error) {
	db, err := sql.Open("sqlite", fmt.Sprintf("file:%s?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"+
		"&_pragma=cache_size(-8192)&_pragma=temp_store(MEMORY)&_pragma=threads(%d)&_pragma=foreign_keys(0)", dst, threads))
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `ATTACH DATABASE ? AS src`, "file:"+src+"?mode=ro"); err != nil {
		return 0, 0, err
	}
	var later []string
	for _, t := range floorTables {
		ddl := s.tables[t]
		if mode == "bare" {
			// A rowid table with the same columns, without keys.
			ddl = "CREATE TABLE " + t + " AS SELECT * FROM src." + t + " WHERE 0"
		}
		if _, err := db.ExecContext(ctx, ddl); err != nil {
			return 0, 0, err
		}
		for _, ix := range s.indexes[t] {
			switch {
			case mode == "vigie":
				if _, err := db.ExecContext(ctx, ix); err != nil {
					return 0, 0, err
				}
			case mode == "deferred" && strings.HasPrefix(ix, "CREATE UNIQUE"):
				// Unique indexes enforce correctness during the load.
				if _, err := db.ExecContext(ctx, ix); err != nil {
					return 0, 0, err
				}
			case mode == "deferred":
				later = append(later, ix)
			}
		}
	}
	start := time.Now()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, err
	}
	for _, t := range floorTables {
		// The source's own order (rowid, or the key of a WITHOUT ROWID
		// table) is the order the import wrote the rows in.
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+t+" SELECT * FROM src."+t); err != nil {
			tx.Rollback()
			return 0, 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, err
	}
	load = time.Since(start)
	start = time.Now()
	for _, ix := range later {
		if _, err := db.ExecContext(ctx, ix); err != nil {
			return 0, 0, err
		}
	}
	// The checkpoint is part of the cost: the WAL is copied into the file.
	if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return 0, 0, err
	}
	return load, time.Since(start), nil
}
