// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"vigie/internal/domain"
)

// operation documents one route. Every entry of routes must have one and
// every operation must be a route (TestOpenAPIMatchesRoutes).
type operation struct {
	Summary   string
	Request   string         // schema name of the body, if any
	Responses map[int]string // status → schema name ("" for no body)
	Query     []string       // query parameter names
}

// rawFile, as an operation's Request or response schema, is a file sent
// as the raw body in one of the accepted types, not JSON.
const rawFile = "(file)"

var operations = map[string]operation{
	"GET /healthz":                           {"Liveness and database check", "", map[int]string{200: "Health", 503: "Problem"}, nil},
	"GET /api/v1/openapi.json":               {"This document", "", map[int]string{200: ""}, nil},
	"GET /api/v1/agencies":                   {"List agencies", "", map[int]string{200: "AgencyList"}, nil},
	"POST /api/v1/agencies":                  {"Create an agency", "Agency", map[int]string{201: "Agency", 409: "Problem", 422: "Problem"}, nil},
	"GET /api/v1/agencies/{code}":            {"Read an agency", "", map[int]string{200: "Agency", 404: "Problem"}, nil},
	"GET /api/v1/cases":                      {"List cases (summaries without personal data), filtered, sorted, paginated with a cursor, with the total count", "", map[int]string{200: "CasePage", 422: "Problem"}, listParams},
	"POST /api/v1/cases":                     {"Register a case with its parts", "Case", map[int]string{201: "Case", 413: "Problem", 422: "Problem"}, nil},
	"GET /api/v1/cases/{ref}":                {"Read a case by ID or case number", "", map[int]string{200: "Case", 404: "Problem"}, nil},
	"PUT /api/v1/cases/{ref}":                {"Replace a case's own fields; needs the edited version (body or If-Match). Parts are edited at /cases/{ref}/{part}: lists left out or sent as stored are kept, others are refused (validation.read_only), or answer 409 when someone else changed the parts since the body was read; a status left out is kept (and a closed case's reason), a registration left out is kept, and so is its date when only vig_RegistrationYear is sent with the date's year (another year without a new vig_RegistrationDate is 422). 204 (with the new ETag, no body): the change is saved but the case could not be answered, its reading not being recorded in the audit log; GET it to read it", "Case", map[int]string{200: "Case", 204: "", 404: "Problem", 409: "Problem", 422: "Problem"}, nil},
	"GET /api/v1/cases/{ref}/{part}":         {"List one kind of part of a case", "", map[int]string{200: "PartList", 404: "Problem"}, nil},
	"POST /api/v1/cases/{ref}/{part}":        {"Add a part to a case", "Part", map[int]string{201: "Part", 404: "Problem", 422: "Problem"}, nil},
	"PUT /api/v1/cases/{ref}/{part}/{id}":    {"Replace a part; needs the edited version", "Part", map[int]string{200: "Part", 404: "Problem", 409: "Problem", 422: "Problem"}, nil},
	"DELETE /api/v1/cases/{ref}/{part}/{id}": {"Delete a part; needs its version (?version= or If-Match)", "", map[int]string{204: "", 404: "Problem", 409: "Problem", 422: "Problem"}, []string{"version"}},
	"POST /api/v1/situations":                {"Create a trafficking situation that links several cases", "Situation", map[int]string{201: "Situation", 422: "Problem"}, nil},
	"GET /api/v1/situations/{id}":            {"Read a trafficking situation and its case numbers", "", map[int]string{200: "Situation", 404: "Problem"}, nil},

	"POST /api/v1/auth/sign-in":             {"Sign in with e-mail and password; sets the session cookie. second_factor says what comes next: done, required (POST /auth/second-factor) or enrol (POST /auth/totp/enrol)", "SignIn", map[int]string{200: "Session", 401: "Problem", 422: "Problem", 429: "Problem"}, nil},
	"GET /api/v1/auth/session":              {"The signed-in user and the CSRF token to send in X-CSRF-Token with every change", "", map[int]string{200: "Session"}, nil},
	"POST /api/v1/auth/second-factor":       {"Finish signing in with a TOTP code or a recovery code; the session token is replaced", "SecondFactor", map[int]string{200: "Session", 401: "Problem", 409: "Problem", 422: "Problem", 429: "Problem"}, nil},
	"POST /api/v1/auth/totp/enrol":          {"Offer a new TOTP secret (otpauth URL for a QR code)", "", map[int]string{200: "TOTPSecret", 409: "Problem"}, nil},
	"POST /api/v1/auth/totp/confirm":        {"Turn the offered TOTP secret on with a code from the app; returns recovery codes once", "SecondFactor", map[int]string{200: "", 409: "Problem", 422: "Problem"}, nil},
	"POST /api/v1/auth/sign-out":            {"End this session", "", map[int]string{204: ""}, nil},
	"POST /api/v1/auth/sign-out-everywhere": {"End every session of this user", "", map[int]string{200: ""}, nil},
	"POST /api/v1/auth/password":            {"Change one's password (ends the other sessions)", "PasswordChange", map[int]string{204: "", 422: "Problem", 429: "Problem"}, nil},
	"GET /api/v1/tokens":                    {"The signed-in user's API tokens (never the tokens themselves)", "", map[int]string{200: "TokenList"}, nil},
	"POST /api/v1/tokens":                   {"Create an API token (from a session only); the token is shown once", "NewToken", map[int]string{201: "", 403: "Problem", 422: "Problem"}, nil},
	"DELETE /api/v1/tokens/{id}":            {"Revoke one of one's API tokens", "", map[int]string{204: "", 404: "Problem"}, nil},
	"GET /api/v1/users":                     {"List users (admins)", "", map[int]string{200: "UserList"}, []string{"agency"}},
	"POST /api/v1/users":                    {"Create a user (admins)", "NewUser", map[int]string{201: "User", 409: "Problem", 422: "Problem"}, nil},
	"GET /api/v1/users/{id}":                {"Read a user (admins)", "", map[int]string{200: "User", 404: "Problem"}, nil},
	"PUT /api/v1/users/{id}":                {"Change a user's roles, agency, name or disabled flag (admins); signs them out everywhere", "User", map[int]string{200: "User", 404: "Problem", 409: "Problem", 422: "Problem"}, nil},
	"GET /api/v1/audit":                     {"Audit log, newest first: everything (admins) or about one's agency's records (supervisors)", "", map[int]string{200: "AuditList", 422: "Problem"}, []string{"before", "limit"}},
	"POST /api/v1/cases/{ref}/break-glass":  {"Open a case of another agency for a limited time (supervisors), with a reason; audited and shown to the owning agency", "BreakGlassRequest", map[int]string{201: "BreakGlass", 404: "Problem", 409: "Problem", 422: "Problem"}, nil},
	"GET /api/v1/cases/{ref}/audit":         {"A case's audit trail (supervisors of its agency)", "", map[int]string{200: "AuditList", 404: "Problem", 422: "Problem"}, []string{"before", "limit"}},
	"GET /api/v1/persons/search":            {"Find cases by the victim's name (exact or fuzzy, through the blind index) within one's reach", "", map[int]string{200: "NameMatchList", 422: "Problem"}, []string{"name", "mode", "limit"}},
	"GET /api/v1/referrals/incoming":        {"Cases actively referred to one's agency, with the answer given so far (empty while waiting)", "", map[int]string{200: "ReferredCaseList"}, nil},

	"POST /api/v1/cases/{ref}/referrals/{id}/answer": {"Accept or decline a referral of a case to one's agency (declining needs a reason, closes the referral and ends the agency's access); only the agency it is addressed to answers, once (another answer is 409; for any other agency the referral does not exist, 404)", "ReferralAnswerRequest", map[int]string{201: "ReferralAnswer", 404: "Problem", 409: "Problem", 422: "Problem"}, nil},
	"GET /api/v1/cases/{ref}/referrals/{id}/answer":  {"The answer given to a referral (404 while none); audited as a read of the case's referrals", "", map[int]string{200: "ReferralAnswer", 404: "Problem"}, nil},

	"GET /api/v1/cases/{ref}/attachments":         {"List a case's files (names and types, not contents); audited as a read", "", map[int]string{200: "AttachmentList", 404: "Problem"}, nil},
	"POST /api/v1/cases/{ref}/attachments":        {"Add a file to a case: the raw file as the body, its type in Content-Type (application/pdf, image/jpeg, image/png, image/webp or text/plain, checked against the content), its name in ?name= (only the base name is kept; hidden, reserved or control-character names are refused). At most 10 MiB (413). A type outside the list is 415 on field content_type, a content that is not the declared type 422 on field content_type, a refused name 422 on field name, an empty body 422 on field file", rawFile, map[int]string{201: "Attachment", 404: "Problem", 413: "Problem", 415: "Problem", 422: "Problem"}, uploadParams},
	"GET /api/v1/cases/{ref}/attachments/{id}":    {"Download a file, always as an attachment (Content-Disposition: attachment; filename*=UTF-8''…) with X-Content-Type-Options: nosniff; audited as a read", "", map[int]string{200: rawFile, 404: "Problem"}, nil},
	"DELETE /api/v1/cases/{ref}/attachments/{id}": {"Delete a file of a case", "", map[int]string{204: "", 404: "Problem"}, nil},
}

