// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"slices"

	"vigie/internal/domain"
)

var _ domain.UserService = (*DB)(nil)

// userData is the JSON of users.data: what is not a column of its own.
type userData struct {
	Name  string        `json:"name,omitempty"`
	Roles []domain.Role `json:"roles"`
	Lang  string        `json:"lang,omitempty"`
}

// CreateUser stores a new user with a password hash (made by package
// auth); the e-mail must be unused and the agency must exist.
func (db *DB) CreateUser(ctx context.Context, u *domain.User, passwordHash string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if passwordHash == "" {
		return domain.Errorf(domain.KindInternal, "a user needs a password hash")
	}
	return db.write(ctx, func(t *tx) error {
		aid, err := agencyID(ctx, t, u.Agency)
		if err != nil {
			return err
		}
		data, err := json.Marshal(userData{u.Name, u.Roles, u.Lang})
		if err != nil {
			return domain.Wrap(domain.KindInternal, err, "encoding user")
		}
		u.ID, u.Version, u.CreatedAt, u.UpdatedAt, u.TOTPEnabled = newID(), 1, t.now, t.now, false
		_, err = t.exec(ctx, `INSERT INTO users (id, email, agency_id, data, disabled, password_hash, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.ID, u.Email, aid, data, boolInt(u.Disabled), passwordHash, u.Version, t.d.ts(t.now), t.d.ts(t.now))
		if domain.KindOf(classify(err, "")) == domain.KindConflict {
			return domain.Errorf(domain.KindConflict, "a user with e-mail %s already exists", u.Email)
		}
		if err != nil {
			return classify(err, "creating user")
		}
		e := domain.NewAuditEntry(ctx, domain.AuditPermission)
		e.Resource, e.RecordID, e.AgencyID = string(domain.ResUser), u.ID, aid
		e.Detail = map[string]any{"created": u.Email, "roles": u.Roles, "agency": u.Agency}
		return t.audit(ctx, e)
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

const userSelect = `SELECT u.id, u.email, a.code, a.id, u.data, u.disabled, u.totp_secret IS NOT NULL, u.version, u.created_at, u.updated_at
	FROM users u JOIN agencies a ON a.id = u.agency_id `

func scanUsers(rows *sql.Rows) ([]*domain.User, []string, error) {
	defer rows.Close()
	var out []*domain.User
	var agencyIDs []string
	for rows.Next() {
		var u domain.User
		var aid string
		var data []byte
		var disabled int
		var c, up dbTime
		if err := rows.Scan(&u.ID, &u.Email, &u.Agency, &aid, &data, &disabled, &u.TOTPEnabled, &u.Version, &c, &up); err != nil {
			return nil, nil, classify(err, "reading user")
		}
		var d userData
		if err := json.Unmarshal(data, &d); err != nil {
			return nil, nil, domain.Wrap(domain.KindInternal, err, "decoding user %s", u.ID)
		}
		u.Name, u.Roles, u.Lang, u.Disabled, u.CreatedAt, u.UpdatedAt = d.Name, d.Roles, d.Lang, disabled != 0, c.t, up.t
		out, agencyIDs = append(out, &u), append(agencyIDs, aid)
	}
	return out, agencyIDs, classify(rows.Err(), "reading users")
}

// User returns a user by ID or e-mail.
func (db *DB) User(ctx context.Context, ref string) (*domain.User, error) {
	u, _, err := db.userAndAgency(ctx, ref)
	return u, err
}

// UserByID returns a user and their agency.
func (db *DB) UserByID(ctx context.Context, id string) (*domain.User, *domain.Agency, error) {
	return db.userAndAgency(ctx, id)
}

func (db *DB) userAndAgency(ctx context.Context, ref string) (*domain.User, *domain.Agency, error) {
	var u *domain.User
	var a *domain.Agency
	err := db.read(ctx, func(t *tx) error {
		where, arg := `WHERE u.email = ?`, domain.NormalizeEmail(ref)
		if isUUID(ref) {
			where, arg = `WHERE u.id = ?`, ref
		}
		rows, err := t.query(ctx, userSelect+where, arg)
		if err != nil {
			return classify(err, "reading user")
		}
		list, _, err := scanUsers(rows)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return domain.Errorf(domain.KindNotFound, "user %s does not exist", truncateText(ref, 60))
		}
		u = list[0]
		a, err = agencyByCode(ctx, t, u.Agency)
		return err
	})
	return u, a, err
}

// Users lists the users of an agency (every user when code is empty).
func (db *DB) Users(ctx context.Context, code string) ([]*domain.User, error) {
	var out []*domain.User
	err := db.read(ctx, func(t *tx) error {
		q, args := userSelect+`ORDER BY u.email`, []any{}
		if code != "" {
			q, args = userSelect+`WHERE a.code = ? ORDER BY u.email`, []any{code}
		}
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return classify(err, "listing users")
		}
		out, _, err = scanUsers(rows)
		return err
	})
	return out, err
}

// UpdateUser changes a user's name, roles, agency and disabled flag if
// u.Version is the stored version. Disabling a user or changing their
// roles or agency signs them out everywhere.
func (db *DB) UpdateUser(ctx context.Context, u *domain.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		aid, err := agencyID(ctx, t, u.Agency)
		if err != nil {
			return err
		}
		if u.Lang == "" {
			// The language is the user's own choice (SetUserLang): an
			// update that does not name one keeps it.
			var old []byte
			if err := t.queryRow(ctx, `SELECT data FROM users WHERE id = ?`, u.ID).Scan(&old); err == nil {
				var d userData
				if json.Unmarshal(old, &d) == nil {
					u.Lang = d.Lang
				}
			}
		}
		data, err := json.Marshal(userData{u.Name, u.Roles, u.Lang})
		if err != nil {
			return domain.Wrap(domain.KindInternal, err, "encoding user")
		}
		res, err := t.exec(ctx, `UPDATE users SET agency_id = ?, data = ?, disabled = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, aid, data, boolInt(u.Disabled), t.d.ts(t.now), u.ID, u.Version)
		if err != nil {
			return classify(err, "updating user")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.Errorf(domain.KindConflict, "user %s was changed by someone else, or does not exist; reload it", u.Email)
		}
		u.Version++
		u.UpdatedAt = t.now
		if _, err = t.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
			return classify(err, "signing the user out")
		}
		e := domain.NewAuditEntry(ctx, domain.AuditPermission)
		e.Resource, e.RecordID, e.AgencyID = string(domain.ResUser), u.ID, aid
		e.Detail = map[string]any{"user": u.Email, "roles": u.Roles, "agency": u.Agency, "disabled": u.Disabled}
		return t.audit(ctx, e)
	})
}

