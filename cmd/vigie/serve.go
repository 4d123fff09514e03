// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"vigie/internal/domain"
	"vigie/internal/httpapi"
)

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("serve", "", "Démarre le serveur HTTP (API JSON sous /api/v1). / Runs the HTTP server (JSON API under /api/v1).")
	var d dbFlags
	d.register(fs)
	addr := fs.String("addr", envOr("VIGIE_ADDR", "127.0.0.1:8080"), "adresse d'écoute / listen address (env VIGIE_ADDR)")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if err := fs.want(env, 0); err != nil {
		return err
	}
	if err := checkLoopback(*addr); err != nil {
		return err
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	log := slog.New(slog.NewTextHandler(env.Stderr, nil))
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return domain.Wrap(domain.KindUnavailable, err, "cannot listen on %s (is another server running there?)", *addr)
	}
	api := httpapi.New(httpapi.Services{Cases: db, Agencies: db, Situations: db, Ping: db.Ping, Log: log, Version: version})
	srv := &http.Server{
		Handler:           loopbackOnly(securityHeaders(http.NewCrossOriginProtection().Handler(routes(api)))),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(env.Stdout, "Vigie %s écoute sur / listening on http://%s (base / database: %s)\n", version, ln.Addr(), db.Location)
	fmt.Fprintln(env.Stdout, "Boucle locale uniquement : les comptes et la connexion ne sont pas encore construits. / Loopback only: accounts and sign-in are not built yet.")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return domain.Wrap(domain.KindInternal, err, "server stopped")
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return domain.Wrap(domain.KindInternal, err, "shutting down")
	}
	fmt.Fprintln(env.Stdout, "Vigie arrêté / stopped")
	return nil
}

// checkLoopback refuses to listen beyond this machine until accounts and
// sign-in exist: today anyone who reaches the port could read every case.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usageError{fmt.Sprintf("--addr %q: attendu HOTE:PORT / expected HOST:PORT, e.g. 127.0.0.1:8080", addr)}
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return usageError{fmt.Sprintf("--addr %q: Vigie n'écoute que sur la boucle locale (127.0.0.1) tant que les comptes n'existent pas / Vigie listens on loopback only until accounts exist", addr)}
}

// loopbackOnly refuses requests whose Host is not a loopback name, so that
// a web page cannot reach the local server through DNS rebinding.
func loopbackOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.Trim(host, "[]")
		ip := net.ParseIP(host)
		if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			http.Error(w, "Forbidden host", http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// securityHeaders are sent with every response: no sniffing, no framing,
// no referrer (URLs carry case numbers), nothing loaded from elsewhere.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

// routes mounts the API and a plain home page.
func routes(api http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", api)
	mux.Handle("/healthz", api)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html lang="fr"><meta charset="utf-8"><title>Vigie</title>
<h1>Vigie</h1><p>Registre des dossiers de traite des personnes. Les pages web arrivent dans une prochaine version ;
l'API JSON est décrite par <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
<p lang="en">Counter-trafficking case registry. Web pages come in a later version; the JSON API is described by
<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p></html>`)
	})
	return mux
}