// schemaTypes are the documented types, generated from the Go types by
// reflection so that a field added to the domain appears here at once.
var schemaTypes = map[string]reflect.Type{
	"Case":        reflect.TypeFor[domain.Case](),
	"Person":      reflect.TypeFor[domain.Person](),
	"Victim":      reflect.TypeFor[domain.Victim](),
	"Event":       reflect.TypeFor[domain.Event](),
	"SupportPlan": reflect.TypeFor[domain.SupportPlan](),
	"Consent":     reflect.TypeFor[domain.Consent](),
	"Comment":     reflect.TypeFor[domain.Comment](),
	"Referral":    reflect.TypeFor[domain.Referral](),
	"Perpetrator": reflect.TypeFor[domain.Perpetrator](),
	"Agency":      reflect.TypeFor[domain.Agency](),
	"Situation":   reflect.TypeFor[domain.Situation](),
	"CaseSummary": reflect.TypeFor[domain.CaseSummary](),
	"CasePage":    reflect.TypeFor[domain.CasePage](),
	"Problem":     reflect.TypeFor[Problem](),
	"FieldError":  reflect.TypeFor[domain.FieldError](),
	"Warning":     reflect.TypeFor[domain.Warning](),

	"SignIn":                reflect.TypeFor[signInRequest](),
	"Session":               reflect.TypeFor[sessionView](),
	"SecondFactor":          reflect.TypeFor[secondFactorRequest](),
	"PasswordChange":        reflect.TypeFor[passwordChange](),
	"User":                  reflect.TypeFor[domain.User](),
	"NewUser":               reflect.TypeFor[newUser](),
	"APIToken":              reflect.TypeFor[domain.APIToken](),
	"NewToken":              reflect.TypeFor[newToken](),
	"AuditEntry":            reflect.TypeFor[domain.AuditEntry](),
	"BreakGlassRequest":     reflect.TypeFor[breakGlassRequest](),
	"BreakGlass":            reflect.TypeFor[domain.BreakGlass](),
	"NameMatch":             reflect.TypeFor[domain.NameMatch](),
	"ReferredCase":          reflect.TypeFor[domain.ReferredCase](),
	"ReferralAnswerRequest": reflect.TypeFor[answerBody](),
	"ReferralAnswer":        reflect.TypeFor[domain.ReferralAnswer](),
	"Attachment":            reflect.TypeFor[domain.Attachment](),
}

