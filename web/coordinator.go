package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
	"jobcenter/staffing"
	"jobcenter/store"
)

// coordinatorRoutes are the coordinator's pages: the inbox of submitted
// orders and the staffing board with its shift panel.
func (a *App) coordinatorRoutes(g *echo.Group) {
	staff := []string{models.RoleCoordinator, models.RoleAdmin}
	a.page(g, http.MethodGet, "/inbox", a.inbox, staff...)
	a.page(g, http.MethodPost, "/inbox/:id/accept", a.acceptOrder, staff...)
	a.page(g, http.MethodPost, "/inbox/:id/reject", a.rejectOrder, staff...)
	a.page(g, http.MethodGet, "/board", a.board, staff...)
	a.page(g, http.MethodGet, "/board/shifts/:id", a.boardShift, staff...)
	a.page(g, http.MethodPost, "/board/shifts/:id/assign", a.assign, staff...)
	a.page(g, http.MethodPost, "/board/shifts/:id/remove/:aid", a.unassign, staff...)
}

// organisers are the tenant's organisers by name, for choosers and labels.
func (a *App) organisers(c echo.Context) ([]models.Organization, error) {
	return a.organizations(c, models.KindOrganiser)
}

func (a *App) organizations(c echo.Context, kind string) ([]models.Organization, error) {
	return all(func(cur string) (store.Page[models.Organization], error) {
		return a.Directory.ListOrganizations(c.Request().Context(), principal(c), kind, 200, cur)
	})
}

type inboxPage struct {
	Orders     []models.Order
	Labels     staffing.Labels
	Organisers []models.Organization
	// Forms holds an accept or reject form shown again, by order id.
	Forms map[string]*form
	More  string
}

