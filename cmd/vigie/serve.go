// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"vigie/internal/domain"
	"vigie/internal/server"
)

// osArg0 is the path this process was started as.
func osArg0() string { return os.Args[0] }

// invocation is how the user runs this binary: "go run ./cmd/vigie"
// when it was built by go run (make serve), "vigie" otherwise.
func invocation(arg0 string) string {
	if strings.Contains(filepath.ToSlash(arg0), "/go-build") {
		return "go run ./cmd/vigie"
	}
	return "vigie"
}

// firstRunHelp says, on a database without any account, how to get one
// that reads cases: the admin, the agency, a caseworker and an API token
// (the README's « Premier démarrage »), spelt as the user runs Vigie.
func firstRunHelp(v, url string) string {
	return "Aucun compte : pour commencer, dans un autre terminal / No account yet: to begin, in another terminal:\n" +
		"  " + v + " admin create admin@example.cd            # administrateur (comptes, agences) / admin (accounts, agencies)\n" +
		"  " + v + " agency add KIN \"Affaires sociales Kinshasa\"\n" +
		"  " + v + " user add agent@example.cd --agency KIN --role caseworker   # lit le mot de passe / reads the password\n" +
		"  " + v + " token create agent@example.cd            # jeton d'API / API token (Authorization: Bearer …)\n" +
		"puis connectez-vous / then sign in: " + url + " (TOTP à la première connexion / at first sign-in)\n"
}

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("serve", "", "Démarre le serveur HTTP (API JSON sous /api/v1). Au-delà de la boucle locale, HTTPS est exigé : --tls-cert/--tls-key, ou --behind-proxy derrière un proxy HTTPS. / Runs the HTTP server (JSON API under /api/v1). Beyond loopback, HTTPS is required: --tls-cert/--tls-key, or --behind-proxy behind an HTTPS reverse proxy.")
	var d dbFlags
	d.register(fs)
	addr := fs.String("addr", envOr("VIGIE_ADDR", "127.0.0.1:8080"), "adresse d'écoute / listen address (env VIGIE_ADDR)")
	certFile := fs.String("tls-cert", os.Getenv("VIGIE_TLS_CERT"), "certificat TLS (PEM) / TLS certificate (env VIGIE_TLS_CERT)")
	keyFile := fs.String("tls-key", os.Getenv("VIGIE_TLS_KEY"), "clé TLS (PEM) / TLS key (env VIGIE_TLS_KEY)")
	behindProxy := fs.Bool("behind-proxy", false, "derrière un proxy HTTPS : X-Forwarded-For, cookies Secure / behind an HTTPS reverse proxy: trust X-Forwarded-For, Secure cookies")
	plainHTTP := fs.Bool("insecure-plain-http", false, "autoriser HTTP en clair hors boucle locale (réseau de test uniquement) / allow plain HTTP beyond loopback (test networks only)")
	demoMode := fs.Bool("demo", false, "démonstration : personnes fictives dans "+demoDataDir+", comptes affichés au démarrage, boucle locale seulement / demo: fictitious people in "+demoDataDir+", accounts printed at start, loopback only")
	if err := fs.parse(env, args); err != nil {
		return err
	}
	if err := fs.want(env, 0); err != nil {
		return err
	}
	loopback, err := isLoopback(*addr)
	if err != nil {
		return err
	}
	if *demoMode {
		// The demo shows second-factor codes on the code page and prints
		// passwords: it serves this machine only.
		if !loopback {
			return usageError{"--demo écoute sur la boucle locale seulement (127.0.0.1) / --demo listens on loopback only (127.0.0.1)"}
		}
		// VIGIE_DATA and VIGIE_DB name the real database: the demo takes
		// only what its own command line names.
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if !set["data"] {
			d.data = demoDataDir
		}
		if !set["db"] {
			d.db = ""
		}
		d.demo = true
	}
	tls := *certFile != "" || *keyFile != ""
	if tls && (*certFile == "" || *keyFile == "") {
		return usageError{"--tls-cert et --tls-key vont ensemble / --tls-cert and --tls-key go together"}
	}
	if !loopback && !tls && !*behindProxy && !*plainHTTP {
		return usageError{fmt.Sprintf("--addr %q: hors de la boucle locale, les mots de passe et cookies doivent passer en HTTPS : donnez --tls-cert et --tls-key, ou --behind-proxy derrière un proxy HTTPS / beyond loopback, passwords and cookies must travel over HTTPS: give --tls-cert and --tls-key, or --behind-proxy behind an HTTPS reverse proxy", *addr)}
	}
	// Listen first: a port another process holds stops the server before
	// it creates a data folder, a database and a master key.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		reason := err.Error()
		var oe *net.OpError
		if errors.As(err, &oe) {
			reason = oe.Err.Error() // address already in use, permission denied…
		}
		if errors.Is(err, syscall.EADDRINUSE) {
			reason += " (un autre serveur ? / is another server running there?)"
		}
		return domain.Wrap(domain.KindUnavailable, err, "impossible d'écouter sur %s / cannot listen on %s: %s", *addr, *addr, reason)
	}
	defer ln.Close()
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if d.createdKeys {
		fmt.Fprintf(env.Stderr, "Clé maîtresse créée / master key created: %s — sauvegardez-la à part : sans elle les données chiffrées sont perdues / back it up separately: without it the encrypted data is lost\n", d.keys.Path())
	}
	if *demoMode {
		if err := startDemo(ctx, env, db); err != nil {
			return err
		}
	}
	log := slog.New(slog.NewTextHandler(env.Stderr, nil))
	// The API, the pages and their middleware are assembled in
	// internal/server, which the browser tests build the same way.
	h := server.New(server.Config{DB: db, Keys: d.keys, Log: log, Version: version,
		SecureCookies: tls || *behindProxy, TrustProxy: *behindProxy, Demo: *demoMode})
	if loopback {
		h = loopbackOnly(h)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	scheme := "http"
	if tls {
		scheme = "https"
	}
	fmt.Fprintf(env.Stdout, "Vigie %s écoute sur / listening on %s://%s (base / database: %s)\n", version, scheme, ln.Addr(), db.Location)
	if loopback {
		fmt.Fprintln(env.Stdout, "boucle locale seulement / loopback only: cette machine seule s'y connecte ; pour le réseau, --addr HOTE:PORT avec --tls-cert/--tls-key ou --behind-proxy / "+
			"only this machine can connect; for the network, --addr HOST:PORT with --tls-cert/--tls-key or --behind-proxy")
	}
	if users, err := db.Users(ctx, ""); err == nil && len(users) == 0 {
		fmt.Fprint(env.Stdout, firstRunHelp(invocation(osArg0()), fmt.Sprintf("%s://%s/", scheme, ln.Addr())))
	}
	if !loopback && !tls && !*behindProxy {
		fmt.Fprintln(env.Stderr, "ATTENTION / WARNING: HTTP en clair hors boucle locale / plain HTTP beyond loopback: passwords travel in clear")
	}
	if !loopback && !tls && *behindProxy {
		// Whoever reaches the port without the proxy sends passwords in
		// clear and chooses the address the throttle and the log see.
		fmt.Fprintf(env.Stderr, "ATTENTION / WARNING: --behind-proxy sur / on %s : HTTP en clair / plain HTTP, X-Forwarded-For cru / trusted — "+
			"seul le proxy doit atteindre ce port (pare-feu, ou --addr 127.0.0.1:PORT si le proxy est sur cette machine) / "+
			"only the proxy may reach this port (a firewall, or --addr 127.0.0.1:PORT when the proxy runs on this machine)\n", ln.Addr())
	}
	errc := make(chan error, 1)
	go func() {
		if tls {
			errc <- srv.ServeTLS(ln, *certFile, *keyFile)
			return
		}
		errc <- srv.Serve(ln)
	}()
	select {
	case err := <-errc:
		return domain.Wrap(domain.KindInternal, err, "server stopped")
	case <-ctx.Done():
	}
	return stopServer(env, srv, errc)
}

