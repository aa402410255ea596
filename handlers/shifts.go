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
	staffers := allow(models.RoleAdmin, models.RoleCoordinator, models.RoleSupervisor)
	g.POST("/shifts/:id/assignments", a.assign, staffers)
	g.DELETE("/shifts/:id/assignments/:aid", a.unassign, staffers)
	g.GET("/shifts/:id/candidates", a.candidates, staffers)
}

type assignRequest struct {
	ParticipantID string `json:"participant_id"`
	SupervisorID  string `json:"supervisor_id"`
}

func (a *API) assign(c echo.Context) error {
	var req assignRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	as, err := a.Staffing.Assign(c.Request().Context(), principal(c), c.Param("id"), staffing.Person(req))
	if err != nil {
		return err
	}
	s, err := a.Staffing.Shift(c.Request().Context(), principal(c), as.ShiftID)
	if err != nil {
		return err
	}
	dtos, err := a.shiftDTOs(c, []models.Shift{s})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, assignedResponse{AssignmentID: as.ID, Shift: dtos[0]})
}

// assignedResponse names the new assignment and shows the shift after it.
type assignedResponse struct {
	AssignmentID string        `json:"assignment_id"`
	Shift        shiftResponse `json:"shift"`
}

func (a *API) unassign(c echo.Context) error {
	if err := a.Staffing.Unassign(c.Request().Context(), principal(c), c.Param("id"), c.Param("aid")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type candidateResponse struct {
	ParticipantID    string          `json:"participant_id"`
	Pseudonym        string          `json:"pseudonym"`
	FirstName        string          `json:"first_name"`
	LastName         string          `json:"last_name"`
	WorkedMinutes28d int64           `json:"worked_minutes_28d"`
	LastShiftDate    *models.Date    `json:"last_shift_date"`
	Available        bool            `json:"available"`
	Reasons          []models.Reason `json:"reasons,omitempty"`
}

type supervisorCandidateResponse struct {
	SupervisorID string `json:"supervisor_id"`
	Name         string `json:"name"`
	Phone        string `json:"phone"`
	Available    bool   `json:"available"`
}

type candidatesResponse struct {
	Eligible    []candidateResponse           `json:"eligible"`
	Ineligible  []candidateResponse           `json:"ineligible"`
	Supervisors []supervisorCandidateResponse `json:"supervisors"`
}

func candidateDTO(v staffing.CandidateView) candidateResponse {
	return candidateResponse{ParticipantID: v.ParticipantID, Pseudonym: v.Pseudonym, FirstName: v.FirstName, LastName: v.LastName,
		WorkedMinutes28d: v.WorkedMinutes, LastShiftDate: v.LastShiftDate, Available: v.Available, Reasons: v.Reasons}
}

func (a *API) candidates(c echo.Context) error {
	eligible, ineligible, err := a.Staffing.Candidates(c.Request().Context(), principal(c), c.Param("id"), c.Path())
	if err != nil {
		return err
	}
	sups, err := a.Staffing.SupervisorCandidates(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, candidatesResponse{Eligible: mapAll(eligible, candidateDTO), Ineligible: mapAll(ineligible, candidateDTO),
		Supervisors: mapAll(sups, func(s staffing.SupervisorCandidate) supervisorCandidateResponse {
			return supervisorCandidateResponse(s)
		})})
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
	ID              string               `json:"id"`
	OrderID         string               `json:"order_id"`
	OrganiserID     string               `json:"organiser_id"`
	CustomerID      string               `json:"customer_id"`
	CustomerName    string               `json:"customer_name"`
	TaskTypeID      string               `json:"task_type_id"`
	TaskTypeName    string               `json:"task_type_name"`
	SiteAddress     string               `json:"site_address"`
	Date            models.Date          `json:"date"`
	StartsAt        time.Time            `json:"starts_at"`
	EndsAt          time.Time            `json:"ends_at"`
	Status          string               `json:"status"`
	CrewSize        int                  `json:"crew_size"`
	CrewCount       int                  `json:"crew_count"`
	Assignments     []assignmentResponse `json:"assignments"`
	Supervisor      *supervisorResponse  `json:"supervisor"`
	TimesheetStatus *string              `json:"timesheet_status"`
	TimeEntries     []timeEntryResponse  `json:"time_entries"`
	// TimesheetAutoApproved: approved by the daily job, not by the customer.
	TimesheetAutoApproved bool       `json:"timesheet_auto_approved"`
	DisputeReason         string     `json:"dispute_reason"`
	LateCancellation      bool       `json:"late_cancellation"`
	CancelledAt           *time.Time `json:"cancelled_at"`
	CancelReason          string     `json:"cancel_reason"`
	Version               int        `json:"version"`
}

// shiftDTO shows a shift with its crew. A customer sees the crew only as a
// count, pseudonyms and the supervisor's name and phone (DOMAIN.md).
func shiftDTO(s models.Shift, crew staffing.Crew, role string) shiftResponse {
	r := shiftResponse{ID: s.ID, OrderID: s.OrderID, OrganiserID: s.OrganiserID, CustomerID: s.CustomerID, TaskTypeID: s.TaskTypeID,
		Date: s.Date, StartsAt: s.StartsAt.UTC(), EndsAt: s.EndsAt.UTC(), Status: s.Status, CrewSize: s.CrewSize,
		CrewCount: crew.Count, Assignments: []assignmentResponse{}, LateCancellation: s.LateCancellation, CancelledAt: s.CancelledAt,
		CancelReason: s.CancelReason, Version: s.Version, TimesheetStatus: s.TimesheetStatus,
		TimesheetAutoApproved: s.TimesheetAutoApproved, DisputeReason: s.DisputeReason}
	for _, m := range crew.Members {
		a := assignmentResponse{ID: m.AssignmentID, ParticipantID: m.ParticipantID, SupervisorID: m.SupervisorID, Pseudonym: m.Pseudonym}
		if role == models.RoleCustomer {
			a.ParticipantID = nil
		}
		r.Assignments = append(r.Assignments, a)
	}
	r.TimeEntries = timeEntryDTOs(crew.Entries(), role)
	if crew.Supervisor != nil {
		r.Supervisor = &supervisorResponse{Name: crew.Supervisor.Name, Phone: crew.Supervisor.Phone}
	}
	return r
}

// shiftDTOs loads the crews and labels of shifts and shows them to the
// caller.
func (a *API) shiftDTOs(c echo.Context, shifts []models.Shift) ([]shiftResponse, error) {
	ids := make([]string, len(shifts))
	var customers, taskTypes, orders []string
	for i, s := range shifts {
		ids[i] = s.ID
		customers, taskTypes, orders = append(customers, s.CustomerID), append(taskTypes, s.TaskTypeID), append(orders, s.OrderID)
	}
	crews, err := a.Staffing.Crews(c.Request().Context(), ids)
	if err != nil {
		return nil, err
	}
	labels, err := a.Staffing.LabelsFor(c.Request().Context(), principal(c).TenantID, customers, taskTypes, orders)
	if err != nil {
		return nil, err
	}
	out := make([]shiftResponse, len(shifts))
	for i, s := range shifts {
		out[i] = shiftDTO(s, crews[s.ID], principal(c).Role)
		out[i].CustomerName, out[i].TaskTypeName = labels.Customers[s.CustomerID], labels.TaskTypes[s.TaskTypeID]
		out[i].SiteAddress = labels.Sites[s.OrderID]
	}
	return out, nil
}

// oneShift answers with a single shift and its ETag.
func (a *API) oneShift(c echo.Context, s models.Shift) error {
	dtos, err := a.shiftDTOs(c, []models.Shift{s})
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(s.Version))
	return c.JSON(http.StatusOK, dtos[0])
}

var (
	shiftStatuses     = []string{models.ShiftOpen, models.ShiftStaffed, models.ShiftCompleted, models.ShiftCancelled}
	timesheetStatuses = []string{models.TimesheetDraft, models.TimesheetSubmitted, models.TimesheetApproved, models.TimesheetDisputed}
)

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
	f := staffing.ShiftFilter{Status: c.QueryParam("status"), OrderID: c.QueryParam("order_id"), OrganiserID: c.QueryParam("organiser_id"),
		TimesheetStatus: c.QueryParam("timesheet_status")}
	if err := enumParam("/status", f.Status, shiftStatuses); err != nil {
		return err
	}
	if err := enumParam("/timesheet_status", f.TimesheetStatus, timesheetStatuses); err != nil {
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
	items, err := a.shiftDTOs(c, page.Items)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listResponse[shiftResponse]{Items: items, NextCursor: page.NextCursor})
}

func (a *API) getShift(c echo.Context) error {
	s, err := a.Staffing.Shift(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return a.oneShift(c, s)
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
	return a.oneShift(c, s)
}
