package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
)

func (a *API) agreementRoutes(g *echo.Group) {
	staff := allow(models.RoleAdmin, models.RoleCoordinator, models.RoleFinance)
	g.POST("/agreements", a.createAgreement, staff)
	g.GET("/agreements", a.listAgreements, staff)
	g.GET("/agreements/:id", a.getAgreement, staff)
}

// agreementRequest is the terms of an agreement, as created and as shown.
type agreementRequest struct {
	CustomerID                  string       `json:"customer_id"`
	ParticipantHourPriceCents   int64        `json:"participant_hour_price_cents"`
	SupervisorHourPriceCents    int64        `json:"supervisor_hour_price_cents"`
	MinimumBillableMinutes      int          `json:"minimum_billable_minutes"`
	LateCancellationWindowHours int          `json:"late_cancellation_window_hours"`
	LateCancellationFeeCents    int64        `json:"late_cancellation_fee_cents"`
	PaymentTermDays             int          `json:"payment_term_days"`
	EmploymentModel             string       `json:"employment_model"`
	ValidFrom                   models.Date  `json:"valid_from"`
	ValidUntil                  *models.Date `json:"valid_until"`
}

type agreementResponse struct {
	ID string `json:"id"`
	agreementRequest
}

func agreementDTO(m models.Agreement) agreementResponse {
	return agreementResponse{ID: m.ID, agreementRequest: agreementRequest{CustomerID: m.CustomerID,
		ParticipantHourPriceCents: int64(m.ParticipantHourPriceCents), SupervisorHourPriceCents: int64(m.SupervisorHourPriceCents),
		MinimumBillableMinutes: m.MinimumBillableMinutes, LateCancellationWindowHours: m.LateCancellationWindowHours,
		LateCancellationFeeCents: int64(m.LateCancellationFeeCents), PaymentTermDays: m.PaymentTermDays,
		EmploymentModel: m.EmploymentModel, ValidFrom: m.ValidFrom, ValidUntil: m.ValidUntil}}
}

func (r agreementRequest) model() models.Agreement {
	return models.Agreement{CustomerID: r.CustomerID,
		ParticipantHourPriceCents: models.Cents(r.ParticipantHourPriceCents), SupervisorHourPriceCents: models.Cents(r.SupervisorHourPriceCents),
		MinimumBillableMinutes: r.MinimumBillableMinutes, LateCancellationWindowHours: r.LateCancellationWindowHours,
		LateCancellationFeeCents: models.Cents(r.LateCancellationFeeCents), PaymentTermDays: r.PaymentTermDays,
		EmploymentModel: r.EmploymentModel, ValidFrom: r.ValidFrom, ValidUntil: r.ValidUntil}
}

func (a *API) createAgreement(c echo.Context) error {
	var req agreementRequest
	invalid, err := decodeInvalid(c, &req)
	if err != nil {
		return err
	}
	m, err := a.Staffing.CreateAgreement(c.Request().Context(), principal(c), req.model(), invalid)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, agreementDTO(m))
}

func (a *API) listAgreements(c echo.Context) error {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	page, err := a.Staffing.ListAgreements(c.Request().Context(), principal(c), c.QueryParam("customer_id"), limit, cursor)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(page, agreementDTO))
}

func (a *API) getAgreement(c echo.Context) error {
	m, err := a.Staffing.Agreement(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, agreementDTO(m))
}
