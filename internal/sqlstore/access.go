// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"vigie/internal/domain"
)

// syncReferralAccess rewrites the case_access rows of a case from its
// referrals: one row per active referral to a Vigie agency.
//
// A referral that opens the case to an agency it was not open to before
// needs the victim's consent on record (Case.ConsentOnRecord), in every
// path: the web pages checked it, the API and the imports did not, and a
// referral made with no consent, or after a refusal, gave another agency
// the victim's name and phone. A referral already open stays so when the
// consent is withdrawn later (it stops new ones).
//
// newOnClosed says whether the case is a new record (a registration or an
// import), which tells its history at once: it may carry a closed case with
// its referrals (ClosedReferred is such a case), and referrals made before
// a later withdrawal of consent; a new referral of a stored case may not be
// made when it is closed — it gave another agency a case its owner had
// closed — nor after a withdrawal. On
// PostgreSQL the case row is locked (loadCase), so a closure committed
// meanwhile is seen.
//
// inCase names a refused referral's field by its place in the case
// ("referrals[1].vig_ReferredAgency"), as a registration or an import
// sent it; a part's change names it as the part's own body does.
func (t *tx) syncReferralAccess(ctx context.Context, c *domain.Case, newOnClosed, inCase bool) error {
	open := map[[2]string]bool{} // referral ID, agency ID
	rows0, err := t.query(ctx, `SELECT referral_id, agency_id FROM case_access WHERE case_id = ?`, c.ID)
	if err != nil {
		return classify(err, "reading referral access")
	}
	for rows0.Next() {
		var rid, aid string
		if err := rows0.Scan(&rid, &aid); err != nil {
			rows0.Close()
			return classify(err, "reading referral access")
		}
		open[[2]string{rid, aid}] = true
	}
	rows0.Close()
	if err := rows0.Err(); err != nil {
		return classify(err, "reading referral access")
	}
	if _, err := t.exec(ctx, `DELETE FROM case_access WHERE case_id = ?`, c.ID); err != nil {
		return classify(err, "updating referral access")
	}
	var rows [][]any
	// Every refused referral is named, not the first alone.
	var p domain.Problems
	for i, r := range c.Referrals {
		if r != nil && r.ReferredAgency != "" && newOnClosed && domain.ImportCreatesAgencies(ctx) && domain.ValidAgencyCode(r.ReferredAgency) {
			// An import with --create-agencies creates the agencies its
			// referrals name, open, closed or declined: one agency's
			// export, imported alone, was refused for them.
			if _, err := importAgencyID(ctx, t, r.ReferredAgency); err != nil {
				return err
			}
		}
		if r == nil || !r.GivesAccess() {
			continue
		}
		field := "vig_ReferredAgency"
		if inCase {
			field = fmt.Sprintf("referrals[%d].%s", i, field)
		}
		if r.ReferredAgency == c.Agency {
			// The owning agency reaches its case already; a referral to
			// it would wait in its own inbox, from itself.
			p.Add(field, "validation.own_agency", "%s is the case's own agency: refer the case to another agency", r.ReferredAgency)
			continue
		}
		var aid string
		err := t.queryRow(ctx, `SELECT id FROM agencies WHERE code = ?`, r.ReferredAgency).Scan(&aid)
		if errors.Is(err, sql.ErrNoRows) {
			p.Add(field, "validation.unknown_agency", "agency %s does not exist", r.ReferredAgency)
			continue
		}
		if err != nil {
			return classify(err, "reading agency")
		}
		if !open[[2]string{r.ID, aid}] && !newOnClosed && domain.IsClosedStatus(c.Status) {
			p.Add(field, "validation.case_closed", "case %s is closed (%s): reopen it before referring it to %s", c.Number, c.Status, r.ReferredAgency)
			continue
		}
		// A new record (a registration, an import) tells its history at
		// once: a referral made while the victim consented stays open
		// after a later withdrawal, as it does when the withdrawal is
		// recorded afterwards, so one consent given is enough (such a
		// case, exported, was refused by the import of its export). A
		// referral added later needs the latest answer to be yes.
		consented := c.ConsentOnRecord()
		if newOnClosed {
			consented = c.ConsentEverGiven()
		}
		if !open[[2]string{r.ID, aid}] && !consented {
			p.Add(field, "validation.consent_required", "referring the case to %s shares it with that agency: record the victim's consent first (con_Consent true, the latest consent)", r.ReferredAgency)
			continue
		}
		rows = append(rows, []any{r.ID, c.ID, aid})
	}
	if len(p) > 0 {
		return p.Err()
	}
	return t.insertRows(ctx, "case_access", []string{"referral_id", "case_id", "agency_id"}, rows)
}

