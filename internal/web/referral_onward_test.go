// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestReferredAgencyCannotReferOnward: an agency a case was referred to
// works on it and answers the referral, but may not send the victim's
// file on to a third agency, neither through the page nor a forged post.
func TestReferredAgencyCannotReferOnward(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e, c, _, gom := referredToGOM(t, db)
		gomSup := staff(t, e, "sup@gom.example", "GOM", domain.RoleSupervisor)
		if _, err := db.EnsureAgency(context.Background(), "LUB", "Foyer de Lubumbashi"); err != nil {
			t.Fatal(err)
		}
		base := "/cases/" + c.Number

		for _, u := range []*browser{gom, gomSup} {
			page := u.get(t, base)
			want(t, page, http.StatusOK, "GOM reads the referred case")
			mustNotContain(t, page, "GOM's case page", `href="`+base+`/refer"`)
			want(t, u.get(t, base+"/refer"), http.StatusForbidden, "GOM's referral form")
			want(t, u.postForm(t, base+"/refer", url.Values{"vig_ReferredAgency": {"LUB"}}), http.StatusForbidden, "GOM forging an onward referral")
		}
		if n := len(caseNow(t, db, c.Number).Referrals); n != 1 {
			t.Fatalf("%d referrals on the case, want the one KIN sent", n)
		}
		// Answering is still GOM's to do.
		id := find(t, acceptRe, gom.get(t, "/referrals").body)
		want(t, gom.postForm(t, base+"/referrals/"+id+"/accept", url.Values{}), http.StatusOK, "GOM accepts")
	})
}

// TestReferredAgencyRecordsNoConsent: the agency a case is referred to
// neither sees the consent link nor gets the consent form, and its post
// is refused: its consent, recorded after the victim withdrew, reopened
// the owner's referrals. The owner's page keeps them.
func TestReferredAgencyRecordsNoConsent(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		_, c, kin, gom := referredToGOM(t, db)
		base := "/cases/" + c.Number
		page := gom.get(t, base)
		want(t, page, http.StatusOK, "GOM reads the referred case")
		mustNotContain(t, page, "GOM's case page", `href="`+base+`/consent"`)
		want(t, gom.get(t, base+"/consent"), http.StatusForbidden, "GOM's consent form")
		want(t, gom.postForm(t, base+"/consent", url.Values{"con_Consent": {"yes"}}), http.StatusForbidden, "GOM forging a consent")
		want(t, kin.get(t, base+"/consent"), http.StatusOK, "KIN's consent form")
	})
}
