package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
	"jobcenter/staffing"
)

func (a *API) shiftRoutes(g *echo.Group) {
	g.GET("/shifts", a.listShifts, allow(models.Roles...))
	g.GET("/shifts/:id", a.getShift, allow(models.Roles...))
	g.POST("/shifts/:id/cancel", a.cancelShift, allow(models.RoleAdmin, models.RoleCoordinator, models.RoleCustomer))
}

// assignmentResponse is one person on a shift; staffing fills these in.
type assignmentResponse struct {
	ID            string  `json:"id"`
	ParticipantID *string `json:"participant_id"`
	SupervisorID  *string `json:"supervisor_id"`
	Pseudonym     string  `json:"pseudonym"`
}

type supervisorResponse struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

type shiftResponse struct {
	ID               string               `json:"id"`
	OrderID          string               `json:"order_id"`
	OrganiserID      string               `json:"organiser_id"`
	CustomerID       string               `json:"customer_id"`
	TaskTypeID       string               `json:"task_type_id"`
	Date             models.Date          `json:"date"`
	StartsAt         time.Time            `json:"starts_at"`
	EndsAt           time.Time            `json:"ends_at"`
	Status           string               `json:"status"`
	CrewSize         int                  `json:"crew_size"`
	CrewCount        int                  `json:"crew_count"`
	Assignments      []assignmentResponse `json:"assignments"`
	Supervisor       *supervisorResponse  `json:"supervisor"`
	TimesheetStatus  *string              `json:"timesheet_status"`
	LateCancellation bool                 `json:"late_cancellation"`
	CancelledAt      *time.Time           `json:"cancelled_at"`
	CancelReason     string               `json:"cancel_reason"`
	Version          int                  `json:"version"`
}

func shiftDTO(s models.Shift) shiftResponse {
	return shiftResponse{ID: s.ID, OrderID: s.OrderID, OrganiserID: s.OrganiserID, CustomerID: s.CustomerID, TaskTypeID: s.TaskTypeID,
		Date: s.Date, StartsAt: s.StartsAt.UTC(), EndsAt: s.EndsAt.UTC(), Status: s.Status, CrewSize: s.CrewSize,
		Assignments: []assignmentResponse{}, LateCancellation: s.LateCancellation, CancelledAt: s.CancelledAt,
		CancelReason: s.CancelReason, Version: s.Version}
}

var shiftStatuses = []string{models.ShiftOpen, models.ShiftStaffed, models.ShiftCompleted, models.ShiftCancelled}

// dateParam reads an optional YYYY-MM-DD query parameter.
func dateParam(c echo.Context, name string) (*models.Date, error) {
	s := c.QueryParam(name)
	if s == "" {
		return nil, nil
	}
	d, err := models.ParseDate(s)
	if err != nil {
		v := &models.ValidationError{}
		v.Add("/"+name, "must be a date YYYY-MM-DD")
		return nil, v
	}
	return &d, nil
}

func (a *API) listShifts(c echo.Context) error {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	f := staffing.ShiftFilter{Status: c.QueryParam("status"), OrderID: c.QueryParam("order_id"), OrganiserID: c.QueryParam("organiser_id")}
	if err := enumParam("/status", f.Status, shiftStatuses); err != nil {
		return err
	}
	if f.From, err = dateParam(c, "from"); err != nil {
		return err
	}
	if f.To, err = dateParam(c, "to"); err != nil {
		return err
	}
	page, err := a.Staffing.ListShifts(c.Request().Context(), principal(c), f, limit, cursor)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(page, shiftDTO))
}

func (a *API) getShift(c echo.Context) error {
	s, err := a.Staffing.Shift(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(s.Version))
	return c.JSON(http.StatusOK, shiftDTO(s))
}

func (a *API) cancelShift(c echo.Context) error {
	var req reasonRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	s, err := a.Staffing.CancelShift(c.Request().Context(), principal(c), c.Param("id"), req.Reason)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(s.Version))
	return c.JSON(http.StatusOK, shiftDTO(s))
}
