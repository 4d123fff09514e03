// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

var suspectNumberRe = regexp.MustCompile(`[A-Z]+-S-\d{4}-\d{6}`)

// TestSuspectLinkedToTwoVictims: a caseworker registers, from a first
// victim's case, the man she names, with his role and relation; from a
// second victim's case she finds him by another spelling of his name and
// links him too; he shows on both case pages, and his page lists both
// cases. JavaScript stays off: every step is a plain form. The
// coordinator's registry counts him without naming him. Every page
// passes axe.
func TestSuspectLinkedToTwoVictims(t *testing.T) {
	e := newEnv(t, envOptions{})
	first := e.newCase(t, "DEMOMAS", "Neema", "Bisimwa")
	second := e.newCase(t, "DEMOMAS", "Furaha", "Kavira")

	cw := newTab(t, e)
	cw.noScript()
	cw.signInAs(e.accounts["caseworker"])
	cw.open("/cases/" + first)
	cw.wantText("the first case", "Aucun suspect n’est lié à ce dossier.")
	cw.follow("/suspects/new?case=" + first)
	cw.axe("suspect form")
	cw.fill("f-first_name", "Joseph", "f-last_name", "Tshibanda", "f-aliases", "Le Colonel", "f-citizenship", "CD",
		"f-doc_number_0", "CD-77-123", "f-description", "Grand, cicatrice à la joue gauche")
	cw.pick("gender", "Masculine")
	cw.pick("doc_type_0", "NationalID")
	cw.setField("f-birthdate", "1979-04-12")
	cw.submit(`main form[action="/suspects"] button`)
	number := suspectNumberRe.FindString(cw.path())
	if number == "" || !strings.Contains(cw.path(), "/link") {
		t.Fatalf("after registering: %s", cw.path())
	}
	cw.axe("link form")
	if got := cw.value("f-case_number"); got != first {
		t.Fatalf("the link form offers case %q, want %s", got, first)
	}
	cw.pick("roles", "RecruiterOrIntermediary")
	cw.pick("roles", "Transporter")
	cw.pick("relation", "FriendAcquaintance")
	cw.fill("f-organisation", "Réseau du fleuve")
	cw.submit(`main form[action$="/links"] button`)
	cw.wantText("the first case with its suspect", number, "Joseph Tshibanda", "Recruteur ou intermédiaire", "Ami ou connaissance", "Réseau du fleuve")
	cw.axe("case page with a suspect")
	cw.shoot("case-suspects-fr")

	// The second victim names "Josef Tchibanda".
	cw.open("/cases/" + second)
	cw.fill("suspect-find", "Josef Tchibanda")
	cw.submit(`#suspects form button`)
	cw.wantText("the search", number, "Joseph Tshibanda")
	cw.axe("suspect search from a case")
	cw.follow("/suspects/" + number + "/link?case=" + second)
	cw.pick("roles", "Exploiter")
	cw.submit(`main form[action$="/links"] button`)
	cw.wantText("the second case with its suspect", number, "Joseph Tshibanda", "Exploiteur")

	cw.open("/suspects/" + number)
	cw.wantText("his page", first, second, "Le Colonel", "CD-77-123")
	cw.axe("suspect page")
	cw.shoot("suspect-fr")
	cw.open("/suspects")
	cw.wantText("the registry", number, "Joseph Tshibanda")
	cw.axe("registry")
	cw.shoot("suspects-fr")

	s, err := e.db.Suspect(context.Background(), number)
	if err != nil || len(s.Links) != 2 {
		t.Fatalf("stored: %+v %v", s, err)
	}
	cw.open("/suspects/" + number + "/links/" + s.Links[0].ID + "/edit")
	cw.axe("link edit form")

	coord := newTab(t, e)
	coord.signInAs(e.accounts["coordinator"])
	coord.open("/suspects")
	coord.wantText("the coordinator's counts", "Masculin")
	if html := coord.html(); strings.Contains(html, "Tshibanda") || strings.Contains(html, number) {
		t.Fatal("the coordinator's registry names him")
	}
	coord.axe("registry counts")

	// The police of another agency do not reach him.
	jus := newTab(t, e)
	jus.signInAs(e.accounts["justice"])
	jus.open("/suspects/" + number)
	jus.wantText("another agency", "n’existe pas ou ne vous est pas accessible")
	if html := jus.html(); strings.Contains(html, "Tshibanda") {
		t.Fatal("another agency's justice user reads him")
	}
}