// buildOpenAPI renders the OpenAPI 3.1 document.
func buildOpenAPI(version string) []byte {
	schemas := map[string]any{}
	for name, t := range schemaTypes {
		schemas[name] = structSchema(t)
	}
	addTextRules(schemas)
	// Response-only types say what every answer carries (the record
	// types do not: they are request bodies too, where id, version and
	// timestamps must be left out).
	schemas["Problem"].(map[string]any)["required"] = []string{"type", "title", "status"}
	schemas["FieldError"].(map[string]any)["required"] = []string{"field", "code", "message"}
	schemas["CasePage"].(map[string]any)["required"] = []string{"items", "total"}
	// What a new case must carry (the registering agency is the caller's
	// when left out; the status defaults to Active); the answers carry
	// them too. TestOpenAPIRequiredIsWhatTheServerRequires holds the two
	// together.
	schemas["Case"].(map[string]any)["required"] = []string{"victim"}
	schemas["Victim"].(map[string]any)["required"] = []string{"vic_TraffickingStatus"}
	schemas["Agency"].(map[string]any)["required"] = []string{"code", "org_Name"}
	// And what a new part must carry (a referral's other fields depend on
	// its direction: cas_ReferringOrganisation for an incoming one,
	// cas_ReferredOrganisation for an outgoing one), and the bodies of
	// break-the-glass and of a referral's answer.
	for name, fields := range map[string][]string{"Event": {"hte_Type"}, "SupportPlan": {"spl_Type"},
		"Comment": {"cco_CaseComment"}, "Consent": {"con_Consent"}, "Referral": {"direction"},
		"BreakGlassRequest": {"reason"}, "ReferralAnswerRequest": {"answer"}} {
		schemas[name].(map[string]any)["required"] = fields
	}
	schemas["Health"] = map[string]any{"required": []string{"status", "version"}, "type": "object", "properties": map[string]any{"status": map[string]any{"type": "string"}, "version": map[string]any{"type": "string"}}}
	schemas["AgencyList"] = listOf("Agency")
	var parts []any
	for _, n := range []string{"Event", "SupportPlan", "Consent", "Comment", "Referral", "Perpetrator"} {
		parts = append(parts, ref(n))
	}
	schemas["Part"] = map[string]any{"oneOf": parts, "description": "The record type follows the {part} path segment: events → Event, support_plans → SupportPlan, consents → Consent, comments → Comment, referrals → Referral, perpetrators → Perpetrator. A comment's vig_Author is set by the server: the caller's name (or e-mail) when it is created, kept when it is updated; a value in the body is ignored. A consent must carry con_Consent, true or false: absent or null is refused (validation.required), here and in the consents of a new case."}
	schemas["PartList"] = listOf("Part")
	for _, n := range []string{"User", "NameMatch", "ReferredCase", "Attachment"} {
		schemas[n+"List"] = listOf(n)
	}
	schemas["AuditList"] = listOf("AuditEntry")
	schemas["TokenList"] = listOf("APIToken")
	schemas["AuditList"].(map[string]any)["properties"].(map[string]any)["next_before"] = map[string]any{"type": "integer"}
	schemas["TOTPSecret"] = map[string]any{"type": "object", "properties": map[string]any{"secret": map[string]any{"type": "string"}, "otpauth_url": map[string]any{"type": "string"}}}

	paths := map[string]map[string]any{}
	for _, rt := range routes {
		op := operations[rt.method+" "+rt.pattern]
		o := map[string]any{"summary": op.Summary, "operationId": operationID(rt.method, rt.pattern)}
		var params []any
		for _, seg := range strings.Split(rt.pattern, "/") {
			if strings.HasPrefix(seg, "{") {
				p := map[string]any{"name": strings.Trim(seg, "{}"), "in": "path", "required": true, "schema": map[string]any{"type": "string"}}
				if seg == "{part}" {
					p["schema"] = map[string]any{"type": "string", "enum": domain.PartKinds}
				}
				params = append(params, p)
			}
		}
		if versionedRoutes[rt.method+" "+rt.pattern] {
			params = append(params, map[string]any{"name": "If-Match", "in": "header", "required": false,
				"description": `The ETag of the version edited, e.g. "3" (or the body's version; a DELETE may give ?version=): a stale one is 409`,
				"schema":      map[string]any{"type": "string"}})
		}
		for _, q := range op.Query {
			schema := map[string]any{"type": "string"}
			if rt.method+" "+rt.pattern == "GET /api/v1/cases" {
				schema = caseListParamSchema(q)
			}
			params = append(params, map[string]any{"name": q, "in": "query", "required": false, "schema": schema})
		}
		if len(params) > 0 {
			o["parameters"] = params
		}
		switch op.Request {
		case "":
		case rawFile:
			o["requestBody"] = map[string]any{"required": true, "content": fileContent()}
		default:
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": ref(op.Request)}}}
		}
		resp := map[string]any{}
		statuses := map[int]string{}
		for k, v := range op.Responses {
			statuses[k] = v
		}
		if rt.access != public {
			// Every route behind sign-in may refuse: no or a bad
			// credential (401), a role without the right or a missing
			// CSRF token (403).
			statuses[401], statuses[403] = "Problem", "Problem"
			o["security"] = []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}}
		}
		if checksRequest(rt) {
			// Every route that reads its request may refuse a query
			// string that does not decode or a compressed body (422,
			// checkRequest), and answers 503 with Retry-After while the
			// database is busy or out of reach.
			statuses[422], statuses[503] = "Problem", "Problem"
		}
		if op.Request != "" {
			statuses[413] = "Problem" // MaxBodyBytes, or the upload's own limit
			if op.Request != rawFile {
				statuses[415] = "Problem" // a body that is not sent as JSON
			}
		}
		for status, schema := range statuses {
			r := map[string]any{"description": httpStatusText(status)}
			if schema == rawFile {
				r["content"] = fileContent()
			} else if schema != "" {
				ct := "application/json"
				if schema == "Problem" {
					ct = "application/problem+json"
				}
				r["content"] = map[string]any{ct: map[string]any{"schema": ref(schema)}}
			}
			resp[itoa(status)] = r
		}
		o["responses"] = resp
		if paths[rt.pattern] == nil {
			paths[rt.pattern] = map[string]any{}
		}
		paths[rt.pattern][strings.ToLower(rt.method)] = o
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "Vigie API",
			"version":     version,
			"description": "Counter-trafficking case registry. Field names follow the Human Trafficking Case Data Standard (HTCDS by IOM, github.com/UNMigration/HTCDS, CC BY 4.0); vig_ fields are Vigie extensions. Errors are application/problem+json with one entry per invalid field.",
		},
		"paths": paths,
		"components": map[string]any{"schemas": schemas, "securitySchemes": map[string]any{
			"bearer":  map[string]any{"type": "http", "scheme": "bearer", "description": "API token (vigie token create EMAIL, or POST /api/v1/tokens)"},
			"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "vigie_session", "description": "Browser session from POST /api/v1/auth/sign-in; changes need the X-CSRF-Token header"},
		}},
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err) // the document is built from static data; a failure is a bug found by any test
	}
	return b
}

