// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"vigie/internal/domain"
)

// flatten spreads c over the flat columns (see the package documentation
// for the encoding). It does not modify c.
func flatten(c *domain.Case) (*flat, error) {
	f := &flat{c: c}
	var err error
	events := c.Events
	if len(events) > 0 && events[0] != nil && !emptyEvent(events[0]) {
		f.event = *events[0]
		f.event.Meta = domain.Meta{}
		if events[0].Meta != (domain.Meta{}) {
			if f.eventMeta, err = marshal(events[0].Meta); err != nil {
				return nil, err
			}
		}
		events = events[1:]
	}
	if f.events, err = marshalList(events); err != nil {
		return nil, err
	}

	if in := firstReferral(c.Referrals, domain.ReferralIncoming); in != nil {
		f.in = incomingFields(in)
	}
	if out := firstReferral(c.Referrals, domain.ReferralOutgoing); out != nil {
		f.out = outgoingFields(out)
	}
	if !sameJSON(c.Referrals, referralsFromColumns(f.in, f.out)) {
		if f.referrals, err = marshalList(c.Referrals); err != nil {
			return nil, err
		}
	}

	if l := latestConsent(c.Consents); l != nil {
		f.consent = &l.Consent
	}
	if !sameJSON(c.Consents, consentsFromColumn(f.consent)) {
		if f.consents, err = marshalList(c.Consents); err != nil {
			return nil, err
		}
	}

	if f.supportPlans, err = marshalList(c.SupportPlans); err != nil {
		return nil, err
	}
	if f.comments, err = marshalList(c.Comments); err != nil {
		return nil, err
	}
	if f.perpetrators, err = marshalList(c.Perpetrators); err != nil {
		return nil, err
	}
	return f, nil
}

// emptyEvent reports whether an event has nothing that the hte_ columns
// could carry; such an event goes to vig_Events with the others.
func emptyEvent(e *domain.Event) bool {
	x := *e
	x.Meta = domain.Meta{}
	return sameJSON(&x, &domain.Event{})
}

func firstReferral(rs []*domain.Referral, direction string) *domain.Referral {
	for _, r := range rs {
		if r != nil && r.Direction == direction {
			return r
		}
	}
	return nil
}

// incomingFields keeps the fields of an incoming referral that have
// columns; outgoingFields likewise.
func incomingFields(r *domain.Referral) domain.Referral {
	return domain.Referral{
		Direction:                  domain.ReferralIncoming,
		ReferringOrganisation:      r.ReferringOrganisation,
		IncomingReferralDate:       r.IncomingReferralDate,
		ReferringPrimaryCaseWorker: r.ReferringPrimaryCaseWorker,
		ReasonForIncomingReferral:  r.ReasonForIncomingReferral,
		IncomingReferralDetails:    r.IncomingReferralDetails,
	}
}

func outgoingFields(r *domain.Referral) domain.Referral {
	return domain.Referral{
		Direction:                 domain.ReferralOutgoing,
		ReferredOrganisation:      r.ReferredOrganisation,
		ReferredPrimaryCaseWorker: r.ReferredPrimaryCaseWorker,
		ReasonForOutgoingReferral: r.ReasonForOutgoingReferral,
		OutgoingReferralDate:      r.OutgoingReferralDate,
		OutgoingReferralDetails:   r.OutgoingReferralDetails,
	}
}

// referralsFromColumns is the list of referrals that the cas_ referral
// columns stand for: the incoming one, then the outgoing one, each only if
// one of its columns is filled.
func referralsFromColumns(in, out domain.Referral) []*domain.Referral {
	var rs []*domain.Referral
	if in != (domain.Referral{Direction: in.Direction}) {
		in.Direction = domain.ReferralIncoming
		rs = append(rs, &in)
	}
	if out != (domain.Referral{Direction: out.Direction}) {
		out.Direction = domain.ReferralOutgoing
		rs = append(rs, &out)
	}
	return rs
}

// latestConsent is the consent with the latest date; on a tie (or without
// dates) the later in the list.
func latestConsent(cs []*domain.Consent) *domain.Consent {
	var best *domain.Consent
	for _, c := range cs {
		if c != nil && (best == nil || !c.Date.Before(best.Date)) {
			best = c
		}
	}
	return best
}

func consentsFromColumn(v *bool) []*domain.Consent {
	if v == nil {
		return nil
	}
	return []*domain.Consent{{Consent: *v}}
}

func marshal(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", domain.Wrap(domain.KindInvalid, err, "cannot encode a part as JSON")
	}
	return string(b), nil
}

func marshalList[T any](list []T) (string, error) {
	if len(list) == 0 {
		return "", nil
	}
	return marshal(list)
}

// sameJSON compares two values by their JSON, treating an empty list as
// no list.
func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(emptyAsNull(x), emptyAsNull(y))
}

func emptyAsNull(b []byte) []byte {
	if string(b) == "[]" {
		return []byte("null")
	}
	return b
}

// encodeCell writes one field as text, by its Go type.
func encodeCell(v any) string {
	switch v := v.(type) {
	case *string:
		return *v
	case *[]string:
		return strings.Join(*v, ";")
	case *domain.Date:
		return v.String()
	case **bool:
		switch {
		case *v == nil:
			return ""
		case **v:
			return "TRUE"
		default:
			return "FALSE"
		}
	case **int:
		if *v == nil {
			return ""
		}
		return strconv.Itoa(**v)
	case *int:
		if *v == 0 {
			return ""
		}
		return strconv.Itoa(*v)
	case *int64:
		if *v == 0 {
			return ""
		}
		return strconv.FormatInt(*v, 10)
	case **float64:
		if *v == nil {
			return ""
		}
		return strconv.FormatFloat(**v, 'f', -1, 64)
	case *time.Time:
		if v.IsZero() {
			return ""
		}
		return v.Format(time.RFC3339Nano)
	}
	panic("htcds: unhandled field type")
}

// typedCell is encodeCell for XLSX: numbers and checkboxes keep their type
// so that a spreadsheet shows them as such; nil means an empty cell.
func typedCell(v any) any {
	switch v := v.(type) {
	case **bool:
		if *v != nil {
			return **v
		}
		return nil
	case **int:
		if *v != nil {
			return **v
		}
		return nil
	case *int:
		if *v != 0 {
			return *v
		}
		return nil
	case *int64:
		if *v != 0 {
			return *v
		}
		return nil
	case **float64:
		if *v != nil {
			return **v
		}
		return nil
	}
	if s := encodeCell(v); s != "" {
		return s
	}
	return nil
}
