// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Kind classifies an error so that every surface (HTTP, CLI, imports) can
// react to it the same way. The mapping from kind to HTTP status and exit
// code lives in one place: Kind.HTTPStatus and Kind.ExitCode.
type Kind string

const (
	KindInvalid      Kind = "invalid"                // the input breaks a rule; the caller can fix it
	KindNotFound     Kind = "not_found"              // the record does not exist (or is not visible)
	KindConflict     Kind = "conflict"               // stale version or uniqueness violation
	KindForbidden    Kind = "forbidden"              // authenticated but not allowed
	KindUnauthorized Kind = "unauthorized"           // not authenticated
	KindTooLarge     Kind = "too_large"              // body or file over the limit
	KindMediaType    Kind = "unsupported_media_type" // a body in a type the route does not read
	KindMethod       Kind = "method_not_allowed"     // a route that exists, asked with another method
	KindTooMany      Kind = "too_many"               // too many attempts; retry later
	KindUnavailable  Kind = "unavailable"            // a dependency (database) cannot be reached
	KindInternal     Kind = "internal"               // a bug or an unexpected failure; details only in logs
)

// HTTPStatus is the one table from error kind to HTTP status code.
func (k Kind) HTTPStatus() int {
	switch k {
	case KindInvalid:
		return 422
	case KindNotFound:
		return 404
	case KindConflict:
		return 409
	case KindForbidden:
		return 403
	case KindUnauthorized:
		return 401
	case KindTooLarge:
		return 413
	case KindMediaType:
		return 415
	case KindMethod:
		return 405
	case KindTooMany:
		return 429
	case KindUnavailable:
		return 503
	}
	return 500
}

// Exit codes of the vigie command. Usage errors are reported by the CLI
// layer itself (flag parsing) with ExitUsage.
const (
	ExitOK       = 0
	ExitInternal = 1
	ExitUsage    = 2
	ExitInvalid  = 3
	ExitNotFound = 4
	ExitConflict = 5
	ExitDenied   = 6
	ExitUnavail  = 7
)

// ExitCode is the one table from error kind to process exit code.
func (k Kind) ExitCode() int {
	switch k {
	case KindInvalid, KindTooLarge, KindMediaType:
		return ExitInvalid
	case KindNotFound:
		return ExitNotFound
	case KindConflict:
		return ExitConflict
	case KindForbidden, KindUnauthorized, KindTooMany:
		return ExitDenied
	case KindMethod:
		return ExitUsage
	case KindUnavailable:
		return ExitUnavail
	}
	return ExitInternal
}

// FieldError says what is wrong with one field. Code is a stable
// translation key (for example "validation.date_in_future"); Message is a
// plain English explanation for logs, CLIs and API clients.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error is the application error. Message is safe to show to any user;
// the wrapped cause is for logs only.
type Error struct {
	Kind    Kind
	Message string
	Fields  []FieldError
	cause   error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Field)
		b.WriteString(": ")
		b.WriteString(f.Message)
	}
	if e.cause != nil {
		b.WriteString(" (")
		b.WriteString(e.cause.Error())
		b.WriteString(")")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.cause }

// Errorf builds an error of the given kind with a safe message.
func Errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Wrap attaches an internal cause to a safe message.
func Wrap(kind Kind, cause error, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...), cause: cause}
}

// KindOf returns the kind of err, KindInternal for errors that carry none.
func KindOf(err error) Kind {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// SafeMessage is what a user may see for err: the message of a domain
// error, or a generic sentence for anything else.
func SafeMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Kind != KindInternal {
		return e.Message
	}
	return "internal error"
}

// FieldErrors returns the per-field details of err, if any, looking
// through wrapping errors for the first that has them.
func FieldErrors(err error) []FieldError {
	for err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return nil
		}
		if len(e.Fields) > 0 {
			return e.Fields
		}
		err = e.cause
	}
	return nil
}

// Problems accumulates field errors during validation.
type Problems []FieldError

// Add records one problem.
func (p *Problems) Add(field, code, format string, args ...any) {
	*p = append(*p, FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
}

// Prefix returns the problems of a nested object with their fields
// prefixed, e.g. "person.prs_Birthdate".
func (p *Problems) Merge(prefix string, other Problems) {
	for _, f := range other {
		f.Field = prefix + f.Field
		*p = append(*p, f)
	}
}

// Err returns nil when there is no problem, else an invalid-kind error.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Kind: KindInvalid, Message: "invalid data", Fields: p}
}

// Assigned adds a problem for each value of m that only Vigie sets (ID,
// version, timestamps), so that a caller who sends one is told rather than
// silently overruled; prefix names the record in the document.
func (p *Problems) Assigned(m Meta, prefix string) {
	if m.ID != "" {
		p.Add(prefix+"id", "validation.assigned", "is assigned by Vigie; leave it out")
	}
	if m.Version != 0 {
		p.Add(prefix+"version", "validation.assigned", "is assigned by Vigie; leave it out")
	}
	if !m.CreatedAt.IsZero() || !m.UpdatedAt.IsZero() {
		p.Add(prefix+"created_at", "validation.assigned", "timestamps are assigned by Vigie; leave them out")
	}
}

// NewCaseAssigned refuses, in a case to be created, what Vigie assigns:
// the case's and its parts' IDs, versions and timestamps, and the case
// number. The API and vigie case add both call it.
func NewCaseAssigned(c *Case) error {
	var p Problems
	p.Assigned(c.Meta, "")
	if c.Number != "" {
		p.Add("case_number", "validation.assigned", "is assigned by Vigie; leave it out")
	}
	if len(c.Warnings) > 0 {
		p.Add("warnings", "validation.assigned", "are Vigie's answer (possible duplicates); leave them out")
	}
	for _, kind := range PartKinds {
		for i, part := range c.Parts(kind) {
			p.Assigned(*part.PartMeta(), string(kind)+"["+strconv.Itoa(i)+"].")
		}
	}
	return p.Err()
}
