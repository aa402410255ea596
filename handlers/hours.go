package handlers

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
	"jobcenter/staffing"
)

func (a *API) hoursRoutes(g *echo.Group) {
	recorders := allow(models.RoleAdmin, models.RoleCoordinator, models.RoleSupervisor)
	approvers := allow(models.RoleAdmin, models.RoleCoordinator, models.RoleCustomer)
	g.PUT("/shifts/:id/time-entries", a.recordHours, recorders)
	g.GET("/shifts/:id/time-entries", a.listTimeEntries, allow(models.Roles...))
	g.POST("/shifts/:id/submit", a.submitHours, recorders)
	g.POST("/shifts/:id/approve", a.approveHours, approvers)
	g.POST("/shifts/:id/dispute", a.disputeHours, approvers)
	g.GET("/shifts/:id/history", a.shiftHistory, allow(models.RoleAdmin, models.RoleCoordinator, models.RoleFinance))
	g.GET("/reminders", a.reminders, allow(models.RoleAdmin, models.RoleCoordinator, models.RoleSupervisor, models.RoleCustomer, models.RoleFinance))
}

type entryRequest struct {
	AssignmentID string `json:"assignment_id"`
	StartTime    string `json:"start_time"`
	EndTime      string `json:"end_time"`
	BreakMinutes int    `json:"break_minutes"`
	Absence      string `json:"absence"`
	Note         string `json:"note"`
}

type timeEntriesRequest struct {
	Entries []entryRequest `json:"entries"`
}

// inputs parses the local times, recording a malformed one in v.
func (r timeEntriesRequest) inputs(v *models.ValidationError) []models.EntryInput {
	out := make([]models.EntryInput, len(r.Entries))
	clock := func(i int, field, s string) *models.ClockTime {
		if s == "" {
			return nil
		}
		t, err := models.ParseClockTime(s)
		if err != nil {
			v.Add(fmt.Sprintf("/entries/%d/%s", i, field), "must be a local time HH:MM")
			return nil
		}
		return &t
	}
	for i, e := range r.Entries {
		out[i] = models.EntryInput{AssignmentID: e.AssignmentID, StartTime: clock(i, "start_time", e.StartTime),
			EndTime: clock(i, "end_time", e.EndTime), BreakMinutes: e.BreakMinutes, Absence: e.Absence, Note: e.Note}
	}
	return out
}

type timeEntryResponse struct {
	ID            string     `json:"id"`
	AssignmentID  string     `json:"assignment_id"`
	ParticipantID *string    `json:"participant_id"`
	SupervisorID  *string    `json:"supervisor_id"`
	Pseudonym     string     `json:"pseudonym"`
	StartAt       *time.Time `json:"start_at"`
	EndAt         *time.Time `json:"end_at"`
	BreakMinutes  int        `json:"break_minutes"`
	WorkedMinutes int        `json:"worked_minutes"`
	Absence       *string    `json:"absence"`
	Note          string     `json:"note"`
	Billed        bool       `json:"billed"`
}

// timeEntryDTO shows an entry; customers see people by pseudonym only, and
// not the supervisor's note: it is free text about a person ("called in
// with the flu") that may name them.
func timeEntryDTO(e staffing.TimeEntryView, role string) timeEntryResponse {
	r := timeEntryResponse{ID: e.ID, AssignmentID: e.AssignmentID, ParticipantID: e.ParticipantID, SupervisorID: e.SupervisorID,
		Pseudonym: e.Pseudonym, StartAt: utc(e.StartAt), EndAt: utc(e.EndAt), BreakMinutes: e.BreakMinutes,
		WorkedMinutes: e.WorkedMinutes, Absence: e.Absence, Note: e.Note, Billed: e.BillingRunID != nil}
	if role == models.RoleCustomer {
		r.ParticipantID, r.Note = nil, ""
	}
	return r
}

// timeEntryDTOs shows entries to role; never null, so clients can range.
func timeEntryDTOs(entries []staffing.TimeEntryView, role string) []timeEntryResponse {
	out := make([]timeEntryResponse, len(entries))
	for i, e := range entries {
		out[i] = timeEntryDTO(e, role)
	}
	return out
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

type timeEntriesResponse struct {
	Items []timeEntryResponse `json:"items"`
}

func (a *API) timeEntries(c echo.Context, shiftID string) error {
	rows, err := a.Staffing.TimeEntries(c.Request().Context(), principal(c), shiftID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, timeEntriesResponse{Items: timeEntryDTOs(rows, principal(c).Role)})
}

func (a *API) recordHours(c echo.Context) error {
	var req timeEntriesRequest
	invalid, err := decodeInvalid(c, &req)
	if err != nil {
		return err
	}
	in := req.inputs(invalid)
	if _, err := a.Staffing.RecordTimesheet(c.Request().Context(), principal(c), c.Param("id"), in, invalid); err != nil {
		return err
	}
	return a.timeEntries(c, c.Param("id"))
}

func (a *API) listTimeEntries(c echo.Context) error { return a.timeEntries(c, c.Param("id")) }

func (a *API) submitHours(c echo.Context) error {
	s, err := a.Staffing.SubmitHours(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return a.oneShift(c, s)
}

func (a *API) approveHours(c echo.Context) error {
	s, err := a.Staffing.ApproveHours(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return a.oneShift(c, s)
}

func (a *API) disputeHours(c echo.Context) error {
	var req reasonRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	s, err := a.Staffing.DisputeHours(c.Request().Context(), principal(c), c.Param("id"), req.Reason)
	if err != nil {
		return err
	}
	return a.oneShift(c, s)
}

type shiftEventResponse struct {
	At     time.Time `json:"at"`
	UserID *string   `json:"user_id"`
	Action string    `json:"action"`
	Detail string    `json:"detail"`
}

func (a *API) shiftHistory(c echo.Context) error {
	events, err := a.Staffing.History(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listResponse[shiftEventResponse]{Items: mapAll(events, func(e staffing.ShiftEvent) shiftEventResponse {
		return shiftEventResponse{At: e.At.UTC(), UserID: e.UserID, Action: e.Action, Detail: e.Detail}
	})})
}

type reminderResponse struct {
	Kind      string      `json:"kind"`
	ShiftID   string      `json:"shift_id"`
	OrderID   string      `json:"order_id"`
	Date      models.Date `json:"date"`
	StartsAt  time.Time   `json:"starts_at"`
	EndsAt    time.Time   `json:"ends_at"`
	CreatedAt time.Time   `json:"created_at"`
}

func (a *API) reminders(c echo.Context) error {
	if principal(c).Role == models.RoleFinance {
		return a.irReminders(c)
	}
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	page, err := a.Staffing.Reminders(c.Request().Context(), principal(c), limit, cursor)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(page, func(r staffing.Reminder) reminderResponse {
		return reminderResponse{Kind: r.Kind, ShiftID: r.ShiftID, OrderID: r.OrderID, Date: r.Date, StartsAt: r.StartsAt.UTC(),
			EndsAt: r.EndsAt.UTC(), CreatedAt: r.CreatedAt.UTC()}
	}))
}
