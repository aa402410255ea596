package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
)

// supervisorRoutes: the supervisor records the hours of a shift and sends
// the timesheet to the customer.
func (a *App) supervisorRoutes(g *echo.Group) {
	a.page(g, http.MethodPost, "/shifts/:id/hours", a.recordHours, models.RoleSupervisor)
}

// Presence choices of a crew member in the hours form: present, or one of
// the absences of the time-entry rules.
var presences = append([]string{"present"}, models.Absences...)

// hoursLine is one crew member's row of the hours form. Its fields are
// named field.assignment (start.a1b2…), so the form posts every row at once.
type hoursLine struct {
	AssignmentID string
	Name         string // pseudonym, or the supervisor's name
	Supervisor   bool
}

func (l hoursLine) Field(name string) string { return name + "." + l.AssignmentID }

func linesOf(row shiftRow) []hoursLine {
	out := make([]hoursLine, len(row.Crew.Members))
	for i, m := range row.Crew.Members {
		out[i] = hoursLine{AssignmentID: m.AssignmentID, Name: m.Pseudonym, Supervisor: m.SupervisorID != nil}
	}
	return out
}

// prefill is the form as recorded so far, or with the shift's planned times
// for everyone present.
func (a *App) prefill(row shiftRow) *form {
	v := url.Values{}
	for _, m := range row.Crew.Members {
		l := hoursLine{AssignmentID: m.AssignmentID}
		start, end, brk, presence := a.localTime(row.StartsAt), a.localTime(row.EndsAt), "0", "present"
		if e := m.Entry; e != nil {
			if e.Absence != nil {
				presence = *e.Absence
				v.Set(l.Field("note"), e.Note)
			} else if e.StartAt != nil && e.EndAt != nil {
				start, end, brk = a.localTime(*e.StartAt), a.localTime(*e.EndAt), strconv.Itoa(e.BreakMinutes)
			}
		}
		v.Set(l.Field("presence"), presence)
		v.Set(l.Field("start"), start)
		v.Set(l.Field("end"), end)
		v.Set(l.Field("break"), brk)
	}
	return &form{Values: v}
}

func (a *App) hoursPage(c echo.Context, status int, row shiftRow, f *form) error {
	if f == nil {
		f = a.prefill(row)
	}
	p := shiftPage{Row: row, Form: f, Lines: linesOf(row), Presences: presences, Started: !a.Clock.Now().Before(row.StartsAt)}
	return a.render(c, status, "supervisor_shift.html", "shift.title", p)
}

// entryFields maps the API's names of an entry's fields to the form's.
var entryFields = map[string]string{"start_time": "start", "end_time": "end", "break_minutes": "break", "absence": "presence", "note": "note"}

// parseHours reads every row of the form into the use case's input, in crew
// order, so that a problem at /entries/2/end_time names the third row.
func parseHours(lines []hoursLine, f *form) ([]models.EntryInput, *models.ValidationError) {
	v := &models.ValidationError{}
	in := make([]models.EntryInput, len(lines))
	for i, l := range lines {
		e := models.EntryInput{AssignmentID: l.AssignmentID}
		presence := f.Value(l.Field("presence"))
		if presence != "present" {
			e.Absence, e.Note = presence, strings.TrimSpace(f.Value(l.Field("note")))
			in[i] = e
			continue
		}
		clock := func(field, raw string) *models.ClockTime {
			t, err := models.ParseClockTime(strings.TrimSpace(raw))
			if err != nil {
				v.Add(fmt.Sprintf("/entries/%d/%s", i, field), "must be a local time HH:MM")
				return nil
			}
			return &t
		}
		e.StartTime, e.EndTime = clock("start_time", f.Value(l.Field("start"))), clock("end_time", f.Value(l.Field("end")))
		if raw := strings.TrimSpace(f.Value(l.Field("break"))); raw != "" {
			n, err := strconv.Atoi(raw)
			if err != nil {
				v.Add(fmt.Sprintf("/entries/%d/break_minutes", i), "must be a whole number of minutes")
			}
			e.BreakMinutes = n
		}
		in[i] = e
	}
	return in, v
}

// hoursField names the form field of a problem pointer of the entries.
func hoursField(lines []hoursLine) func(string) string {
	return func(pointer string) string {
		parts := strings.Split(strings.TrimPrefix(pointer, "/"), "/")
		if len(parts) != 3 || parts[0] != "entries" {
			return ""
		}
		i, err := strconv.Atoi(parts[1])
		name, ok := entryFields[parts[2]]
		if err != nil || i < 0 || i >= len(lines) || !ok {
			return ""
		}
		return lines[i].Field(name)
	}
}

// recordHours saves the hours of every crew member from one form and, when
// the supervisor chose so, sends the timesheet to the customer.
func (a *App) recordHours(c echo.Context) error {
	row, err := a.loadShift(c)
	if err != nil {
		return err
	}
	params, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f := &form{Values: params}
	lines := linesOf(row)
	in, v := parseHours(lines, f)
	ctx, p := c.Request().Context(), principal(c)
	err = v.Err()
	if err == nil {
		_, err = a.Staffing.RecordHours(ctx, p, row.ID, in)
	}
	submit := c.FormValue("action") == "submit"
	if err == nil && submit {
		_, err = a.Staffing.SubmitHours(ctx, p, row.ID)
	}
	if err != nil {
		if err := a.problems(c, f, err, hoursField(lines)); err != nil {
			return err
		}
		if row, err = a.loadShift(c); err != nil {
			return err
		}
		return a.hoursPage(c, http.StatusUnprocessableEntity, row, f)
	}
	if submit {
		a.flash(c, "flash.timesheet_submitted")
	} else {
		a.flash(c, "flash.hours_saved")
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/shifts/"+row.ID)
}
