// SPDX-License-Identifier: AGPL-3.0-or-later

//go:build unix

package anonymize

import (
	"os"
	"syscall"
)

// mapFile maps a regular file into memory, read only: a million-row file
// is parsed where the page cache holds it instead of being copied into
// fresh memory first. ok is false when the file cannot be mapped.
func mapFile(f *os.File) (data []byte, unmap func(), ok bool) {
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() == 0 || st.Size() != int64(int(st.Size())) {
		return nil, nil, false
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, false
	}
	return b, func() { syscall.Munmap(b) }, true
}
