// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// Public releases of case data (issue 6): de-identified records or
// aggregate tables, made from the cases of a period, checked by a second
// person, approved and published. The file is made once, when the draft
// is, and kept byte for byte: what reviewers judged is what is published.

// ResRelease is the releases being prepared: drafts, their manifests and
// files, and the steps of their review.
const ResRelease Resource = "release"

// ResReleasePublished is the published releases and their files: public
// data by then, readable by every case role.
const ResReleasePublished Resource = "release.published"

// ReleaseKind is what a release holds.
type ReleaseKind string

const (
	// ReleaseRecords is record-level data in the CTDC Global Dataset
	// format, k-anonymous on its quasi-identifiers.
	ReleaseRecords ReleaseKind = "records"
	// ReleaseTables is aggregate tables, small cells suppressed or
	// differentially private.
	ReleaseTables ReleaseKind = "tables"
)

// ReleaseStatus is where a release is in its review.
type ReleaseStatus string

const (
	ReleaseDraft     ReleaseStatus = "draft"
	ReleaseReviewed  ReleaseStatus = "reviewed"
	ReleaseApproved  ReleaseStatus = "approved"
	ReleasePublished ReleaseStatus = "published"
	ReleaseRejected  ReleaseStatus = "rejected"
)

// ReleaseStep is one move of the workflow.
type ReleaseStep string

const (
	StepReview  ReleaseStep = "review"
	StepApprove ReleaseStep = "approve"
	StepPublish ReleaseStep = "publish"
	StepReject  ReleaseStep = "reject"
)

// ReleaseSteps lists the steps.
var ReleaseSteps = []ReleaseStep{StepReview, StepApprove, StepPublish, StepReject}

// Release bounds.
const (
	MinReleaseYear = 1990
	MaxReleaseYear = 2100
	// DefaultEpsilonBudget is the ε a year of cases may spend on all its
	// differentially private releases together, in thousandths.
	DefaultEpsilonBudget = 5000
)

// Release is a public release and its review.
type Release struct {
	Meta
	Kind  ReleaseKind   `json:"kind"`
	Title string        `json:"title"`
	From  int           `json:"period_from"` // years of registration, both included
	To    int           `json:"period_to"`
	State ReleaseStatus `json:"status"`
	// Config is how the release was made (anonymisation or table
	// parameters), as given.
	Config json.RawMessage `json:"config"`
	// Manifest is the risk and utility measures of the release, for the
	// reviewers.
	Manifest json.RawMessage `json:"manifest"`
	// EpsilonMilli is the ε the release spends, in thousandths (0 without
	// differential privacy).
	EpsilonMilli int64 `json:"epsilon_milli"`
	// The file, made with the draft and never changed afterwards.
	FileName   string `json:"file_name"`
	FileSHA256 string `json:"file_sha256"`
	FileSize   int64  `json:"file_size"`
	// Who did each step, and when.
	CreatedBy    string    `json:"created_by"`
	ReviewedBy   string    `json:"reviewed_by,omitempty"`
	ReviewedAt   time.Time `json:"reviewed_at,omitzero"`
	ApprovedBy   string    `json:"approved_by,omitempty"`
	ApprovedAt   time.Time `json:"approved_at,omitzero"`
	PublishedBy  string    `json:"published_by,omitempty"`
	PublishedAt  time.Time `json:"published_at,omitzero"`
	RejectedBy   string    `json:"rejected_by,omitempty"`
	RejectedAt   time.Time `json:"rejected_at,omitzero"`
	RejectReason string    `json:"reject_reason,omitempty"`
	// The e-mails of the users above, for display.
	CreatedByEmail   string `json:"created_by_email,omitempty"`
	ReviewedByEmail  string `json:"reviewed_by_email,omitempty"`
	ApprovedByEmail  string `json:"approved_by_email,omitempty"`
	PublishedByEmail string `json:"published_by_email,omitempty"`
	RejectedByEmail  string `json:"rejected_by_email,omitempty"`
}

// NewRelease is what a new release is made of: its description and
// the file already built.
type NewRelease struct {
	Kind         ReleaseKind
	Title        string
	From, To     int
	Config       json.RawMessage
	Manifest     json.RawMessage
	EpsilonMilli int64
	FileName     string
	File         []byte
}