// fileContent is the content of a raw file body: each accepted type, with
// no schema (OpenAPI 3.1's way of saying "binary").
// caseListParamSchema is the schema of a parameter of GET /api/v1/cases,
// with the values parseCaseFilter accepts (TestOpenAPICaseListParameters).
func caseListParamSchema(name string) map[string]any {
	enum := func(e *domain.Enum) map[string]any { return map[string]any{"type": "string", "enum": e.Values} }
	country := map[string]any{"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2 country code (ZZ: unknown)"}
	switch name {
	case "status":
		return enum(domain.CaseStatus)
	case "trafficking_status":
		return enum(domain.TraffickingStatus)
	case "gender":
		return enum(domain.Gender)
	case "age_group":
		return enum(domain.AgeGroup)
	case "age_band":
		return enum(domain.AgeBand)
	case "exploitation":
		return map[string]any{"type": "string", "enum": domain.TypeOfExploitation.Values, "description": "cases whose vic_TypeOfExploitation holds this value"}
	case "citizenship":
		c := maps.Clone(country)
		c["description"] = "cases whose prs_Citizenship holds this ISO 3166-1 alpha-2 country code"
		return c
	case "exploitation_country":
		return country
	case "agency":
		return map[string]any{"type": "string", "pattern": "^[A-Z0-9]{2,10}$", "description": "agency code; roles that list their own agency's cases may give only theirs"}
	case "province":
		return map[string]any{"type": "string", "description": "vig_Province: an ISO 3166-2:CD code (CD-NK) or the province's name (Nord-Kivu)"}
	case "year_from", "year_to":
		return map[string]any{"type": "integer", "minimum": 0, "maximum": domain.MaxFilterYear, "description": "registration year, inclusive (0: no bound); a case registered with a span of years (vig_RegistrationPeriod, 2014-2018) matches when its span lies inside the range"}
	case "registered_from", "registered_to":
		return map[string]any{"type": "string", "format": "date", "description": "registration date, inclusive; only the cases registered with a date (a year or a span of years alone: year_from, year_to)"}
	case "updated_from":
		return map[string]any{"type": "string", "description": "last change at or after this date (YYYY-MM-DD) or RFC 3339 time, in the years 1900 to 9998"}
	case "updated_to":
		return map[string]any{"type": "string", "description": "last change on or before this date (YYYY-MM-DD), or before this RFC 3339 time, in the years 1900 to 9998"}
	case "sort":
		return map[string]any{"type": "string", "enum": domain.CaseSorts, "default": "-created", "description": "a leading - sorts in descending order. created is the order of the records' IDs (UUIDv7, time-ordered to the millisecond when the server made them); created_at is the time of the transaction that stored the record, so cases created at the same moment by concurrent requests may show created_at a few milliseconds out of that order"}
	case "limit":
		return map[string]any{"type": "integer", "minimum": 1, "maximum": domain.MaxPageSize, "default": domain.DefaultPageSize}
	case "cursor":
		return map[string]any{"type": "string", "description": "next_cursor of the previous page, sent with the same sort and filters"}
	case "situation_id":
		return map[string]any{"type": "string", "description": "ID of a trafficking situation"}
	}
	return map[string]any{"type": "string"}
}

