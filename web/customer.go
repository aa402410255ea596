package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"jobcenter/billing"
	"jobcenter/finance"
	"jobcenter/models"
	"jobcenter/staffing"
)

// customerRoutes are the customer's pages: orders, timesheets to approve and
// invoices.
func (a *App) customerRoutes(g *echo.Group) {
	customer := models.RoleCustomer
	a.page(g, http.MethodGet, "/orders", a.orders, customer)
	a.page(g, http.MethodGet, "/orders/new", a.newOrder, customer)
	a.page(g, http.MethodPost, "/orders", a.createOrder, customer)
	a.page(g, http.MethodGet, "/orders/:id", a.order, customer)
	a.page(g, http.MethodPost, "/orders/:id/cancel", a.cancelOrder, customer)
	a.page(g, http.MethodGet, "/timesheets", a.timesheets, customer)
	a.page(g, http.MethodPost, "/shifts/:id/approve", a.approve, customer)
	a.page(g, http.MethodPost, "/shifts/:id/dispute", a.dispute, customer)
	a.page(g, http.MethodGet, "/invoices", a.invoices, customer, models.RoleFinance)
	a.page(g, http.MethodGet, "/invoices/:id/invoice.pdf", a.invoicePDF, customer, models.RoleFinance)
	a.page(g, http.MethodGet, "/invoices/:id/finvoice.xml", a.finvoice, models.RoleFinance)
}

type ordersPage struct {
	Orders    []models.Order
	TaskTypes map[string]string
	More      string // the next page's URL, if any
}

func (a *App) taskTypes(c echo.Context) ([]models.TaskType, error) {
	page, err := a.Directory.ListTaskTypes(c.Request().Context(), principal(c), 200, "")
	return page.Items, err
}

