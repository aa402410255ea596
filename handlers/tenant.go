package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
)

func (a *API) tenantRoutes(g *echo.Group) {
	g.GET("/tenant", a.getTenant, allow(models.RoleAdmin, models.RoleFinance))
	g.PATCH("/tenant", a.patchTenant, allow(models.RoleAdmin))
}

// accounts are the journal's account codes: the invoices' and settlements',
// then the organisers' participant pay (billing.PayrollAccounts).
type accounts struct {
	Receivables              string `json:"receivables"`
	Sales                    string `json:"sales"`
	VatPayable               string `json:"vat_payable"`
	Purchases                string `json:"purchases"`
	OrganiserPayables        string `json:"organiser_payables"`
	Wages                    string `json:"wages"`
	SocialCosts              string `json:"social_costs"`
	WithholdingPayable       string `json:"withholding_payable"`
	SocialSecurityPayable    string `json:"social_security_payable"`
	PensionPayable           string `json:"pension_payable"`
	UnemploymentPayable      string `json:"unemployment_payable"`
	AccidentInsurancePayable string `json:"accident_insurance_payable"`
	HolidayLiability         string `json:"holiday_liability"`
	NetWagesPayable          string `json:"net_wages_payable"`
}

// accountsPatch changes only the accounts it names.
type accountsPatch struct {
	Receivables              *string `json:"receivables"`
	Sales                    *string `json:"sales"`
	VatPayable               *string `json:"vat_payable"`
	Purchases                *string `json:"purchases"`
	OrganiserPayables        *string `json:"organiser_payables"`
	Wages                    *string `json:"wages"`
	SocialCosts              *string `json:"social_costs"`
	WithholdingPayable       *string `json:"withholding_payable"`
	SocialSecurityPayable    *string `json:"social_security_payable"`
	PensionPayable           *string `json:"pension_payable"`
	UnemploymentPayable      *string `json:"unemployment_payable"`
	AccidentInsurancePayable *string `json:"accident_insurance_payable"`
	HolidayLiability         *string `json:"holiday_liability"`
	NetWagesPayable          *string `json:"net_wages_payable"`
}

type tenantResponse struct {
	ID                   string   `json:"id"`
	Name                 string   `json:"name"`
	BusinessID           string   `json:"business_id"`
	Address              address  `json:"address"`
	IBAN                 string   `json:"iban"`
	BIC                  string   `json:"bic"`
	EinvoiceAddress      string   `json:"einvoice_address"`
	EinvoiceOperator     string   `json:"einvoice_operator"`
	HorizonWeeks         int      `json:"horizon_weeks"`
	MaxCrewPerSupervisor int      `json:"max_crew_per_supervisor"`
	AutoApproveDays      int      `json:"auto_approve_days"`
	Accounts             accounts `json:"accounts"`
	Version              int      `json:"version"`
}

func tenantDTO(t models.Tenant) tenantResponse {
	return tenantResponse{ID: t.ID, Name: t.Name, BusinessID: t.BusinessID,
		Address: address{Street: t.Street, PostalCode: t.PostalCode, City: t.City, Country: "FI"}, IBAN: t.IBAN, BIC: t.BIC,
		EinvoiceAddress: t.EinvoiceAddress, EinvoiceOperator: t.EinvoiceOperator,
		HorizonWeeks: t.HorizonWeeks, MaxCrewPerSupervisor: t.MaxCrewPerSupervisor, AutoApproveDays: t.AutoApproveDays,
		Accounts: accounts{Receivables: t.AccountReceivables, Sales: t.AccountSales, VatPayable: t.AccountVatPayable,
			Purchases: t.AccountPurchases, OrganiserPayables: t.AccountOrganiserPayables,
			Wages: t.AccountWages, SocialCosts: t.AccountSocialCosts, WithholdingPayable: t.AccountWithholdingPayable,
			SocialSecurityPayable: t.AccountSocialSecurityPayable, PensionPayable: t.AccountPensionPayable,
			UnemploymentPayable: t.AccountUnemploymentPayable, AccidentInsurancePayable: t.AccountAccidentInsurancePayable,
			HolidayLiability: t.AccountHolidayLiability, NetWagesPayable: t.AccountNetWagesPayable},
		Version: t.Version}
}

// tenantPatch changes only the settings it names.
type tenantPatch struct {
	Name                 *string        `json:"name"`
	BusinessID           *string        `json:"business_id"`
	Address              *address       `json:"address"`
	IBAN                 *string        `json:"iban"`
	BIC                  *string        `json:"bic"`
	EinvoiceAddress      *string        `json:"einvoice_address"`
	EinvoiceOperator     *string        `json:"einvoice_operator"`
	HorizonWeeks         *int           `json:"horizon_weeks"`
	MaxCrewPerSupervisor *int           `json:"max_crew_per_supervisor"`
	AutoApproveDays      *int           `json:"auto_approve_days"`
	Accounts             *accountsPatch `json:"accounts"`
}

func (p tenantPatch) apply(t *models.Tenant) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	setInt := func(dst *int, src *int) {
		if src != nil {
			*dst = *src
		}
	}
	set(&t.Name, p.Name)
	set(&t.BusinessID, p.BusinessID)
	set(&t.IBAN, p.IBAN)
	set(&t.BIC, p.BIC)
	set(&t.EinvoiceAddress, p.EinvoiceAddress)
	set(&t.EinvoiceOperator, p.EinvoiceOperator)
	setInt(&t.HorizonWeeks, p.HorizonWeeks)
	setInt(&t.MaxCrewPerSupervisor, p.MaxCrewPerSupervisor)
	setInt(&t.AutoApproveDays, p.AutoApproveDays)
	if p.Address != nil {
		t.Street, t.PostalCode, t.City = p.Address.Street, p.Address.PostalCode, p.Address.City
	}
	if a := p.Accounts; a != nil {
		set(&t.AccountReceivables, a.Receivables)
		set(&t.AccountSales, a.Sales)
		set(&t.AccountVatPayable, a.VatPayable)
		set(&t.AccountPurchases, a.Purchases)
		set(&t.AccountOrganiserPayables, a.OrganiserPayables)
		set(&t.AccountWages, a.Wages)
		set(&t.AccountSocialCosts, a.SocialCosts)
		set(&t.AccountWithholdingPayable, a.WithholdingPayable)
		set(&t.AccountSocialSecurityPayable, a.SocialSecurityPayable)
		set(&t.AccountPensionPayable, a.PensionPayable)
		set(&t.AccountUnemploymentPayable, a.UnemploymentPayable)
		set(&t.AccountAccidentInsurancePayable, a.AccidentInsurancePayable)
		set(&t.AccountHolidayLiability, a.HolidayLiability)
		set(&t.AccountNetWagesPayable, a.NetWagesPayable)
	}
}

func (a *API) getTenant(c echo.Context) error {
	t, err := a.Directory.Tenant(c.Request().Context(), principal(c).TenantID)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(t.Version))
	return c.JSON(http.StatusOK, tenantDTO(t))
}

func (a *API) patchTenant(c echo.Context) error {
	var req tenantPatch
	return versionedPatch(c, &req, nil, // the caller's own tenant always exists
		func(version int, invalid *models.ValidationError) (models.Tenant, error) {
			return a.Directory.UpdateTenant(c.Request().Context(), principal(c), version, req.apply, invalid)
		},
		func(t models.Tenant) (int, tenantResponse) { return t.Version, tenantDTO(t) })
}
