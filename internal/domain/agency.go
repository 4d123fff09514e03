// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"regexp"
	"strings"
)

// Agency is an organisation that registers or receives cases (HTCDS org_):
// a ministry's service, an NGO shelter, a police unit. Its Code prefixes
// the case numbers it issues (KIN-2026-000123).
type Agency struct {
	Meta
	Code              string   `json:"code"`
	Name              string   `json:"org_Name"`
	Type              string   `json:"org_Type,omitempty"`
	Phone             string   `json:"org_Phone,omitempty"`
	ShippingStreet    string   `json:"org_ShippingStreet,omitempty"`
	ShippingCity      string   `json:"org_ShippingCity,omitempty"`
	ShippingState     string   `json:"org_ShippingState,omitempty"`
	ShippingPostal    string   `json:"org_ShippingPostalCode,omitempty"`
	ShippingCountry   string   `json:"org_ShippingCountry,omitempty"`
	ShippingLatitude  *float64 `json:"org_ShippingLatitude,omitempty"`
	ShippingLongitude *float64 `json:"org_ShippingLongitude,omitempty"`
}

// AgencyCodePattern is the form of an agency code, for the API's document.
const AgencyCodePattern = `^[A-Z0-9]{2,10}$`

var agencyCodePattern = regexp.MustCompile(AgencyCodePattern)

// ValidAgencyCode reports whether s can prefix case numbers: 2 to 10
// capital letters or digits.
func ValidAgencyCode(s string) bool { return agencyCodePattern.MatchString(s) }

// Validate checks the agency.
func (a *Agency) Validate() error {
	var p Problems
	if !ValidAgencyCode(a.Code) {
		p.Add("code", "validation.agency_code", "%q must be 2 to 10 capital letters or digits (e.g. KIN)", a.Code)
	}
	if strings.TrimSpace(a.Name) == "" {
		p.Add("org_Name", "validation.required", "is required")
	}
	checkText(&p, "org_Name", a.Name, MaxShortText)
	checkOneLine(&p, "org_Name", a.Name)
	checkEnum(&p, OrgType, a.Type)
	checkPhone(&p, "org_Phone", a.Phone)
	for f, v := range map[string]string{"org_ShippingStreet": a.ShippingStreet, "org_ShippingCity": a.ShippingCity, "org_ShippingState": a.ShippingState, "org_ShippingPostalCode": a.ShippingPostal} {
		checkText(&p, f, v, MaxShortText)
	}
	checkCountry(&p, "org_ShippingCountry", a.ShippingCountry)
	checkLatLon(&p, "org_ShippingLatitude", a.ShippingLatitude, "org_ShippingLongitude", a.ShippingLongitude)
	return p.Err()
}

// Situation is a trafficking situation: one set of facts (a recruitment
// network, a mine, a brothel) that several victims' cases share.
type Situation struct {
	Meta
	Agency      string   `json:"agency"`
	Title       string   `json:"title"`
	CaseNumbers []string `json:"case_numbers,omitempty"`
}

// Validate checks the situation.
func (s *Situation) Validate() error {
	var p Problems
	if s.Agency == "" {
		p.Add("agency", "validation.required", "is required")
	}
	if strings.TrimSpace(s.Title) == "" {
		p.Add("title", "validation.required", "is required")
	}
	checkText(&p, "title", s.Title, MaxShortText)
	checkOneLine(&p, "title", s.Title)
	return p.Err()
}
