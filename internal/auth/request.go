// SPDX-License-Identifier: AGPL-3.0-or-later

package auth

import (
	"net"
	"net/http"
	"strings"
)

// Cookie names, the same for the API and the pages so that one sign-in
// serves both.
const (
	SessionCookie = "vigie_session"
	DeviceCookie  = "vigie_device"
)

// CookieName adds the __Host- prefix to Secure cookies: browsers then
// require Secure, Path=/ and no Domain, so no other host can plant one.
func CookieName(base string, secure bool) string {
	if secure {
		return "__Host-" + base
	}
	return base
}

// ClientAddr is the address of the client, for throttling and the audit
// log. Behind a reverse proxy (trustProxy), X-Forwarded-For's last hop is
// the one the proxy saw; earlier hops are the client's to forge.
func ClientAddr(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ClientOf is what the gate needs to know of a request's sender.
func ClientOf(r *http.Request, trustProxy, secure bool) Client {
	cl := Client{Addr: ClientAddr(r, trustProxy)}
	if ck, err := r.Cookie(CookieName(DeviceCookie, secure)); err == nil {
		cl.Device = ck.Value
	}
	return cl
}
