package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
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

// orgFields are the editable fields of the form, named after the API's
// JSON pointers ("/billing_address/city" is billing_address_city).
var orgFields = []string{"name", "business_id", "billing_address_street", "billing_address_postal_code", "billing_address_city",
	"einvoice_address", "einvoice_operator", "iban", "contact_name", "contact_phone", "contact_email"}

// organiserOnly are the fields only an organiser (the employer) has.
var organiserOnly = map[string]bool{"iban": true, "contact_name": true, "contact_phone": true, "contact_email": true}

// orgValues are an organisation's fields as the form shows them.
func orgValues(o models.Organization) url.Values {
	return url.Values{"name": {o.Name}, "business_id": {o.BusinessID}, "billing_address_street": {o.BillingStreet},
		"billing_address_postal_code": {o.BillingPostalCode}, "billing_address_city": {o.BillingCity},
		"einvoice_address": {o.EinvoiceAddress}, "einvoice_operator": {o.EinvoiceOperator}, "iban": {o.IBAN},
		"contact_name": {o.ContactName}, "contact_phone": {o.ContactPhone}, "contact_email": {o.ContactEmail},
		"version": {strconv.Itoa(o.Version)}}
}

type organizationView struct {
	Org    models.Organization
	Fields []string
	Form   *form
	// Current is the organisation as someone else saved it meanwhile,
	// shown beside the user's input after a stale edit.
	Current    url.Values
	Agreements []models.Agreement
}

func (a *App) showOrganization(c echo.Context, status int, o models.Organization, f *form, current url.Values) error {
	v := organizationView{Org: o, Form: f, Current: current}
	for _, name := range orgFields {
		if o.Kind == models.KindOrganiser || !organiserOnly[name] {
			v.Fields = append(v.Fields, name)
		}
	}
	if o.Kind == models.KindCustomer {
		var err error
		if v.Agreements, err = all(func(cur string) ([]models.Agreement, *string, error) {
			pg, err := a.Staffing.ListAgreements(c.Request().Context(), principal(c), o.ID, 200, cur)
			return pg.Items, pg.NextCursor, err
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
	return a.showOrganization(c, http.StatusOK, o, &form{Values: orgValues(o)}, nil)
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
	for _, name := range append(orgFields, "version") {
		f.Values.Set(name, strings.TrimSpace(params.Get(name)))
	}
	version, err := strconv.Atoi(f.Value("version"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	_, err = a.Directory.UpdateOrganization(ctx, p, id, version, func(o *models.Organization) {
		o.Name, o.BusinessID, o.EinvoiceAddress, o.EinvoiceOperator = f.Value("name"), f.Value("business_id"), f.Value("einvoice_address"), f.Value("einvoice_operator")
		o.SetBillingAddress(f.Value("billing_address_street"), f.Value("billing_address_postal_code"), f.Value("billing_address_city"), o.BillingCountry)
		if o.Kind == models.KindOrganiser {
			o.IBAN, o.ContactName, o.ContactPhone, o.ContactEmail = f.Value("iban"), f.Value("contact_name"), f.Value("contact_phone"), f.Value("contact_email")
		}
	}, nil)
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
		return a.showOrganization(c, http.StatusConflict, current, f, orgValues(current))
	}
	if err := a.problems(c, f, err, orgField); err != nil {
		return err
	}
	current, err := a.Directory.Organization(ctx, p, id)
	if err != nil {
		return err
	}
	return a.showOrganization(c, http.StatusUnprocessableEntity, current, f, nil)
}

// orgField is the form field of a problem's pointer, or "" (the top of the
// form) for a field the form does not show.
func orgField(pointer string) string {
	name := strings.ReplaceAll(strings.TrimPrefix(pointer, "/"), "/", "_")
	if slices.Contains(orgFields, name) {
		return name
	}
	return ""
}