// Validate checks the draft's description; today bounds its period.
func (d *NewRelease) Validate(today Date) error {
	var p Problems
	if d.Kind != ReleaseRecords && d.Kind != ReleaseTables {
		p.Add("kind", "validation.enum", "%q is not records or tables", truncate(string(d.Kind), 40))
	}
	d.Title = strings.TrimSpace(d.Title)
	if d.Title == "" {
		p.Add("title", "validation.required", "is required")
	}
	checkText(&p, "title", d.Title, MaxShortText)
	if d.From < MinReleaseYear || d.From > today.Year() {
		p.Add("period_from", "validation.range", "%d is not a year from %d to this year", d.From, MinReleaseYear)
	}
	if d.To < d.From || d.To > today.Year() {
		p.Add("period_to", "validation.range", "%d is not a year from %d to this year", d.To, d.From)
	}
	if d.EpsilonMilli < 0 {
		p.Add("epsilon", "validation.range", "must not be negative")
	}
	if len(d.File) == 0 || d.FileName == "" {
		p.Add("file", "validation.required", "the release has no file")
	} else if !plainFileName(d.FileName) {
		// The name is written into download headers and, by the command
		// line, as a path: no directory, quote or control character.
		p.Add("file", "validation.file_name", "%q is not a plain file name", truncate(d.FileName, 40))
	}
	return p.Err()
}

// plainFileName reports whether name is letters, digits, '.', '-' and
// '_' only, not starting with a dot: a name, never a path.
func plainFileName(name string) bool {
	if name == "" || len(name) > 100 || name[0] == '.' {
		return false
	}
	return strings.IndexFunc(name, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_')
	}) < 0
}

// Next is the status a step leads to from the release's status, and
// whether actor may take it: a release is reviewed and approved by
// someone other than its author (a second pair of eyes), and rejecting
// needs a reason. Published and rejected releases are final.
func (r *Release) Next(step ReleaseStep, actorID, reason string) (ReleaseStatus, error) {
	from := map[ReleaseStep]ReleaseStatus{StepReview: ReleaseDraft, StepApprove: ReleaseReviewed, StepPublish: ReleaseApproved}
	to := map[ReleaseStep]ReleaseStatus{StepReview: ReleaseReviewed, StepApprove: ReleaseApproved, StepPublish: ReleasePublished, StepReject: ReleaseRejected}
	next, ok := to[step]
	if !ok {
		return "", Errorf(KindInvalid, "%q is not a step of a release (review, approve, publish, reject)", truncate(string(step), 40))
	}
	if step == StepReject {
		if r.State == ReleasePublished || r.State == ReleaseRejected {
			return "", Errorf(KindConflict, "the release is %s: it cannot be rejected", r.State)
		}
		if strings.TrimSpace(reason) == "" {
			var p Problems
			p.Add("reason", "validation.required", "say why the release is rejected")
			return "", p.Err()
		}
		return next, nil
	}
	if r.State != from[step] {
		return "", Errorf(KindConflict, "the release is %s: only a %s release can be %sed", r.State, from[step], strings.TrimSuffix(string(step), "e"))
	}
	if (step == StepReview || step == StepApprove) && actorID == r.CreatedBy {
		return "", Errorf(KindForbidden, "the author of a release cannot %s it: a second person must", step)
	}
	return next, nil
}

// PartialOverlap reports whether two periods share some years without
// being the same: two exact releases (records, or suppressed tables) of
// such periods can be subtracted one from the other, giving the figures
// of the years one covers and the other does not — including counts that
// each release hides. Periods apart give nothing by subtraction; the same
// period does only when the two files differ (sqlstore's checkOverlap
// refuses that too). (Differentially private releases need no such rule:
// their budget adds up instead.)
func PartialOverlap(from, to, otherFrom, otherTo int) bool {
	overlap := from <= otherTo && otherFrom <= to
	return overlap && (from != otherFrom || to != otherTo)
}

// ReleaseFilter selects releases, newest first.
type ReleaseFilter struct {
	Status *ReleaseStatus
	Offset int
	Limit  int
}

// ReleaseBudget is the ε spent on one year of cases.
type ReleaseBudget struct {
	Year       int   `json:"year"`
	SpentMilli int64 `json:"spent_milli"`
	MaxMilli   int64 `json:"max_milli"`
}

// ReleaseService stores releases and moves them through their review.
type ReleaseService interface {
	CreateRelease(ctx context.Context, d *NewRelease) (*Release, error)
	Release(ctx context.Context, id string) (*Release, error)
	Releases(ctx context.Context, f ReleaseFilter) ([]*Release, int, error)
	StepRelease(ctx context.Context, id string, version int64, step ReleaseStep, reason string) (*Release, error)
	ReleaseFile(ctx context.Context, id string) (*Release, []byte, error)
}
