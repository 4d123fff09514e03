// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"strings"
	"testing"
)

// TestSignInAndRead walks a caseworker through the first pages in French,
// then in English and back: sign-in refused with a wrong password and a
// wrong code, then accepted; home, case list, a case; sign-out. Every
// page is checked with axe-core and photographed.
func TestSignInAndRead(t *testing.T) {
	e := newEnv(t, envOptions{})
	b := newTab(t, e)
	cw := e.accounts["caseworker"]

	b.open("/sign-in")
	b.axe("sign-in")
	b.shoot("signin-fr")

	b.fill("email", cw.Email, "password", "mauvais-mot-de-passe-42")
	b.submit("main form button")
	b.wantText("a wrong password", "Adresse e-mail ou mot de passe incorrect.")
	b.axe("sign-in with an error")
	if v := b.value("email"); v != cw.Email {
		t.Errorf("the refused form kept e-mail %q, want %q", v, cw.Email)
	}

	b.fill("password", cw.Password)
	b.submit("main form button")
	if p := b.path(); p != "/sign-in/code" {
		t.Fatalf("the password led to %s", p)
	}
	b.axe("code")
	b.shoot("code-fr")
	good := b.code(cw)
	b.fill("code", wrongCode(good))
	b.submit("main form button")
	b.wantText("a wrong code", "Code incorrect")
	if p := b.path(); p != "/sign-in/code" {
		t.Fatalf("a wrong code led to %s", p)
	}
	b.fill("code", good)
	b.submit("main form button")
	if p := b.path(); p != "/" {
		t.Fatalf("the code led to %s", p)
	}
	b.axe("home")
	b.shoot("home-fr")

	b.submit(`header nav a[href="/cases"]`)
	b.wantText("the case list", "Dossiers")
	b.axe("case list")
	b.shoot("cases-fr")

	number := e.firstCase(t, cw.Agency)
	b.follow("/cases/" + number)
	b.wantText("the case page", number)
	b.axe("case page")
	b.shoot("case-fr")

	// FR → EN on the case page, and the language follows to other pages.
	b.submit("header a.lang")
	if l := b.lang(); l != "en" {
		t.Fatalf("after the switch the page is %q", l)
	}
	if p := b.path(); p != "/cases/"+number {
		t.Errorf("the switch led to %s, want the same page", p)
	}
	b.wantText("the case page in English", number, "Sign out")
	b.axe("case page, English")
	b.shoot("case-en")
	b.submit(`header nav a[href="/cases"]`)
	b.wantText("the case list in English", "Cases")
	b.shoot("cases-en")
	b.submit(`header nav a[href="/"]`)
	b.shoot("home-en")
	b.submit("header a.lang")
	if l := b.lang(); l != "fr" {
		t.Fatalf("after switching back the page is %q", l)
	}
	b.wantText("home in French again", "Se déconnecter")

	b.signOut()
	b.open("/cases")
	if p := b.path(); p != "/sign-in" {
		t.Errorf("after sign-out /cases led to %s", p)
	}
	b.submit("header a.lang")
	b.shoot("signin-en")
}

// TestSignInWithoutJavaScript: the same sign-in, list and case with
// JavaScript switched off — every core page is a plain form or link.
func TestSignInWithoutJavaScript(t *testing.T) {
	e := newEnv(t, envOptions{})
	b := newTab(t, e)
	b.noScript()
	sh := e.accounts["shelter"]
	b.signInAs(sh)
	b.submit(`header nav a[href="/cases"]`)
	number := e.firstCase(t, sh.Agency)
	b.follow("/cases/" + number)
	b.wantText("the case page without JavaScript", number)
	b.signOut()
}

// TestDemoMode: in demo mode every page carries the banner, and the code
// page shows the current code, which signs in.
func TestDemoMode(t *testing.T) {
	e := newEnv(t, envOptions{demo: true})
	b := newTab(t, e)
	sv := e.accounts["supervisor"]
	b.open("/sign-in")
	b.wantText("the demo banner", "Données de démonstration")
	b.fill("email", sv.Email, "password", sv.Password)
	b.submit("main form button")
	b.axe("code page, demo")
	b.shoot("code-demo-fr")
	shown := b.text("#demo-code")
	if len(shown) != 6 || strings.Trim(shown, "0123456789") != "" {
		t.Fatalf("the demo code %q is not six digits", shown)
	}
	b.fill("code", shown)
	b.submit("main form button")
	if p := b.path(); p != "/" {
		t.Fatalf("the demo code led to %s", p)
	}
	b.wantText("home, demo", "Données de démonstration")
	if strings.Contains(b.html(), `id="demo-code"`) {
		t.Error("the demo code shows beyond the code page")
	}
	b.axe("home, demo")
	b.shoot("home-demo-fr")
}

// wrongCode is a six-digit code that is not c.
func wrongCode(c string) string {
	return string('0'+(c[0]-'0'+1)%10) + c[1:]
}
