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

type accounts struct {
	Receivables       string `json:"receivables"`
	Sales             string `json:"sales"`
	VatPayable        string `json:"vat_payable"`
	Purchases         string `json:"purchases"`
	OrganiserPayables string `json:"organiser_payables"`
}

type tenantResponse struct {
	ID                   string   `json:"id"`
	Name                 string   `json:"name"`
	BusinessID           string   `json:"business_id"`
	Address              address  `json:"address"`
	IBAN                 string   `json:"iban"`
	BIC                  string   `json:"bic"`
	HorizonWeeks         int      `json:"horizon_weeks"`
	MaxCrewPerSupervisor int      `json:"max_crew_per_supervisor"`
	AutoApproveDays      int      `json:"auto_approve_days"`
	Accounts             accounts `json:"accounts"`
	Version              int      `json:"version"`
}

func tenantDTO(t models.Tenant) tenantResponse {
	return tenantResponse{ID: t.ID, Name: t.Name, BusinessID: t.BusinessID,
		Address: address{Street: t.Street, PostalCode: t.PostalCode, City: t.City, Country: "FI"}, IBAN: t.IBAN, BIC: t.BIC,
		HorizonWeeks: t.HorizonWeeks, MaxCrewPerSupervisor: t.MaxCrewPerSupervisor, AutoApproveDays: t.AutoApproveDays,
		Accounts: accounts{Receivables: t.AccountReceivables, Sales: t.AccountSales, VatPayable: t.AccountVatPayable,
			Purchases: t.AccountPurchases, OrganiserPayables: t.AccountOrganiserPayables},
		Version: t.Version}
}

// tenantPatch changes only the settings it names.
type tenantPatch struct {
	Name                 *string   `json:"name"`
	BusinessID           *string   `json:"business_id"`
	Address              *address  `json:"address"`
	IBAN                 *string   `json:"iban"`
	BIC                  *string   `json:"bic"`
	HorizonWeeks         *int      `json:"horizon_weeks"`
	MaxCrewPerSupervisor *int      `json:"max_crew_per_supervisor"`
	AutoApproveDays      *int      `json:"auto_approve_days"`
	Accounts             *accounts `json:"accounts"`
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
	setInt(&t.HorizonWeeks, p.HorizonWeeks)
	setInt(&t.MaxCrewPerSupervisor, p.MaxCrewPerSupervisor)
	setInt(&t.AutoApproveDays, p.AutoApproveDays)
	if p.Address != nil {
		t.Street, t.PostalCode, t.City = p.Address.Street, p.Address.PostalCode, p.Address.City
	}
	if p.Accounts != nil {
		t.AccountReceivables, t.AccountSales, t.AccountVatPayable = p.Accounts.Receivables, p.Accounts.Sales, p.Accounts.VatPayable
		t.AccountPurchases, t.AccountOrganiserPayables = p.Accounts.Purchases, p.Accounts.OrganiserPayables
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
		func(version int) (models.Tenant, error) {
			return a.Directory.UpdateTenant(c.Request().Context(), principal(c), version, req.apply)
		},
		func(t models.Tenant) (int, tenantResponse) { return t.Version, tenantDTO(t) })
}
