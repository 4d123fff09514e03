// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"

	"vigie/internal/disclosure"
	"vigie/internal/domain"
)

var _ domain.ReleaseService = (*DB)(nil)

// releaseLockKey serialises drafts on PostgreSQL (7462351 is the
// migrations' lock, 7462352 the audit log's).
const releaseLockKey = 7462353

// releaseActor is the signed-in user who acts on a release: the workflow
// needs to know who drafted it, to keep them from reviewing it.
func releaseActor(ctx context.Context) (*domain.Principal, error) {
	p := domain.ActorFrom(ctx)
	if p == nil || p.UserID == "" {
		return nil, domain.Errorf(domain.KindForbidden, "a release is drafted, reviewed and published by a named user")
	}
	return p, nil
}

// releaseAudit writes the audit entry of a step of a release.
func (t *tx) releaseAudit(ctx context.Context, action, id string, detail map[string]any) error {
	e := domain.NewAuditEntry(ctx, action)
	e.Resource, e.RecordID, e.Detail = string(domain.ResRelease), id, detail
	return t.audit(ctx, e)
}

// epsilonBudget is the ε (thousandths) a year of cases may spend on all
// its differentially private releases.
func (t *tx) epsilonBudget(ctx context.Context) (int64, error) {
	var m int64
	err := t.queryRow(ctx, `SELECT max_milli FROM release_budget WHERE id = 1`).Scan(&m)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.DefaultEpsilonBudget, nil
	}
	return m, classify(err, "reading the privacy budget")
}

