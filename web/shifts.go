package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
	"jobcenter/staffing"
	"jobcenter/store"
)

// shiftRoutes are the shift pages every role with shifts opens; what they
// show depends on the role.
func (a *App) shiftRoutes(g *echo.Group) {
	a.page(g, http.MethodGet, "/shifts", a.shifts, models.RoleCustomer, models.RoleSupervisor)
	a.page(g, http.MethodGet, "/shifts/:id", a.shift, models.RoleCustomer, models.RoleSupervisor)
}

// shiftRow is a shift with its crew as the caller may see it. Customers see
// participants only by pseudonym, the crew count and the supervisor's
// contact (DOMAIN.md); the templates show nothing else of the crew.
type shiftRow struct {
	models.Shift
	Crew staffing.Crew
}

// Pseudonyms are the participants of the crew.
func (r shiftRow) Pseudonyms() []string {
	var out []string
	for _, m := range r.Crew.Members {
		if m.ParticipantID != nil {
			out = append(out, m.Pseudonym)
		}
	}
	return out
}

// Timesheet is the timesheet's status, "" before hours are recorded.
func (r shiftRow) Timesheet() string {
	if r.TimesheetStatus == nil {
		return ""
	}
	return *r.TimesheetStatus
}

// maxListPages bounds how many pages of the use case one web page reads.
const maxListPages = 5

// shiftsIn reads the shifts of f the caller may see, with their crews.
func (a *App) shiftsIn(c echo.Context, f staffing.ShiftFilter) ([]shiftRow, error) {
	ctx := c.Request().Context()
	shifts, err := all(func(cur string) (store.Page[models.Shift], error) {
		return a.Staffing.ListShifts(ctx, principal(c), f, 200, cur)
	})
	if err != nil {
		return nil, err
	}
	return a.withCrews(c, shifts)
}

func (a *App) withCrews(c echo.Context, shifts []models.Shift) ([]shiftRow, error) {
	ids := make([]string, len(shifts))
	for i, s := range shifts {
		ids[i] = s.ID
	}
	crews, err := a.Staffing.Crews(c.Request().Context(), ids)
	if err != nil {
		return nil, err
	}
	rows := make([]shiftRow, len(shifts))
	for i, s := range shifts {
		rows[i] = shiftRow{Shift: s, Crew: crews[s.ID]}
	}
	return rows, nil
}

func (a *App) today() models.Date { return models.DateOf(a.Clock.Now(), a.Loc) }

// Windows of the shift lists: how far ahead and back they look.
const (
	upcomingDays = 56
	pastDays     = 28
	// disputeDays is how far back disputed timesheets are shown to correct.
	disputeDays = 60
)

func filterRows(rows []shiftRow, keep func(shiftRow) bool) []shiftRow {
	var out []shiftRow
	for _, r := range rows {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

type shiftLists struct {
	Today, Week, Upcoming, Past, Disputed []shiftRow
}

func (a *App) shifts(c echo.Context) error {
	today := a.today()
	var (
		l   shiftLists
		err error
	)
	if principal(c).Role == models.RoleSupervisor {
		monday := today.AddDays(1 - today.ISOWeekday())
		sunday := monday.AddDays(6)
		week, err := a.shiftsIn(c, staffing.ShiftFilter{From: &monday, To: &sunday})
		if err != nil {
			return err
		}
		l.Today = filterRows(week, func(r shiftRow) bool { return r.Date == today })
		l.Week = filterRows(week, func(r shiftRow) bool { return r.Date != today && r.Status != models.ShiftCancelled })
		if l.Disputed, err = a.disputed(c); err != nil {
			return err
		}
		return a.render(c, http.StatusOK, "supervisor_shifts.html", "shifts.title", l)
	}
	to := today.AddDays(upcomingDays)
	if l.Upcoming, err = a.shiftsIn(c, staffing.ShiftFilter{From: &today, To: &to}); err != nil {
		return err
	}
	from, yesterday := today.AddDays(-pastDays), today.AddDays(-1)
	if l.Past, err = a.shiftsIn(c, staffing.ShiftFilter{From: &from, To: &yesterday}); err != nil {
		return err
	}
	return a.render(c, http.StatusOK, "customer_shifts.html", "shifts.title", l)
}

// timesheetsIn are the completed shifts of the last days whose timesheet is
// in status.
func (a *App) timesheetsIn(c echo.Context, days int, status string) ([]shiftRow, error) {
	today := a.today()
	from := today.AddDays(-days)
	rows, err := a.shiftsIn(c, staffing.ShiftFilter{From: &from, To: &today, Status: models.ShiftCompleted})
	if err != nil {
		return nil, err
	}
	return filterRows(rows, func(r shiftRow) bool { return r.Timesheet() == status }), nil
}

func (a *App) disputed(c echo.Context) ([]shiftRow, error) {
	return a.timesheetsIn(c, disputeDays, models.TimesheetDisputed)
}

// shiftPage is one shift: the customer's view, or the supervisor's hours
// form.
type shiftPage struct {
	Row  shiftRow
	Form *form
	// Lines are the supervisor's form rows, one per crew member.
	Lines     []hoursLine
	Presences []string
	// Started: hours can be recorded once the shift has started.
	Started bool
}

func (a *App) loadShift(c echo.Context) (shiftRow, error) {
	s, err := a.Staffing.Shift(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return shiftRow{}, err
	}
	rows, err := a.withCrews(c, []models.Shift{s})
	if err != nil {
		return shiftRow{}, err
	}
	return rows[0], nil
}

func (a *App) shift(c echo.Context) error {
	row, err := a.loadShift(c)
	if err != nil {
		return err
	}
	if principal(c).Role == models.RoleSupervisor {
		return a.hoursPage(c, http.StatusOK, row, nil)
	}
	return a.render(c, http.StatusOK, "customer_shift.html", "shift.title", shiftPage{Row: row, Started: !a.Clock.Now().Before(row.StartsAt)})
}

// localTime is t as HH:MM in the service's time zone, for a time input.
func (a *App) localTime(t time.Time) string { return t.In(a.Loc).Format("15:04") }
