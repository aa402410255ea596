package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
	"jobcenter/store"
)

// organizationRoutes: the customers and organisers with their details, and
// each customer's agreements (price lists), for coordinators and admins.
// An edit carries the version it was made on, as the API's If-Match: a
// change made meanwhile is not overwritten.
func (a *App) organizationRoutes(g *echo.Group) {
	staff := []string{models.RoleCoordinator, models.RoleAdmin}
	a.page(g, http.MethodGet, "/organizations", a.organizationList, staff...)
	a.page(g, http.MethodGet, "/organizations/:id", a.organizationPage, staff...)
	a.page(g, http.MethodPost, "/organizations/:id", a.updateOrganization, staff...)
	a.page(g, http.MethodPost, "/organizations/:id/agreements", a.createAgreement, staff...)
}

type organizationListView struct {
	Customers, Organisers []models.Organization
}

func (a *App) organizationList(c echo.Context) error {
	var v organizationListView
	var err error
	if v.Customers, err = a.organizations(c, models.KindCustomer); err != nil {
		return err
	}
	if v.Organisers, err = a.organizations(c, models.KindOrganiser); err != nil {
		return err
	}
	return a.render(c, http.StatusOK, "organizations.html", "organizations.title", v)
}

// orgInput is one field of the form, named after the API's JSON pointer
// ("/billing_address/city" is billing_address_city). A percent field holds
// basis points shown as a percentage with two decimals; a field with
// options is a choice; Only names the kind that has the field.
type orgInput struct {
	Name    string
	Percent bool
	Options []string
	Only    string
}

// orgInputs are the fields a coordinator changes, in the form's order.
var orgInputs = []orgInput{
	{Name: "name"}, {Name: "business_id"},
	{Name: "vat_treatment", Options: []string{models.VatStandard, models.VatInternal, models.VatExempt}, Only: models.KindCustomer},
	{Name: "vat_exempt_reason", Only: models.KindCustomer},
	{Name: "sector", Options: []string{models.SectorPublic, models.SectorNonProfit, models.SectorCompany}, Only: models.KindCustomer},
	{Name: "language", Options: Languages, Only: models.KindCustomer},
	{Name: "billing_address_street"}, {Name: "billing_address_postal_code"}, {Name: "billing_address_city"},
	{Name: "einvoice_address"}, {Name: "einvoice_operator"},
	{Name: "iban", Only: models.KindOrganiser},
	{Name: "coordination_fee_bps", Percent: true, Only: models.KindOrganiser},
	{Name: "pension_insurer", Only: models.KindOrganiser}, {Name: "pension_policy_number", Only: models.KindOrganiser},
	{Name: "employer_pension_bps", Percent: true, Only: models.KindOrganiser},
	{Name: "accident_insurance_bps", Percent: true, Only: models.KindOrganiser},
	{Name: "contact_name", Only: models.KindOrganiser}, {Name: "contact_phone", Only: models.KindOrganiser},
	{Name: "contact_email", Only: models.KindOrganiser},
}

// orgValues are an organisation's fields as the form shows them in lang.
func orgValues(o models.Organization, lang string) url.Values {
	sector := ""
	if o.Sector != nil {
		sector = *o.Sector
	}
	return url.Values{"name": {o.Name}, "business_id": {o.BusinessID}, "vat_treatment": {o.VatTreatment},
		"vat_exempt_reason": {o.VatExemptReason}, "sector": {sector}, "language": {o.Language},
		"billing_address_street": {o.BillingStreet}, "billing_address_postal_code": {o.BillingPostalCode},
		"billing_address_city": {o.BillingCity}, "einvoice_address": {o.EinvoiceAddress},
		"einvoice_operator": {o.EinvoiceOperator}, "iban": {o.IBAN},
		"coordination_fee_bps": {formatHundredths(o.CoordinationFeeBps, lang)}, "pension_insurer": {o.PensionInsurer},
		"pension_policy_number": {o.PensionPolicyNumber}, "employer_pension_bps": {formatHundredths(o.EmployerPensionBps, lang)},
		"accident_insurance_bps": {formatHundredths(o.AccidentInsuranceBps, lang)},
		"contact_name":           {o.ContactName}, "contact_phone": {o.ContactPhone}, "contact_email": {o.ContactEmail},
		"version": {strconv.Itoa(o.Version)}}
}

type organizationView struct {
	Org    models.Organization
	Fields []orgInput
	Form   *form
	// Current is the organisation as someone else saved it meanwhile,
	// shown beside the user's input after a stale edit.
	Current    url.Values
	Agreements []models.Agreement
	// NewAgreement is the form of a new agreement version.
	NewAgreement *form
}

