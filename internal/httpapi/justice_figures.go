// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"net/http"
	"reflect"

	"vigie/internal/domain"
)

// The list of offences (/api/v1/law-articles) and the figures that the
// statistics to come read (/api/v1/figures).
func init() {
	addArea([]route{
		{"GET", "/api/v1/law-articles", signedIn, (*api).listLawArticles},
		{"POST", "/api/v1/law-articles", signedIn, (*api).createLawArticle},
		{"PUT", "/api/v1/law-articles/{id}", signedIn, (*api).updateLawArticle},
		{"GET", "/api/v1/figures/justice", signedIn, (*api).justiceFigures},
		{"GET", "/api/v1/figures", signedIn, (*api).figures},
	}, map[string]operation{
		"GET /api/v1/law-articles":      {"The list of offences (articles of national law) charges cite, by code; ?active=true for those offered to new charges", "", map[int]string{200: "LawArticleList", 403: "Problem", 422: "Problem"}, []string{"active"}},
		"POST /api/v1/law-articles":     {"Add an article of law to the list of offences (coordinators)", "LawArticle", map[int]string{201: "LawArticle", 403: "Problem", 409: "Problem", 422: "Problem"}, nil},
		"PUT /api/v1/law-articles/{id}": {"Correct or retire an article (its code does not change); needs the edited version (body or If-Match)", "LawArticle", map[int]string{200: "LawArticle", 403: "Problem", 404: "Problem", 409: "Problem", 422: "Problem"}, nil},
		"GET /api/v1/figures/justice":   {"Persons investigated, prosecuted and convicted by sex, age group and citizenship; offences by article and verdict; sentences; over a period, for one agency or all", "", map[int]string{200: "JusticeFigures", 403: "Problem", 422: "Problem"}, figuresParams},
		"GET /api/v1/figures":           {"The justice figures, the officials trained (by ministry, province and sex) and the people reached by awareness activities, over a period", "", map[int]string{200: "Figures", 403: "Problem", 422: "Problem"}, figuresParams},
	})
	schemaTypes["LawArticle"] = reflect.TypeFor[domain.LawArticle]()
	schemaTypes["LawArticleList"] = reflect.TypeFor[lawArticleList]()
	schemaTypes["JusticeFigures"] = reflect.TypeFor[domain.JusticeFigures]()
	schemaTypes["Figures"] = reflect.TypeFor[domain.Figures]()
}

var figuresParams = []string{"from", "to", "agency"}

type lawArticleList struct {
	Items []*domain.LawArticle `json:"items"`
}

func (a *api) listLawArticles(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResLaw, domain.ActList); err != nil {
		return err
	}
	qp := readQuery(r.URL.Query(), []string{"active"})
	active := qp.str("active")
	if active != "" && active != "true" && active != "false" {
		qp.p.Add("active", "validation.boolean", "must be true or false")
	}
	if err := qp.p.Err(); err != nil {
		return err
	}
	s, err := a.justice()
	if err != nil {
		return err
	}
	list, err := s.LawArticles(r.Context(), active == "true")
	if err != nil {
		return err
	}
	if list == nil {
		list = []*domain.LawArticle{}
	}
	writeJSON(w, http.StatusOK, lawArticleList{Items: list})
	return nil
}

func (a *api) createLawArticle(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResLaw, domain.ActCreate); err != nil {
		return err
	}
	var l domain.LawArticle
	if err := decodeJSON(w, r, &l); err != nil {
		return err
	}
	l.Meta = domain.Meta{}
	s, err := a.justice()
	if err != nil {
		return err
	}
	if err := s.CreateLawArticle(r.Context(), &l); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(l.Version))
	writeJSON(w, http.StatusCreated, &l)
	return nil
}

func (a *api) updateLawArticle(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireScope(r, domain.ResLaw, domain.ActUpdate); err != nil {
		return err
	}
	var l domain.LawArticle
	if err := decodeJSON(w, r, &l); err != nil {
		return err
	}
	v, err := expectedVersion(r, l.Version)
	if err != nil {
		return err
	}
	l.Meta = domain.Meta{ID: r.PathValue("id"), Version: v}
	s, err := a.justice()
	if err != nil {
		return err
	}
	if err := s.UpdateLawArticle(r.Context(), &l); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(l.Version))
	writeJSON(w, http.StatusOK, &l)
	return nil
}

// figuresFilter reads the period and agency of the figures. Coordinators
// read every agency's; a supervisor their own agency's only, whatever
// agency they name.
func figuresFilter(r *http.Request) (domain.FiguresFilter, error) {
	scope, err := requireScope(r, domain.ResStatistics, domain.ActRead)
	if err != nil {
		return domain.FiguresFilter{}, err
	}
	qp := readQuery(r.URL.Query(), figuresParams)
	f := domain.FiguresFilter{From: qp.date("from"), To: qp.date("to"), Agency: qp.str("agency")}
	if err := qp.p.Err(); err != nil {
		return f, err
	}
	if own := principal(r).Agency; scope == domain.ScopeAgency {
		if f.Agency != "" && f.Agency != own {
			return f, domain.Errorf(domain.KindForbidden, "votre rôle ne permet de voir que les chiffres de votre agence / your role reaches your agency's figures only (%s)", own)
		}
		f.Agency = own
	}
	return f, f.Validate()
}

func (a *api) justiceFigures(w http.ResponseWriter, r *http.Request) error {
	f, err := figuresFilter(r)
	if err != nil {
		return err
	}
	s, err := a.justice()
	if err != nil {
		return err
	}
	fig, err := s.JusticeFigures(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fig)
	return nil
}

// figures gathers the three areas' figures. Officials trained are
// counted nationally (training records are read nationally by every
// role that reads figures); awareness follows the agency of the filter.
func (a *api) figures(w http.ResponseWriter, r *http.Request) error {
	f, err := figuresFilter(r)
	if err != nil {
		return err
	}
	s, err := a.justice()
	if err != nil {
		return err
	}
	ts, ok := a.Agencies.(domain.TrainingService)
	if !ok {
		return domain.Errorf(domain.KindInternal, "no store for training")
	}
	ps, err := a.prevention()
	if err != nil {
		return err
	}
	var out domain.Figures
	if out.Justice, err = s.JusticeFigures(r.Context(), f); err != nil {
		return err
	}
	if out.Training, err = ts.TrainingSummary(r.Context(), f.From, f.To); err != nil {
		return err
	}
	if out.Awareness, err = ps.AwarenessSummary(r.Context(), domain.AwarenessFilter{From: f.From, To: f.To, Agency: f.Agency}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, &out)
	return nil
}
