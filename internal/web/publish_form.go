// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strconv"
	"strings"

	"vigie/internal/domain"
	"vigie/internal/publish"
)

// releaseForm is the draft form: what to release, for which years, and
// how it is protected.
type releaseForm struct {
	Kind, Title, From, To      string
	K, Threshold, Epsilon      string
	QIs                        string // comma-separated quasi-identifiers (records)
	Errors                     map[string]string
	DefaultK, DefaultThreshold int
}

func newReleaseForm(year int) *releaseForm {
	y := strconv.Itoa(year - 1)
	return &releaseForm{Kind: string(domain.ReleaseTables), From: y, To: y, DefaultK: 11, DefaultThreshold: 11}
}

// newReleasePage is GET /publish/new (coordinators).
func (s *site) newReleasePage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResRelease, domain.ActCreate) {
		return
	}
	s.render(w, r, http.StatusOK, "publish_form", "publish.new.title", newReleaseForm(s.Now().Year()))
}

// parseReleaseForm reads the form into the options of publish.Build.
func parseReleaseForm(r *http.Request) (*releaseForm, publish.Options, domain.Problems) {
	v := r.PostForm
	f := &releaseForm{Kind: v.Get("kind"), Title: strings.TrimSpace(v.Get("title")), From: strings.TrimSpace(v.Get("from")),
		To: strings.TrimSpace(v.Get("to")), K: strings.TrimSpace(v.Get("k")), Threshold: strings.TrimSpace(v.Get("threshold")),
		Epsilon: strings.TrimSpace(v.Get("epsilon")), QIs: strings.TrimSpace(v.Get("quasi_identifiers")), DefaultK: 11, DefaultThreshold: 11}
	var pr domain.Problems
	whole := func(field, s string) int {
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			pr.Add(field, "validation.integer", "%q is not a whole number", s)
		}
		return n
	}
	opt := publish.Options{Kind: domain.ReleaseKind(f.Kind), Title: f.Title, From: whole("period_from", f.From), To: whole("period_to", f.To)}
	if opt.To == 0 {
		opt.To = opt.From
	}
	switch opt.Kind {
	case domain.ReleaseRecords:
		opt.K = whole("k", f.K)
		if f.K != "" && opt.K == 0 {
			pr.Add("k", "validation.range", "0: k is between 2 and 1000 (leave it empty for 11)")
		}
		if f.QIs != "" {
			opt.QIs = strings.FieldsFunc(f.QIs, func(r rune) bool { return r == ',' || r == ';' || r == ' ' })
		}
	case domain.ReleaseTables:
		threshold := whole("threshold", f.Threshold)
		var eps float64
		if f.Epsilon != "" {
			e, err := strconv.ParseFloat(strings.Replace(f.Epsilon, ",", ".", 1), 64)
			if err != nil || e < 0 {
				pr.Add("epsilon", "validation.epsilon_format", "%q is not a decimal number", f.Epsilon)
			}
			eps = e
		}
		if len(pr) == 0 {
			cfg, err := publish.TablesConfig(threshold, 0, eps)
			if fe := domain.FieldErrors(err); fe != nil {
				pr = append(pr, fe...) // under epsilon or threshold, as the form names them
			} else if err != nil {
				pr.Add("epsilon", "validation.release_config", "%v", err)
			}
			opt.Tables = cfg
		}
	}
	return f, opt, pr
}

// createRelease is POST /publish: the draft's file is made now from the
// period's cases and kept as it is; the form comes back with the reason
// when the period, the parameters or the ε budget are refused.
func (s *site) createRelease(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResRelease, domain.ActCreate) {
		return
	}
	st, err := s.releases()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, opt, pr := parseReleaseForm(r)
	err = pr.Err()
	if err == nil {
		probe := domain.NewRelease{Kind: opt.Kind, Title: opt.Title, From: opt.From, To: opt.To, FileName: "-", File: []byte{0}}
		err = probe.Validate(domain.DateOf(s.Now()))
	}
	var rel *domain.Release
	if err == nil {
		var nr *domain.NewRelease
		if nr, err = publish.Build(r.Context(), st, opt); err == nil {
			rel, err = st.CreateRelease(r.Context(), nr)
		}
	}
	switch {
	case err == nil:
		redirect(w, "/publish/"+rel.ID+"?saved=1")
	case domain.KindOf(err) == domain.KindInvalid:
		f.Errors = fieldMessages(err)
		if f.Errors == nil {
			f.Errors = map[string]string{"kind": "validation.release_config"}
		}
		s.render(w, r, http.StatusUnprocessableEntity, "publish_form", "publish.new.title", f)
	default:
		s.fail(w, r, err)
	}
}
