// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

type providersData struct {
	Items     []providerRow
	Total     int
	Service   string
	Province  string
	Query     string
	Services  []option
	Provs     []option
	CanEdit   bool
	CanDelete bool
	Saved     bool
	Invalid   bool
}

// providersPage is GET /providers: the directory, filtered by service
// and province covered (a plain GET form, no JavaScript).
func (s *site) providersPage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResProvider, domain.ActList) {
		return
	}
	st, err := s.prevention()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	d := providersData{Service: q.Get("service"), Province: q.Get("province"), Query: q.Get("q"),
		Services: enumOptions(r, domain.ProviderService), Provs: enumOptions(r, domain.Province),
		CanEdit: visitorFrom(r).p.Allowed(domain.ResProvider, domain.ActCreate) != domain.ScopeNone,
		Saved:   q.Get("saved") != ""}
	items, total, err := st.Providers(r.Context(), domain.ProviderFilter{Service: d.Service, Province: d.Province, Query: d.Query, Limit: domain.MaxPageSize})
	status := http.StatusOK
	if domain.KindOf(err) == domain.KindInvalid {
		// A filter that is not one of the lists (an edited URL): say so
		// and show the whole directory.
		d.Invalid, status = true, http.StatusUnprocessableEntity
		d.Service, d.Province, d.Query = "", "", ""
		items, total, err = st.Providers(r.Context(), domain.ProviderFilter{Limit: domain.MaxPageSize})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Items, d.Total = providerRows(r, items), total
	s.render(w, r, status, "prevention_providers", "prevention.providers.title", d)
}

// providerPage is GET /providers/{id}.
func (s *site) providerPage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResProvider, domain.ActRead) {
		return
	}
	st, err := s.prevention()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := st.Provider(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "prevention_provider", "prevention.providers.title", providersData{Items: providerRows(r, []*domain.Provider{p}),
		CanEdit:   visitorFrom(r).p.Allowed(domain.ResProvider, domain.ActUpdate) != domain.ScopeNone,
		CanDelete: visitorFrom(r).p.Allowed(domain.ResProvider, domain.ActDelete) != domain.ScopeNone, Saved: r.URL.Query().Get("saved") != ""})
}

// providerForm is the create and edit form of a provider: what was typed
// (strings, so that a refused number comes back as typed) and the errors.
type providerForm struct {
	Action, Title string
	ID            string
	Version       int64
	Name, Agency  string
	Type          string
	Phone, Email  string
	Address       string
	Provinces     map[string]bool
	Services      map[string]bool
	BedsTotal     string
	BedsFree      string
	CapacityDate  string
	Notes         string
	Errors        map[string]string
	Conflict      bool
	// Lists to choose from.
	Types, Services0, Provs []option
}

func (s *site) providerFormFor(r *http.Request, p *domain.Provider) *providerForm {
	f := &providerForm{Action: "/providers", Title: "prevention.provider.new", Provinces: map[string]bool{}, Services: map[string]bool{}}
	if p != nil && p.ID != "" {
		f.Action, f.Title, f.ID, f.Version = "/providers/"+p.ID+"/edit", "prevention.provider.edit", p.ID, p.Version
	}
	if p != nil {
		f.Name, f.Agency, f.Type, f.Phone, f.Email, f.Address, f.Notes = p.Name, p.AgencyCode, p.Type, p.Phone, p.Email, p.Address, p.Notes
		for _, v := range p.Provinces {
			f.Provinces[v] = true
		}
		for _, v := range p.Services {
			f.Services[v] = true
		}
		if p.BedsTotal != nil {
			f.BedsTotal = strconv.Itoa(*p.BedsTotal)
		}
		if p.BedsFree != nil {
			f.BedsFree = strconv.Itoa(*p.BedsFree)
		}
		f.CapacityDate = p.CapacityDate.String()
	}
	f.Types, f.Services0, f.Provs = enumOptions(r, domain.ProviderType), enumOptions(r, domain.ProviderService), enumOptions(r, domain.Province)
	return f
}

// parseProvider reads the form into a provider; problems of the form
// itself (a number that is not one) come back with the provider's own.
func parseProvider(r *http.Request) (*domain.Provider, domain.Problems) {
	var pr domain.Problems
	v := r.PostForm
	p := &domain.Provider{Name: strings.TrimSpace(v.Get("name")), AgencyCode: strings.ToUpper(strings.TrimSpace(v.Get("agency_code"))),
		Type: v.Get("type"), Phone: strings.TrimSpace(v.Get("phone")), Email: strings.TrimSpace(v.Get("email")),
		Address: strings.TrimSpace(v.Get("address")), Notes: strings.TrimSpace(v.Get("notes")),
		Provinces: v["provinces"], Services: v["services"]}
	p.BedsTotal = formInt(&pr, v, "beds_total")
	p.BedsFree = formInt(&pr, v, "beds_free")
	p.CapacityDate = parseDay(&pr, "capacity_date", strings.TrimSpace(v.Get("capacity_date")))
	if n, err := strconv.ParseInt(v.Get("version"), 10, 64); err == nil {
		p.Version = n
	}
	return p, pr
}

