// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"sync"
	"time"

	"vigie/internal/auth"
	"vigie/internal/domain"
	"vigie/internal/i18n"
)

//go:embed templates static
var files embed.FS

// pages are parsed once per language, each with the layout: the template
// functions are bound to a language's localizer, so a page cannot mix
// two languages. Parsed on first use (New forces it, so a server with a
// broken template fails at start), not at init: the parse takes ~0.3 s
// and ~30 MB that every other command (imports, exports, --help) would
// pay for nothing.
var pages = sync.OnceValue(func() map[i18n.Lang]map[string]*template.Template {
	names, err := files.ReadDir("templates")
	if err != nil {
		panic(err)
	}
	out := map[i18n.Lang]map[string]*template.Template{}
	for _, l := range i18n.Langs {
		out[l] = map[string]*template.Template{}
		for _, n := range names {
			name := strings.TrimSuffix(n.Name(), ".html")
			if name == "layout" || name == "rows" || strings.HasSuffix(name, ".part") {
				continue // shared by every page, not pages themselves
			}
			// *.part.html files hold blocks that an area adds to shared
			// pages (the case page, home), so that each area keeps its
			// markup in its own file.
			t := template.New("layout.html").Funcs(funcs(i18n.For(l)))
			out[l][name] = template.Must(t.ParseFS(files, "templates/layout.html", "templates/rows.html", "templates/*.part.html", "templates/"+n.Name()))
		}
	}
	return out
})

// funcs are the templates' only way to text: every visible word comes
// from the catalogs.
func funcs(l *i18n.Localizer) template.FuncMap {
	return template.FuncMap{
		// t "id" "Key" value … fills the message's placeholders.
		"t": func(id string, kv ...any) string { return l.T(id, pairs(kv)) },
		"n": func(id string, count any, kv ...any) string {
			var c int
			switch x := count.(type) {
			case int:
				c = x
			case int64:
				c = int(x)
			}
			return l.N(id, c, pairs(kv))
		},
		"enum": l.Enum,
		"enums": func(field string, vs []string) string {
			out := make([]string, len(vs))
			for i, v := range vs {
				out[i] = l.Enum(field, v)
			}
			return strings.Join(out, ", ")
		},
		"date": func(d any) string {
			switch x := d.(type) {
			case domain.Date:
				if x.IsZero() || x.Malformed() {
					return ""
				}
				return l.Date(x.Time())
			case time.Time:
				if x.IsZero() {
					return ""
				}
				return l.Date(x.UTC())
			}
			return ""
		},
		"num": func(n int) string { return l.Number(int64(n)) },
	}
}

func pairs(kv []any) map[string]any {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

// view is what the layout needs, around a page's own data.
type view struct {
	Lang  i18n.Lang
	Title string // a message ID
	// Number fills the title's placeholder on a case's page.
	Number string
	CSS    string
	// Switch is the link to the same page in the other language.
	Switch     string
	SwitchLang i18n.Lang
	// Demo shows the demonstration banner; DemoCode is the current
	// second-factor code, shown on the code page in demo mode only.
	Demo     bool
	DemoCode string
	SignedIn bool // complete session: the nav shows
	Menu     menu // the nav's links that the visitor's roles lead to
	Session  bool // any session: the sign-out button shows
	CSRF     string
	Data     any
}

// render writes a page with its status. The page is rendered to a buffer
// first, so that a template error gives a clean 500, not half a page.
func (s *site) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	l := langOf(r)
	other := i18n.EN
	if l == i18n.EN {
		other = i18n.FR
	}
	v := view{Lang: l, Title: title, CSS: cssPath, Switch: s.langLink(r, other), SwitchLang: other, Data: data}
	if c, ok := data.(caseData); ok {
		v.Number = c.Case.Number
	}
	if vis := visitorFrom(r); vis != nil {
		v.Session, v.SignedIn, v.CSRF = true, !vis.pending, auth.CSRFToken(vis.raw)
		v.Menu = menuFor(vis.p)
	}
	if s.Demo {
		v.Demo, v.DemoCode = true, s.demoCode(r, name)
	}
	var b bytes.Buffer
	if err := pages()[l][name].Execute(&b, v); err != nil {
		s.Log.Error("rendering a page", "page", name, "err", err)
		if name != "error" {
			s.errorPage(w, r, http.StatusInternalServerError)
		} else {
			// The error page itself failed: a bare answer, not a loop.
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		}
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Pages carry personal data: never kept by the browser or a proxy.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// errorPage answers with a localized page for status. A case out of
// reach and a missing case both get the same 404, byte for byte.
func (s *site) errorPage(w http.ResponseWriter, r *http.Request, status int) {
	msg := "error.internal"
	switch status {
	case http.StatusNotFound:
		msg = "error.not_found"
	case http.StatusForbidden:
		msg = "error.forbidden"
	case http.StatusBadRequest:
		msg = "error.invalid"
	case http.StatusTooManyRequests:
		msg = "error.too_many"
	case http.StatusRequestEntityTooLarge:
		msg = "error.too_large"
	}
	s.render(w, r, status, "error", "error.title", map[string]any{"Message": msg, "Status": status})
}

func (s *site) notFoundPage(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound)
}

// fail answers a request whose work failed: the domain's kind picks the
// status; the cause goes to the log only.
func (s *site) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := domain.KindOf(err).HTTPStatus()
	if status >= 500 {
		s.Log.Error("page failed", "path", r.URL.Path, "err", err)
	}
	switch status {
	case http.StatusNotFound, http.StatusForbidden, http.StatusTooManyRequests:
	case http.StatusUnprocessableEntity:
		status = http.StatusBadRequest
	default:
		status = http.StatusInternalServerError
	}
	s.errorPage(w, r, status)
}
