// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"strings"
	"testing"
)

func TestReleaseNext(t *testing.T) {
	const author, other = "u-author", "u-other"
	tests := []struct {
		name   string
		state  ReleaseStatus
		step   ReleaseStep
		actor  string
		reason string
		want   ReleaseStatus
		kind   Kind
	}{
		{"review by a second person", ReleaseDraft, StepReview, other, "", ReleaseReviewed, ""},
		{"the author cannot review", ReleaseDraft, StepReview, author, "", "", KindForbidden},
		{"the author cannot approve", ReleaseReviewed, StepApprove, author, "", "", KindForbidden},
		{"approve", ReleaseReviewed, StepApprove, other, "", ReleaseApproved, ""},
		{"publish, by anyone allowed", ReleaseApproved, StepPublish, author, "", ReleasePublished, ""},
		{"no skipping review", ReleaseDraft, StepApprove, other, "", "", KindConflict},
		{"no publishing a draft", ReleaseDraft, StepPublish, other, "", "", KindConflict},
		{"no publishing twice", ReleasePublished, StepPublish, other, "", "", KindConflict},
		{"reject needs a reason", ReleaseReviewed, StepReject, other, " ", "", KindInvalid},
		{"reject", ReleaseApproved, StepReject, author, "counts too low", ReleaseRejected, ""},
		{"a published release stays", ReleasePublished, StepReject, other, "oops", "", KindConflict},
		{"unknown step", ReleaseDraft, "erase", other, "", "", KindInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Release{State: tt.state, CreatedBy: author}
			got, err := r.Next(tt.step, tt.actor, tt.reason)
			if KindOf(err) != tt.kind && !(err == nil && tt.kind == "") {
				t.Fatalf("error %v (kind %s), want kind %q", err, KindOf(err), tt.kind)
			}
			if got != tt.want {
				t.Fatalf("next %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReleaseGrants(t *testing.T) {
	for _, r := range Roles {
		draft := Allowed([]Role{r}, ResRelease, ActCreate)
		read := Allowed([]Role{r}, ResReleasePublished, ActRead)
		switch r {
		case RoleCoordinator:
			if draft != ScopeAll || read != ScopeAll {
				t.Errorf("coordinators: draft %v, read %v", draft, read)
			}
		case RoleAdmin:
			if draft != ScopeNone || read != ScopeNone {
				t.Errorf("admins have no part in releases: draft %v, read %v", draft, read)
			}
		default:
			if draft != ScopeNone || read != ScopeAll || Allowed([]Role{r}, ResRelease, ActRead) != ScopeNone {
				t.Errorf("%s reads published releases only: draft %v, read %v", r, draft, read)
			}
		}
	}
}

func TestPartialOverlap(t *testing.T) {
	for _, c := range []struct {
		a, b [2]int
		want bool
	}{
		{[2]int{2024, 2025}, [2]int{2025, 2025}, true},
		{[2]int{2020, 2025}, [2]int{2022, 2023}, true},
		{[2]int{2024, 2025}, [2]int{2024, 2025}, false},
		{[2]int{2024, 2024}, [2]int{2025, 2025}, false},
		{[2]int{2020, 2023}, [2]int{2023, 2026}, true},
	} {
		if got := PartialOverlap(c.a[0], c.a[1], c.b[0], c.b[1]); got != c.want {
			t.Errorf("%v and %v: %v, want %v", c.a, c.b, got, c.want)
		}
		if got := PartialOverlap(c.b[0], c.b[1], c.a[0], c.a[1]); got != c.want {
			t.Errorf("%v and %v (swapped): %v, want %v", c.b, c.a, got, c.want)
		}
	}
}

// A release's file name goes into download headers and, from the command
// line, into a path: only a plain name is accepted.
func TestNewReleaseFileName(t *testing.T) {
	today := NewDate(2026, 6, 1)
	for name, ok := range map[string]bool{
		"vigie-records-2025.zip":     true,
		"vigie_tables-2024-2025.zip": true,
		"../../etc/cron.d/x":         false,
		"/tmp/x.zip":                 false,
		`a".zip`:                     false,
		"a\r\nSet-Cookie: x=1":       false,
		".hidden.zip":                false,
		"..":                         false,
		"dossier\\fichier.zip":       false,
		"données.zip":                false,
		strings.Repeat("a", 101):     false,
	} {
		d := &NewRelease{Kind: ReleaseTables, Title: "t", From: 2025, To: 2025, FileName: name, File: []byte{1}}
		err := d.Validate(today)
		if (err == nil) != ok {
			t.Errorf("%q: %v", name, err)
		}
		if !ok && (len(FieldErrors(err)) != 1 || FieldErrors(err)[0].Field != "file") {
			t.Errorf("%q: field errors %+v", name, FieldErrors(err))
		}
	}
}
