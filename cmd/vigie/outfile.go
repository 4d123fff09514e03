// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"vigie/internal/domain"
)

// outputError says why an output file cannot be written, with the exit
// code of the cause: a folder that does not exist is "not found" (4), one
// the operator may not write in is "denied" (6), a full disk says so;
// anything else (an I/O error) stays "unavailable" (7). Exit 7 alone read
// as the database being unreachable when only the --out path was wrong.
func outputError(err error, path string) error {
	fr, en := "écriture impossible", "cannot write"
	kind := domain.KindUnavailable
	switch {
	case errors.Is(err, fs.ErrNotExist):
		kind, fr, en = domain.KindNotFound, "le dossier n'existe pas", "the folder does not exist"
	case errors.Is(err, fs.ErrPermission):
		kind, fr, en = domain.KindForbidden, "écriture refusée", "permission denied"
	case errors.Is(err, syscall.ENOSPC):
		fr, en = "disque plein", "disk full"
	}
	return domain.Wrap(kind, err, "%[1]s : %[2]s / %[1]s: %[3]s (%[4]v)", path, fr, en, pathReasonOf(err))
}

// pathReasonOf is what the system said, without the path again.
func pathReasonOf(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// output is a file an export writes. A regular file (new, or replaced) is
// written unnamed (Linux O_TMPFILE) or, where the system cannot, under a
// visible temporary name beside it, and takes its name only once complete
// (commit): a failed export never leaves a truncated file under the name
// asked for, and one killed (kill -9, power loss) leaves nothing where
// unnamed files exist. The file holds personal data: mode 0600. A device
// or a pipe (/dev/stdout, a FIFO) is written directly — it was replaced by
// a regular file before, /dev/full and /dev/stdout included when run as
// root — and "-" is standard output where the command allows it. A
// symbolic link stays one: the file it leads to is replaced.
type output struct {
	name   string // as the operator gave it, for messages
	target string // the path the file is renamed to; "" when written directly
	f      *os.File
	tmp    string // the named temporary file, "" when unnamed
	w      io.Writer
	err    error // the first write error
}

// createOutput opens name for writing; stdout, when not nil, is written
// for "-".
func createOutput(name string, stdout io.Writer) (*output, error) {
	o := &output{name: name}
	if name == "-" && stdout != nil {
		o.w = stdout
		return o, nil
	}
	fi, err := os.Stat(name)
	switch {
	case err == nil && fi.IsDir():
		return nil, usageError{fmt.Sprintf("%s est un dossier : donnez un nom de fichier / is a folder: give a file name", name)}
	case err == nil && !fi.Mode().IsRegular():
		f, err := os.OpenFile(name, os.O_WRONLY, 0)
		if err != nil {
			return nil, outputError(err, name)
		}
		o.f, o.w = f, f
		return o, nil
	case err == nil:
		if o.target, err = filepath.EvalSymlinks(name); err != nil {
			return nil, outputError(err, name)
		}
	case errors.Is(err, fs.ErrNotExist):
		o.target = name
	default:
		return nil, outputError(err, name)
	}
	dir := filepath.Dir(o.target)
	f, err := openUnnamed(dir)
	if err != nil {
		if f, err = os.CreateTemp(dir, filepath.Base(o.target)+".incomplete-*"); err != nil {
			return nil, outputError(err, dir)
		}
		o.tmp = f.Name()
	}
	o.f, o.w = f, f
	return o, nil
}

// Write records the first error, which fail reports.
func (o *output) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	n, err := o.w.Write(p)
	if err != nil {
		o.err = err
	}
	return n, err
}

// fail returns the write error that made err, said for the output (a full
// disk is not an internal error), or err when the output did not fail.
func (o *output) fail(err error) error {
	if o.err != nil {
		return outputError(o.err, o.name)
	}
	return err
}

// commit gives the complete file its name.
func (o *output) commit() error {
	if o.f == nil {
		return o.fail(nil)
	}
	if o.target == "" {
		if err := o.f.Close(); err != nil {
			return outputError(err, o.name)
		}
		return o.fail(nil)
	}
	if err := o.f.Sync(); err != nil {
		return outputError(err, o.name)
	}
	if o.tmp == "" {
		// Name the unnamed file beside the target, then rename it over:
		// linkat cannot replace a file.
		var b [8]byte
		rand.Read(b[:])
		tmp := filepath.Join(filepath.Dir(o.target), "."+filepath.Base(o.target)+".vigie-"+hex.EncodeToString(b[:]))
		if err := nameUnnamed(o.f, tmp); err != nil {
			return outputError(err, o.name)
		}
		o.tmp = tmp
	}
	if err := o.f.Close(); err != nil {
		return outputError(err, o.name)
	}
	if err := os.Rename(o.tmp, o.target); err != nil {
		return outputError(err, o.name)
	}
	o.tmp, o.f = "", nil
	return nil
}

// abort drops an output not committed; it does nothing after commit.
func (o *output) abort() {
	if o.f != nil {
		o.f.Close()
	}
	if o.tmp != "" {
		os.Remove(o.tmp)
	}
}
