// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"net/http"

	"github.com/google/uuid"

	"vigie/internal/domain"
)

func partKind(r *http.Request) (domain.PartKind, error) {
	k := domain.PartKind(r.PathValue("part"))
	if _, ok := domain.NewPart(k); !ok {
		return "", domain.Errorf(domain.KindNotFound, "cases have no part %q; parts are events, support_plans, consents, comments, referrals, perpetrators", k)
	}
	return k, nil
}

func (a *api) listParts(w http.ResponseWriter, r *http.Request) error {
	k, err := partKind(r)
	if err != nil {
		return err
	}
	res := domain.PartResource(k)
	acc, number, err := a.reachCase(r, r.PathValue("ref"), res, domain.ActList)
	if err != nil {
		return err
	}
	c, err := a.Cases.Case(r.Context(), acc.CaseID)
	if err != nil {
		return err
	}
	if err := a.auditCaseRead(r, acc, number, res, []domain.Resource{res}); err != nil {
		return err
	}
	items := c.Parts(k)
	if items == nil {
		items = []domain.Part{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (a *api) addPart(w http.ResponseWriter, r *http.Request) error {
	k, err := partKind(r)
	if err != nil {
		return err
	}
	p, _ := domain.NewPart(k)
	raw, err := decodeJSONRaw(w, r, p)
	if err != nil {
		return err
	}
	if k == domain.PartConsents {
		if err := domain.MissingConsentAnswer(raw).Err(); err != nil {
			return err
		}
	}
	var pr domain.Problems
	assigned(&pr, *p.PartMeta(), "")
	if err := pr.Err(); err != nil {
		return err
	}
	acc, number, err := a.reachCase(r, r.PathValue("ref"), domain.PartResource(k), domain.ActCreate)
	if err != nil {
		return err
	}
	if cs, ok := p.(*domain.Consent); ok && !principal(r).MayRecordConsent(acc, cs.Consent) {
		a.reach.Denied(r.Context(), number, domain.PartResource(k), domain.ActCreate, "forbidden", acc.AgencyID)
		return domain.Errorf(domain.KindForbidden, "une agence à qui le dossier est orienté enregistre le retrait du consentement de la victime, pas un consentement : seule l'agence du dossier le recueille / an agency the case is referred to records the victim's withdrawal of consent, not a consent: only the case's own agency records one")
	}
	if err := a.checkReferredProvider(r, p, "", acc.AgencyID); err != nil {
		return err
	}
	if c, ok := p.(*domain.Comment); ok {
		c.Author = callerName(r)
	}
	if err := a.Cases.AddPart(r.Context(), acc.CaseID, k, p); err != nil {
		return err
	}
	w.Header().Set("Location", r.URL.Path+"/"+p.PartMeta().ID)
	w.Header().Set("ETag", etag(p.PartMeta().Version))
	writeJSON(w, http.StatusCreated, p)
	return nil
}

func (a *api) updatePart(w http.ResponseWriter, r *http.Request) error {
	k, err := partKind(r)
	if err != nil {
		return err
	}
	p, _ := domain.NewPart(k)
	raw, err := decodeJSONRaw(w, r, p)
	if err != nil {
		return err
	}
	if k == domain.PartConsents {
		if err := domain.MissingConsentAnswer(raw).Err(); err != nil {
			return err
		}
	}
	m := p.PartMeta()
	v, err := expectedVersion(r, m.Version)
	if err != nil {
		return err
	}
	if m.ID != "" && m.ID != r.PathValue("id") {
		return fieldError("id", "validation.mismatch", "does not match the record in the URL")
	}
	m.ID, m.Version = r.PathValue("id"), v
	acc, _, err := a.reachCase(r, r.PathValue("ref"), domain.PartResource(k), domain.ActUpdate)
	if err != nil {
		return err
	}
	if cm, ok := p.(*domain.Comment); ok {
		// A comment keeps the author it was written by, whatever the
		// body says, and only that author changes it.
		author, err := a.commentAuthor(r, acc.CaseID, m.ID)
		if err != nil {
			return err
		}
		cm.Author = author
	}
	if ref, ok := p.(*domain.Referral); ok && ref.ReferredProvider != "" {
		c, err := a.Cases.Case(r.Context(), acc.CaseID)
		if err != nil {
			return err
		}
		kept := ""
		for _, x := range c.Referrals {
			if x.ID == m.ID {
				kept = x.ReferredProvider
			}
		}
		if err := a.checkReferredProvider(r, p, kept, acc.AgencyID); err != nil {
			return err
		}
	}
	if err := a.Cases.UpdatePart(r.Context(), acc.CaseID, k, p); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(m.Version))
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (a *api) deletePart(w http.ResponseWriter, r *http.Request) error {
	k, err := partKind(r)
	if err != nil {
		return err
	}
	v, err := deleteVersion(r)
	if err != nil {
		return err
	}
	acc, _, err := a.reachCase(r, r.PathValue("ref"), domain.PartResource(k), domain.ActDelete)
	if err != nil {
		return err
	}
	if k == domain.PartComments {
		if _, err := a.commentAuthor(r, acc.CaseID, r.PathValue("id")); err != nil {
			return err
		}
	}
	if err := a.Cases.DeletePart(r.Context(), acc.CaseID, k, r.PathValue("id"), v); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// checkReferredProvider: a referral that names a provider of the
// directory (vig_ReferredProvider) must name one that exists — any text
// was stored before, and the case page could never show its places. kept
// is the provider the referral already names (an update), accepted as
// it is even if deleted since: the referral keeps its name. A provider
// that is another Vigie agency (agency_code) gets the case as a referral
// to that agency does, as on the pages: vig_ReferredAgency is filled (and
// must name that agency if sent), so the store asks for the victim's
// consent and opens the case to it. caseAgencyID is the case's agency.
func (a *api) checkReferredProvider(r *http.Request, p domain.Part, kept, caseAgencyID string) error {
	ref, ok := p.(*domain.Referral)
	if !ok || ref.ReferredProvider == "" || ref.ReferredProvider == kept {
		return nil
	}
	unknown := fieldError("vig_ReferredProvider", "validation.unknown_provider", "is not the ID of a provider of the directory (GET /api/v1/providers)")
	if u, err := uuid.Parse(ref.ReferredProvider); err != nil || u.String() != ref.ReferredProvider {
		return unknown
	}
	st, err := a.prevention()
	if err != nil {
		return err
	}
	pv, err := st.Provider(r.Context(), ref.ReferredProvider)
	if domain.KindOf(err) == domain.KindNotFound {
		return unknown
	} else if err != nil {
		return err
	}
	if pv.AgencyCode == "" || ref.Direction != domain.ReferralOutgoing {
		return nil
	}
	ag, err := a.Agencies.Agency(r.Context(), pv.AgencyCode)
	if err != nil || ag.ID == caseAgencyID {
		return err // the case's own agency: nothing to open
	}
	switch ref.ReferredAgency {
	case "":
		ref.ReferredAgency = ag.Code
	case ag.Code:
	default:
		return fieldError("vig_ReferredAgency", "validation.mismatch", "the provider "+pv.Name+" is the agency "+ag.Code+", not "+ref.ReferredAgency)
	}
	return nil
}

// commentAuthor is the stored author of comment id of a case ("" when the
// case has no such comment: the store then answers not found), refusing
// anyone but that author: a caseworker rewrote a supervisor's comment,
// which still showed the supervisor as its author, and could delete it.
// The others add a comment of their own.
func (a *api) commentAuthor(r *http.Request, caseID, id string) (string, error) {
	c, err := a.Cases.Case(r.Context(), caseID)
	if err != nil {
		return "", err
	}
	for _, x := range c.Comments {
		if x.ID != id {
			continue
		}
		if x.Author != "" && x.Author != callerName(r) {
			return "", domain.Errorf(domain.KindForbidden, "only its author (%s) may change or delete a comment; add a comment of your own", x.Author)
		}
		return x.Author, nil
	}
	return "", nil
}

// callerName is who a comment written through the API is by: the
// signed-in user's name, else their e-mail, as on the pages. A client
// cannot write a comment in someone else's name (vig_Author in the body
// is ignored): the case file's comments are part of its record.
func callerName(r *http.Request) string {
	c := callerFrom(r.Context())
	switch {
	case c == nil:
		return ""
	case c.user != nil && c.user.Name != "":
		return c.user.Name
	}
	return c.p.Email
}
