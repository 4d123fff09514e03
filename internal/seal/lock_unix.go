// SPDX-License-Identifier: AGPL-3.0-or-later

//go:build unix

package seal

import (
	"fmt"
	"os"
	"syscall"
)

// lockKeyFile takes an exclusive lock that serialises the processes that
// rewrite the key file at path. Each rewrite is read, modify, rename; two
// processes rotating at once would otherwise each write a file without the
// other's new key, losing whatever that key had wrapped. The lock is on a
// separate, empty file (path + ".lock") because the key file itself is
// replaced by rename and a lock on it would be a lock on the old inode.
// Readers take no lock: rename already gives them a whole file.
func lockKeyFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot open the key file's lock: %w", err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("cannot lock the key file: %w", err)
	}
	// Closing the descriptor releases the lock.
	return func() { f.Close() }, nil
}
