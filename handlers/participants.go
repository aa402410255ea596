package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
	"jobcenter/participants"
)

func (a *API) participantRoutes(g *echo.Group) {
	staff := allow(models.RoleAdmin, models.RoleCoordinator, models.RoleSupervisor)
	g.POST("/participants", a.createParticipant, staff)
	g.GET("/participants", a.listParticipants, staff)
	g.GET("/participants/:id", a.getParticipant, staff)
	g.PATCH("/participants/:id", a.patchParticipant, staff)
	g.POST("/participants/:id/service-decisions", a.createDecision, staff)
	g.GET("/participants/:id/service-decisions", a.listDecisions, staff)
	g.POST("/participants/:id/outcomes", a.createOutcome, staff)
	g.GET("/participants/:id/outcomes", a.listOutcomes, staff)
	g.PUT("/participants/:id/availability", a.putAvailability, staff)
	g.GET("/participants/:id/availability", a.getAvailability, staff)
	g.GET("/participants/:id/access-log", a.participantAccessLog, allow(models.RoleAdmin, models.RoleCoordinator))
	cards := allow(models.RoleAdmin, models.RoleCoordinator, models.RoleSupervisor, models.RoleFinance)
	g.POST("/participants/:id/tax-cards", a.createTaxCard, cards)
	g.GET("/participants/:id/tax-cards", a.listTaxCards, cards)
}

