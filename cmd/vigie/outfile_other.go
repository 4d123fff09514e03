// SPDX-License-Identifier: AGPL-3.0-or-later

//go:build !linux

package main

import (
	"errors"
	"os"
)

var errNoUnnamed = errors.New("no unnamed files on this system")

// openUnnamed fails outside Linux: the caller writes a named temporary
// file.
func openUnnamed(string) (*os.File, error) { return nil, errNoUnnamed }

func nameUnnamed(*os.File, string) error { return errNoUnnamed }
