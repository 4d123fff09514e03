// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"vigie/internal/domain"
)

// CreateSession stores a session by the hash of its token.
func (db *DB) CreateSession(ctx context.Context, s *domain.Session) error {
	return db.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `INSERT INTO sessions (token_hash, user_id, second_factor, created_at, last_seen, expires_at, addr) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			s.TokenHash, s.UserID, boolInt(s.SecondFactor), t.d.ts(s.CreatedAt), t.d.ts(s.LastSeen), t.d.ts(s.ExpiresAt), s.Addr)
		return classify(err, "creating session")
	})
}

// Session returns the session with this token hash; expiry is the
// caller's decision (it knows the time-outs).
func (db *DB) Session(ctx context.Context, hash []byte) (*domain.Session, error) {
	var s domain.Session
	err := db.read(ctx, func(t *tx) error {
		var sf int
		var c, l, e dbTime
		err := t.queryRow(ctx, `SELECT token_hash, user_id, second_factor, created_at, last_seen, expires_at, addr FROM sessions WHERE token_hash = ?`, hash).
			Scan(&s.TokenHash, &s.UserID, &sf, &c, &l, &e, &s.Addr)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.KindUnauthorized, "session expired or signed out")
		}
		if err != nil {
			return classify(err, "reading session")
		}
		s.SecondFactor, s.CreatedAt, s.LastSeen, s.ExpiresAt = sf != 0, c.t, l.t, e.t
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// TouchSession records activity, which pushes the idle time-out back.
func (db *DB) TouchSession(ctx context.Context, hash []byte, at time.Time) error {
	return db.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `UPDATE sessions SET last_seen = ? WHERE token_hash = ?`, t.d.ts(at), hash)
		return classify(err, "updating session")
	})
}

// DeleteSession signs one session out.
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error {
	return db.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hash)
		return classify(err, "signing out")
	})
}

// DeleteSessions signs a user out everywhere and returns how many
// sessions ended.
func (db *DB) DeleteSessions(ctx context.Context, userID string) (int, error) {
	var n int64
	err := db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
		if err != nil {
			return classify(err, "signing out")
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}

// CreateToken stores an API token by its hash.
func (db *DB) CreateToken(ctx context.Context, tk *domain.APIToken, hash []byte) error {
	return db.write(ctx, func(t *tx) error {
		tk.ID, tk.CreatedAt = newID(), t.now
		if tk.ExpiresAt.IsZero() {
			tk.ExpiresAt = t.now.Add(domain.DefaultTokenLifetime)
		}
		_, err := t.exec(ctx, `INSERT INTO api_tokens (id, token_hash, user_id, name, read_only, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			tk.ID, hash, tk.UserID, tk.Name, boolInt(tk.ReadOnly), t.d.ts(tk.CreatedAt), t.d.ts(tk.ExpiresAt))
		return classify(err, "creating token")
	})
}

const tokenSelect = `SELECT id, user_id, name, read_only, created_at, expires_at, last_used, revoked_at IS NOT NULL FROM api_tokens `

func scanTokens(rows *sql.Rows) ([]*domain.APIToken, error) {
	defer rows.Close()
	var out []*domain.APIToken
	for rows.Next() {
		var tk domain.APIToken
		var ro int
		var c, e dbTime
		var used dbTime
		if err := rows.Scan(&tk.ID, &tk.UserID, &tk.Name, &ro, &c, &e, &used, &tk.Revoked); err != nil {
			return nil, classify(err, "reading token")
		}
		tk.ReadOnly, tk.CreatedAt, tk.ExpiresAt = ro != 0, c.t, e.t
		if !used.t.IsZero() {
			u := used.t
			tk.LastUsed = &u
		}
		out = append(out, &tk)
	}
	return out, classify(rows.Err(), "reading tokens")
}

// TokenByHash returns the token with this hash (revoked and expired ones
// too: the caller refuses them and says why).
func (db *DB) TokenByHash(ctx context.Context, hash []byte) (*domain.APIToken, error) {
	var out []*domain.APIToken
	err := db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, tokenSelect+`WHERE token_hash = ?`, hash)
		if err != nil {
			return classify(err, "reading token")
		}
		out, err = scanTokens(rows)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, domain.Errorf(domain.KindUnauthorized, "unknown API token")
	}
	return out[0], nil
}

// Tokens lists a user's tokens.
func (db *DB) Tokens(ctx context.Context, userID string) ([]*domain.APIToken, error) {
	var out []*domain.APIToken
	err := db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, tokenSelect+`WHERE user_id = ? ORDER BY created_at DESC`, userID)
		if err != nil {
			return classify(err, "listing tokens")
		}
		out, err = scanTokens(rows)
		return err
	})
	return out, err
}

// RevokeToken revokes one of a user's tokens.
func (db *DB) RevokeToken(ctx context.Context, userID, id string) error {
	if !isUUID(id) {
		return domain.Errorf(domain.KindNotFound, "token %s does not exist", id)
	}
	return db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL`, t.d.ts(t.now), id, userID)
		if err != nil {
			return classify(err, "revoking token")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.Errorf(domain.KindNotFound, "token %s does not exist or is already revoked", id)
		}
		return nil
	})
}

// TouchToken records a token's use.
func (db *DB) TouchToken(ctx context.Context, id string, at time.Time) error {
	return db.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `UPDATE api_tokens SET last_used = ? WHERE id = ?`, t.d.ts(at), id)
		return classify(err, "updating token")
	})
}