type participantRequest struct {
	OrganiserID string `json:"organiser_id"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	Email       string `json:"email"`
	Phone       string `json:"phone"`
	IBAN        string `json:"iban"`
	// PersonalIdentityCode is write-only: reads show masked_identity_code.
	PersonalIdentityCode string  `json:"personal_identity_code"`
	Language             string  `json:"language"`
	EmploymentStartDate  *string `json:"employment_start_date"`
	EmploymentEndDate    *string `json:"employment_end_date"`
}

// participantPatch changes only the fields it names; the organiser and the
// pseudonym never change.
type participantPatch struct {
	FirstName            *string `json:"first_name"`
	LastName             *string `json:"last_name"`
	Email                *string `json:"email"`
	Phone                *string `json:"phone"`
	IBAN                 *string `json:"iban"`
	Active               *bool   `json:"active"`
	PersonalIdentityCode *string `json:"personal_identity_code"`
	Language             *string `json:"language"`
	EmploymentStartDate  *string `json:"employment_start_date"`
	EmploymentEndDate    *string `json:"employment_end_date"`
	// start and end are the employment dates read once, as apply sets them.
	start, end *models.Date
}

type participantResponse struct {
	ID                  string       `json:"id"`
	OrganiserID         string       `json:"organiser_id"`
	FirstName           string       `json:"first_name"`
	LastName            string       `json:"last_name"`
	Pseudonym           string       `json:"pseudonym"`
	Email               string       `json:"email"`
	Phone               string       `json:"phone"`
	IBAN                string       `json:"iban"` // masked: only finance exports show it whole
	MaskedIdentityCode  string       `json:"masked_identity_code"`
	Language            string       `json:"language"`
	EmploymentStartDate *models.Date `json:"employment_start_date"`
	EmploymentEndDate   *models.Date `json:"employment_end_date"`
	Active              bool         `json:"active"`
	Version             int          `json:"version"`
}

func participantDTO(p models.Participant) participantResponse {
	return participantResponse{ID: p.ID, OrganiserID: p.OrganiserID, FirstName: p.FirstName, LastName: p.LastName,
		Pseudonym: p.Pseudonym, Email: p.Email, Phone: p.Phone, IBAN: models.MaskIBAN(p.IBAN),
		MaskedIdentityCode: models.MaskIdentityCode(p.IdentityCode), Language: p.Language,
		EmploymentStartDate: p.EmploymentStartDate, EmploymentEndDate: p.EmploymentEndDate, Active: p.Active, Version: p.Version}
}

// optionalDate reads an optional date at pointer (nil or "" is none),
// adding a malformed one to the request's problems v.
func optionalDate(v *models.ValidationError, pointer string, s *string) *models.Date {
	if s == nil || *s == "" {
		return nil
	}
	d := parseDate(v, pointer, *s)
	return &d
}

func (p participantPatch) apply(pt *models.Participant) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&pt.IdentityCode, p.PersonalIdentityCode)
	set(&pt.Language, p.Language)
	// A malformed date is in the request's problems: nothing is written.
	if p.EmploymentStartDate != nil {
		pt.EmploymentStartDate = p.start
	}
	if p.EmploymentEndDate != nil {
		pt.EmploymentEndDate = p.end
	}
	set(&pt.FirstName, p.FirstName)
	set(&pt.LastName, p.LastName)
	set(&pt.Email, p.Email)
	set(&pt.Phone, p.Phone)
	set(&pt.IBAN, p.IBAN)
	if p.Active != nil {
		pt.Active = *p.Active
	}
}

func (a *API) createParticipant(c echo.Context) error {
	var req participantRequest
	invalid, err := decodeInvalid(c, &req)
	if err != nil {
		return err
	}
	pt, err := a.Participants.CreateParticipant(c.Request().Context(), principal(c), models.Participant{OrganiserID: req.OrganiserID,
		FirstName: req.FirstName, LastName: req.LastName, Email: req.Email, Phone: req.Phone, IBAN: req.IBAN,
		IdentityCode: req.PersonalIdentityCode, Language: req.Language,
		EmploymentStartDate: optionalDate(invalid, "/employment_start_date", req.EmploymentStartDate),
		EmploymentEndDate:   optionalDate(invalid, "/employment_end_date", req.EmploymentEndDate)}, invalid)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(pt.Version))
	return c.JSON(http.StatusCreated, participantDTO(pt))
}

func (a *API) listParticipants(c echo.Context) error {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	f := participants.Filter{OrganiserID: c.QueryParam("organiser_id"), Query: c.QueryParam("q")}
	if s := c.QueryParam("active"); s != "" {
		active, err := strconv.ParseBool(s)
		if err != nil {
			v := &models.ValidationError{}
			v.Add("/active", "must be true or false")
			return v
		}
		f.Active = &active
	}
	page, err := a.Participants.ListParticipants(c.Request().Context(), principal(c), f, limit, cursor, c.Path())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(page, participantDTO))
}

func (a *API) getParticipant(c echo.Context) error {
	pt, err := a.Participants.Participant(c.Request().Context(), principal(c), c.Param("id"), c.Path())
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(pt.Version))
	return c.JSON(http.StatusOK, participantDTO(pt))
}

func (a *API) patchParticipant(c echo.Context) error {
	var req participantPatch
	ctx, p, id := c.Request().Context(), principal(c), c.Param("id")
	return versionedPatch(c, &req,
		func() error { return a.Participants.Visible(ctx, p, id) },
		func(version int, invalid *models.ValidationError) (models.Participant, error) {
			// A malformed date joins the other problems.
			req.start = optionalDate(invalid, "/employment_start_date", req.EmploymentStartDate)
			req.end = optionalDate(invalid, "/employment_end_date", req.EmploymentEndDate)
			return a.Participants.UpdateParticipant(ctx, p, id, version, c.Path(), req.apply, invalid)
		},
		func(pt models.Participant) (int, participantResponse) { return pt.Version, participantDTO(pt) })
}

// decisionRequest takes dates as strings so that a malformed one is named
// by its pointer.
type decisionRequest struct {
	Kind                string  `json:"kind"`
	ValidFrom           string  `json:"valid_from"`
	ValidUntil          *string `json:"valid_until"`
	MaxDaysPerWeek      int     `json:"max_days_per_week"`
	MaxHoursPerDay      int     `json:"max_hours_per_day"`
	Compensation        string  `json:"compensation"`
	DailyAllowanceCents int64   `json:"daily_allowance_cents"`
	HourlyWageCents     int64   `json:"hourly_wage_cents"`
	WithholdingBps      int64   `json:"withholding_bps"`
	// Supersede ends the decision covering valid_from the day before.
	Supersede bool `json:"supersede"`
}

// terms reads the decision's terms, recording malformed dates in v.
func (r decisionRequest) terms(v *models.ValidationError) models.DecisionTerms {
	t := models.DecisionTerms{Kind: r.Kind, MaxDaysPerWeek: r.MaxDaysPerWeek, MaxHoursPerDay: r.MaxHoursPerDay,
		Compensation: r.Compensation, DailyAllowanceCents: models.Cents(r.DailyAllowanceCents),
		HourlyWageCents: models.Cents(r.HourlyWageCents), WithholdingBps: r.WithholdingBps}
	t.ValidFrom = parseDate(v, "/valid_from", r.ValidFrom)
	if r.ValidUntil != nil {
		if d := parseDate(v, "/valid_until", *r.ValidUntil); !d.IsZero() {
			t.ValidUntil = &d
		}
	}
	return t
}

// parseDate reads an optional "YYYY-MM-DD", recording a malformed one in v.
func parseDate(v *models.ValidationError, pointer, s string) models.Date {
	if s == "" {
		return models.Date{}
	}
	d, err := models.ParseDate(s)
	if err != nil {
		v.Add(pointer, "must be a date YYYY-MM-DD")
	}
	return d
}

type decisionResponse struct {
	ID                  string       `json:"id"`
	ParticipantID       string       `json:"participant_id"`
	Kind                string       `json:"kind"`
	ValidFrom           models.Date  `json:"valid_from"`
	ValidUntil          *models.Date `json:"valid_until"`
	MaxDaysPerWeek      int          `json:"max_days_per_week"`
	MaxHoursPerDay      int          `json:"max_hours_per_day"`
	Compensation        string       `json:"compensation"`
	DailyAllowanceCents models.Cents `json:"daily_allowance_cents"`
	HourlyWageCents     models.Cents `json:"hourly_wage_cents"`
	WithholdingBps      int64        `json:"withholding_bps"`
	TaxableCentsPerDay  models.Cents `json:"taxable_cents_per_day"`
	SupersededBy        *string      `json:"superseded_by"`
	CreatedAt           time.Time    `json:"created_at"`
}

// decisionDTO shows the decision with its taxable part per day above
// taxFreeCap, the työosuusraha cap valid today.
func decisionDTO(d models.ServiceDecision, taxFreeCap models.Cents) decisionResponse {
	return decisionResponse{ID: d.ID, ParticipantID: d.ParticipantID, Kind: d.Kind, ValidFrom: d.ValidFrom, ValidUntil: d.ValidUntil,
		MaxDaysPerWeek: d.MaxDaysPerWeek, MaxHoursPerDay: d.MaxHoursPerDay, Compensation: d.Compensation,
		DailyAllowanceCents: d.DailyAllowanceCents, HourlyWageCents: d.HourlyWageCents, WithholdingBps: d.WithholdingBps,
		TaxableCentsPerDay: d.TaxableCentsPerDay(taxFreeCap), SupersededBy: d.SupersededBy, CreatedAt: d.CreatedAt.UTC()}
}

func (a *API) createDecision(c echo.Context) error {
	var req decisionRequest
	invalid, err := decodeInvalid(c, &req)
	if err != nil {
		return err
	}
	d, err := a.Participants.CreateDecision(c.Request().Context(), principal(c), c.Param("id"), req.terms(invalid), req.Supersede, invalid)
	if err != nil {
		return err
	}
	taxFreeCap, err := a.taxFreeCap(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, decisionDTO(d, taxFreeCap))
}

func (a *API) listDecisions(c echo.Context) error {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	page, err := a.Participants.ListDecisions(c.Request().Context(), principal(c), c.Param("id"), limit, cursor, c.Path())
	if err != nil {
		return err
	}
	taxFreeCap, err := a.taxFreeCap(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(page, func(d models.ServiceDecision) decisionResponse { return decisionDTO(d, taxFreeCap) }))
}

// taxFreeCap is the työosuusraha's tax-free cap per day valid today.
func (a *API) taxFreeCap(c echo.Context) (models.Cents, error) {
	return a.Billing.WorkShareTaxFree(c.Request().Context(), models.DateOf(a.Clock.Now(), a.Loc))
}

type taxCardRequest struct {
	Year             int   `json:"year"`
	BasicBps         int64 `json:"basic_bps"`
	AdditionalBps    int64 `json:"additional_bps"`
	IncomeLimitCents int64 `json:"income_limit_cents"`
}

type taxCardResponse struct {
	ID               string       `json:"id"`
	ParticipantID    string       `json:"participant_id"`
	Year             int          `json:"year"`
	BasicBps         int64        `json:"basic_bps"`
	AdditionalBps    int64        `json:"additional_bps"`
	IncomeLimitCents models.Cents `json:"income_limit_cents"`
	CreatedAt        time.Time    `json:"created_at"`
}

func taxCardDTO(t models.TaxCard) taxCardResponse {
	return taxCardResponse{ID: t.ID, ParticipantID: t.ParticipantID, Year: t.Year, BasicBps: t.BasicBps,
		AdditionalBps: t.AdditionalBps, IncomeLimitCents: t.IncomeLimitCents, CreatedAt: t.CreatedAt.UTC()}
}

func (a *API) createTaxCard(c echo.Context) error {
	var req taxCardRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	card, err := a.Participants.CreateTaxCard(c.Request().Context(), principal(c), c.Param("id"), models.TaxCard{Year: req.Year,
		BasicBps: req.BasicBps, AdditionalBps: req.AdditionalBps, IncomeLimitCents: models.Cents(req.IncomeLimitCents)}, c.Path())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, taxCardDTO(card))
}

func (a *API) listTaxCards(c echo.Context) error {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	page, err := a.Participants.ListTaxCards(c.Request().Context(), principal(c), c.Param("id"), limit, cursor, c.Path())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(page, taxCardDTO))
}

type outcomeRequest struct {
	Kind string `json:"kind"`
	Date string `json:"date"`
	Note string `json:"note"`
}

type outcomeResponse struct {
	ID            string      `json:"id"`
	ParticipantID string      `json:"participant_id"`
	Kind          string      `json:"kind"`
	Date          models.Date `json:"date"`
	Note          string      `json:"note"`
	CreatedBy     string      `json:"created_by"`
	CreatedAt     time.Time   `json:"created_at"`
}

func outcomeDTO(o models.Outcome) outcomeResponse {
	return outcomeResponse{ID: o.ID, ParticipantID: o.ParticipantID, Kind: o.Kind, Date: o.Date, Note: o.Note,
		CreatedBy: o.CreatedBy, CreatedAt: o.CreatedAt.UTC()}
}

func (a *API) createOutcome(c echo.Context) error {
	var req outcomeRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	v := &models.ValidationError{}
	o := models.Outcome{Kind: req.Kind, Date: parseDate(v, "/date", req.Date), Note: req.Note}
	if err := v.Err(); err != nil {
		return err
	}
	o, err := a.Participants.CreateOutcome(c.Request().Context(), principal(c), c.Param("id"), o)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, outcomeDTO(o))
}

func (a *API) listOutcomes(c echo.Context) error {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	page, err := a.Participants.ListOutcomes(c.Request().Context(), principal(c), c.Param("id"), limit, cursor, c.Path())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(page, outcomeDTO))
}

// windowJSON takes times as strings so that a malformed one is named by its
// pointer.
type windowJSON struct {
	Weekday   int    `json:"weekday"`
	StartTime string `json:"start_time"`
	EndTime   string `json:"end_time"`
}

type availabilityJSON struct {
	Windows []windowJSON `json:"windows"`
}

func availabilityDTO(ws []models.AvailabilityWindow) availabilityJSON {
	out := availabilityJSON{Windows: make([]windowJSON, len(ws))}
	for i, w := range ws {
		out.Windows[i] = windowJSON{Weekday: w.Weekday, StartTime: w.StartTime.String(), EndTime: w.EndTime.String()}
	}
	return out
}

func (a *API) putAvailability(c echo.Context) error {
	var req availabilityJSON
	if err := decode(c, &req); err != nil {
		return err
	}
	v := &models.ValidationError{}
	if req.Windows == nil {
		v.Add("/windows", "is required (an empty array removes all windows)")
	}
	ws := make([]models.AvailabilityWindow, len(req.Windows))
	for i, w := range req.Windows {
		ws[i].Weekday = w.Weekday
		for _, f := range []struct {
			name string
			src  string
			dst  *models.ClockTime
		}{{"start_time", w.StartTime, &ws[i].StartTime}, {"end_time", w.EndTime, &ws[i].EndTime}} {
			t, err := models.ParseClockTime(f.src)
			if err != nil {
				v.Add(fmt.Sprintf("/windows/%d/%s", i, f.name), "must be a local time HH:MM")
			}
			*f.dst = t
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	ws, err := a.Participants.PutAvailability(c.Request().Context(), principal(c), c.Param("id"), ws)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, availabilityDTO(ws))
}

func (a *API) getAvailability(c echo.Context) error {
	ws, err := a.Participants.Availability(c.Request().Context(), principal(c), c.Param("id"), c.Path())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, availabilityDTO(ws))
}

type accessLogResponse struct {
	ID            string    `json:"id"`
	ParticipantID string    `json:"participant_id"`
	UserID        string    `json:"user_id"`
	Role          string    `json:"role"`
	Action        string    `json:"action"`
	Route         string    `json:"route"`
	At            time.Time `json:"at"`
}

func accessLogDTO(e models.AccessLogEntry) accessLogResponse {
	return accessLogResponse{ID: e.ID, ParticipantID: e.ParticipantID, UserID: e.UserID, Role: e.Role, Action: e.Action, Route: e.Route, At: e.At.UTC()}
}

func (a *API) participantAccessLog(c echo.Context) error {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	page, err := a.Participants.AccessLog(c.Request().Context(), principal(c), c.Param("id"), limit, cursor)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(page, accessLogDTO))
}