func (a *App) orders(c echo.Context) error {
	page, err := a.Staffing.ListOrders(c.Request().Context(), principal(c), staffing.OrderFilter{}, 50, c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	types, err := a.taskTypes(c)
	if err != nil {
		return err
	}
	p := ordersPage{Orders: page.Items, TaskTypes: map[string]string{}}
	for _, t := range types {
		p.TaskTypes[t.ID] = t.Name
	}
	if page.NextCursor != nil {
		p.More = Prefix + "/orders?cursor=" + url.QueryEscape(*page.NextCursor)
	}
	return a.render(c, http.StatusOK, "orders.html", "orders.title", p)
}

type orderForm struct {
	Form      *form
	TaskTypes []models.TaskType
	Weekdays  []int
}

func (a *App) orderForm(c echo.Context, status int, f *form) error {
	types, err := a.taskTypes(c)
	if err != nil {
		return err
	}
	return a.render(c, status, "order_new.html", "order.new.title", orderForm{Form: f, TaskTypes: types, Weekdays: []int{1, 2, 3, 4, 5, 6, 7}})
}

func (a *App) newOrder(c echo.Context) error {
	return a.orderForm(c, http.StatusOK, &form{Values: url.Values{"kind": {models.ScheduleOnce}, "crew_size": {"1"}}})
}

// orderField names the form field of a problem pointer of an order.
func orderField(pointer string) string {
	name := strings.TrimPrefix(strings.TrimPrefix(pointer, "/schedule"), "/")
	if i := strings.Index(name, "/"); i >= 0 {
		name = name[:i] // weekdays/0 → weekdays
	}
	switch name {
	case "site_address", "description", "customer_reference", "crew_size", "task_type_id",
		"kind", "date", "weekdays", "first_date", "last_date", "start_time", "end_time":
		return name
	}
	return ""
}

// parseOrder reads the form into the use case's input; a value that is not
// even a number, date or time is a field problem like the use case's.
func parseOrder(f *form) (staffing.NewOrder, *models.ValidationError) {
	v := &models.ValidationError{}
	in := staffing.NewOrder{TaskTypeID: f.Value("task_type_id"), SiteAddress: f.Value("site_address"),
		Description: f.Value("description"), CustomerReference: f.Value("customer_reference")}
	if n, err := strconv.Atoi(strings.TrimSpace(f.Value("crew_size"))); err == nil {
		in.CrewSize = n
	} else {
		v.Add("/crew_size", "must be a whole number")
	}
	s := models.Schedule{Kind: f.Value("kind")}
	date := func(name string) *models.Date {
		raw := strings.TrimSpace(f.Value(name))
		if raw == "" {
			return nil
		}
		d, err := models.ParseDate(raw)
		if err != nil {
			v.Add("/schedule/"+name, "must be a date YYYY-MM-DD")
			return nil
		}
		return &d
	}
	clock := func(name string) models.ClockTime {
		t, err := models.ParseClockTime(strings.TrimSpace(f.Value(name)))
		if err != nil {
			v.Add("/schedule/"+name, "is required (HH:MM)")
		}
		return t
	}
	s.StartTime, s.EndTime = clock("start_time"), clock("end_time")
	if s.Kind == models.ScheduleOnce {
		s.Date = date("date")
	} else {
		s.FirstDate, s.LastDate = date("first_date"), date("last_date")
		for _, w := range f.Values["weekdays"] {
			n, err := strconv.Atoi(w)
			if err != nil {
				v.Add("/schedule/weekdays", "must be 1 (Monday) … 7 (Sunday)")
				continue
			}
			s.Weekdays = append(s.Weekdays, n)
		}
	}
	in.Schedule = s
	return in, v
}

func (a *App) createOrder(c echo.Context) error {
	params, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f := &form{Values: params}
	in, v := parseOrder(f)
	if err := v.Err(); err != nil {
		_ = a.problems(c, f, err, orderField)
		return a.orderForm(c, http.StatusUnprocessableEntity, f)
	}
	o, err := a.Staffing.CreateOrder(c.Request().Context(), principal(c), in)
	if err != nil {
		if err := a.problems(c, f, err, orderField); err != nil {
			return err
		}
		return a.orderForm(c, http.StatusUnprocessableEntity, f)
	}
	a.flash(c, "flash.order_sent")
	return c.Redirect(http.StatusSeeOther, Prefix+"/orders/"+o.ID)
}

type orderPage struct {
	Order    models.Order
	Schedule models.Schedule
	TaskType string
	Shifts   []shiftRow
	Form     *form
}

func (a *App) orderPage(c echo.Context, status int, f *form) error {
	ctx := c.Request().Context()
	o, err := a.Staffing.Order(ctx, principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	shifts, err := a.shiftsIn(c, staffing.ShiftFilter{OrderID: o.ID})
	if err != nil {
		return err
	}
	types, err := a.taskTypes(c)
	if err != nil {
		return err
	}
	p := orderPage{Order: o, Schedule: o.Schedule(), Shifts: shifts, Form: f}
	for _, t := range types {
		if t.ID == o.TaskTypeID {
			p.TaskType = t.Name
		}
	}
	return a.render(c, status, "order.html", "order.title", p)
}

func (a *App) order(c echo.Context) error { return a.orderPage(c, http.StatusOK, nil) }

// reasonField: the reason is the one field of a cancel or dispute form.
func reasonField(pointer string) string {
	if pointer == "/reason" {
		return "reason"
	}
	return ""
}

func (a *App) cancelOrder(c echo.Context) error {
	f := &form{Values: url.Values{"reason": {c.FormValue("reason")}}}
	_, err := a.Staffing.CancelOrder(c.Request().Context(), principal(c), c.Param("id"), f.Value("reason"))
	if err != nil {
		if err := a.problems(c, f, err, reasonField); err != nil {
			return err
		}
		return a.orderPage(c, http.StatusUnprocessableEntity, f)
	}
	a.flash(c, "flash.order_cancelled")
	return c.Redirect(http.StatusSeeOther, Prefix+"/orders/"+c.Param("id"))
}

type timesheetsPage struct {
	Waiting []shiftRow
	// Forms holds a dispute form shown again, by shift id.
	Forms map[string]*form
}

// approvalDays is how far back the customer's list of timesheets to approve
// looks; the daily auto-approval settles older ones long before.
const approvalDays = 60

func (a *App) timesheetsPage(c echo.Context, status int, forms map[string]*form) error {
	rows, err := a.timesheetsIn(c, approvalDays, models.TimesheetSubmitted)
	if err != nil {
		return err
	}
	return a.render(c, status, "timesheets.html", "timesheets.title", timesheetsPage{Waiting: rows, Forms: forms})
}

func (a *App) timesheets(c echo.Context) error { return a.timesheetsPage(c, http.StatusOK, nil) }

func (a *App) approve(c echo.Context) error {
	if _, err := a.Staffing.ApproveHours(c.Request().Context(), principal(c), c.Param("id")); err != nil {
		f := &form{}
		if err := a.problems(c, f, err, reasonField); err != nil {
			return err
		}
		return a.timesheetsPage(c, http.StatusConflict, map[string]*form{c.Param("id"): f})
	}
	a.flash(c, "flash.timesheet_approved")
	return c.Redirect(http.StatusSeeOther, Prefix+"/timesheets")
}

func (a *App) dispute(c echo.Context) error {
	f := &form{Values: url.Values{"reason": {c.FormValue("reason")}}}
	if _, err := a.Staffing.DisputeHours(c.Request().Context(), principal(c), c.Param("id"), f.Value("reason")); err != nil {
		if err := a.problems(c, f, err, reasonField); err != nil {
			return err
		}
		return a.timesheetsPage(c, http.StatusUnprocessableEntity, map[string]*form{c.Param("id"): f})
	}
	a.flash(c, "flash.timesheet_disputed")
	return c.Redirect(http.StatusSeeOther, Prefix+"/timesheets")
}

type invoicesPage struct {
	Invoices []billing.StoredInvoice
	More     string
}

func (a *App) invoices(c echo.Context) error {
	page, err := a.Billing.ListInvoices(c.Request().Context(), principal(c), billing.InvoiceFilter{}, 50, c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	p := invoicesPage{Invoices: page.Items}
	if page.NextCursor != nil {
		p.More = Prefix + "/invoices?cursor=" + url.QueryEscape(*page.NextCursor)
	}
	return a.render(c, http.StatusOK, "invoices.html", "invoices.title", p)
}

// invoicePDF streams the same document as GET /v1/invoices/{id}/invoice.pdf.
func (a *App) invoicePDF(c echo.Context) error {
	f, err := a.Finance.InvoicePDF(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return download(c, f)
}

// finvoice streams the same file as the API's Finvoice export, to the roles
// the use case lets have it.
func (a *App) finvoice(c echo.Context) error {
	f, err := a.Finance.Finvoice(c.Request().Context(), principal(c), c.Param("id"), false)
	if err != nil {
		return err
	}
	return download(c, f)
}

// download writes a file of a use case; the first write commits the answer,
// so the file is rendered into memory first and an error still gets its page.
func download(c echo.Context, f finance.File) error {
	var buf strings.Builder
	if err := f.Write(&buf); err != nil {
		return fmt.Errorf("write %s: %w", f.Name, err)
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", f.Name))
	c.Response().Header().Set(echo.HeaderContentType, f.ContentType)
	c.Response().WriteHeader(http.StatusOK)
	_, err := io.WriteString(c.Response(), buf.String())
	return err
}
