// SPDX-License-Identifier: AGPL-3.0-or-later

//go:build unix

package sqlstore

import (
	"errors"
	"os"
	"syscall"

	"vigie/internal/domain"
)

// flockFile locks path (created if needed): shared, waiting while an
// exclusive holder works, or exclusive without waiting (ok is false when
// the file is locked). The kernel releases the lock when the process
// dies, however it dies.
func flockFile(path string, exclusive bool) (release func(), ok bool, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, domain.Wrap(domain.KindUnavailable, err, "cannot open the import lock %s", path)
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX | syscall.LOCK_NB
	}
	for {
		err = syscall.Flock(int(f.Fd()), how)
		if err != syscall.EINTR {
			break
		}
	}
	if errors.Is(err, syscall.EWOULDBLOCK) {
		f.Close()
		return nil, false, nil
	}
	if err != nil {
		f.Close()
		return nil, false, domain.Wrap(domain.KindUnavailable, err, "cannot lock %s", path)
	}
	// Closing the descriptor releases the lock.
	return func() { f.Close() }, true, nil
}