func fileContent() map[string]any {
	c := map[string]any{}
	for _, t := range domain.AttachmentTypes() {
		c[t] = map[string]any{}
	}
	return c
}

func ref(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }

func listOf(name string) map[string]any {
	return map[string]any{"type": "object", "required": []string{"items"}, "properties": map[string]any{"items": map[string]any{"type": "array", "items": ref(name)}}}
}

var (
	timeType = reflect.TypeFor[time.Time]()
	dateType = reflect.TypeFor[domain.Date]()
	rawType  = reflect.TypeFor[json.RawMessage]()
)

// fieldSchemas give the schema of fields whose Go type does not say what
// they hold: a json.RawMessage is any JSON to reflection (a release's
// config and manifest are objects of one of a few types). Keyed by the
// struct type, then the field's JSON name; areas fill it from their init.
var fieldSchemas = map[reflect.Type]map[string]map[string]any{
	// A referral's direction and status are Vigie's own lists, not
	// HTCDS enums: the registry keyed by HTCDS identifier has neither.
	reflect.TypeFor[domain.Referral](): {
		"direction":          {"type": "string", "enum": []string{domain.ReferralIncoming, domain.ReferralOutgoing}},
		"vig_ReferralStatus": {"type": "string", "enum": []string{domain.ReferralActive, domain.ReferralClosed}},
	},
	// The owner is a name as written (HTCDS's "lookup to user" is the
	// caseworker of another system as often as one of Vigie's: imports
	// keep the IOM template's names); it grants nothing.
	reflect.TypeFor[domain.Case](): {
		"cas_CaseOwner": {"type": "string", "maxLength": domain.MaxShortText, "description": "the caseworker in charge, by name or e-mail, as written (pages fill in the registering user's e-mail); it grants no access: who reaches a case follows its agency, its active referrals and break-the-glass"},
	},
	// Vigie's CTDC fields check their values against lists that are not
	// keyed by the field's own identifier.
	reflect.TypeFor[domain.Victim](): {
		"vig_MajorityStatusAtExploit": {"type": "string", "enum": domain.MajorityStatus.Values},
		"vig_MajorityEntry":           {"type": "string", "enum": domain.MajorityStatus.Values},
		"vig_CitizenshipRegion":       {"type": "string", "enum": domain.UNRegion.Values},
		"vig_ExploitationRegion":      {"type": "string", "enum": domain.UNRegion.Values},
	},
	reflect.TypeFor[domain.Perpetrator](): {
		"vig_Genders":             enumList(domain.Gender),
		"vig_PerpetratorAgeBands": enumList(domain.PerpetratorAgeBand),
		"vig_CitizenshipRegions":  enumList(domain.UNRegion),
		"vig_PerpetratorRelation": enumList(domain.PerpetratorRelation),
		"vig_VictimPaid":          enumList(domain.YesNo),
		"vig_CTDCRoles":           enumList(domain.CTDCRole),
	},
	reflect.TypeFor[breakGlassRequest](): {
		"reason": {"type": "string", "minLength": 10, "maxLength": 500, "description": "why the case must be opened now; shown to the owning agency"},
		"hours":  {"type": "integer", "minimum": 1, "maximum": 24, "default": 3},
	},
	reflect.TypeFor[answerBody](): {
		"answer": {"type": "string", "enum": []string{domain.ReferralAccepted, domain.ReferralDeclined}},
		"reason": {"type": "string", "description": "required to decline: where the sender may refer the victim instead"},
	},
	reflect.TypeFor[domain.ReferralAnswer](): {
		"answer": {"type": "string", "enum": []string{domain.ReferralAccepted, domain.ReferralDeclined}},
	},
	reflect.TypeFor[domain.ReferredCase](): {
		"answer": {"type": "string", "enum": []string{"", domain.ReferralAccepted, domain.ReferralDeclined}, "description": "empty while the referral waits for an answer"},
	},
}