// stopServer stops srv once asked to (SIGINT, SIGTERM): new connections
// are refused at once, the requests in progress get shutdownGrace to
// finish, and those still running then are cut off — an unfinished
// request commits nothing, so the database stays consistent.
func stopServer(env *Env, srv *http.Server, errc <-chan error) error {
	secs := shutdownGrace.Seconds()
	fmt.Fprintf(env.Stdout, "Vigie : arrêt en cours / stopping (requêtes en cours : %g s pour finir / requests in progress: %g s to finish)\n", secs, secs)
	shutdown, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := srv.Shutdown(shutdown)
	if errors.Is(err, context.DeadlineExceeded) {
		srv.Close()
		fmt.Fprintf(env.Stdout, "requêtes encore en cours après %g s interrompue(s) / requests still running after %g s cut off\n", secs, secs)
	} else if err != nil {
		return domain.Wrap(domain.KindInternal, err, "shutting down")
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return domain.Wrap(domain.KindInternal, err, "server stopped")
	}
	fmt.Fprintln(env.Stdout, "Vigie arrêté / stopped")
	return nil
}

// shutdownGrace is how long vigie serve lets the requests in progress
// finish once asked to stop; tests shorten it.
var shutdownGrace = 10 * time.Second

// isLoopback reports whether addr listens on this machine only. There,
// plain HTTP is fine (nothing crosses a network) and the Host check
// guards against DNS rebinding.
func isLoopback(addr string) (bool, error) {
	host, port, err := net.SplitHostPort(addr)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
		return false, usageError{fmt.Sprintf("--addr %q: attendu HOTE:PORT, port de 0 à 65535 / expected HOST:PORT, port 0 to 65535, e.g. 127.0.0.1:8080", addr)}
	}
	if host == "localhost" {
		return true, nil
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback(), nil
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
