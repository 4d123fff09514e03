// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

// Person holds the HTCDS person fields (prs_): the identity of a victim or
// of a perpetrator. Every field here except gender and citizenship is a
// direct identifier (HTCDS summary §5) and is encrypted at rest once the
// sealing layer lands.
type Person struct {
	Salutation              string   `json:"prs_Salutation,omitempty"`
	FirstName               string   `json:"prs_FirstName,omitempty"`
	MiddleName              string   `json:"prs_MiddleName,omitempty"`
	SecondName              string   `json:"prs_SecondName,omitempty"`
	Birthdate               Date     `json:"prs_Birthdate,omitzero"`
	Gender                  string   `json:"prs_Gender,omitempty"`
	Deceased                *bool    `json:"prs_Deceased,omitempty"`
	MaritalStatus           string   `json:"prs_MaritalStatus,omitempty"`
	NumberOfChildren        *int     `json:"prs_NumberOfChildren,omitempty"`
	PrimaryLanguage         string   `json:"prs_PrimaryLanguage,omitempty"`
	SecondaryLanguage       string   `json:"prs_SecondaryLanguage,omitempty"`
	HighestLevelOfEducation string   `json:"prs_HighestLevelOfEducation,omitempty"`
	Citizenship             []string `json:"prs_Citizenship,omitempty"`
	IdentityNumber          string   `json:"prs_IdentityNumber,omitempty"`
	Title                   string   `json:"prs_Title,omitempty"`
	Email                   string   `json:"prs_Email,omitempty"`
	HomePhone               string   `json:"prs_HomePhone,omitempty"`
	MobilePhone             string   `json:"prs_MobilePhone,omitempty"`
	MailingCity             string   `json:"prs_MailingCity,omitempty"`
	MailingCountry          string   `json:"prs_MailingCountry,omitempty"`
	MailingState            string   `json:"prs_MailingState,omitempty"`
	MailingStreet           string   `json:"prs_MailingStreet,omitempty"`
	MailingPostalCode       string   `json:"prs_MailingPostalCode,omitempty"`
	MailingLongitude        *float64 `json:"prs_MailingLongitude,omitempty"`
	MailingLatitude         *float64 `json:"prs_MailingLatitude,omitempty"`
}

// Validate checks the person against the standard's types and code lists.
func (p *Person) Validate(today Date) Problems {
	var pr Problems
	for _, f := range []struct {
		name, v string
		max     int
	}{
		{"prs_Salutation", p.Salutation, MaxShortText},
		{"prs_FirstName", p.FirstName, MaxShortText},
		{"prs_MiddleName", p.MiddleName, MaxShortText},
		{"prs_SecondName", p.SecondName, MaxShortText},
		{"prs_IdentityNumber", p.IdentityNumber, MaxShortText},
		{"prs_Title", p.Title, MaxShortText},
		{"prs_Email", p.Email, MaxShortText},
		{"prs_MailingCity", p.MailingCity, MaxShortText},
		{"prs_MailingState", p.MailingState, MaxShortText},
		{"prs_MailingStreet", p.MailingStreet, MaxShortText},
		{"prs_MailingPostalCode", p.MailingPostalCode, MaxShortText},
	} {
		checkText(&pr, f.name, f.v, f.max)
		if f.name != "prs_MailingStreet" { // an address may take two lines
			checkOneLine(&pr, f.name, f.v)
		}
	}
	checkPastDate(&pr, "prs_Birthdate", p.Birthdate, today)
	checkEnum(&pr, Gender, p.Gender)
	checkEnum(&pr, MaritalStatus, p.MaritalStatus)
	checkEnum(&pr, Education, p.HighestLevelOfEducation)
	if p.NumberOfChildren != nil && (*p.NumberOfChildren < 0 || *p.NumberOfChildren > 40) {
		pr.Add("prs_NumberOfChildren", "validation.range", "must be between 0 and 40")
	}
	checkLanguage(&pr, "prs_PrimaryLanguage", p.PrimaryLanguage)
	checkLanguage(&pr, "prs_SecondaryLanguage", p.SecondaryLanguage)
	// Each wrong or repeated value once, by its place in the list.
	seen := map[string]int{}
	for i, c := range p.Citizenship {
		first, again := seen[c]
		switch {
		case again && first < 0:
		case c == "":
			// A null or "" in the list: no country, and no empty
			// citizenship stored beside the others.
			pr.Add("prs_Citizenship", "validation.country", "holds an empty value (item %d); list ISO 3166-1 alpha-2 codes (e.g. CD) or leave the list out", i+1)
			seen[c] = -1
		case !validCountry(c):
			pr.Add("prs_Citizenship", "validation.country", "%q (item %d) is not an ISO 3166-1 alpha-2 country code (two capital letters, e.g. CD)", truncate(c, 40), i+1)
			seen[c] = -1
		case again:
			pr.Add("prs_Citizenship", "validation.duplicate_value", "%q is listed twice (items %d and %d)", c, first+1, i+1)
			seen[c] = -1
		default:
			seen[c] = i
		}
	}
	if p.Email != "" && !ValidEmail(p.Email) {
		pr.Add("prs_Email", "validation.email", "%q is not an e-mail address", p.Email)
	}
	checkPhone(&pr, "prs_HomePhone", p.HomePhone)
	checkPhone(&pr, "prs_MobilePhone", p.MobilePhone)
	checkCountry(&pr, "prs_MailingCountry", p.MailingCountry)
	checkLatLon(&pr, "prs_MailingLatitude", p.MailingLatitude, "prs_MailingLongitude", p.MailingLongitude)
	return pr
}

// AgeOn returns the age in whole years on day d, or -1 when the birth date
// is unknown or after d.
func (p *Person) AgeOn(d Date) int {
	if p.Birthdate.IsZero() || d.IsZero() || p.Birthdate.After(d) {
		return -1
	}
	b, t := p.Birthdate.Time(), d.Time()
	age := t.Year() - b.Year()
	if t.YearDay() < b.YearDay() && !(t.Month() > b.Month() || t.Month() == b.Month() && t.Day() >= b.Day()) {
		age--
	}
	return age
}