// enumList is the schema of a list of values of e.
func enumList(e *domain.Enum) map[string]any {
	return map[string]any{"type": []string{"array", "null"}, "items": map[string]any{"type": "string", "enum": e.Values}}
}

// structSchema describes a struct by its JSON tags; enum values come from
// the domain's registry, keyed by the field's HTCDS identifier.
func structSchema(t reflect.Type) map[string]any {
	props := map[string]any{}
	addFields(t, props)
	return map[string]any{"type": "object", "properties": props, "additionalProperties": false}
}

func addFields(t reflect.Type, props map[string]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			addFields(f.Type, props)
			continue
		}
		if !f.IsExported() {
			continue
		}
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		if name == "-" || name == "" {
			continue
		}
		if s, ok := fieldSchemas[t][name]; ok {
			props[name] = maps.Clone(s) // addTextRules writes into it
			continue
		}
		s := typeSchema(f.Type, name)
		if f.Type.Kind() == reflect.Pointer && !strings.Contains(f.Tag.Get("json"), ",omit") {
			s = nullable(s) // a nil pointer is written null
		}
		props[name] = s
	}
}

// nullable lets a schema also be null.
func nullable(s map[string]any) map[string]any {
	switch t := s["type"].(type) {
	case string:
		s["type"] = []string{t, "null"}
		return s
	case []string:
		if !slices.Contains(t, "null") {
			s["type"] = append(t, "null")
		}
		return s
	}
	if _, ok := s["$ref"]; ok {
		return map[string]any{"oneOf": []any{s, map[string]any{"type": "null"}}}
	}
	return s
}

