// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestSecondFactorUsedOnce sends the same TOTP step and the same recovery
// code from many requests at once: exactly one wins each time.
func TestSecondFactorUsedOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if _, err := db.EnsureAgency(ctx, "KIN", "Kinshasa"); err != nil {
			t.Fatal(err)
		}
		u := &domain.User{Email: "cw@kin.example", Agency: "KIN", Roles: []domain.Role{domain.RoleCaseworker}}
		if err := db.CreateUser(ctx, u, "$argon2id$placeholder"); err != nil {
			t.Fatal(err)
		}
		cred, err := db.Credentials(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		cred.TOTPSecret, cred.RecoveryCodes = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", []string{"h1", "h2", "h3"}
		if err := db.SetCredentials(ctx, cred); err != nil {
			t.Fatal(err)
		}
		race := func(fn func() error) int32 {
			var wins atomic.Int32
			var wg sync.WaitGroup
			for range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					err := fn()
					switch {
					case err == nil:
						wins.Add(1)
					case domain.KindOf(err) != domain.KindConflict:
						t.Errorf("unexpected error: %v", err)
					}
				}()
			}
			wg.Wait()
			return wins.Load()
		}
		if n := race(func() error { return db.UseTOTPStep(ctx, u.ID, 1000) }); n != 1 {
			t.Fatalf("one TOTP step was accepted %d times", n)
		}
		if err := db.UseTOTPStep(ctx, u.ID, 999); domain.KindOf(err) != domain.KindConflict {
			t.Fatalf("an older step after a newer one: %v", err)
		}
		if n := race(func() error { _, err := db.UseRecoveryCode(ctx, u.ID, "h2"); return err }); n != 1 {
			t.Fatalf("one recovery code was accepted %d times", n)
		}
		left, err := db.UseRecoveryCode(ctx, u.ID, "h3")
		if err != nil || left != 1 {
			t.Fatalf("after using two codes: %d left, %v", left, err)
		}
		if _, err := db.UseRecoveryCode(ctx, u.ID, "nope"); domain.KindOf(err) != domain.KindConflict {
			t.Fatalf("an unknown code: %v", err)
		}
	})
}
