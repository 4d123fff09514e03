// SPDX-License-Identifier: AGPL-3.0-or-later

package demo

import "vigie/internal/domain"

// The demo agencies. Every code starts with DEMO, so every demo case
// number does too (DEMOMAS-2026-000001): a demo record can never be taken
// for a real one, on a screen, a printout or an export.
var Agencies = []domain.Agency{
	{Code: "DEMOMAS", Name: "Ministère des affaires sociales — démonstration", Type: "CentralGovernmentOrganisation", ShippingCity: "Kinshasa", ShippingCountry: "CD"},
	{Code: "DEMOPOL", Name: "Police nationale, unité de lutte contre la traite — démonstration", Type: "LawEnforcement", ShippingCity: "Lubumbashi", ShippingCountry: "CD"},
	{Code: "DEMONGO", Name: "Maison d’accueil (ONG) — démonstration", Type: "NGO", ShippingCity: "Goma", ShippingCountry: "CD"},
}

// Account is a demo account, printed when the demo server starts.
type Account struct {
	// Name is shown on the pages ("Bienvenue, …"): a fictitious person.
	Name     string
	Email    string
	Agency   string
	Role     domain.Role
	Password string
	// TOTPSecret is filled by Seed and by Secrets.
	TOTPSecret string
}

// Accounts are one demo account per role, and a caseworker of a second
// agency to receive referrals. The passwords are public on purpose: the
// demo holds only fictitious people, and serves on this machine only.
var Accounts = []Account{
	{Name: "Awa Démo (agente)", Email: "caseworker@demo.vigie.example", Agency: "DEMOMAS", Role: domain.RoleCaseworker, Password: "pirogue-manioc-demo"},
	{Name: "Bernard Démo (superviseur)", Email: "supervisor@demo.vigie.example", Agency: "DEMOMAS", Role: domain.RoleSupervisor, Password: "baobab-fleuve-demo"},
	{Name: "Chantal Démo (justice)", Email: "justice@demo.vigie.example", Agency: "DEMOPOL", Role: domain.RoleJustice, Password: "tambour-savane-demo"},
	{Name: "Didier Démo (coordination)", Email: "coordinator@demo.vigie.example", Agency: "DEMOMAS", Role: domain.RoleCoordinator, Password: "colline-mangue-demo"},
	{Name: "Esther Démo (administration)", Email: "admin@demo.vigie.example", Agency: "DEMOMAS", Role: domain.RoleAdmin, Password: "okapi-riviere-demo"},
	{Name: "Fiston Démo (maison d’accueil)", Email: "shelter@demo.vigie.example", Agency: "DEMONGO", Role: domain.RoleCaseworker, Password: "lac-kivu-pagaie-demo"},
}
