// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"

	"vigie/internal/domain"
)

var _ domain.ReportStore = (*DB)(nil)

// LockReport stores a locked version of a report (see domain.ReportStore).
func (db *DB) LockReport(ctx context.Context, v *domain.ReportVersion, after int) error {
	v.Version = after + 1
	if err := v.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		var latest int
		if err := t.queryRow(ctx, `SELECT COALESCE(max(version), 0) FROM report_versions WHERE period = ? AND scope = ?`,
			v.Period, v.Scope).Scan(&latest); err != nil {
			return classify(err, "reading report versions")
		}
		switch {
		case after == 0 && latest > 0:
			return domain.Errorf(domain.KindConflict, "the report %s is already locked (version %d); issue a new version with a reason", v.Period, latest)
		case latest != after:
			return domain.Errorf(domain.KindConflict, "the report %s is at version %d, not %d: someone issued a version meanwhile; reload it", v.Period, latest, after)
		}
		v.ID, v.CreatedAt = newID(), t.now
		if p := domain.ActorFrom(ctx); p != nil {
			v.CreatedBy = p.Email
		}
		if v.CreatedBy == "" {
			v.CreatedBy = "system"
		}
		if _, err := t.exec(ctx, `INSERT INTO report_versions (id, period, scope, version, figures, reason, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, v.ID, v.Period, v.Scope, v.Version, v.Figures, v.Reason, v.CreatedBy, t.d.ts(t.now)); err != nil {
			return classify(err, "locking the report")
		}
		action := domain.AuditCreate
		if v.Version > 1 {
			action = domain.AuditUpdate
		}
		e := domain.NewAuditEntry(ctx, action)
		e.Resource, e.RecordID = string(domain.ResReport), v.ID
		if v.Scope != "" {
			aid, err := agencyID(ctx, t, v.Scope)
			if err != nil {
				return err
			}
			e.AgencyID = aid
		}
		e.Detail = map[string]any{"period": v.Period, "version": v.Version, "reason_given": v.Reason != ""}
		return t.audit(ctx, e)
	})
}

// ReportVersions lists a report's locked versions, oldest first.
func (db *DB) ReportVersions(ctx context.Context, period, scope string) ([]*domain.ReportVersion, error) {
	var out []*domain.ReportVersion
	err := db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT id, period, scope, version, figures, reason, created_by, created_at
			FROM report_versions WHERE period = ? AND scope = ? ORDER BY version`, period, scope)
		if err != nil {
			return classify(err, "reading report versions")
		}
		defer rows.Close()
		for rows.Next() {
			v := &domain.ReportVersion{}
			var at dbTime
			if err := rows.Scan(&v.ID, &v.Period, &v.Scope, &v.Version, &v.Figures, &v.Reason, &v.CreatedBy, &at); err != nil {
				return classify(err, "reading report versions")
			}
			v.CreatedAt = at.t
			out = append(out, v)
		}
		return classify(rows.Err(), "reading report versions")
	})
	return out, err
}