// Credentials returns a user's secrets, the TOTP secrets opened.
func (db *DB) Credentials(ctx context.Context, userID string) (*domain.Credentials, error) {
	var c domain.Credentials
	err := db.read(ctx, func(t *tx) error {
		var secret, pending []byte
		var recovery string
		err := t.queryRow(ctx, `SELECT id, password_hash, totp_secret, totp_pending, totp_last_step, recovery FROM users WHERE id = ?`, userID).
			Scan(&c.UserID, &c.PasswordHash, &secret, &pending, &c.TOTPLastStep, &recovery)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.KindNotFound, "user %s does not exist", userID)
		}
		if err != nil {
			return classify(err, "reading credentials")
		}
		if c.TOTPSecret, err = db.openSmall(secret, "user/"+userID+"/totp"); err != nil {
			return err
		}
		if c.TOTPPending, err = db.openSmall(pending, "user/"+userID+"/totp-pending"); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(recovery), &c.RecoveryCodes); err != nil {
			return domain.Wrap(domain.KindInternal, err, "decoding recovery codes")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// SetCredentials stores a user's secrets; the TOTP secrets are sealed.
func (db *DB) SetCredentials(ctx context.Context, c *domain.Credentials) error {
	secret, err := db.sealSmall(c.TOTPSecret, "user/"+c.UserID+"/totp")
	if err != nil {
		return err
	}
	pending, err := db.sealSmall(c.TOTPPending, "user/"+c.UserID+"/totp-pending")
	if err != nil {
		return err
	}
	codes := c.RecoveryCodes
	if codes == nil {
		codes = []string{}
	}
	recovery, err := json.Marshal(codes)
	if err != nil {
		return domain.Wrap(domain.KindInternal, err, "encoding recovery codes")
	}
	return db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE users SET password_hash = ?, totp_secret = ?, totp_pending = ?, totp_last_step = ?, recovery = ?, updated_at = ? WHERE id = ?`,
			c.PasswordHash, secret, pending, c.TOTPLastStep, string(recovery), t.d.ts(t.now), c.UserID)
		if err != nil {
			return classify(err, "storing credentials")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.Errorf(domain.KindNotFound, "user %s does not exist", c.UserID)
		}
		return nil
	})
}

// sealSmall seals a short secret with a fresh data key and keeps the
// wrapped key in front of it: [2-byte length][wrapped key][sealed]. Empty
// stays NULL.
func (db *DB) sealSmall(plain, aad string) ([]byte, error) {
	if plain == "" {
		return nil, nil
	}
	key, err := db.newRecordKey()
	if err != nil {
		return nil, err
	}
	sealed, err := sealBytes(key.dek, []byte(plain), aad)
	if err != nil {
		return nil, err
	}
	out := binary.BigEndian.AppendUint16(nil, uint16(len(key.wrapped)))
	out = append(out, key.wrapped...)
	return append(out, sealed...), nil
}

func (db *DB) openSmall(b []byte, aad string) (string, error) {
	if len(b) == 0 {
		return "", nil
	}
	if len(b) < 2 || int(binary.BigEndian.Uint16(b))+2 > len(b) {
		return "", domain.Errorf(domain.KindInternal, "%s is malformed", aad)
	}
	n := int(binary.BigEndian.Uint16(b))
	dek, err := db.unwrap(b[2:2+n], aad)
	if err != nil {
		return "", err
	}
	plain, err := openBytes(dek, b[2+n:], aad)
	return string(plain), err
}

// splitSmall returns the wrapped key and the rest of a sealSmall value,
// for key rotation.
func splitSmall(b []byte) (wrapped, rest []byte, ok bool) {
	if len(b) < 2 || int(binary.BigEndian.Uint16(b))+2 > len(b) {
		return nil, nil, false
	}
	n := int(binary.BigEndian.Uint16(b))
	return b[2 : 2+n], b[2+n:], true
}

// joinSmall is the inverse of splitSmall.
func joinSmall(wrapped, rest []byte) []byte {
	out := binary.BigEndian.AppendUint16(nil, uint16(len(wrapped)))
	return append(append(out, wrapped...), rest...)
}

// UseTOTPStep records that a TOTP code of this time step was used. Two
// requests with the same code race here and only one wins: the other gets
// a conflict, so a code works once even under concurrent replays.
func (db *DB) UseTOTPStep(ctx context.Context, userID string, step int64) error {
	return db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, userID, step)
		if err != nil {
			return classify(err, "recording the second factor")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.Errorf(domain.KindConflict, "this code was already used")
		}
		return nil
	})
}

// UseRecoveryCode removes a recovery code (by hash) if it is still
// unused, and returns how many remain; a code already used, or used by a
// concurrent request, is a conflict.
func (db *DB) UseRecoveryCode(ctx context.Context, userID, hash string) (int, error) {
	left := 0
	err := db.write(ctx, func(t *tx) error {
		var cur string
		if err := t.queryRow(ctx, `SELECT recovery FROM users WHERE id = ?`, userID).Scan(&cur); err != nil {
			return classify(err, "reading recovery codes")
		}
		var codes []string
		if err := json.Unmarshal([]byte(cur), &codes); err != nil {
			return domain.Wrap(domain.KindInternal, err, "decoding recovery codes")
		}
		i := slices.Index(codes, hash)
		if i < 0 {
			return domain.Errorf(domain.KindConflict, "this recovery code is unknown or already used")
		}
		codes = slices.Delete(codes, i, i+1)
		next, err := json.Marshal(codes)
		if err != nil {
			return domain.Wrap(domain.KindInternal, err, "encoding recovery codes")
		}
		res, err := t.exec(ctx, `UPDATE users SET recovery = ? WHERE id = ? AND recovery = ?`, string(next), userID, cur)
		if err != nil {
			return classify(err, "using a recovery code")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.Errorf(domain.KindConflict, "this recovery code is unknown or already used")
		}
		left = len(codes)
		return nil
	})
	return left, err
}

// SetUserLang records the language a user chose for the pages. Only "fr"
// and "en" are kept; the rest of users.data is rewritten as read, in the
// same transaction, so a concurrent change of roles is not undone.
func (db *DB) SetUserLang(ctx context.Context, userID, lang string) error {
	if lang != "fr" && lang != "en" {
		return domain.Errorf(domain.KindInvalid, "lang: %q is not fr or en", lang)
	}
	return db.write(ctx, func(t *tx) error {
		var data []byte
		if err := t.queryRow(ctx, `SELECT data FROM users WHERE id = ?`, userID).Scan(&data); err != nil {
			return classify(err, "reading user")
		}
		var d userData
		if err := json.Unmarshal(data, &d); err != nil {
			return domain.Wrap(domain.KindInternal, err, "decoding user %s", userID)
		}
		if d.Lang == lang {
			return nil
		}
		d.Lang = lang
		out, err := json.Marshal(d)
		if err != nil {
			return domain.Wrap(domain.KindInternal, err, "encoding user")
		}
		_, err = t.exec(ctx, `UPDATE users SET data = ? WHERE id = ?`, out, userID)
		return classify(err, "saving the language")
	})
}