// formInt reads an optional whole number; "" is nil.
func formInt(p *domain.Problems, v url.Values, field string) *int {
	s := strings.TrimSpace(v.Get(field))
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		p.Add(field, "validation.integer", "%q is not a whole number", s)
		return nil
	}
	return &n
}

func (s *site) newProviderPage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResProvider, domain.ActCreate) {
		return
	}
	s.render(w, r, http.StatusOK, "prevention_provider_form", "prevention.provider.new", s.providerFormFor(r, nil))
}

func (s *site) editProviderPage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResProvider, domain.ActUpdate) {
		return
	}
	st, err := s.prevention()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := st.Provider(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "prevention_provider_form", "prevention.provider.edit", s.providerFormFor(r, p))
}

func (s *site) createProvider(w http.ResponseWriter, r *http.Request) {
	s.saveProvider(w, r, domain.ActCreate)
}

func (s *site) editProvider(w http.ResponseWriter, r *http.Request) {
	s.saveProvider(w, r, domain.ActUpdate)
}

// saveProvider creates or updates a provider from the form. A stale
// version saves nothing: the form comes back with what was typed.
func (s *site) saveProvider(w http.ResponseWriter, r *http.Request, act domain.Action) {
	if !s.allowed(w, r, domain.ResProvider, act) {
		return
	}
	st, err := s.prevention()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, pr := parseProvider(r)
	if act == domain.ActUpdate {
		p.ID = r.PathValue("id")
	}
	err = pr.Err()
	if err == nil {
		err = s.checkProviderLink(r, st, p)
	}
	if err == nil && act == domain.ActCreate {
		err = st.CreateProvider(r.Context(), p)
	} else if err == nil {
		err = st.UpdateProvider(r.Context(), p)
	}
	if err == nil {
		redirect(w, "/providers/"+p.ID+"?saved=1")
		return
	}
	f := s.providerFormFor(r, p)
	switch domain.KindOf(err) {
	case domain.KindInvalid:
		f.Errors = fieldMessages(err)
		s.render(w, r, http.StatusUnprocessableEntity, "prevention_provider_form", f.Title, f)
	case domain.KindConflict:
		f.Conflict = true
		s.render(w, r, http.StatusConflict, "prevention_provider_form", f.Title, f)
	default:
		s.fail(w, r, err)
	}
}

// capacityText says a provider's free beds for a list or a select, in
// the visitor's language ("" when it has no beds on record).
func capacityText(l *i18n.Localizer, p *domain.Provider) string {
	if p.BedsFree == nil && p.BedsTotal == nil {
		return ""
	}
	// An unknown count reads "?" and takes the plural.
	free, n, total := "?", 2, "?"
	if p.BedsFree != nil {
		free, n = l.Number(int64(*p.BedsFree)), *p.BedsFree
	}
	if p.BedsTotal != nil {
		total = l.Number(int64(*p.BedsTotal))
	}
	out := l.N("prevention.provider.beds", n, map[string]any{"Count": free, "Total": total})
	if !p.CapacityDate.IsZero() {
		out += " " + l.T("prevention.provider.as_of", map[string]any{"Date": l.Date(p.CapacityDate.Time())})
	}
	return out
}

// providerRow is a provider with its capacity said in words.
type providerRow struct {
	P        *domain.Provider
	Capacity string
}

func providerRows(r *http.Request, ps []*domain.Provider) []providerRow {
	l := i18n.For(langOf(r))
	out := make([]providerRow, len(ps))
	for i, p := range ps {
		out[i] = providerRow{P: p, Capacity: capacityText(l, p)}
	}
	return out
}

// checkProviderLink refuses a change of the agency a provider stands for
// by a role that may not link one (see domain.MayLinkProviderAgency).
func (s *site) checkProviderLink(r *http.Request, st domain.PreventionService, p *domain.Provider) error {
	if visitorFrom(r).p.MayLinkProviderAgency() {
		return nil
	}
	from := ""
	if p.ID != "" {
		cur, err := st.Provider(r.Context(), p.ID)
		if err != nil {
			return err
		}
		from = cur.AgencyCode
	}
	if p.AgencyCode == from {
		return nil
	}
	var pr domain.Problems
	pr.Add("agency_code", "validation.provider_agency_admin", "only an administrator may link a provider to a Vigie agency")
	return pr.Err()
}

// deleteProvider is POST /providers/{id}/delete (admins): the version
// shown must still be the current one. Referrals that named the provider
// keep its name.
func (s *site) deleteProvider(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResProvider, domain.ActDelete) {
		return
	}
	st, err := s.prevention()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err := st.DeleteProvider(r.Context(), r.PathValue("id"), v); err != nil {
		s.failChange(w, r, err)
		return
	}
	redirect(w, "/providers?saved=1")
}