func typeSchema(t reflect.Type, field string) map[string]any {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == dateType:
		return map[string]any{"type": []string{"string", "null"}, "format": "date"}
	case t == rawType:
		// Any JSON value; a field that always holds one type says so in
		// fieldSchemas (by reflection it would read as integers).
		return map[string]any{"description": "any JSON value"}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		return map[string]any{"type": "string", "contentEncoding": "base64"} // encoding/json's []byte
	}
	switch t.Kind() {
	case reflect.String:
		s := map[string]any{"type": "string"}
		if e, ok := domain.EnumFor(field); ok {
			s["enum"] = e.Values
		}
		return s
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Int16, reflect.Int8,
		reflect.Uint, reflect.Uint64, reflect.Uint32, reflect.Uint16:
		return map[string]any{"type": "integer"}
	case reflect.Float64, reflect.Float32:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		// A nil slice is written null.
		return map[string]any{"type": []string{"array", "null"}, "items": typeSchema(t.Elem(), field)}
	case reflect.Map:
		// A nil map is written null; keys are strings in JSON.
		return map[string]any{"type": []string{"object", "null"}, "additionalProperties": typeSchema(t.Elem(), field)}
	case reflect.Struct:
		for name, st := range schemaTypes {
			if st == t {
				return ref(name)
			}
		}
		return structSchema(t)
	}
	return map[string]any{}
}

