package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
	"jobcenter/reports"
)

func (a *API) reportRoutes(g *echo.Group) {
	g.GET("/reports/kpi", a.kpi, allow(models.RoleAdmin, models.RoleCoordinator))
}

// figuresResponse are the shift-based figures of the whole tenant, an
// organiser or a task type.
type figuresResponse struct {
	ParticipantMinutes int64 `json:"participant_minutes"`
	SupervisorMinutes  int64 `json:"supervisor_minutes"`
	ShiftsOrdered      int64 `json:"shifts_ordered"`
	ShiftsStaffed      int64 `json:"shifts_staffed"`
	ShiftsCancelled    int64 `json:"shifts_cancelled"`
	FillRateBps        int64 `json:"fill_rate_bps"`
	ActiveParticipants int64 `json:"active_participants"`
}

type paidWorkResponse struct {
	PaidEmploymentParticipants int64 `json:"paid_employment_participants"`
	PaidEmploymentShareBps     int64 `json:"paid_employment_share_bps"`
}

type moneyResponse struct {
	RevenueCents           models.Cents `json:"revenue_cents"`
	OrganiserPayablesCents models.Cents `json:"organiser_payables_cents"`
}

type targetResponse struct {
	MinBps int64 `json:"min_bps"`
	MaxBps int64 `json:"max_bps"`
}

type organiserKPIResponse struct {
	OrganiserID string `json:"organiser_id"`
	Name        string `json:"name"`
	figuresResponse
	paidWorkResponse
	moneyResponse
}

type taskTypeKPIResponse struct {
	TaskTypeID string `json:"task_type_id"`
	Name       string `json:"name"`
	figuresResponse
}

type kpiResponse struct {
	From models.Date `json:"from"`
	To   models.Date `json:"to"`
	figuresResponse
	paidWorkResponse
	PaidEmploymentTarget targetResponse `json:"paid_employment_target"`
	PaidWorkDefinition   string         `json:"paid_work_definition"`
	moneyResponse
	Organisers []organiserKPIResponse `json:"organisers"`
	TaskTypes  []taskTypeKPIResponse  `json:"task_types"`
}

func figuresDTO(f reports.Figures) figuresResponse { return figuresResponse(f) }

func paidWorkDTO(p reports.PaidWork) paidWorkResponse {
	return paidWorkResponse{PaidEmploymentParticipants: p.Participants, PaidEmploymentShareBps: p.ShareBps}
}

func moneyDTO(m reports.Money) moneyResponse {
	return moneyResponse{RevenueCents: m.RevenueCents, OrganiserPayablesCents: m.PayablesCents}
}

func (a *API) kpi(c echo.Context) error {
	v := &models.ValidationError{}
	from := parseDate(v, "/from", c.QueryParam("from"))
	to := parseDate(v, "/to", c.QueryParam("to"))
	if err := v.Err(); err != nil {
		return err
	}
	r, err := a.Reports.KPI(c.Request().Context(), principal(c), from, to)
	if err != nil {
		return err
	}
	out := kpiResponse{From: r.From, To: r.To, figuresResponse: figuresDTO(r.Figures), paidWorkResponse: paidWorkDTO(r.PaidWork),
		PaidEmploymentTarget: targetResponse{MinBps: reports.PaidEmploymentTargetMinBps, MaxBps: reports.PaidEmploymentTargetMaxBps},
		PaidWorkDefinition:   reports.PaidWorkDefinition,
		moneyResponse:        moneyDTO(r.Money),
		Organisers:           make([]organiserKPIResponse, len(r.Organisers)), TaskTypes: make([]taskTypeKPIResponse, len(r.TaskTypes))}
	for i, o := range r.Organisers {
		out.Organisers[i] = organiserKPIResponse{OrganiserID: o.OrganiserID, Name: o.Name, figuresResponse: figuresDTO(o.Figures),
			paidWorkResponse: paidWorkDTO(o.PaidWork), moneyResponse: moneyDTO(o.Money)}
	}
	for i, t := range r.TaskTypes {
		out.TaskTypes[i] = taskTypeKPIResponse{TaskTypeID: t.TaskTypeID, Name: t.Name, figuresResponse: figuresDTO(t.Figures)}
	}
	return c.JSON(http.StatusOK, out)
}
