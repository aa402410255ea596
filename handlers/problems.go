package handlers

import (
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
	"jobcenter/participants"
)

// problemPage explains one problem type: a problem's `type` URI is
// /problems/{code} on this service, and that page says what went wrong and
// what to do about it.
type problemPage struct {
	Status  int
	Title   string
	Explain string
}

// problemPages are the problem types this service answers with: the slugs of
// the error table and every `code` a 409 carries. A test scans the sources so
// that a new conflict code cannot go without its page.
var problemPages = map[string]problemPage{
	// The error table's slugs and the HTTP layer's own answers.
	"malformed":             {400, "Malformed request", "The request could not be read: the body is not valid JSON for this route, the URL holds a character it may not, or a query parameter is one the route does not take (the detail names it). Correct the request and send it again."},
	"unauthorized":          {401, "Not signed in", "The request has no access token, or the token is expired, revoked or not issued by this service. Sign in again (POST /v1/auth/token) or refresh the token."},
	"forbidden":             {403, "Not allowed for your role", "Your role may not do this at all. Ask the job center's administrator if your work needs it."},
	"not-found":             {404, "Not found", "There is no such object or route, or it belongs to another organization and is not yours to see."},
	"method-not-allowed":    {405, "Method not allowed", "The route exists but does not take this HTTP method."},
	"conflict":              {409, "Conflict", "The object changed meanwhile or its state does not allow this. Fetch it again and retry."},
	"precondition-failed":   {412, "Stale version", "The If-Match header names an older version of the object: someone changed it meanwhile. Fetch it again, check the change and send yours with the new ETag."},
	"precondition-required": {428, "If-Match required", "Changes to this object need an If-Match header with the ETag of the version you read, so that nobody's change is overwritten unseen."},
	"too-large":             {413, "Request too large", "The request body is over 1 MB."},
	"unavailable":           {503, "Service unavailable", "The database connection was lost (a failover or restart) or the database is busy. Retry after the seconds in the Retry-After header, a POST with the same Idempotency-Key: the retry replays the answer, runs the request if nothing was saved, or answers request_applied if the change was saved but its answer lost."},
	"validation":            {422, "Invalid request", "The request is well-formed but some values are not acceptable. errors lists each field by JSON pointer with what is wrong; correct them all and send the request again."},
	"rate-limited":          {429, "Too many attempts", "Too many failed sign-ins for this email or from this address. Wait for the time in the Retry-After header and try again."},
	"internal-error":        {500, "Server error", "The server failed. Try again later, with the same Idempotency-Key for a POST: if the change was saved before the failure, the retry answers request_applied instead of making it twice; if it keeps failing, tell the service's operator the time and the X-Request-Id header of the answer."},

	// Conflict codes (409 with `code`).
	"already_assigned":                {409, "Already on the shift", "The person is already assigned to this shift."},
	"already_credited":                {409, "Already credited", "The invoice line (or every line of the invoice) is already credited by an earlier credit note."},
	"billed":                          {409, "Hours are billed", "The shift's hours are on an invoice. Billed hours are locked; a correction is made with a credit note and a new charge in the next run."},
	"credit_note":                     {409, "Credit note cannot be credited", "The invoice is itself a credit note; only a regular invoice can be credited."},
	"crew_full":                       {409, "Crew full", "The shift already has as many participants as its crew size."},
	"duplicate":                       {409, "Already exists", "An object with the same identifying values already exists."},
	"duplicate_name":                  {409, "Name taken", "A task type with this name already exists in the job center."},
	"einvoice_routing_missing":        {409, "E-invoice address missing", "The e-invoice address or operator of the job center or the customer is not set, so the Finvoice cannot be routed. The detail names what to fill in."},
	"email_taken":                     {409, "Email taken", "A user with this email already exists."},
	"hours_recorded":                  {409, "Hours recorded", "Hours are recorded for this assignment, so it can no longer be removed."},
	"in_use":                          {409, "Still in use", "Other objects still refer to this one, so it cannot be removed."},
	"invalid_transition":              {409, "Not in this state", "The object's status does not allow this step (for example accepting an order that is already cancelled). The detail names the current status."},
	"no_agreement":                    {409, "No agreement", "The customer has no agreement (price list) valid on the date in question. Add the agreement, then try again."},
	"no_payroll_rate":                 {409, "Payroll rate missing", "A national payroll rate needed for this period is not set. Add it with `jobcenter payroll-rate add`, then run again."},
	"no_shifts":                       {409, "No shifts", "The order's schedule produces no shift, so there is nothing to accept."},
	"nothing_to_pay":                  {409, "Nothing to pay", "The billing run has no payouts with a positive net amount for this organiser."},
	"organiser_iban_missing":          {409, "Organiser IBAN missing", "The organiser has no valid IBAN to pay from. Set it on the organization first."},
	"overlapping_agreement":           {409, "Overlapping agreement", "Another agreement of the customer is valid on some of the same days. End the earlier one first."},
	"overlapping_shift":               {409, "Overlapping shift", "The person is already on a shift at the same time. Staff see which shift in the detail."},
	"period_not_ended":                {409, "Period not ended", "Only a month that has ended can be billed; the detail names the first day the run can be made. A dry run can preview the current month."},
	"request_in_progress":             {409, "Request in progress", "A request with the same Idempotency-Key is still being processed. Wait for it and retry."},
	"request_applied":                 {409, "Request carried out, answer lost", "A request with the same Idempotency-Key was carried out, but its answer was lost (the connection or the service failed after its change was saved) or is still on its way. The request is not run again: read the resource it changed (the list, or the object) to see the result instead of retrying."},
	"seller_details_missing":          {409, "Job center details missing", "The job center's business ID or IBAN is not set, so the invoice cannot name its seller. An administrator sets them in the tenant settings."},
	"shift_cancelled":                 {409, "Shift cancelled", "The shift is cancelled; it has no hours."},
	"shift_ended":                     {409, "Shift ended", "The shift has ended; its crew can no longer change."},
	"shift_not_open":                  {409, "Shift not open", "The shift is not open for staffing (it is cancelled or completed)."},
	"shift_not_started":               {409, "Shift not started", "Hours can be recorded once the shift has started."},
	"shift_started":                   {409, "Shift started", "The shift has started and can no longer be cancelled."},
	"supervisor_inactive":             {409, "Supervisor inactive", "The supervisor's user has been deactivated."},
	"identity_code_missing":           {409, "Identity code missing", "Some wage earners of the run have no personal identity code, which every earnings payment report needs. The detail names them by id and pseudonym: add the codes to the participants, then export again."},
	"organiser_employer_data_missing": {409, "Employer data missing", "The organiser lacks what the Incomes Register needs of an employer: its business ID, pension insurer and policy number or contact person. The detail names what to fill in on the organiser."},
	"not_exported":                    {409, "Not exported", "The Incomes Register delivery has not been exported yet, so it cannot have been sent. Export the file first, send it, then record the sending."},
	"no_pay":                          {409, "Nothing paid", "The payout pays no wage, work allowance or holiday compensation, so it has no payslip."},
	"run_in_progress":                 {409, "Billing run in progress", "Another billing run or a credit note of the job center is being made right now. Wait for it to finish (it takes seconds to minutes), then run again: a rerun bills only what the first one did not."},
	"billing_in_progress":             {409, "Billing in progress", "A billing run or another credit note of the job center is being made right now, and a credit note waits for neither. Nothing was credited: wait for it to finish (seconds to minutes), then send the credit note again."},
	"delivery_pending":                {409, "Delivery pending", "The webhook delivery has not finished its own attempts yet; it can be retried by hand once it has been delivered or has failed."},
	"tax_card_exists":                 {409, "Tax card exists", "The participant already has a tax card for that year."},
	"timesheet_submitted":             {409, "Timesheet submitted", "The timesheet is submitted to the customer; hours can change again only if the customer disputes them."},
	"timesheet_approved":              {409, "Timesheet approved", "The customer has approved the timesheet; its hours can no longer change."},
	participants.CodeDecisionOverlap:  {409, "Overlapping decision", "The participant already has a service decision valid on some of the same days."},
	participants.CodeAssignedOutsideEmployment: {409, "Assigned outside the employment", "The new employment dates would leave the participant on shifts of wage work (supported employment) before the employment starts or after it ends. The detail names the shifts: remove the participant from them first, or give dates that cover them."},

	// Eligibility reasons, which are also the codes of a refused assignment.
	models.ReasonInactive:             {409, "Participant inactive", "The participant is not active, so cannot be assigned."},
	models.ReasonNoValidDecision:      {409, "No valid decision", "The participant has no service decision valid on the shift's date."},
	models.ReasonEmploymentNotStarted: {409, "Employment not started", "The participant's decision on the shift's date is supported employment, and their employment_start_date is after the shift's date: wage work is done only within the employment."},
	models.ReasonEmploymentEnded:      {409, "Employment ended", "The participant's decision on the shift's date is supported employment, and their employment ended (employment_end_date) before the shift's date: wage work is done only within the employment."},
	models.ReasonKindNotAllowed:       {409, "Decision does not allow this work", "The participant's service decision does not allow this kind of work."},
	models.ReasonCustomerSector:       {409, "Not for a company customer", "Rehabilitative work activity may not be arranged in profit-making companies (Act 189/2001); the participant can work only for public or non-profit customers."},
	models.ReasonMaxHoursPerDay:       {409, "Over the daily hours", "The shift would take the participant over the hours per day their service decision allows."},
	models.ReasonMaxDaysPerWeek:       {409, "Over the weekly days", "The shift would take the participant over the days per week their service decision allows."},
}

