package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
)

func (a *API) organizationRoutes(g *echo.Group) {
	staff := allow(models.RoleAdmin, models.RoleCoordinator)
	g.POST("/organizations", a.createOrganization, staff)
	g.GET("/organizations", a.listOrganizations, staff)
	g.GET("/organizations/:id", a.getOrganization, staff)
	g.PATCH("/organizations/:id", a.patchOrganization, staff)
	g.POST("/task-types", a.createTaskType, staff)
	// Every role reads task types: a customer names one in each order.
	g.GET("/task-types", a.listTaskTypes, allow(models.Roles...))
}

type address struct {
	Street     string `json:"street"`
	PostalCode string `json:"postal_code"`
	City       string `json:"city"`
	Country    string `json:"country"`
}

type organizationRequest struct {
	Kind               string   `json:"kind"`
	Name               string   `json:"name"`
	BusinessID         string   `json:"business_id"`
	VatTreatment       string   `json:"vat_treatment"`
	VatExemptReason    string   `json:"vat_exempt_reason"`
	BillingAddress     *address `json:"billing_address"`
	EinvoiceAddress    string   `json:"einvoice_address"`
	EinvoiceOperator   string   `json:"einvoice_operator"`
	IBAN               string   `json:"iban"`
	CoordinationFeeBps int64    `json:"coordination_fee_bps"`
	PublicBuyer        bool     `json:"public_buyer"`
	// Organisers as employers; the pension rate defaults to the 2026
	// average TyEL employer share.
	PensionInsurer       string  `json:"pension_insurer"`
	PensionPolicyNumber  string  `json:"pension_policy_number"`
	EmployerPensionBps   *int64  `json:"employer_pension_bps"`
	AccidentInsuranceBps int64   `json:"accident_insurance_bps"`
	Language             string  `json:"language"`
	Sector               *string `json:"sector"`
	ContactName          string  `json:"contact_name"`
	ContactPhone         string  `json:"contact_phone"`
	ContactEmail         string  `json:"contact_email"`
}

// defaultEmployerPensionBps is the 2026 average TyEL employer share
// (PAYROLL.md); the organiser's real rate is on its insurer's invoice.
const defaultEmployerPensionBps = 1710

// organizationPatch changes only the fields it names; kind never changes.
type organizationPatch struct {
	Name                 *string  `json:"name"`
	BusinessID           *string  `json:"business_id"`
	VatTreatment         *string  `json:"vat_treatment"`
	VatExemptReason      *string  `json:"vat_exempt_reason"`
	BillingAddress       *address `json:"billing_address"`
	EinvoiceAddress      *string  `json:"einvoice_address"`
	EinvoiceOperator     *string  `json:"einvoice_operator"`
	IBAN                 *string  `json:"iban"`
	CoordinationFeeBps   *int64   `json:"coordination_fee_bps"`
	PublicBuyer          *bool    `json:"public_buyer"`
	PensionInsurer       *string  `json:"pension_insurer"`
	PensionPolicyNumber  *string  `json:"pension_policy_number"`
	EmployerPensionBps   *int64   `json:"employer_pension_bps"`
	AccidentInsuranceBps *int64   `json:"accident_insurance_bps"`
	Language             *string  `json:"language"`
	Sector               *string  `json:"sector"`
	ContactName          *string  `json:"contact_name"`
	ContactPhone         *string  `json:"contact_phone"`
	ContactEmail         *string  `json:"contact_email"`
}

type organizationResponse struct {
	ID                   string  `json:"id"`
	Kind                 string  `json:"kind"`
	Name                 string  `json:"name"`
	BusinessID           string  `json:"business_id"`
	VatTreatment         *string `json:"vat_treatment"`
	VatExemptReason      string  `json:"vat_exempt_reason"`
	BillingAddress       address `json:"billing_address"`
	EinvoiceAddress      string  `json:"einvoice_address"`
	EinvoiceOperator     string  `json:"einvoice_operator"`
	IBAN                 string  `json:"iban"`
	CoordinationFeeBps   int64   `json:"coordination_fee_bps"`
	PublicBuyer          bool    `json:"public_buyer"`
	PensionInsurer       string  `json:"pension_insurer"`
	PensionPolicyNumber  string  `json:"pension_policy_number"`
	EmployerPensionBps   int64   `json:"employer_pension_bps"`
	AccidentInsuranceBps int64   `json:"accident_insurance_bps"`
	Language             string  `json:"language"`
	Sector               *string `json:"sector"`
	ContactName          string  `json:"contact_name"`
	ContactPhone         string  `json:"contact_phone"`
	ContactEmail         string  `json:"contact_email"`
	Version              int     `json:"version"`
}

func organizationDTO(o models.Organization) organizationResponse {
	r := organizationResponse{ID: o.ID, Kind: o.Kind, Name: o.Name, BusinessID: o.BusinessID, VatExemptReason: o.VatExemptReason,
		BillingAddress:  address{Street: o.BillingStreet, PostalCode: o.BillingPostalCode, City: o.BillingCity, Country: o.BillingCountry},
		EinvoiceAddress: o.EinvoiceAddress, EinvoiceOperator: o.EinvoiceOperator, IBAN: o.IBAN,
		CoordinationFeeBps: o.CoordinationFeeBps, PublicBuyer: o.PublicBuyer, PensionInsurer: o.PensionInsurer,
		PensionPolicyNumber: o.PensionPolicyNumber, EmployerPensionBps: o.EmployerPensionBps,
		AccidentInsuranceBps: o.AccidentInsuranceBps, Language: o.Language, Sector: o.Sector, ContactName: o.ContactName,
		ContactPhone: o.ContactPhone, ContactEmail: o.ContactEmail, Version: o.Version}
	if o.VatTreatment != "" {
		r.VatTreatment = &o.VatTreatment
	}
	return r
}

