// SPDX-License-Identifier: AGPL-3.0-or-later

package seal

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// readKeyFile reads and validates the key file at path. It returns the
// FileInfo of the very file it read (fstat, not stat), so that a later
// Refresh compares against what was loaded, not against what a concurrent
// rename has since put at path.
func readKeyFile(path string) (*state, os.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read key file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("key file %s is not a regular file", path)
	}
	if err := checkMode(path, fi.Mode()); err != nil {
		return nil, nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read key file: %w", err)
	}
	if len(data) > maxKeyFileSize {
		return nil, nil, fmt.Errorf("key file %s is larger than %d bytes; it is not a vigie key file", path, maxKeyFileSize)
	}
	s, err := parseKeyFile(data)
	if err != nil {
		return nil, nil, fmt.Errorf("key file %s is malformed: %w", path, err)
	}
	return s, fi, nil
}

// checkMode refuses a key file other users can read or write, as ssh does
// for private keys: the file is the only thing standing between a copy of
// the database and the victims' data.
func checkMode(path string, mode fs.FileMode) error {
	// Windows reports permission bits that do not reflect its ACLs;
	// checking them there would refuse every file.
	if runtime.GOOS == "windows" {
		return nil
	}
	if perm := mode.Perm(); perm&0o077 != 0 {
		return fmt.Errorf("key file %s has mode %04o, so other users can read or change it; refusing to use it. Run: chmod 600 %s", path, perm, path)
	}
	return nil
}

// createKeyFile writes a new key file at path, creating its directory with
// mode 0700. It fails with an error matching fs.ErrExist if a file is
// already there: two processes starting at once must not each create a
// keyring and have one overwrite the other, which would make the loser's
// data unreadable.
func createKeyFile(path string, s *state) (os.FileInfo, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the key file's directory: %w", err)
	}
	tmp, fi, err := writeTemp(dir, s)
	if err != nil {
		return nil, err
	}
	// link, unlike rename, fails when the target exists, and it publishes a
	// file that is already complete and synced, so a process starting at
	// the same moment never reads a half-written key file.
	err = os.Link(tmp, path)
	os.Remove(tmp)
	if err != nil && !errors.Is(err, fs.ErrExist) {
		// Some file systems (FAT, some network and container mounts) have
		// no hard links; an exclusive create is the next best thing.
		fi, err = createExclusive(path, s)
	}
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		return nil, fmt.Errorf("cannot create key file: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return nil, err
	}
	return fi, nil
}

// createExclusive writes s to path, failing if path exists.
func createExclusive(path string, s *state) (os.FileInfo, error) {
	data, err := marshalKeyFile(s)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	var fi os.FileInfo
	if err == nil {
		fi, err = f.Stat()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		// A partial key file would be refused as malformed at every start.
		os.Remove(path)
		return nil, err
	}
	return fi, nil
}

// replaceKeyFile atomically replaces the key file at path with s: readers,
// including other processes, see either the old file or the new one,
// never a partial one, and a crash leaves one of the two on disk.
func replaceKeyFile(path string, s *state) (os.FileInfo, error) {
	dir := filepath.Dir(path)
	tmp, fi, err := writeTemp(dir, s)
	if err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("cannot replace key file: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return nil, err
	}
	return fi, nil
}

// writeTemp writes s to a new file in dir (the same directory as the key
// file, so that rename is atomic) and syncs it before it is published.
func writeTemp(dir string, s *state) (string, os.FileInfo, error) {
	data, err := marshalKeyFile(s)
	if err != nil {
		return "", nil, err
	}
	// CreateTemp creates the file with mode 0600, so the keys are never
	// readable by others, not even for a moment.
	f, err := os.CreateTemp(dir, ".vigie-keyring-*.tmp")
	if err != nil {
		return "", nil, fmt.Errorf("cannot create a temporary key file: %w", err)
	}
	name := f.Name()
	fail := func(err error) (string, os.FileInfo, error) {
		f.Close()
		os.Remove(name)
		return "", nil, fmt.Errorf("cannot write the temporary key file: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	fi, err := f.Stat()
	if err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", nil, fmt.Errorf("cannot write the temporary key file: %w", err)
	}
	return name, fi, nil
}

// syncDir makes a rename or link in dir durable: without it a power cut can
// bring back the old key file after the new master key has wrapped DEKs.
func syncDir(dir string) error {
	// Windows cannot open a directory for syncing; NTFS journals renames.
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("cannot sync the key file's directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("cannot sync the key file's directory: %w", err)
	}
	return nil
}
