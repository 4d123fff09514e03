// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"strings"
	"testing"
)

// TestHelpCommandForms: « vigie help COMMANDE [SOUS-COMMANDE] » and
// « vigie GROUPE help SOUS-COMMANDE » show that command's help, as
// « vigie COMMANDE --help » does — both printed the general list (or the
// group's), exit 0, so the options of serve or case show were not found
// that way.
func TestHelpCommandForms(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"help", "serve"}, 0, "usage: vigie serve [options]"},
		{[]string{"help", "migrate"}, 0, "usage: vigie migrate [options]"},
		{[]string{"help", "case"}, 0, "usage: vigie case SOUS-COMMANDE"},
		{[]string{"help", "case", "show"}, 0, "usage: vigie case show [options]"},
		{[]string{"help", "import", "ctdc"}, 0, "usage: vigie import ctdc [options]"},
		{[]string{"case", "help", "list"}, 0, "usage: vigie case list [options]"},
		{[]string{"agency", "help", "add"}, 0, "usage: vigie agency add [options]"},
		{[]string{"help"}, 0, "usage: vigie COMMANDE"},
		{[]string{"help", "bogus"}, 2, ""},
		{[]string{"case", "help", "bogus"}, 2, ""},
		// A trailing help, as users type it (it was read as a case number).
		{[]string{"case", "show", "help"}, 0, "usage: vigie case show [options]"},
		{[]string{"import", "ctdc", "help"}, 0, "usage: vigie import ctdc [options]"},
		{[]string{"serve", "help"}, 0, "usage: vigie serve [options]"},
		{[]string{"case", "help"}, 0, "usage: vigie case SOUS-COMMANDE"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, "_"), func(t *testing.T) {
			code, out, errs := vigie(t, "", tt.args...)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("vigie %v: exit %d (want %d), stdout %.200q (want %q), stderr %.200q", tt.args, code, tt.code, out, tt.want, errs)
			}
		})
	}
}