// ProblemCodes lists every problem type this service can answer with, sorted.
func ProblemCodes() []string {
	codes := make([]string, 0, len(problemPages))
	for c := range problemPages {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	return codes
}

// problemTypeBase is the absolute base of problem type URIs: the configured
// public URL, or the scheme and host the request came to.
func (a *API) problemTypeBase(c echo.Context) string {
	if a.PublicURL != "" {
		return strings.TrimSuffix(a.PublicURL, "/")
	}
	return c.Scheme() + "://" + c.Request().Host
}

var problemTemplate = template.Must(template.New("problem").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}} ({{.Code}})</title></head>
<body><main>
<h1>{{.Title}}</h1>
<p>HTTP status {{.Status}}{{if eq .Status 409}}, <code>code</code> <code>{{.Code}}</code>{{end}}</p>
<p>{{.Explain}}</p>
<p>The problem document's <code>detail</code> says what happened in this case{{if eq .Status 422}} and <code>errors</code> names each field{{end}}.</p>
</main></body></html>
`))

// problemDoc serves the page a problem's type URI points to.
func problemDoc(c echo.Context) error {
	code := c.Param("code")
	p, ok := problemPages[code]
	if !ok {
		return echo.ErrNotFound
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(http.StatusOK)
	return problemTemplate.Execute(c.Response(), struct {
		problemPage
		Code string
	}{p, code})
}
