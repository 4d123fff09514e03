// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"github.com/google/uuid"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// referData is the page that refers a victim to a provider of the
// directory: the providers offering the service sought (and covering a
// province), each with its free beds, so that a shelter that is full is
// seen before the referral is sent.
type referData struct {
	Number            string
	Service, Province string
	Services, Provs   []option
	Providers         []providerRow
	Chosen            string
	Reason, Details   string
	Reasons           []option
	Problem           string
	Blocked           bool
	Errors            map[string]string
	FormID            string
	// Full names the chosen provider when it has no free place left: the
	// form comes back asking to confirm (full_ok) rather than sending a
	// victim to a shelter that cannot take her unnoticed.
	Full, FullCapacity string
}

// referProviderPage is GET /cases/{ref}/refer/provider?service=&province=.
func (s *site) referProviderPage(w http.ResponseWriter, r *http.Request) {
	_, f, ok := s.referral(w, r)
	if !ok {
		return
	}
	d, err := s.referData(r, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.FormID = uuid.Must(uuid.NewV7()).String()
	status := http.StatusOK
	if d.Blocked {
		status = http.StatusConflict
	}
	s.render(w, r, status, "prevention_refer", "prevention.refer.title", d)
}

func (s *site) referData(r *http.Request, f *actionForm) (*referData, error) {
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = r.PostForm
	}
	d := &referData{Number: f.Number, Service: q.Get("service"), Province: q.Get("province"),
		Services: enumOptions(r, domain.ProviderService), Provs: enumOptions(r, domain.Province),
		Reasons: enumOptions(r, domain.ReasonForOutgoingReferral), Problem: f.Problem, Blocked: f.Blocked}
	if !domain.ProviderService.Valid(d.Service) {
		d.Service = ""
	}
	if !domain.ValidProvince(d.Province) {
		d.Province = ""
	}
	st, err := s.prevention()
	if err != nil {
		return nil, err
	}
	list, _, err := st.Providers(r.Context(), domain.ProviderFilter{Service: d.Service, Province: d.Province, Limit: domain.MaxPageSize})
	if err != nil {
		return nil, err
	}
	d.Providers = providerRows(r, list)
	return d, nil
}

// referProvider is POST /cases/{ref}/refer/provider: an outgoing referral
// that names the provider (cas_ReferredOrganisation, vig_ReferredProvider)
// and, when the provider is a Vigie agency, opens the case to it
// (vig_ReferredAgency) as a referral to an agency does.
func (s *site) referProvider(w http.ResponseWriter, r *http.Request) {
	c, f, ok := s.referral(w, r)
	if !ok {
		return
	}
	d, err := s.referData(r, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Blocked {
		s.render(w, r, http.StatusConflict, "prevention_refer", "prevention.refer.title", d)
		return
	}
	d.Chosen, d.Reason, d.Details = r.PostForm.Get("provider"), r.PostForm.Get("cas_ReasonForOutgoingReferral"), r.PostForm.Get("cas_OutgoingReferralDetails")
	d.FormID = r.PostForm.Get("form_id")
	st, err := s.prevention()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := st.Provider(r.Context(), d.Chosen)
	if d.Chosen == "" || domain.KindOf(err) == domain.KindNotFound {
		d.Errors = map[string]string{"provider": "prevention.refer.choose"}
		s.render(w, r, http.StatusUnprocessableEntity, "prevention_refer", "prevention.refer.title", d)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if p.BedsFree != nil && *p.BedsFree == 0 && r.PostForm.Get("full_ok") == "" {
		d.Full, d.FullCapacity = p.Name, capacityText(i18n.For(langOf(r)), p)
		s.render(w, r, http.StatusConflict, "prevention_refer", "prevention.refer.title", d)
		return
	}
	ref := &domain.Referral{Direction: domain.ReferralOutgoing, ReferredOrganisation: p.Name, ReferredProvider: p.ID,
		ReasonForOutgoingReferral: d.Reason, OutgoingReferralDetails: d.Details,
		OutgoingReferralDate: domain.DateOf(s.Now().UTC()), ReferralStatus: domain.ReferralActive}
	if uuid.Validate(d.FormID) == nil {
		ref.ID = d.FormID
		for _, x := range c.Referrals {
			if x.ID == ref.ID {
				// Sent twice (double click, retry): saved the first time.
				redirect(w, "/cases/"+c.Number)
				return
			}
		}
	}
	if p.AgencyCode != "" && p.AgencyCode != c.Agency {
		ref.ReferredAgency = p.AgencyCode
		wk, err := s.work()
		if err != nil {
			s.fail(w, r, err)
			return
		}
		waiting, err := awaitingAnswer(r.Context(), wk, c, p.AgencyCode)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if waiting {
			d.Problem = "qa.refer.pending"
			s.render(w, r, http.StatusConflict, "prevention_refer", "prevention.refer.title", d)
			return
		}
	}
	err = s.Cases.AddPart(r.Context(), c.ID, domain.PartReferrals, ref)
	if domain.KindOf(err) == domain.KindConflict && ref.ID != "" {
		// Sent twice (double click, retry): the first one was saved.
		if cur, cerr := s.Cases.Case(r.Context(), c.ID); cerr == nil {
			for _, x := range cur.Referrals {
				if x.ID == ref.ID {
					err = nil
				}
			}
		}
	}
	switch domain.KindOf(err) {
	case "":
		redirect(w, "/cases/"+c.Number)
	case domain.KindInvalid:
		d.Errors = fieldMessages(err)
		s.render(w, r, http.StatusUnprocessableEntity, "prevention_refer", "prevention.refer.title", d)
	default:
		s.fail(w, r, err)
	}
}

// referralCapacity says, by provider ID, the free places today of the
// providers the case was referred to, for the referrals on the case
// page: whoever follows the case sees that the shelter chosen is full
// now, not only what it was when the referral was sent. Nothing for a
// visitor who may not read the directory; a provider deleted since is
// left out (the referral keeps its name).
func (s *site) referralCapacity(r *http.Request, l *i18n.Localizer, c *domain.Case) (map[string]string, error) {
	if visitorFrom(r).p.Allowed(domain.ResProvider, domain.ActRead) == domain.ScopeNone {
		return nil, nil
	}
	out := map[string]string{}
	for _, x := range c.Referrals {
		if x.ReferredProvider == "" || x.Direction != domain.ReferralOutgoing {
			continue
		}
		if _, done := out[x.ReferredProvider]; done {
			continue
		}
		st, err := s.prevention()
		if err != nil {
			return nil, err
		}
		p, err := st.Provider(r.Context(), x.ReferredProvider)
		if domain.KindOf(err) == domain.KindNotFound {
			out[x.ReferredProvider] = ""
			continue
		}
		if err != nil {
			return nil, err
		}
		out[x.ReferredProvider] = capacityText(l, p)
	}
	return out, nil
}
