// SPDX-License-Identifier: AGPL-3.0-or-later

package demo

import (
	"context"
	"fmt"

	"vigie/internal/domain"
)

// suspectStore is what seeding suspects needs; a store without the
// perpetrator registry gets none.
type suspectStore interface {
	CreateSuspect(ctx context.Context, s *domain.Suspect) error
	LinkSuspect(ctx context.Context, l *domain.SuspectLink) error
}

// demoSuspect is a seeded suspect and the victims' cases linked to it,
// which the demo proceedings take up.
type demoSuspect struct {
	suspect *domain.Suspect
	cases   []*domain.Case
}

// seedSuspects registers two fictitious suspects, each with "Démo" in
// the name: one of the social affairs agency named by the victims of its
// first two cases (the same man seen twice, as the registry is for), one
// of the police unit linked to its first case.
func seedSuspects(ctx context.Context, s Store, cases []*domain.Case) ([]demoSuspect, error) {
	st, ok := s.(suspectStore)
	if !ok {
		return nil, nil
	}
	var out []demoSuspect
	byAgency := map[string][]*domain.Case{}
	for _, c := range cases {
		byAgency[c.Agency] = append(byAgency[c.Agency], c)
	}
	for _, x := range []struct {
		agency, first, last, alias, gender string
		roles                              []string
		cases                              int
	}{
		{Agencies[0].Code, "Bosco", "Démo Lukusa", "Le Commerçant", "Masculine", []string{"RecruiterOrIntermediary", "Transporter"}, 2},
		{"DEMOPOL", "Mireille", "Démo Kanku", "Maman Mimi", "Feminine", []string{"Exploiter"}, 1},
	} {
		list := byAgency[x.agency]
		if len(list) < x.cases {
			continue
		}
		actx := domain.WithActor(ctx, &domain.Principal{Email: "demo-seed", Agency: x.agency, Via: "cli"})
		sus := &domain.Suspect{Agency: x.agency, Gender: x.gender, Citizenship: "CD", AgeBand: "30--38", AgeGroup: "Adult",
			Identity: &domain.SuspectIdentity{FirstName: x.first, LastName: x.last, Aliases: []string{x.alias},
				Description: "Personne fictive (démonstration) / fictitious person (demo)"}}
		if err := st.CreateSuspect(actx, sus); err != nil {
			return nil, fmt.Errorf("demo suspect: %w", err)
		}
		for _, c := range list[:x.cases] {
			l := &domain.SuspectLink{SuspectID: sus.ID, CaseNumber: c.Number, Roles: x.roles, Relation: "StrangerUnknownOther", Organisation: "Réseau fictif (démo)"}
			if err := st.LinkSuspect(actx, l); err != nil {
				return nil, fmt.Errorf("demo suspect link: %w", err)
			}
		}
		out = append(out, demoSuspect{suspect: sus, cases: list[:x.cases]})
	}
	return out, nil
}
