// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"vigie/internal/domain"
)

// regDuplicateScore is how much of a name must match for a warning: the
// API's duplicate warning on create uses the same threshold.
const regDuplicateScore = 0.75

// regFullName is the victim's name as typed in a draft.
func regFullName(v map[string][]string) string {
	return strings.TrimSpace(regFirst(v, "prs_FirstName") + " " + regFirst(v, "prs_MiddleName") + " " + regFirst(v, "prs_SecondName"))
}

// regDuplicates returns the numbers of the cases, within the visitor's
// reach, whose victim may be the person named: the blind index of the
// API's person search, limited the same way (own agency and cases
// referred to it). The search is audited as the API's is: that it ran
// and how many cases it showed, never the name.
func (s *site) regDuplicates(r *http.Request, name string) ([]string, error) {
	p := visitorFrom(r).p
	if utf8.RuneCountInString(name) < 2 || utf8.RuneCountInString(name) > 200 || !utf8.ValidString(name) {
		return nil, nil
	}
	agency := ""
	switch p.Allowed(domain.ResIdentity, domain.ActRead) {
	case domain.ScopeNone:
		return nil, nil
	case domain.ScopeAgency:
		agency = p.AgencyID
	}
	list, err := s.Search.SearchNames(r.Context(), name, agency, regDuplicateScore, 5)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(list))
	for _, m := range list {
		out = append(out, m.CaseNumber)
	}
	e := domain.NewAuditEntry(r.Context(), domain.AuditSearch)
	e.Resource, e.Detail = string(domain.ResIdentity), map[string]any{"results": len(out), "mode": "duplicate"}
	if err := s.Audit.Audit(r.Context(), e); err != nil {
		return nil, err
	}
	return out, nil
}

// regDuplicatesJSON is POST /registration/duplicates (name, csrf_token), called by the
// wizard's script while the name is typed. It answers with the case
// numbers only; without the script, the same check runs when the victim
// step is posted.
func (s *site) regDuplicatesJSON(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	if !regDupeLimit.allow(visitorFrom(r).p.UserID, s.Now()) {
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"cases":[]}`))
		return
	}
	list, err := s.regDuplicates(r, r.PostFormValue("name"))
	if err != nil {
		s.Log.Error("duplicate check failed", "kind", domain.KindOf(err), "err", err)
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"cases":[]}`))
		return
	}
	if list == nil {
		list = []string{}
	}
	_ = json.NewEncoder(w).Encode(map[string][]string{"cases": list})
}

// regLimiter allows each user a number of checks per minute: typing a name
// runs one check per pause, and a script that loops on the endpoint must
// not turn it into a way to enumerate the blind index.
type regLimiter struct {
	mu     sync.Mutex
	per    int
	counts map[string]*regWindow
}

type regWindow struct {
	start time.Time
	n     int
}

// regDupeLimit is shared by every site of the process: user IDs are unique,
// and a limit per process is what a single server needs.
var regDupeLimit = &regLimiter{per: 30, counts: map[string]*regWindow{}}

func (l *regLimiter) allow(user string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.counts) > 10_000 {
		clear(l.counts) // bounded memory; worst case a fresh minute
	}
	w := l.counts[user]
	if w == nil || now.Sub(w.start) >= time.Minute || now.Before(w.start) {
		w = &regWindow{start: now}
		l.counts[user] = w
	}
	w.n++
	return w.n <= l.per
}

// The wizard's script, under a content-hash name like the style sheet.
var (
	regJS     = mustRead("static/registration.js")
	regJSPath = func() string {
		sum := sha256.Sum256(regJS)
		return "/static/registration." + hex.EncodeToString(sum[:])[:16] + ".js"
	}()
)

func serveRegJS(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(regJS)
}
