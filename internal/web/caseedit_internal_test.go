// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import "vigie/internal/sqlstore"

// The situation page takes its store from Services.Cases (see
// situationStore): the store must keep implementing it.
var _ situationStore = (*sqlstore.DB)(nil)
