// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"compress/gzip"
	"net/http"
	"strings"
	"sync"
)

// Pages are compressed when the browser accepts it: text shrinks four to
// eight times, and the budget is 60 KB transferred per page on a slow,
// paid-by-the-megabyte connection.

var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return zw
}}

type gzipResponse struct {
	http.ResponseWriter
	zw *gzip.Writer
	// on is decided at WriteHeader: images (the QR code, already
	// compressed) and answers without a body are sent as they are.
	on, decided bool
}

func (g *gzipResponse) WriteHeader(status int) {
	if !g.decided {
		g.decided = true
		h := g.Header()
		ct := h.Get("Content-Type")
		// Redirects carry no body here; 204 and 304 never do.
		g.on = (status < 300 || status >= 400) && status != http.StatusNoContent && h.Get("Content-Encoding") == "" &&
			(strings.HasPrefix(ct, "text/") || ct == "")
		if g.on {
			h.Del("Content-Length")
			h.Set("Content-Encoding", "gzip")
			g.zw = gzipWriters.Get().(*gzip.Writer)
			g.zw.Reset(g.ResponseWriter)
		}
	}
	g.ResponseWriter.WriteHeader(status)
}

func (g *gzipResponse) Write(b []byte) (int, error) {
	if !g.decided {
		if g.Header().Get("Content-Type") == "" {
			g.Header().Set("Content-Type", http.DetectContentType(b))
		}
		g.WriteHeader(http.StatusOK)
	}
	if g.on {
		return g.zw.Write(b)
	}
	return g.ResponseWriter.Write(b)
}

func (g *gzipResponse) close() {
	if g.on {
		_ = g.zw.Close()
		gzipWriters.Put(g.zw)
	}
}

func gzipped(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Vary is set either way: a cache must not give a compressed
		// answer to a client that cannot read it.
		w.Header().Add("Vary", "Accept-Encoding")
		if !acceptsGzip(r.Header.Get("Accept-Encoding")) || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		g := &gzipResponse{ResponseWriter: w}
		defer g.close()
		next.ServeHTTP(g, r)
	})
}

// acceptsGzip reads Accept-Encoding, honouring "gzip;q=0" as a refusal.
func acceptsGzip(h string) bool {
	for part := range strings.SplitSeq(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		p := strings.ReplaceAll(params, " ", "")
		return p != "q=0" && p != "q=0.0" && p != "q=0.00" && p != "q=0.000"
	}
	return false
}
