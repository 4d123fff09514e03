// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"vigie/internal/domain"
)

// openInput opens a file the user gave to read, saying why it cannot be:
// missing (not found), not readable by this user (denied), or anything
// else the system says (invalid: a path through a file, a name too long).
func openInput(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err == nil {
		// A folder is the command's mistake (2), as an output folder is;
		// read, it failed later as invalid data, in English.
		if st, serr := f.Stat(); serr == nil && st.IsDir() {
			f.Close()
			return nil, usageError{fmt.Sprintf("%[1]s est un dossier : donnez un fichier / %[1]s is a folder: give a file", path)}
		}
		return f, nil
	}
	reason := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		reason = pe.Err.Error()
	}
	kind := domain.KindInvalid
	switch {
	case errors.Is(err, fs.ErrNotExist):
		kind = domain.KindNotFound
	case errors.Is(err, fs.ErrPermission):
		kind = domain.KindForbidden
	}
	return nil, domain.Wrap(kind, err, "impossible d'ouvrir / cannot open %s: %s", path, reason)
}

// stdinFile is the command's standard input as a file: the process's own,
// or (in tests, or when Main is given another reader) a pipe fed from it.
func stdinFile(env *Env) (*os.File, error) {
	if f, ok := env.Stdin.(*os.File); ok {
		return f, nil
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "standard input")
	}
	go func() {
		// The reader closing its end stops the copy (EPIPE).
		_, _ = io.Copy(w, env.Stdin)
		w.Close()
	}()
	return r, nil
}