func (a *App) showOrganization(c echo.Context, status int, o models.Organization, f *form, current url.Values, agreement *form) error {
	v := organizationView{Org: o, Form: f, Current: current, NewAgreement: agreement}
	if v.Form == nil {
		v.Form = &form{Values: orgValues(o, lang(c))}
	}
	if v.NewAgreement == nil {
		v.NewAgreement = &form{Values: url.Values{"employment_model": {models.EmploymentSubcontracting}}}
	}
	for _, in := range orgInputs {
		if in.Only == "" || in.Only == o.Kind {
			v.Fields = append(v.Fields, in)
		}
	}
	if o.Kind == models.KindCustomer {
		var err error
		if v.Agreements, err = all(func(cur string) (store.Page[models.Agreement], error) {
			return a.Staffing.ListAgreements(c.Request().Context(), principal(c), o.ID, 200, cur)
		}); err != nil {
			return err
		}
	}
	return a.render(c, status, "organization.html", "organization.title", v)
}

func (a *App) organizationPage(c echo.Context) error {
	o, err := a.Directory.Organization(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return a.showOrganization(c, http.StatusOK, o, nil, nil, nil)
}

// updateOrganization saves the form through the API's use case with the
// version the form was shown at. When someone else saved meanwhile, the
// form comes back with the user's input, the current version beside it and
// the new version number, so that saving again is a deliberate choice.
func (a *App) updateOrganization(c echo.Context) error {
	ctx, p, id := c.Request().Context(), principal(c), c.Param("id")
	params, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f := &form{Values: url.Values{}}
	f.Values.Set("version", strings.TrimSpace(params.Get("version")))
	for _, in := range orgInputs {
		f.Values.Set(in.Name, strings.TrimSpace(params.Get(in.Name)))
	}
	version, err := strconv.Atoi(f.Value("version"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	invalid := &models.ValidationError{}
	percent := func(name string) int64 {
		n, err := parseHundredths(f.Value(name))
		if err != nil {
			invalid.Add("/"+name, "must be a percentage with at most two decimals")
		}
		return n
	}
	_, err = a.Directory.UpdateOrganization(ctx, p, id, version, func(o *models.Organization) {
		o.Name, o.BusinessID, o.EinvoiceAddress, o.EinvoiceOperator = f.Value("name"), f.Value("business_id"), f.Value("einvoice_address"), f.Value("einvoice_operator")
		o.SetBillingAddress(f.Value("billing_address_street"), f.Value("billing_address_postal_code"), f.Value("billing_address_city"), o.BillingCountry)
		switch o.Kind {
		case models.KindCustomer:
			sector := f.Value("sector")
			o.VatTreatment, o.VatExemptReason, o.Sector, o.Language = f.Value("vat_treatment"), f.Value("vat_exempt_reason"), &sector, f.Value("language")
		case models.KindOrganiser:
			o.IBAN, o.ContactName, o.ContactPhone, o.ContactEmail = f.Value("iban"), f.Value("contact_name"), f.Value("contact_phone"), f.Value("contact_email")
			o.PensionInsurer, o.PensionPolicyNumber = f.Value("pension_insurer"), f.Value("pension_policy_number")
			o.CoordinationFeeBps, o.EmployerPensionBps, o.AccidentInsuranceBps = percent("coordination_fee_bps"), percent("employer_pension_bps"), percent("accident_insurance_bps")
		}
	}, invalid)
	if err == nil {
		a.flash(c, "flash.organization_saved")
		return c.Redirect(http.StatusSeeOther, Prefix+"/organizations/"+id)
	}
	if errors.Is(err, models.ErrPrecondition) {
		current, err := a.Directory.Organization(ctx, p, id)
		if err != nil {
			return err
		}
		f.Problem = a.catalogue.text(lang(c), "organization.stale")
		f.Values.Set("version", strconv.Itoa(current.Version))
		return a.showOrganization(c, http.StatusConflict, current, f, orgValues(current, lang(c)), nil)
	}
	if err := a.problems(c, f, err, orgField); err != nil {
		return err
	}
	current, err := a.Directory.Organization(ctx, p, id)
	if err != nil {
		return err
	}
	return a.showOrganization(c, http.StatusUnprocessableEntity, current, f, nil, nil)
}

// orgField is the form field of a problem's pointer, or "" (the top of the
// form) for a field the form does not show.
func orgField(pointer string) string {
	name := strings.ReplaceAll(strings.TrimPrefix(pointer, "/"), "/", "_")
	for _, in := range orgInputs {
		if in.Name == name {
			return name
		}
	}
	return ""
}
