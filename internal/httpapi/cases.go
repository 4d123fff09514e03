// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"vigie/internal/domain"
)

func (a *api) listCases(w http.ResponseWriter, r *http.Request) error {
	f, err := parseCaseFilter(r.URL.Query())
	if err != nil {
		return err
	}
	// Lists carry no personal data (CaseSummary), so a coordinator may
	// list every agency's cases; the other roles list their own agency's.
	scope, err := requireScope(r, domain.ResCase, domain.ActList)
	if err != nil {
		return err
	}
	if p := principal(r); scope == domain.ScopeAgency {
		if f.Agency == "" {
			f.Agency = p.Agency
		} else if f.Agency != p.Agency {
			return domain.Errorf(domain.KindForbidden, "vous ne pouvez lister que les dossiers de votre agence (%s) / you may list only your agency's cases (%s); cases referred to you: GET /api/v1/referrals/incoming", p.Agency, p.Agency)
		}
	}
	page, err := a.Cases.FindCases(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// assigned refuses values that only Vigie may set, instead of silently
// ignoring them.
func assigned(p *domain.Problems, m domain.Meta, prefix string) { p.Assigned(m, prefix) }

func (a *api) createCase(w http.ResponseWriter, r *http.Request) error {
	var c domain.Case
	raw, err := decodeJSONRaw(w, r, &c)
	if err != nil {
		return err
	}
	if err := domain.MissingConsentAnswers(raw).Err(); err != nil {
		return err
	}
	if err := domain.NewCaseAssigned(&c); err != nil {
		return err
	}
	c.RegisteredToday(domain.DateOf(a.Now()))
	pr := principal(r)
	scope, err := requireScope(r, domain.ResCase, domain.ActCreate)
	if err != nil {
		return err
	}
	if c.Agency == "" {
		c.Agency = pr.Agency
	}
	if scope == domain.ScopeAgency && c.Agency != pr.Agency {
		return fieldError("agency", "validation.forbidden_agency", "vous ne pouvez créer des dossiers que pour votre agence ("+pr.Agency+") / you may create cases only for your agency ("+pr.Agency+")")
	}
	if err := a.checkSituation(r, c.SituationID, c.Agency); err != nil {
		return err
	}
	if len(c.Referrals) > 0 {
		own, err := a.Agencies.Agency(r.Context(), c.Agency)
		if err != nil {
			return err
		}
		for i, x := range c.Referrals {
			if x != nil {
				if err := a.checkReferredProvider(r, x, "", own.ID); err != nil {
					return inPart(err, fmt.Sprintf("referrals[%d].", i))
				}
			}
		}
	}
	// The comments of a new case are its creator's, as a comment added
	// later is (POST …/comments): a vig_Author in the body wrote them in
	// a supervisor's name, and one without an author was anyone's to edit.
	for _, cm := range c.Comments {
		if cm != nil {
			cm.Author = callerName(r)
		}
	}
	if closing(&c, "") && pr.Allowed(domain.ResCase, domain.ActClose) == domain.ScopeNone {
		return fieldError("cas_Status", "validation.close_needs_supervisor", "seul un superviseur peut clôturer un dossier / only a supervisor may close a case")
	}
	if err := a.Cases.CreateCase(r.Context(), &c); err != nil {
		return err
	}
	c.Warnings = a.duplicateWarnings(r, &c)
	w.Header().Set("Location", "/api/v1/cases/"+c.Number)
	w.Header().Set("ETag", etag(c.Version))
	writeJSON(w, http.StatusCreated, &c)
	return nil
}

func (a *api) getCase(w http.ResponseWriter, r *http.Request) error {
	ref := r.PathValue("ref")
	acc, number, err := a.reachCase(r, ref, domain.ResCase, domain.ActRead)
	if err != nil {
		return err
	}
	c, err := a.Cases.Case(r.Context(), acc.CaseID)
	if err != nil {
		return err
	}
	kept := principal(r).Redact(c, acc)
	if err := a.auditCaseRead(r, acc, number, domain.ResCase, kept); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(c.Version))
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (a *api) updateCase(w http.ResponseWriter, r *http.Request) error {
	var c domain.Case
	if err := decodeJSON(w, r, &c); err != nil {
		return err
	}
	v, err := expectedVersion(r, c.Version)
	if err != nil {
		return err
	}
	acc, number, err := a.reachCase(r, r.PathValue("ref"), domain.ResCase, domain.ActUpdate)
	if err != nil {
		return err
	}
	cur, err := a.Cases.Case(r.Context(), acc.CaseID)
	if err != nil {
		return err
	}
	if c.ID != "" && c.ID != cur.ID {
		// Named with the other values an update may not change, so
		// that one answer lists every mistake of the body.
		var p domain.Problems
		p.Add("id", "validation.mismatch", "does not match the case in the URL")
		return append(p, domain.ImmutableChanges(&c, cur)...).Err()
	}
	// Someone else's change comes first: a body based on an older
	// version, or on parts changed since it was read (a part's change
	// moves the case's updated_at, not its version), is a conflict to
	// reload, not invalid data.
	if v != cur.Version {
		return domain.Errorf(domain.KindConflict, "case %s was changed by someone else: you edited version %d, the current version is %d; reload it and apply your change again", number, v, cur.Version)
	}
	if err := unchangedParts(&c, cur, number); err != nil {
		if changedSince(&c, cur) {
			return domain.Errorf(domain.KindConflict, "the parts of case %s were changed by someone else since you read it; reload it and apply your change again", number)
		}
		return err
	}
	pr := principal(r)
	if c.SituationID != cur.SituationID {
		// Situations are the owning agency's own: an agency the case is
		// referred to neither reads them nor moves the case between them
		// (as the case page's situation form).
		if acc.AgencyID != pr.AgencyID || !pr.Can(domain.ResSituation, domain.ActRead, acc) {
			a.reach.Denied(r.Context(), number, domain.ResSituation, domain.ActUpdate, "forbidden", acc.AgencyID)
			return domain.Errorf(domain.KindForbidden, "seule l'agence du dossier le lie à une situation de traite / only the case's own agency may link it to a trafficking situation")
		}
		if err := a.checkSituation(r, c.SituationID, cur.Agency); err != nil {
			return err
		}
	}
	if closing(&c, cur.Status) && !pr.Can(domain.ResCase, domain.ActClose, acc) {
		return fieldError("cas_Status", "validation.close_needs_supervisor", "seul un superviseur peut clôturer un dossier / only a supervisor may close a case")
	}
	// The case's status is the owning agency's (as on the pages): an
	// agency the case is referred to works on it but neither closes,
	// reopens nor moves it (it closed and reopened cases, and rewrote
	// a closure). A closed case's closure — its status and its reason —
	// changes only by those who may close it: a caseworker rewrote the
	// reason a supervisor had approved.
	// (A status that is no cas_Status value is refused by validation.)
	domain.KeepStatus(&c, cur) // a status left out was Active: a closed case reopened past every check
	statusMoved := c.Status != cur.Status && domain.CaseStatus.Valid(c.Status)
	if statusMoved && acc.AgencyID != pr.AgencyID {
		a.reach.Denied(r.Context(), number, domain.ResCase, domain.ActClose, "forbidden", acc.AgencyID)
		return domain.Errorf(domain.KindForbidden, "seule l'agence du dossier change son statut, le clôture ou le rouvre / only the case's own agency may change its status, close or reopen it")
	}
	closureEdited := domain.IsClosedStatus(cur.Status) && domain.IsClosedStatus(c.Status) &&
		(statusMoved || c.ReasonForCaseClosure != cur.ReasonForCaseClosure)
	if closureEdited && !pr.Can(domain.ResCase, domain.ActClose, acc) {
		return fieldError("cas_Status", "validation.close_needs_supervisor", "seul un superviseur peut modifier la clôture d'un dossier / only a supervisor may change a case's closure")
	}
	c.ID, c.Version = cur.ID, v
	if err := a.Cases.UpdateCase(r.Context(), &c); err != nil {
		return err
	}
	// Answer with the stored case, parts included.
	stored, err := a.Cases.Case(r.Context(), c.ID)
	if err != nil {
		return err
	}
	kept := pr.Redact(stored, acc)
	w.Header().Set("ETag", etag(stored.Version))
	if err := a.auditCaseRead(r, acc, number, domain.ResCase, kept); err != nil {
		// The change is committed: an error now would have the client
		// send it again, and get a conflict for its own change. It is
		// answered as saved, without the case, whose reading could not
		// be recorded (GET it to read it).
		slog.ErrorContext(r.Context(), "case updated, its answer's read not audited", "case", number, "err", err)
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	writeJSON(w, http.StatusOK, stored)
	return nil
}

// unchangedParts refuses parts in an update's body that differ from the
// stored ones: an update replaces the case's own fields and leaves the
// parts as stored, so new, changed or missing parts would be dropped
// without a word. The parts as read (a GET's body sent back) or as created
// are accepted: they are compared without their ids, versions and
// timestamps, in any order; a list left out is not compared.
func unchangedParts(c, cur *domain.Case, number string) error {
	var p domain.Problems
	for _, kind := range domain.PartKinds {
		if !partsGiven(c, kind) {
			continue
		}
		sent := c.Parts(kind)
		if !sameParts(sent, cur.Parts(kind)) {
			p.Add(string(kind), "validation.read_only", "an update does not change the %s; leave them out or send them as stored, and change them at /api/v1/cases/%s/%s", kind, number, kind)
		}
	}
	return p.Err()
}

// changedSince reports whether the case's parts changed after the body
// sent was read: a part it carries has another version now or is gone, or
// the case's updated_at (which every change of a part moves) is later
// than the body's.
func changedSince(c, cur *domain.Case) bool {
	if !c.UpdatedAt.IsZero() && c.UpdatedAt.Before(cur.UpdatedAt) {
		return true
	}
	for _, kind := range domain.PartKinds {
		stored := map[string]int64{}
		for _, p := range cur.Parts(kind) {
			stored[p.PartMeta().ID] = p.PartMeta().Version
		}
		for _, p := range c.Parts(kind) {
			m := p.PartMeta()
			if v, ok := stored[m.ID]; m.ID != "" && (!ok || v != m.Version) {
				return true
			}
		}
	}
	return false
}

// partsGiven reports whether the body named the list, empty or not.
func partsGiven(c *domain.Case, kind domain.PartKind) bool {
	switch kind {
	case domain.PartEvents:
		return c.Events != nil
	case domain.PartSupportPlans:
		return c.SupportPlans != nil
	case domain.PartConsents:
		return c.Consents != nil
	case domain.PartComments:
		return c.Comments != nil
	case domain.PartReferrals:
		return c.Referrals != nil
	case domain.PartPerpetrators:
		return c.Perpetrators != nil
	}
	return len(c.Parts(kind)) > 0
}

func sameParts(a, b []domain.Part) bool {
	if len(a) != len(b) {
		return false
	}
	content := func(ps []domain.Part) []string {
		out := make([]string, len(ps))
		for i, x := range ps {
			m := x.PartMeta()
			saved := *m
			*m = domain.Meta{}
			j, err := json.Marshal(x)
			*m = saved
			if err != nil {
				return nil
			}
			out[i] = string(j)
		}
		slices.Sort(out)
		return out
	}
	ca, cb := content(a), content(b)
	return ca != nil && cb != nil && slices.Equal(ca, cb)
}

func etag(v int64) string { return `"` + strconv.FormatInt(v, 10) + `"` }

// expectedVersion is the version the client edited: from If-Match or the
// body's version (they must agree when both are given). Without it an
// update could overwrite someone else's change, so it is required.
func expectedVersion(r *http.Request, body int64) (int64, error) {
	h := strings.TrimPrefix(strings.TrimSpace(r.Header.Get("If-Match")), "W/")
	if h == "" {
		if body <= 0 {
			return 0, fieldError("version", "validation.required", "is required: send the version you edited (or an If-Match header) so that concurrent changes are never overwritten")
		}
		return body, nil
	}
	v, err := strconv.ParseInt(strings.Trim(h, `"`), 10, 64)
	if err != nil || v <= 0 {
		return 0, domain.Errorf(domain.KindInvalid, "If-Match must be the ETag of the version you edited, such as \"3\"")
	}
	if body != 0 && body != v {
		return 0, fieldError("version", "validation.mismatch", "the body says version "+strconv.FormatInt(body, 10)+" but If-Match says "+strconv.FormatInt(v, 10))
	}
	return v, nil
}

// deleteVersion is the version a DELETE names (?version= or If-Match).
// A version given twice is refused: reading the first would delete at a
// version the client may not have meant.
func deleteVersion(r *http.Request) (int64, error) {
	var body int64
	if n := len(r.URL.Query()["version"]); n > 1 {
		return 0, fieldError("version", "validation.repeated_parameter", "is given "+strconv.Itoa(n)+" times; give it once")
	}
	if s := r.URL.Query().Get("version"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return 0, fieldError("version", "validation.integer", "must be the version you are deleting, a positive whole number")
		}
		body = n
	}
	if body == 0 && strings.TrimSpace(r.Header.Get("If-Match")) == "" {
		return 0, fieldError("version", "validation.required", "is required: send ?version=N, the version you are deleting, or an If-Match header (a DELETE's body is not read)")
	}
	return expectedVersion(r, body)
}

// closing reports whether c moves a case into a closed status.
func closing(c *domain.Case, from string) bool {
	return domain.IsClosedStatus(c.Status) && !domain.IsClosedStatus(from)
}

// checkSituation refuses linking a case to a situation of another agency:
// that agency would see the case's number in the situation. A situation
// of another agency and a missing one get the same answer.
func (a *api) checkSituation(r *http.Request, id, agency string) error {
	if id == "" {
		return nil
	}
	s, err := a.Situations.Situation(r.Context(), id)
	if err != nil && domain.KindOf(err) != domain.KindNotFound {
		return err
	}
	if err != nil || s.Agency != agency {
		return fieldError("situation_id", "validation.unknown_situation", "does not refer to an existing situation of the case's agency")
	}
	return nil
}

// inPart names the fields of err, an error about one part of a case's
// body, by the part's place in the body ("referrals[1].vig_ReferredAgency"):
// a field named as in the part's own body left the client to guess which
// of its referrals was refused.
func inPart(err error, prefix string) error {
	var de *domain.Error
	if !errors.As(err, &de) || len(de.Fields) == 0 {
		return err
	}
	out := *de
	out.Fields = make([]domain.FieldError, len(de.Fields))
	for i, f := range de.Fields {
		f.Field = prefix + f.Field
		out.Fields[i] = f
	}
	return &out
}