func (r organizationRequest) model() models.Organization {
	o := models.Organization{Kind: r.Kind, Name: r.Name, BusinessID: r.BusinessID, VatTreatment: r.VatTreatment,
		VatExemptReason: r.VatExemptReason, EinvoiceAddress: r.EinvoiceAddress, EinvoiceOperator: r.EinvoiceOperator,
		IBAN: r.IBAN, CoordinationFeeBps: r.CoordinationFeeBps, PublicBuyer: r.PublicBuyer, PensionInsurer: r.PensionInsurer,
		PensionPolicyNumber: r.PensionPolicyNumber, AccidentInsuranceBps: r.AccidentInsuranceBps, Language: r.Language, Sector: r.Sector,
		ContactName: r.ContactName, ContactPhone: r.ContactPhone, ContactEmail: r.ContactEmail}
	switch {
	case r.EmployerPensionBps != nil:
		o.EmployerPensionBps = *r.EmployerPensionBps
	case r.Kind == models.KindOrganiser:
		o.EmployerPensionBps = defaultEmployerPensionBps
	}
	if r.BillingAddress != nil {
		o.SetBillingAddress(r.BillingAddress.Street, r.BillingAddress.PostalCode, r.BillingAddress.City, r.BillingAddress.Country)
	}
	return o
}

// etag is the entity tag of a versioned object.
func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// ifMatch reads the version a PATCH is based on: 428 without If-Match, 412
// when it is not a version of ours.
func ifMatch(c echo.Context) (int, error) {
	h := c.Request().Header.Get("If-Match")
	if h == "" {
		return 0, errPreconditionRequired
	}
	v, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(h, "W/"), `"`))
	if err != nil {
		return 0, fmt.Errorf("If-Match %q is not an ETag of this object: %w", h, models.ErrPrecondition)
	}
	return v, nil
}

func (a *API) createOrganization(c echo.Context) error {
	var req organizationRequest
	invalid, err := decodeInvalid(c, &req)
	if err != nil {
		return err
	}
	o, err := a.Directory.CreateOrganization(c.Request().Context(), principal(c), req.model(), invalid)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(o.Version))
	return c.JSON(http.StatusCreated, organizationDTO(o))
}

func (a *API) listOrganizations(c echo.Context) error {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	kind := c.QueryParam("kind")
	if kind != "" && kind != models.KindCustomer && kind != models.KindOrganiser {
		v := &models.ValidationError{}
		v.Add("/kind", "must be customer or organiser")
		return v
	}
	page, err := a.Directory.ListOrganizations(c.Request().Context(), principal(c), kind, limit, cursor)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(page, organizationDTO))
}

func (a *API) getOrganization(c echo.Context) error {
	o, err := a.Directory.Organization(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(o.Version))
	return c.JSON(http.StatusOK, organizationDTO(o))
}

func (a *API) patchOrganization(c echo.Context) error {
	var req organizationPatch
	ctx, p, id := c.Request().Context(), principal(c), c.Param("id")
	return versionedPatch(c, &req,
		func() error { _, err := a.Directory.Organization(ctx, p, id); return err },
		func(version int, invalid *models.ValidationError) (models.Organization, error) {
			return a.Directory.UpdateOrganization(ctx, p, id, version, req.apply, invalid)
		},
		func(o models.Organization) (int, organizationResponse) { return o.Version, organizationDTO(o) })
}

func (p organizationPatch) apply(o *models.Organization) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&o.Name, p.Name)
	set(&o.BusinessID, p.BusinessID)
	set(&o.VatTreatment, p.VatTreatment)
	set(&o.VatExemptReason, p.VatExemptReason)
	set(&o.EinvoiceAddress, p.EinvoiceAddress)
	set(&o.EinvoiceOperator, p.EinvoiceOperator)
	set(&o.IBAN, p.IBAN)
	set(&o.Language, p.Language)
	if p.BillingAddress != nil {
		o.SetBillingAddress(p.BillingAddress.Street, p.BillingAddress.PostalCode, p.BillingAddress.City, p.BillingAddress.Country)
	}
	if p.CoordinationFeeBps != nil {
		o.CoordinationFeeBps = *p.CoordinationFeeBps
	}
	if p.PublicBuyer != nil {
		o.PublicBuyer = *p.PublicBuyer
	}
	set(&o.PensionInsurer, p.PensionInsurer)
	set(&o.PensionPolicyNumber, p.PensionPolicyNumber)
	set(&o.ContactName, p.ContactName)
	set(&o.ContactPhone, p.ContactPhone)
	set(&o.ContactEmail, p.ContactEmail)
	if p.EmployerPensionBps != nil {
		o.EmployerPensionBps = *p.EmployerPensionBps
	}
	if p.AccidentInsuranceBps != nil {
		o.AccidentInsuranceBps = *p.AccidentInsuranceBps
	}
	if p.Sector != nil {
		o.Sector = p.Sector
	}
}

type taskTypeRequest struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

type taskTypeResponse struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

func taskTypeDTO(t models.TaskType) taskTypeResponse {
	return taskTypeResponse{ID: t.ID, Name: t.Name, Description: t.Description}
}

func (a *API) createTaskType(c echo.Context) error {
	var req taskTypeRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	t, err := a.Directory.CreateTaskType(c.Request().Context(), principal(c), req.Name, req.Description)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, taskTypeDTO(t))
}

func (a *API) listTaskTypes(c echo.Context) error {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	page, err := a.Directory.ListTaskTypes(c.Request().Context(), principal(c), limit, cursor)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(page, taskTypeDTO))
}