// SetEpsilonBudget sets the ε (thousandths) a year of cases may spend.
// Lowering it below what a year already spent refuses new releases of
// that year; nothing spent is undone.
func (db *DB) SetEpsilonBudget(ctx context.Context, maxMilli int64) error {
	if maxMilli < 1 || maxMilli > 100_000 {
		var pr domain.Problems
		pr.Add("budget", "validation.range", "must be between 0.001 and 100")
		return pr.Err()
	}
	return db.write(ctx, func(t *tx) error {
		old, err := t.epsilonBudget(ctx)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM release_budget`); err != nil {
			return classify(err, "setting the privacy budget")
		}
		if _, err := t.exec(ctx, `INSERT INTO release_budget (id, max_milli) VALUES (1, ?)`, maxMilli); err != nil {
			return classify(err, "setting the privacy budget")
		}
		return t.releaseAudit(ctx, domain.AuditUpdate, "", map[string]any{"epsilon_budget_milli": maxMilli, "was": old})
	})
}

// CreateRelease stores a new draft release with its file. A release that
// spends ε is refused if any year of its period would go over the
// budget, counting every release drawn before it (rejected ones too: the
// noise was drawn and seen). The check and the insert share the write
// transaction, so two drafts cannot both take the last of a budget.
func (db *DB) CreateRelease(ctx context.Context, d *domain.NewRelease) (*domain.Release, error) {
	p, err := releaseActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := d.Validate(db.Now.Today()); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(d.File)
	r := &domain.Release{Kind: d.Kind, Title: d.Title, From: d.From, To: d.To, State: domain.ReleaseDraft,
		Config: d.Config, Manifest: d.Manifest, EpsilonMilli: d.EpsilonMilli, FileName: d.FileName,
		FileSHA256: hex.EncodeToString(sum[:]), FileSize: int64(len(d.File)), CreatedBy: p.UserID, CreatedByEmail: p.Email}
	err = db.write(ctx, func(t *tx) error {
		// Drafts are made one at a time: the budget and overlap checks
		// read the releases, and two drafts checked side by side could
		// both take the last of a budget. SQLite has a single writer;
		// PostgreSQL takes a transaction lock (taken before the audit's,
		// which comes last, so the two never wait on each other in turn).
		if t.d == postgresDialect {
			if _, err := t.exec(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(releaseLockKey)); err != nil {
				return classify(err, "locking the releases")
			}
		}
		if d.EpsilonMilli > 0 {
			if err := t.checkBudget(ctx, d); err != nil {
				return err
			}
		} else if err := t.checkOverlap(ctx, d, r.FileSHA256); err != nil {
			return err
		}
		r.ID, r.Version, r.CreatedAt, r.UpdatedAt = newID(), 1, t.now, t.now
		_, err := t.exec(ctx, `INSERT INTO releases (id, kind, title, period_from, period_to, status, config, manifest, epsilon_milli,
			file_name, file_sha256, file_size, created_by, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.Kind, r.Title, r.From, r.To, r.State, string(r.Config), string(r.Manifest), r.EpsilonMilli,
			r.FileName, r.FileSHA256, r.FileSize, r.CreatedBy, r.Version, t.d.ts(t.now), t.d.ts(t.now))
		if err != nil {
			return classify(err, "creating release")
		}
		if _, err := t.exec(ctx, `INSERT INTO release_files (release_id, data) VALUES (?, ?)`, r.ID, d.File); err != nil {
			return classify(err, "storing the release file")
		}
		return t.releaseAudit(ctx, domain.AuditCreate, r.ID, map[string]any{"kind": string(r.Kind), "from": r.From, "to": r.To,
			"epsilon_milli": r.EpsilonMilli, "sha256": r.FileSHA256, "size": r.FileSize})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// checkOverlap refuses an exact release (no ε) that could be compared
// with another exact release that is not rejected, whatever its kind:
//   - years that partly overlap: subtracting one from the other gives the
//     figures of the years one covers and the other does not, including
//     counts both hide;
//   - the same years in the other kind: the tables' totals, less the
//     records, count the records the release suppressed or generalised —
//     the rarest victims — and the records show the counts the tables hide;
//   - the same years and kind, but another file: cases were added or
//     changed since, or the settings differ (k, quasi-identifiers,
//     tables). The difference of two such files is the few cases that
//     changed (a class of 12 where there were 11 is one new victim, with
//     every column of their row), and two partitions of the same victims
//     intersect into classes smaller than k.
//
// The same years, kind and bytes add nothing; years apart share no
// victim. Differentially private tables are bounded by the ε budget
// instead and may follow any release.
func (t *tx) checkOverlap(ctx context.Context, d *domain.NewRelease, sha string) error {
	rows, err := t.query(ctx, `SELECT kind, period_from, period_to, file_sha256 FROM releases
		WHERE epsilon_milli = 0 AND status <> ? AND period_from <= ? AND period_to >= ?`,
		domain.ReleaseRejected, d.To, d.From)
	if err != nil {
		return classify(err, "reading releases of the period")
	}
	defer rows.Close()
	for rows.Next() {
		var (
			kind       domain.ReleaseKind
			from, to   int
			earlierSHA string
		)
		if err := rows.Scan(&kind, &from, &to, &earlierSHA); err != nil {
			return classify(err, "reading releases of the period")
		}
		var pr domain.Problems
		switch {
		case domain.PartialOverlap(d.From, d.To, from, to):
			pr.Add("period_from", "validation.release_overlap", "a release of %d–%d exists: a release of %d–%d could be subtracted from it; choose the same years or years apart", from, to, d.From, d.To)
		case kind != d.Kind:
			pr.Add("kind", "validation.release_other_kind", "%s of %d–%d are already released or in review: %s of the same years could be compared with them (what one hides the other shows); publish these with differential privacy (ε), or reject the other release first", kind, from, to, d.Kind)
		case earlierSHA != sha:
			pr.Add("period_from", "validation.release_changed", "%s of %d–%d are already released or in review with other data or settings (cases added or changed since, or another k, quasi-identifiers or tables): the difference of the two files would single out the cases that changed; reject the earlier draft first, or publish tables with differential privacy (ε)", kind, from, to)
		default:
			continue
		}
		return pr.Err()
	}
	return classify(rows.Err(), "reading releases of the period")
}

// checkBudget refuses a draft that would take a year of its period over
// the budget.
func (t *tx) checkBudget(ctx context.Context, d *domain.NewRelease) error {
	maxMilli, err := t.epsilonBudget(ctx)
	if err != nil {
		return err
	}
	spent, err := t.spends(ctx, d.From, d.To)
	if err != nil {
		return err
	}
	err = disclosure.CheckBudget(maxMilli, spent, disclosure.Spend{From: d.From, To: d.To, Milli: d.EpsilonMilli})
	var b *disclosure.ErrBudget
	if errors.As(err, &b) {
		var pr domain.Problems
		pr.Add("epsilon", "validation.epsilon_budget", "%s", b.Error())
		return pr.Err()
	}
	return err
}

// spendsQuery reads the releases that spent ε on a period (to, from):
// releases_budget_idx holds only those.
const spendsQuery = `SELECT period_from, period_to, epsilon_milli FROM releases
	WHERE epsilon_milli > 0 AND period_from <= ? AND period_to >= ?`

// spends lists the ε spent by releases overlapping from..to.
func (t *tx) spends(ctx context.Context, from, to int) ([]disclosure.Spend, error) {
	rows, err := t.query(ctx, spendsQuery, to, from)
	if err != nil {
		return nil, classify(err, "reading the privacy budget")
	}
	defer rows.Close()
	var out []disclosure.Spend
	for rows.Next() {
		var s disclosure.Spend
		if err := rows.Scan(&s.From, &s.To, &s.Milli); err != nil {
			return nil, classify(err, "reading the privacy budget")
		}
		out = append(out, s)
	}
	return out, classify(rows.Err(), "reading the privacy budget")
}

// ReleaseBudgets is the ε spent on each year of from..to, and the budget.
func (db *DB) ReleaseBudgets(ctx context.Context, from, to int) ([]domain.ReleaseBudget, error) {
	var out []domain.ReleaseBudget
	err := db.read(ctx, func(t *tx) error {
		maxMilli, err := t.epsilonBudget(ctx)
		if err != nil {
			return err
		}
		spent, err := t.spends(ctx, from, to)
		if err != nil {
			return err
		}
		for y := from; y <= to; y++ {
			b := domain.ReleaseBudget{Year: y, MaxMilli: maxMilli}
			for _, s := range spent {
				if s.From <= y && y <= s.To {
					b.SpentMilli += s.Milli
				}
			}
			out = append(out, b)
		}
		return nil
	})
	return out, err
}

// releaseColumns are read by every query of a release, with the e-mails
// of the users of each step.
const releaseColumns = `r.id, r.kind, r.title, r.period_from, r.period_to, r.status, r.config, r.manifest, r.epsilon_milli,
	r.file_name, r.file_sha256, r.file_size, r.created_by, r.reviewed_by, r.reviewed_at, r.approved_by, r.approved_at,
	r.published_by, r.published_at, r.rejected_by, r.rejected_at, r.reject_reason, r.version, r.created_at, r.updated_at,
	uc.email, ur.email, ua.email, up.email, ux.email`

const releaseJoins = ` FROM releases r JOIN users uc ON uc.id = r.created_by LEFT JOIN users ur ON ur.id = r.reviewed_by
	LEFT JOIN users ua ON ua.id = r.approved_by LEFT JOIN users up ON up.id = r.published_by LEFT JOIN users ux ON ux.id = r.rejected_by`

func scanRelease(rows *sql.Rows) (*domain.Release, error) {
	var (
		r                                    domain.Release
		config, manifest                     string
		revBy, appBy, pubBy, rejBy           sql.NullString
		revAt, appAt, pubAt, rejAt, cre, upd dbTime
		emails                               [5]sql.NullString
	)
	dest := []any{&r.ID, &r.Kind, &r.Title, &r.From, &r.To, &r.State, &config, &manifest, &r.EpsilonMilli,
		&r.FileName, &r.FileSHA256, &r.FileSize, &r.CreatedBy, &revBy, &revAt, &appBy, &appAt, &pubBy, &pubAt,
		&rejBy, &rejAt, &r.RejectReason, &r.Version, &cre, &upd, &emails[0], &emails[1], &emails[2], &emails[3], &emails[4]}
	if err := rows.Scan(dest...); err != nil {
		return nil, classify(err, "reading release")
	}
	r.Config, r.Manifest = []byte(config), []byte(manifest)
	r.ReviewedBy, r.ApprovedBy, r.PublishedBy, r.RejectedBy = revBy.String, appBy.String, pubBy.String, rejBy.String
	r.ReviewedAt, r.ApprovedAt, r.PublishedAt, r.RejectedAt = revAt.t, appAt.t, pubAt.t, rejAt.t
	r.CreatedAt, r.UpdatedAt = cre.t, upd.t
	r.CreatedByEmail, r.ReviewedByEmail, r.ApprovedByEmail = emails[0].String, emails[1].String, emails[2].String
	r.PublishedByEmail, r.RejectedByEmail = emails[3].String, emails[4].String
	return &r, nil
}

func releaseByID(ctx context.Context, t *tx, id string) (*domain.Release, error) {
	notFound := domain.Errorf(domain.KindNotFound, "release %s does not exist", truncateID(id))
	if !isUUID(id) {
		return nil, notFound
	}
	rows, err := t.query(ctx, `SELECT `+releaseColumns+releaseJoins+` WHERE r.id = ?`, id)
	if err != nil {
		return nil, classify(err, "reading release")
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, classify(err, "reading release")
		}
		return nil, notFound
	}
	return scanRelease(rows)
}

func truncateID(id string) string {
	if len(id) > 40 {
		return id[:40] + "…"
	}
	return id
}

// Release reads a release (without its file).
func (db *DB) Release(ctx context.Context, id string) (*domain.Release, error) {
	var r *domain.Release
	err := db.read(ctx, func(t *tx) error {
		var err error
		r, err = releaseByID(ctx, t, id)
		return err
	})
	return r, err
}

// Releases lists releases, newest first, with the total.
func (db *DB) Releases(ctx context.Context, f domain.ReleaseFilter) ([]*domain.Release, int, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
	q, args, cq, cargs := releasesQuery(f)
	var (
		out   []*domain.Release
		total int
	)
	err := db.read(ctx, func(t *tx) error {
		if err := t.queryRow(ctx, cq, cargs...).Scan(&total); err != nil {
			return classify(err, "counting releases")
		}
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return classify(err, "listing releases")
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanRelease(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return classify(rows.Err(), "listing releases")
	})
	return out, total, err
}

// releasesQuery is the list's page: newest first, walking the primary
// key (or releases_status_idx for one status) for the page only; the
// total is a separate count on the same index, in the same snapshot.
func releasesQuery(f domain.ReleaseFilter) (page string, args []any, count string, cargs []any) {
	where := ""
	if f.Status != nil {
		where, cargs = ` WHERE r.status = ?`, []any{*f.Status}
	}
	page = `SELECT ` + releaseColumns + releaseJoins + where + ` ORDER BY r.id DESC LIMIT ? OFFSET ?`
	count = `SELECT COUNT(*) FROM releases r` + where
	return page, append(append([]any(nil), cargs...), f.Limit, f.Offset), count, cargs
}

// StepRelease moves a release one step (review, approve, publish,
// reject) at the version the actor saw; the domain's rules decide
// whether the actor may (an author never reviews or approves their own).
func (db *DB) StepRelease(ctx context.Context, id string, version int64, step domain.ReleaseStep, reason string) (*domain.Release, error) {
	p, err := releaseActor(ctx)
	if err != nil {
		return nil, err
	}
	var out *domain.Release
	err = db.write(ctx, func(t *tx) error {
		r, err := releaseByID(ctx, t, id)
		if err != nil {
			return err
		}
		if r.Version != version {
			return staleVersion("release "+r.Title, version, r.Version)
		}
		next, err := r.Next(step, p.UserID, reason)
		if err != nil {
			return err
		}
		col := map[domain.ReleaseStep]string{domain.StepReview: "reviewed", domain.StepApprove: "approved",
			domain.StepPublish: "published", domain.StepReject: "rejected"}[step]
		res, err := t.exec(ctx, `UPDATE releases SET status = ?, `+col+`_by = ?, `+col+`_at = ?, reject_reason = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			next, p.UserID, t.d.ts(t.now), releaseReason(step, reason, r.RejectReason), t.d.ts(t.now), id, version)
		if err := prevOneRow(res, err, "release"); err != nil {
			return err
		}
		if err := t.releaseAudit(ctx, domain.AuditUpdate, id, map[string]any{"step": string(step), "from": string(r.State),
			"to": string(next), "sha256": r.FileSHA256}); err != nil {
			return err
		}
		out, err = releaseByID(ctx, t, id)
		return err
	})
	return out, err
}

func releaseReason(step domain.ReleaseStep, reason, old string) string {
	if step == domain.StepReject {
		return reason
	}
	return old
}

// ReleaseFile returns a release with its file, after checking the bytes
// are those the release was made with, and writes the download in the
// audit log. Whether the reader may have it (a published release, or a
// coordinator) is the caller's decision.
func (db *DB) ReleaseFile(ctx context.Context, id string) (*domain.Release, []byte, error) {
	var (
		r    *domain.Release
		data []byte
	)
	err := db.write(ctx, func(t *tx) error {
		var err error
		if r, err = releaseByID(ctx, t, id); err != nil {
			return err
		}
		if err := t.queryRow(ctx, `SELECT data FROM release_files WHERE release_id = ?`, id).Scan(&data); err != nil {
			return classify(err, "reading the release file")
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != r.FileSHA256 {
			return domain.Errorf(domain.KindInternal, "release %s: the stored file does not match its SHA-256; it was altered", id)
		}
		return t.releaseAudit(ctx, domain.AuditExport, id, map[string]any{"status": string(r.State), "sha256": r.FileSHA256})
	})
	if err != nil {
		return nil, nil, err
	}
	return r, data, nil
}
