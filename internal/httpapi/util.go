// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"net/http"
	"strconv"
)

func itoa(n int) string { return strconv.Itoa(n) }

func httpStatusText(code int) string { return http.StatusText(code) }
