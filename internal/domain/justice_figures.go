// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

// FiguresFilter bounds the figures: a period and, for agency-scoped
// roles, one agency.
type FiguresFilter struct {
	From, To Date
	Agency   string // agency code; "" for every agency
}

// Validate checks the filter.
func (f *FiguresFilter) Validate() error {
	var p Problems
	checkDate(&p, "from", f.From)
	checkDate(&p, "to", f.To)
	checkOrder(&p, "to", f.From, f.To)
	if f.Agency != "" && !ValidAgencyCode(f.Agency) {
		p.Add("agency", "validation.agency_code", "%q is not an agency code", truncate(f.Agency, 40))
	}
	return p.Err()
}

// PersonCounts counts distinct persons (defendants) by sex, age group and
// citizenship, from the registry's clear columns.
type PersonCounts struct {
	Total         int            `json:"total"`
	ByGender      map[string]int `json:"by_gender"`
	ByAgeGroup    map[string]int `json:"by_age_group"`
	ByCitizenship map[string]int `json:"by_citizenship"`
}

// NewPersonCounts returns empty counts with their maps made.
func NewPersonCounts() PersonCounts {
	return PersonCounts{ByGender: map[string]int{}, ByAgeGroup: map[string]int{}, ByCitizenship: map[string]int{}}
}

// Add counts one person.
func (c *PersonCounts) Add(gender, ageGroup, citizenship string) {
	c.Total++
	c.ByGender[gender]++
	c.ByAgeGroup[ageGroup]++
	c.ByCitizenship[citizenship]++
}

// OffenceCount is the charges recorded under one article, by verdict.
type OffenceCount struct {
	ArticleCode string         `json:"article_code"`
	Law         string         `json:"law"`
	Article     string         `json:"article"`
	Charges     int            `json:"charges"`
	Verdicts    map[string]int `json:"verdicts"` // with "Pending"
}

// SentenceFigures sums the sentences pronounced.
type SentenceFigures struct {
	Count     int `json:"count"`
	Suspended int `json:"suspended"`
	// PrisonMonths buckets the prison terms: "0", "1-12", "13-60",
	// "61-120", "121+" months; sentences without a term are not counted.
	PrisonMonths      map[string]int   `json:"prison_months"`
	PrisonMonthsTotal int              `json:"prison_months_total"`
	Fines             map[string]int64 `json:"fines"`        // by currency
	Compensation      map[string]int64 `json:"compensation"` // by currency
	Confiscations     int              `json:"confiscations"`
}

// PrisonBucket is the bucket of a prison term in months.
func PrisonBucket(m int) string {
	switch {
	case m == 0:
		return "0"
	case m <= 12:
		return "1-12"
	case m <= 60:
		return "13-60"
	case m <= 120:
		return "61-120"
	}
	return "121+"
}

// JusticeFigures are the figures of the chain for a period. A person is
// counted once per stage however many proceedings or charges: persons
// investigated are the defendants of proceedings whose investigation
// opened in the period; prosecuted, those charged in the period;
// convicted, those with a charge whose verdict of conviction fell in the
// period. Offences are the charges laid in the period; sentences, those
// pronounced in it.
type JusticeFigures struct {
	From         Date            `json:"from,omitzero"`
	To           Date            `json:"to,omitzero"`
	Agency       string          `json:"agency,omitempty"`
	Proceedings  int             `json:"proceedings"` // complaints received in the period
	Investigated PersonCounts    `json:"investigated"`
	Prosecuted   PersonCounts    `json:"prosecuted"`
	Convicted    PersonCounts    `json:"convicted"`
	Offences     []OffenceCount  `json:"offences"`
	Sentences    SentenceFigures `json:"sentences"`
}

// Figures gathers what the statistics to come count: the justice chain,
// the officials trained and the people reached by awareness activities.
type Figures struct {
	Justice   *JusticeFigures   `json:"justice"`
	Training  *TrainingSummary  `json:"training"`
	Awareness *AwarenessSummary `json:"awareness"`
}
