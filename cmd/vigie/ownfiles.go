// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ownFiles are the files Vigie keeps its registry in: the SQLite database
// with its journal files (when the database is SQLite), and the master key
// file. Without the key, every sealed record is unreadable for good.
func ownFiles(data, db, keyFile string) []string {
	var out []string
	base := ""
	switch {
	case db == "":
		base = filepath.Join(data, "vigie.db")
	case strings.HasPrefix(db, "sqlite:"):
		base = strings.TrimPrefix(db, "sqlite:")
	}
	if base != "" {
		// The import locks too: a file written over one would let a
		// second import take a lock the first does not hold.
		out = append(out, base, base+"-wal", base+"-shm", base+"-journal", base+"-import.lock", base+"-imports.lock")
		// A database that is a link keeps its journal files beside the
		// file it leads to, where SQLite writes them.
		if real, err := filepath.EvalSymlinks(base); err == nil && real != base {
			out = append(out, real+"-wal", real+"-shm", real+"-journal")
		}
	}
	if keyFile == "" {
		keyFile = filepath.Join(data, "vigie.key")
	}
	return append(out, keyFile)
}

// ownFiles of the command's database flags.
func (d *dbFlags) ownFiles() []string { return ownFiles(d.data, d.db, d.keyFile) }

// refuseOwnFile refuses an output path that is one of own: an export, a
// report or a reject file written there replaced the database or the
// master key file with a CSV (found in the acceptance pass: "exported: 8"
// and exit 0, then every command failed, the sealed data lost for good).
// A path is compared once made absolute with its folder's links resolved
// (./d/../d/vigie.db, a link to the folder), and by identity when both
// exist (a hard link, a symbolic link to the file).
func refuseOwnFile(flag, path string, own []string) error {
	if path == "" || path == "-" {
		return nil
	}
	target := canonicalPath(path)
	outInfo, outErr := os.Stat(path)
	for _, f := range own {
		same := canonicalPath(f) == target
		if !same && outErr == nil {
			if fi, err := os.Stat(f); err == nil && os.SameFile(fi, outInfo) {
				same = true
			}
		}
		if same {
			return usageError{fmt.Sprintf("%s %s : c'est un fichier de Vigie (%s : base de données ou clé maîtresse), il serait écrasé ; choisissez un autre fichier / is one of Vigie's own files (%s: database or master key), which it would overwrite; choose another file",
				flag, path, f, f)}
		}
	}
	return nil
}

// refuseFolder refuses an output path that is a folder, as export --out
// does (2): the report and the release said "cannot write (is a
// directory)", exit 7, as if the disk had failed.
func refuseFolder(flag, path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return usageError{fmt.Sprintf("%s %s : c'est un dossier, donnez un nom de fichier / is a folder: give a file name", flag, path)}
	}
	return nil
}

// canonicalPath is path made absolute, its links resolved — also a link
// to a file that does not exist yet (a -wal file while the database is
// closed: the reject file written through it became the WAL and corrupted
// the database), and the folder's links when the file itself is not there.
func canonicalPath(path string) string {
	return canonical(path, 0)
}

func canonical(path string, depth int) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	if fi, err := os.Lstat(abs); err == nil && fi.Mode()&os.ModeSymlink != 0 && depth < 40 {
		if target, err := os.Readlink(abs); err == nil {
			if !filepath.IsAbs(target) {
				target = filepath.Join(filepath.Dir(abs), target)
			}
			return canonical(target, depth+1)
		}
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}