func (a *App) inboxPage(c echo.Context, status int, forms map[string]*form) error {
	ctx, p := c.Request().Context(), principal(c)
	page, err := a.Staffing.ListOrders(ctx, p, staffing.OrderFilter{Status: models.OrderSubmitted}, 50, c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	var customers, types, orders []string
	for _, o := range page.Items {
		customers, types, orders = append(customers, o.CustomerID), append(types, o.TaskTypeID), append(orders, o.ID)
	}
	labels, err := a.Staffing.LabelsFor(ctx, p.TenantID, customers, types, orders)
	if err != nil {
		return err
	}
	orgs, err := a.organisers(c)
	if err != nil {
		return err
	}
	v := inboxPage{Orders: page.Items, Labels: labels, Organisers: orgs, Forms: forms}
	if page.NextCursor != nil {
		v.More = Prefix + "/inbox?cursor=" + url.QueryEscape(*page.NextCursor)
	}
	return a.render(c, status, "inbox.html", "inbox.title", v)
}

func (a *App) inbox(c echo.Context) error { return a.inboxPage(c, http.StatusOK, nil) }

func (a *App) acceptOrder(c echo.Context) error {
	id := c.Param("id")
	f := &form{Values: url.Values{"organiser_id": {c.FormValue("organiser_id")}}}
	if _, err := a.Staffing.AcceptOrder(c.Request().Context(), principal(c), id, f.Value("organiser_id")); err != nil {
		if err := a.problems(c, f, err, func(p string) string {
			if p == "/organiser_id" {
				return "organiser_id"
			}
			return ""
		}); err != nil {
			return err
		}
		return a.inboxPage(c, http.StatusUnprocessableEntity, map[string]*form{id: f})
	}
	a.flash(c, "flash.order_accepted")
	return c.Redirect(http.StatusSeeOther, Prefix+"/inbox")
}

func (a *App) rejectOrder(c echo.Context) error {
	id := c.Param("id")
	f := &form{Values: url.Values{"reason": {c.FormValue("reason")}}}
	if _, err := a.Staffing.RejectOrder(c.Request().Context(), principal(c), id, f.Value("reason")); err != nil {
		if err := a.problems(c, f, err, reasonField); err != nil {
			return err
		}
		return a.inboxPage(c, http.StatusUnprocessableEntity, map[string]*form{id: f})
	}
	a.flash(c, "flash.order_rejected")
	return c.Redirect(http.StatusSeeOther, Prefix+"/inbox")
}

// boardDay is one day of the staffing board.
type boardDay struct {
	Heading string
	Cards   []boardCard
}

// boardRow is a shift with its labels.
type boardRow struct {
	shiftRow
	Customer, Site, TaskType string
}

// boardTerms are the words every card repeats, looked up once a page.
type boardTerms struct{ Site, Status, Crew, Supervisor string }

// boardCard is a shift's card on the board with its text and link made in
// Go once, so that the template's loop only writes fields out (the board
// shows some two hundred cards). OOB marks the copy an htmx answer carries
// to replace the card in place.
type boardCard struct {
	ID, Class, Href, Time, Customer, Where, Status, Crew, Supervisor string
	Terms                                                            *boardTerms
	OOB                                                              bool
}

// cards makes the board's cards of rows in the request's language.
type cards struct {
	a      *App
	c      echo.Context
	f      formats
	terms  *boardTerms
	status map[string]string
	yes    string
	no     string
}

func (a *App) cards(c echo.Context) *cards {
	return &cards{a: a, c: c, f: a.formats(c), status: map[string]string{}, yes: a.tr(c, "board.yes"), no: a.tr(c, "board.no"),
		terms: &boardTerms{Site: a.tr(c, "board.site"), Status: a.tr(c, "shift.status"), Crew: a.tr(c, "shift.crew"), Supervisor: a.tr(c, "shift.supervisor")}}
}

func (k *cards) card(r boardRow, query string) boardCard {
	status, ok := k.status[r.Status]
	if !ok {
		status = k.a.tr(k.c, "shift.status."+r.Status)
		k.status[r.Status] = status
	}
	supervised := k.no
	if r.Crew.Supervisor != nil {
		supervised = k.yes
	}
	return boardCard{ID: r.ID, Class: "card status-" + r.Status, Href: Prefix + "/board/shifts/" + r.ID + "?" + query,
		Time: k.f.clock(r.StartsAt) + "–" + k.f.clock(r.EndsAt), Customer: r.Customer, Where: r.Site + " · " + r.TaskType,
		Status: status, Crew: k.a.tr(k.c, "shift.crew_count", r.Crew.Count, r.CrewSize), Supervisor: supervised, Terms: k.terms}
}

// boardOption is an organisation in a filter's chooser.
type boardOption struct {
	ID, Name string
	Selected bool
}

func options(orgs []models.Organization, chosen string) []boardOption {
	out := make([]boardOption, len(orgs))
	for i, o := range orgs {
		out[i] = boardOption{ID: o.ID, Name: o.Name, Selected: o.ID == chosen}
	}
	return out
}

type boardPage struct {
	Week                  string // the Monday, ISO
	WeekText, Summary     string
	Prev, Next            string
	Organisers, Customers []boardOption
	Days                  []boardDay
	Panel                 *panelView
}

// weekOf is the Monday of the week of the date in the query (?week=), or of
// today.
func (a *App) weekOf(raw string) models.Date {
	d := a.today()
	if raw != "" {
		if parsed, err := models.ParseDate(raw); err == nil {
			d = parsed
		}
	}
	return d.AddDays(1 - d.ISOWeekday())
}

func boardQuery(week models.Date, organiser, customer string) string {
	q := url.Values{"week": {week.String()}}
	if organiser != "" {
		q.Set("organiser", organiser)
	}
	if customer != "" {
		q.Set("customer", customer)
	}
	return q.Encode()
}

// loadBoard reads the week's shifts of the filters, by day.
func (a *App) loadBoard(c echo.Context) (boardPage, error) {
	monday := a.weekOf(c.QueryParam("week"))
	sunday := monday.AddDays(6)
	organiser, customer := c.QueryParam("organiser"), c.QueryParam("customer")
	f := a.formats(c)
	v := boardPage{Week: monday.String(), WeekText: a.tr(c, "board.week", f.date(monday), f.date(sunday)),
		Prev: Prefix + "/board?" + boardQuery(monday.AddDays(-7), organiser, customer),
		Next: Prefix + "/board?" + boardQuery(monday.AddDays(7), organiser, customer)}
	orgs, err := a.organisers(c)
	if err != nil {
		return v, err
	}
	customers, err := a.organizations(c, models.KindCustomer)
	if err != nil {
		return v, err
	}
	v.Organisers, v.Customers = options(orgs, organiser), options(customers, customer)
	rows, err := a.shiftsIn(c, staffing.ShiftFilter{From: &monday, To: &sunday, OrganiserID: organiser})
	if err != nil {
		return v, err
	}
	if customer != "" {
		rows = filterRows(rows, func(r shiftRow) bool { return r.CustomerID == customer })
	}
	labelled, err := a.labelled(c, rows, customers)
	if err != nil {
		return v, err
	}
	query, k := boardQuery(monday, organiser, customer), a.cards(c)
	filled := 0
	v.Days = make([]boardDay, 7)
	day := make(map[models.Date]int, 7)
	for i := range v.Days {
		d := monday.AddDays(i)
		v.Days[i].Heading, day[d] = a.tr(c, weekdayKey(d))+" "+f.date(d), i
	}
	for _, r := range labelled {
		if i, ok := day[r.Date]; ok {
			v.Days[i].Cards = append(v.Days[i].Cards, k.card(r, query))
		}
		if r.Status != models.ShiftOpen {
			filled++
		}
	}
	v.Summary = a.tr(c, "board.summary", filled, len(labelled))
	return v, nil
}

// labelled adds the customer, site and task type names to shifts; the
// names of the customers already loaded are not looked up again.
func (a *App) labelled(c echo.Context, rows []shiftRow, known []models.Organization) ([]boardRow, error) {
	names := make(map[string]string, len(known))
	for _, o := range known {
		names[o.ID] = o.Name
	}
	var customers, types, orders []string
	for _, r := range rows {
		if _, ok := names[r.CustomerID]; !ok {
			customers = append(customers, r.CustomerID)
		}
		types, orders = append(types, r.TaskTypeID), append(orders, r.OrderID)
	}
	labels, err := a.Staffing.LabelsFor(c.Request().Context(), principal(c).TenantID, customers, types, orders)
	if err != nil {
		return nil, err
	}
	for id, name := range labels.Customers {
		names[id] = name
	}
	out := make([]boardRow, len(rows))
	for i, r := range rows {
		out[i] = boardRow{shiftRow: r, Customer: names[r.CustomerID], Site: labels.Sites[r.OrderID], TaskType: labels.TaskTypes[r.TaskTypeID]}
	}
	return out, nil
}

func (a *App) board(c echo.Context) error {
	v, err := a.loadBoard(c)
	if err != nil {
		return err
	}
	return a.render(c, http.StatusOK, "board.html", "board.title", v)
}

// panelView is the side panel of one shift: its crew and who could join it.
type panelView struct {
	Row         boardRow
	Eligible    []staffing.CandidateView
	Ineligible  []staffing.CandidateView
	Supervisors []staffing.SupervisorCandidate
	// Query is the board's filters, kept in the panel's links (encoded
	// already, so that the template does not escape its = and &).
	Query template.URL
	CSRF  string
	// OOB: the answer also replaces the shift's card on the board, Card.
	OOB  bool
	Card boardCard
	// Problem is a refused change in words; Done a catalogue key of a change made.
	Problem, Done string
}

// panelRoute is the route the candidate list is access-logged under, the
// same for the panel however it was opened.
const panelRoute = Prefix + "/board/shifts/:id"

func (a *App) loadPanel(c echo.Context) (*panelView, error) {
	row, err := a.loadShift(c)
	if err != nil {
		return nil, err
	}
	labelled, err := a.labelled(c, []shiftRow{row}, nil)
	if err != nil {
		return nil, err
	}
	csrf, _ := c.Get(csrfCookie).(string)
	v := &panelView{Row: labelled[0], CSRF: csrf, Query: template.URL(boardQuery(a.weekOf(row.Date.String()), c.QueryParam("organiser"), c.QueryParam("customer")))}
	v.Card = a.cards(c).card(v.Row, string(v.Query))
	v.Card.OOB = true
	ctx, p := c.Request().Context(), principal(c)
	if v.Eligible, v.Ineligible, err = a.Staffing.Candidates(ctx, p, row.ID, panelRoute); err != nil {
		return nil, err
	}
	if v.Supervisors, err = a.Staffing.SupervisorCandidates(ctx, p, row.ID); err != nil {
		return nil, err
	}
	return v, nil
}

// showPanel answers an htmx request with the panel alone (and the shift's
// board row, swapped in place), any other with the board around the panel.
func (a *App) showPanel(c echo.Context, status int, v *panelView) error {
	if c.Request().Header.Get("HX-Request") == "true" && c.Request().Header.Get("HX-Boosted") != "true" {
		v.OOB = true
		return a.renderPart(c, status, "board.html", "panel", v)
	}
	q := c.Request().URL.Query()
	q.Set("week", v.Row.Date.String())
	c.Request().URL.RawQuery = q.Encode()
	b, err := a.loadBoard(c)
	if err != nil {
		return err
	}
	b.Panel = v
	return a.render(c, status, "board.html", "board.title", b)
}

func (a *App) boardShift(c echo.Context) error {
	v, err := a.loadPanel(c)
	if err != nil {
		return err
	}
	return a.showPanel(c, http.StatusOK, v)
}

// change runs an assignment change and shows the panel again: the change
// done, or the rule that refused it in words, on the shift as it is now.
func (a *App) change(c echo.Context, done string, do func() error) error {
	err := do()
	status, problem := http.StatusOK, ""
	if err != nil {
		f := &form{}
		if err := a.problems(c, f, err, func(string) string { return "" }); err != nil {
			return err
		}
		status, problem, done = http.StatusConflict, f.Problem, ""
	}
	v, err := a.loadPanel(c)
	if err != nil {
		return err
	}
	v.Problem, v.Done = problem, done
	return a.showPanel(c, status, v)
}

func (a *App) assign(c echo.Context) error {
	who := staffing.Person{ParticipantID: strings.TrimSpace(c.FormValue("participant_id")), SupervisorID: strings.TrimSpace(c.FormValue("supervisor_id"))}
	return a.change(c, "board.assigned", func() error {
		_, err := a.Staffing.Assign(c.Request().Context(), principal(c), c.Param("id"), who)
		return err
	})
}

func (a *App) unassign(c echo.Context) error {
	return a.change(c, "board.removed", func() error {
		return a.Staffing.Unassign(c.Request().Context(), principal(c), c.Param("id"), c.Param("aid"))
	})
}
