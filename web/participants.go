package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
	"jobcenter/participants"
)

// participantRoutes: the participants' list and page for coordinators and
// admins, and for a supervisor those of its own organiser (the use cases
// scope what each caller sees). Every read goes through the same use case
// as the API's, which writes the access log with the page's route.
func (a *App) participantRoutes(g *echo.Group) {
	staff := []string{models.RoleCoordinator, models.RoleAdmin, models.RoleSupervisor}
	a.page(g, http.MethodGet, "/participants", a.participantList, staff...)
	a.page(g, http.MethodGet, "/participants/:id", a.participantPage, staff...)
}

// participantRow is what the pages show of a participant: the identity
// code and the IBAN only masked, as the API's responses.
type participantRow struct {
	ID, FirstName, LastName, Pseudonym string
	Email, Phone, Language             string
	MaskedIBAN, MaskedIdentityCode     string
	EmploymentStartDate                *models.Date
	EmploymentEndDate                  *models.Date
	Active                             bool
	Organiser                          string
}

func rowOf(p models.Participant) participantRow {
	return participantRow{ID: p.ID, FirstName: p.FirstName, LastName: p.LastName, Pseudonym: p.Pseudonym, Email: p.Email,
		Phone: p.Phone, Language: p.Language, MaskedIBAN: models.MaskIBAN(p.IBAN),
		MaskedIdentityCode: models.MaskIdentityCode(p.IdentityCode), EmploymentStartDate: p.EmploymentStartDate,
		EmploymentEndDate: p.EmploymentEndDate, Active: p.Active, Organiser: p.OrganiserID}
}

type participantListView struct {
	Query string
	Items []participantRow
	More  string
}

// participantPageSize is how many participants one list page shows.
const participantPageSize = 50

func (a *App) participantList(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	page, err := a.Participants.ListParticipants(c.Request().Context(), principal(c), participants.Filter{Query: q},
		participantPageSize, c.QueryParam("cursor"), c.Path())
	if err != nil {
		return err
	}
	v := participantListView{Query: q}
	for _, p := range page.Items {
		v.Items = append(v.Items, rowOf(p))
	}
	if page.NextCursor != nil {
		v.More = Prefix + "/participants?" + url.Values{"q": {q}, "cursor": {*page.NextCursor}}.Encode()
	}
	return a.render(c, http.StatusOK, "participants.html", "participants.title", v)
}

// participantView is a participant's page; the lists show their newest
// participantPageSize items.
type participantView struct {
	Participant  participantRow
	Organiser    string
	Decisions    []models.ServiceDecision
	TaxCards     []models.TaxCard
	Outcomes     []models.Outcome
	Availability []models.AvailabilityWindow
	// AccessLog is shown to coordinators and admins only, as in the API.
	AccessLog     []models.AccessLogEntry
	ShowAccessLog bool
}

func (a *App) participantPage(c echo.Context) error {
	ctx, p, id, route := c.Request().Context(), principal(c), c.Param("id"), c.Path()
	pt, err := a.Participants.Participant(ctx, p, id, route)
	if err != nil {
		return err
	}
	v := participantView{Participant: rowOf(pt)}
	decisions, err := a.Participants.ListDecisions(ctx, p, id, participantPageSize, "", route)
	if err != nil {
		return err
	}
	cards, err := a.Participants.ListTaxCards(ctx, p, id, participantPageSize, "", route)
	if err != nil {
		return err
	}
	outcomes, err := a.Participants.ListOutcomes(ctx, p, id, participantPageSize, "", route)
	if err != nil {
		return err
	}
	v.Decisions, v.TaxCards, v.Outcomes = decisions.Items, cards.Items, outcomes.Items
	if v.Availability, err = a.Participants.Availability(ctx, p, id, route); err != nil {
		return err
	}
	if p.Role == models.RoleCoordinator || p.Role == models.RoleAdmin {
		log, err := a.Participants.AccessLog(ctx, p, id, participantPageSize, "")
		if err != nil {
			return err
		}
		v.AccessLog, v.ShowAccessLog = log.Items, true
		o, err := a.Directory.Organization(ctx, p, pt.OrganiserID)
		if err != nil {
			return err
		}
		v.Organiser = o.Name
	}
	return a.render(c, http.StatusOK, "participant.html", "participant.title", v)
}