// CaseAccess returns what decides who reaches a case: its owning agency,
// the agencies it is actively referred to, and whether userID holds a live
// break-the-glass grant on it. A case that does not exist is not found.
func (db *DB) CaseAccess(ctx context.Context, ref, userID string) (domain.CaseAccess, string, error) {
	var a domain.CaseAccess
	var number string
	err := db.read(ctx, func(t *tx) error {
		where := `number = ?`
		if isUUID(ref) {
			where = `id = ?`
		}
		err := t.queryRow(ctx, `SELECT id, agency_id, number FROM cases WHERE `+where, ref).Scan(&a.CaseID, &a.AgencyID, &number)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.KindNotFound, "le dossier %[1]s n'existe pas / case %[1]s does not exist", truncateText(ref, 60))
		}
		if err != nil {
			return classify(err, "reading case")
		}
		rows, err := t.query(ctx, `SELECT agency_id FROM case_access WHERE case_id = ?`, a.CaseID)
		if err != nil {
			return classify(err, "reading referral access")
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return classify(err, "reading referral access")
			}
			a.ReferredTo = append(a.ReferredTo, id)
		}
		if err := rows.Err(); err != nil {
			return classify(err, "reading referral access")
		}
		if userID == "" {
			return nil
		}
		var n int
		if err := t.queryRow(ctx, `SELECT count(*) FROM break_glass WHERE case_id = ? AND user_id = ? AND expires_at > ?`,
			a.CaseID, userID, t.d.ts(t.now)).Scan(&n); err != nil {
			return classify(err, "reading break-the-glass grants")
		}
		a.BreakGlass = n > 0
		return nil
	})
	return a, number, err
}

// BreakGlass records a time-limited grant on a case, with its audit entry
// in the same transaction.
func (db *DB) BreakGlass(ctx context.Context, g *domain.BreakGlass, e *domain.AuditEntry) error {
	return db.write(ctx, func(t *tx) error {
		g.ID, g.CreatedAt = newID(), t.now
		if g.ExpiresAt.IsZero() {
			g.ExpiresAt = t.now.Add(domain.BreakGlassDuration)
		}
		if _, err := t.exec(ctx, `INSERT INTO break_glass (id, user_id, case_id, reason, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			g.ID, g.UserID, g.CaseID, g.Reason, t.d.ts(g.CreatedAt), t.d.ts(g.ExpiresAt)); err != nil {
			return classify(err, "recording break-the-glass")
		}
		e.At = t.now
		return t.audit(ctx, e)
	})
}

// BreakGlassGrants lists the grants on cases of an agency, newest first,
// so that the owning agency sees who opened its cases and why.
func (db *DB) BreakGlassGrants(ctx context.Context, agencyID string, since time.Time) ([]*domain.BreakGlass, error) {
	var out []*domain.BreakGlass
	err := db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT g.id, g.user_id, g.case_id, g.reason, g.created_at, g.expires_at
			FROM break_glass g JOIN cases c ON c.id = g.case_id
			WHERE c.agency_id = ? AND g.created_at >= ? ORDER BY g.created_at DESC LIMIT 1000`, agencyID, t.d.ts(since))
		if err != nil {
			return classify(err, "reading break-the-glass grants")
		}
		defer rows.Close()
		for rows.Next() {
			var g domain.BreakGlass
			var c, e dbTime
			if err := rows.Scan(&g.ID, &g.UserID, &g.CaseID, &g.Reason, &c, &e); err != nil {
				return classify(err, "reading break-the-glass grants")
			}
			g.CreatedAt, g.ExpiresAt = c.t, e.t
			out = append(out, &g)
		}
		return classify(rows.Err(), "reading break-the-glass grants")
	})
	return out, err
}
