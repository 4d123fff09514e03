// SPDX-License-Identifier: AGPL-3.0-or-later

// Package htcds imports and exports cases in the flat form of the Human
// Trafficking Case Data Standard (HTCDS 2.0, IOM): one row per case in CSV
// or XLSX, with the standard's field identifiers (prs_FirstName, …) as
// column names, as the IOM Excel templates do. It also writes and reads a
// JSON array of cases in Vigie's own JSON (the JSON of domain.Case).
//
// # Why the flat form needs Vigie columns
//
// HTCDS is flat: its templates hold one row per case and put the referral,
// consent and trafficking-event fields on that row, although the standard
// itself notes that a case may have several referrals. Vigie is relational:
// a case has lists of events, support plans, consents, comments, referrals
// and perpetrators. A flat file therefore needs somewhere to put the second
// and later items of each list, or an export would silently drop them. The
// flat encoding keeps the HTCDS columns filled the way an HTCDS tool
// expects and carries whatever they cannot hold in vig_ columns of compact
// JSON, so that an export re-imports without loss.
//
// # Flat encoding
//
// The columns (see Columns) are, in order: the Core columns of the IOM
// template in the template's order; the other HTCDS 2.0 fields of the
// person, victim context and case; the Vigie columns (record metadata,
// registration, source key and the vig_ victim extensions); the hte_
// columns of the first trafficking event; and the vig_ JSON columns.
//
//   - One case is one row. Column names are the standard's identifiers,
//     spelled as the standard spells them (the templates' misspelling
//     vic_TraffickinStatusDecisionMakingOrg is accepted on import only);
//     the Vigie columns are id, case_number, agency, version, created_at,
//     updated_at, situation_id and vig_ names.
//   - Picklists hold the standard's value names (DebtBondage); on import
//     the English labels of the standard and of the IOM validation sheet
//     ("Debt bondage ") are accepted too, and the French and English
//     labels of Vigie's pages ("Masculin", "Travail forcé"), in any case,
//     with surrounding spaces and non-breaking spaces trimmed.
//   - Multi-select values are joined with ";" (as in the IOM multi-select
//     template and CTDC exports). Empty items are ignored on import and a
//     value given twice is kept once.
//   - Country codes are ISO 3166-1 alpha-2 (any letter case on import,
//     and English names too, as the IOM template's citizenship drop-down
//     writes them: "Congo, Democratic Republic of the" is CD; "Congo"
//     alone, which many write for CD, is refused),
//     languages ISO 639-2, phone numbers E.164 (spaces, dots, dashes and
//     brackets are removed on import).
//   - Checkboxes are TRUE or FALSE; import also accepts yes/no, 1/0,
//     oui/non and vrai/faux in any case. An empty cell means unknown.
//   - Dates are YYYY-MM-DD. An XLSX import also accepts real date cells
//     (numbers that the cell's format shows as a date). Any other text,
//     such as 3/4/21, is rejected because day and month order is ambiguous.
//   - Referrals: the first incoming referral fills the cas_Referring… and
//     cas_…IncomingReferral… columns, the first outgoing one the
//     cas_Referred… and cas_…OutgoingReferral… columns. When those columns
//     cannot reproduce the case's list of referrals exactly (more than one
//     per direction, or record metadata), vig_Referrals holds the whole
//     list as JSON; it then wins on import and the cas_ referral columns
//     must be empty or agree with it.
//   - con_Consent is the latest consent (by vig_ConsentDate; the later in
//     the list on a tie), TRUE or FALSE. vig_Consents holds the whole list
//     as JSON when con_Consent cannot reproduce it, on the same terms as
//     vig_Referrals.
//   - Events: the hte_ columns hold the first event, vig_EventMeta its
//     record metadata (id, version, timestamps) when it has any, and
//     vig_Events every further event as JSON. If the hte_ columns are all
//     empty, vig_Events holds every event.
//   - vig_SupportPlans, vig_Comments and vig_Perpetrators hold those lists
//     as JSON. The JSON of every vig_ column is the JSON of the domain types
//     (a list of domain.Event, domain.Referral, …) and is read strictly:
//     unknown fields are rejected.
//   - Free text is kept exactly, spaces included. Other cells (codes,
//     picklists, dates, numbers, checkboxes) are trimmed.
//   - Formula injection: on export every cell that starts with =, +, -, @,
//     a tab, a carriage return or a single quote is prefixed with a single
//     quote, so that a spreadsheet shows it as text; plain numbers such as
//     -4.32 are not. On import one leading single quote is removed from
//     every cell, so the round trip is exact.
//
// # What an export and re-import does not preserve
//
//   - A case without vig_SourceKey comes back with one: "id:" and its id
//     (see Reader for the rule).
//   - CSV only: a carriage return followed by a line feed inside a value
//     comes back as a line feed alone, as in every RFC 4180 reader.
//
// Everything else comes back equal as JSON.
//
// # Import contract
//
// A Reader (CSV or XLSX) and a JSONReader return one Record per valid case
// or the RowErrors that explain why a row was rejected: a row is imported
// whole or not at all. Every returned case has been normalised
// (domain.Case.Normalize) and passes domain.Case.Validate. A RowError
// names the row as a spreadsheet numbers it (the header is row 1; a CSV
// cell with line breaks stays one row, blank lines count) and the column
// as the file's header writes it; a problem inside a vig_ JSON column
// names the item ("item 2: hte_Country: …"). RowError.Value repeats at
// most 200 characters of the cell, which may be personal data: reject
// files must be kept as safely as the import file.
//
// Codes of RowErrors are the domain's validation codes (validation.enum,
// validation.date_in_future, …) plus validation.date (a date not in the
// form YYYY-MM-DD), validation.boolean, validation.number,
// validation.timestamp, validation.identifier, validation.json,
// validation.unknown_field, validation.type, validation.inconsistent (a
// cas_ or con_ column that disagrees with its vig_ JSON column),
// validation.orphan, import.unnamed_column, import.beyond_header,
// import.merged_cell (an XLSX cell inside merged cells, whose value is the
// first cell's only) and import.formula_without_value (an XLSX formula
// that no spreadsheet computed, so the file holds no value for it; a
// formula saved with its value is read as that value). Of a workbook, the
// sheet named Cases is read, else the first whose row 1 is an HTCDS
// header; a workbook whose cases are on two sheets is refused, naming
// them.
package htcds
