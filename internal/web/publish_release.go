// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"mime"
	"net/http"
	"strconv"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// stepButton is one step the visitor may take on the release.
type stepButton struct {
	Step   domain.ReleaseStep
	Label  string // message ID
	Reason bool   // the step asks for a reason (reject)
}

type releaseData struct {
	R        *domain.Release
	Epsilon  string
	Size     string // the file's size in bytes, written for the language
	Manifest manifestView
	Steps    []stepButton
	// Author is set when the visitor drafted the release: review and
	// approval are for someone else.
	Author   bool
	Saved    bool
	Conflict bool
	Errors   map[string]string
}

// releasePage is GET /publish/{id}: the release, who did each step, its
// manifest explained, the steps the visitor may take and the file.
func (s *site) releasePage(w http.ResponseWriter, r *http.Request) {
	_, rel, err := s.readableRelease(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := s.releaseDataFor(r, rel)
	d.Saved = r.URL.Query().Get("saved") != ""
	s.render(w, r, http.StatusOK, "publish_release", "publish.release.title", d)
}

func (s *site) releaseDataFor(r *http.Request, rel *domain.Release) *releaseData {
	p := visitorFrom(r).p
	d := &releaseData{R: rel, Epsilon: epsilonText(langOf(r), rel.EpsilonMilli),
		Author: rel.CreatedBy == p.UserID, Size: i18n.For(langOf(r)).Number(rel.FileSize)}
	// The reviewers' manifest is measured against the true data: for
	// those who prepare releases only (the file's manifest.json is public).
	if worksOnReleases(r) {
		d.Manifest = readManifest(langOf(r), rel)
	}
	if p.Allowed(domain.ResRelease, domain.ActUpdate) == domain.ScopeNone {
		return d
	}
	for _, st := range domain.ReleaseSteps {
		if _, err := rel.Next(st, p.UserID, "-"); err == nil {
			d.Steps = append(d.Steps, stepButton{Step: st, Label: "publish.step." + string(st), Reason: st == domain.StepReject})
		}
	}
	return d
}

// stepRelease is POST /publish/{id}/step: one step at the version shown.
func (s *site) stepRelease(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResRelease, domain.ActUpdate) {
		return
	}
	st, rel, err := s.readableRelease(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	_, err = st.StepRelease(r.Context(), rel.ID, v, domain.ReleaseStep(r.PostForm.Get("step")), r.PostForm.Get("reason"))
	switch domain.KindOf(err) {
	case "":
		redirect(w, "/publish/"+rel.ID+"?saved=1")
	case domain.KindInvalid, domain.KindConflict:
		if cur, e := st.Release(r.Context(), rel.ID); e == nil {
			rel = cur
		}
		d := s.releaseDataFor(r, rel)
		status := http.StatusUnprocessableEntity
		if domain.KindOf(err) == domain.KindConflict {
			d.Conflict, status = true, http.StatusConflict
		} else {
			d.Errors = fieldMessages(err)
		}
		s.render(w, r, status, "publish_release", "publish.release.title", d)
	default:
		s.fail(w, r, err)
	}
}

// releaseFile is GET /publish/{id}/file: the ZIP as approved (audited).
func (s *site) releaseFile(w http.ResponseWriter, r *http.Request) {
	st, rel, err := s.readableRelease(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, data, err := st.ReleaseFile(r.Context(), rel.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": rel.FileName}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}
