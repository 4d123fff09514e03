// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"errors"
	"fmt"
	"io/fs"

	"vigie/internal/domain"
)

// outputError says why an output file cannot be written, with the exit
// code of the cause: a folder that does not exist is "not found" (4), one
// the operator may not write in is "denied" (6); anything else (a full
// disk, an I/O error) stays "unavailable" (7). Exit 7 alone read as the
// database being unreachable when only the --out path was wrong.
func outputError(err error, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return domain.Wrap(domain.KindNotFound, err, "%s : le dossier n'existe pas / the folder does not exist", msg)
	case errors.Is(err, fs.ErrPermission):
		return domain.Wrap(domain.KindForbidden, err, "%s : écriture refusée / permission denied", msg)
	}
	return domain.Wrap(domain.KindUnavailable, err, "%s", msg)
}