func operationID(method, pattern string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, seg := range strings.Split(pattern, "/") {
		seg = strings.Trim(seg, "{}")
		if seg == "" || seg == "api" || seg == "v1" {
			continue
		}
		b.WriteString(strings.ToUpper(seg[:1]) + strings.ReplaceAll(seg[1:], ".", ""))
	}
	return b.String()
}

// versionedRoutes take the version of the record they change in an
// If-Match header (expectedVersion, deleteVersion): documented as a header
// parameter of each (TestVersionedRoutesDocumented keeps the list true).
var versionedRoutes = map[string]bool{
	"PUT /api/v1/cases/{ref}":                                    true,
	"PUT /api/v1/cases/{ref}/{part}/{id}":                        true,
	"DELETE /api/v1/cases/{ref}/{part}/{id}":                     true,
	"PUT /api/v1/users/{id}":                                     true,
	"PUT /api/v1/proceedings/{ref}":                              true,
	"DELETE /api/v1/proceedings/{ref}":                           true,
	"PUT /api/v1/proceedings/{ref}/{kind}/{id}":                  true,
	"DELETE /api/v1/proceedings/{ref}/{kind}/{id}":               true,
	"PUT /api/v1/law-articles/{id}":                              true,
	"PUT /api/v1/providers/{id}":                                 true,
	"DELETE /api/v1/providers/{id}":                              true,
	"PUT /api/v1/awareness/{id}":                                 true,
	"DELETE /api/v1/awareness/{id}":                              true,
	"POST /api/v1/releases/{id}/steps":                           true,
	"PUT /api/v1/suspects/{ref}":                                 true,
	"DELETE /api/v1/suspects/{ref}":                              true,
	"PUT /api/v1/suspects/{ref}/links/{id}":                      true,
	"DELETE /api/v1/suspects/{ref}/links/{id}":                   true,
	"PUT /api/v1/training/sessions/{id}":                         true,
	"PUT /api/v1/training/sessions/{id}/attendance/{aid}":        true,
	"DELETE /api/v1/training/sessions/{id}/attendance/{aid}":     true,
	"PUT /api/v1/training/sessions/{id}/attendance/{aid}/person": true,
}
