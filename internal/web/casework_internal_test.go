// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import "vigie/internal/sqlstore"

// The pages take the casework service from Services.Cases (see
// caseworkStore): the store must keep implementing it.
var _ caseworkStore = (*sqlstore.DB)(nil)
