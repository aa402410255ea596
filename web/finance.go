package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"jobcenter/billing"
	"jobcenter/finance"
	"jobcenter/finance/export"
	"jobcenter/models"
	"jobcenter/store"
)

// financeRoutes are the finance desk's pages: billing runs with every file
// of a run, invoices and credit notes. Every file is the same use case as
// the API's export of it.
func (a *App) financeRoutes(g *echo.Group) {
	fin := models.RoleFinance
	a.page(g, http.MethodGet, "/billing", a.billingPage, fin)
	a.page(g, http.MethodPost, "/billing", a.startRun, fin)
	a.page(g, http.MethodGet, "/billing/runs/:id", a.runPage, fin)
	a.page(g, http.MethodGet, "/billing/runs/:id/payouts.xml", a.runFile(a.payoutsXML), fin)
	a.page(g, http.MethodGet, "/billing/runs/:id/payouts.csv", a.runFile(a.payoutsCSV), fin)
	a.page(g, http.MethodGet, "/billing/runs/:id/incomes-register.xml", a.runFile(a.incomesRegister), fin)
	a.page(g, http.MethodGet, "/billing/runs/:id/payroll-basis.csv", a.runFile(a.payrollBasis), fin)
	a.page(g, http.MethodGet, "/billing/runs/:id/invoices.csv", a.runFile(a.invoicesCSV), fin)
	a.page(g, http.MethodGet, "/billing/runs/:id/journal.csv", a.runFile(a.journalCSV), fin)
	a.page(g, http.MethodGet, "/billing/runs/:id/attendance.csv", a.runFile(a.attendanceCSV), fin)
	a.page(g, http.MethodGet, "/payouts/:id/payslip.pdf", a.payslip, fin)
	a.page(g, http.MethodGet, "/invoices/:id", a.invoice, fin, models.RoleCustomer)
	a.page(g, http.MethodGet, "/invoices/:id/credit", a.confirmCredit, fin)
	a.page(g, http.MethodPost, "/invoices/:id/credit", a.creditNote, fin)
}

type billingView struct {
	Form    *form
	Runs    []models.BillingRun
	Preview *billing.Outcome
	Names   map[string]string // organisation id → name
}

// lastMonth is the period a run usually bills: the month before today.
func (a *App) lastMonth() string {
	return models.PeriodOf(a.today()).Prev().String()
}

// orgNames are the tenant's organisations by id, for labels.
func (a *App) orgNames(c echo.Context) (map[string]string, error) {
	out := map[string]string{}
	for _, kind := range []string{models.KindCustomer, models.KindOrganiser} {
		orgs, err := a.organizations(c, kind)
		if err != nil {
			return nil, err
		}
		for _, o := range orgs {
			out[o.ID] = o.Name
		}
	}
	return out, nil
}

func (a *App) showBilling(c echo.Context, status int, f *form, preview *billing.Outcome) error {
	runs, err := a.Billing.ListRuns(c.Request().Context(), principal(c), "", 24, "")
	if err != nil {
		return err
	}
	names, err := a.orgNames(c)
	if err != nil {
		return err
	}
	return a.render(c, status, "billing.html", "billing.title", billingView{Form: f, Runs: runs.Items, Preview: preview, Names: names})
}

func (a *App) billingPage(c echo.Context) error {
	return a.showBilling(c, http.StatusOK, &form{Values: url.Values{"period": {a.lastMonth()}}}, nil)
}

// startRun previews (dry run) or runs billing for the month chosen. A run
// started while another is in progress is refused by the use case (409
// run_in_progress), shown at the top of the form.
func (a *App) startRun(c echo.Context) error {
	f := &form{Values: url.Values{"period": {c.FormValue("period")}}}
	dry := c.FormValue("action") != "run"
	field := func(p string) string {
		if p == "/period" {
			return "period"
		}
		return ""
	}
	period, err := models.ParsePeriod(f.Value("period"))
	var out billing.Outcome
	if err == nil {
		p := principal(c)
		out, err = a.Billing.Run(c.Request().Context(), billing.RunRequest{TenantID: p.TenantID, Period: period, DryRun: dry, UserID: &p.UserID})
	}
	if err != nil {
		if err := a.problems(c, f, err, field); err != nil {
			return err
		}
		return a.showBilling(c, http.StatusUnprocessableEntity, f, nil)
	}
	if dry {
		return a.showBilling(c, http.StatusOK, f, &out)
	}
	if out.Run.InvoiceCount == 0 && len(out.Payouts) == 0 && len(out.Settlements) == 0 {
		a.flash(c, "flash.run_empty")
	} else {
		a.flash(c, "flash.run_done")
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/billing/runs/"+out.Run.ID)
}

type runView struct {
	Run         models.BillingRun
	Invoices    []billing.StoredInvoice
	Settlements []models.Settlement
	Payouts     []models.Payout
	Deliveries  []finance.IRDeliveryStatus
	Names       map[string]string
	// Organisers and Customers of the run, for their files.
	Organisers, Customers []string
}

// Reports says whether the run has wages of the organiser to report to the
// Incomes Register (a daily allowance is not wages).
func (v runView) Reports(organiserID string) bool {
	for _, d := range v.Deliveries {
		if d.OrganiserID == organiserID {
			return true
		}
	}
	return false
}

// all reads every page of a list use case, at most maxListPages of them.
func all[T any](read func(cursor string) (store.Page[T], error)) ([]T, error) {
	var out []T
	cursor := ""
	for range maxListPages {
		page, err := read(cursor)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	return out, nil
}

func (a *App) runPage(c echo.Context) error {
	ctx, p := c.Request().Context(), principal(c)
	run, err := a.Billing.GetRun(ctx, p, c.Param("id"))
	if err != nil {
		return err
	}
	v := runView{Run: run}
	if v.Invoices, err = all(func(cur string) (store.Page[billing.StoredInvoice], error) {
		return a.Billing.ListInvoices(ctx, p, billing.InvoiceFilter{RunID: run.ID}, 200, cur)
	}); err != nil {
		return err
	}
	if v.Settlements, err = all(func(cur string) (store.Page[models.Settlement], error) {
		return a.Billing.ListSettlements(ctx, p, run.ID, 200, cur)
	}); err != nil {
		return err
	}
	if v.Payouts, err = all(func(cur string) (store.Page[models.Payout], error) {
		return a.Billing.ListPayouts(ctx, p, run.ID, 200, cur)
	}); err != nil {
		return err
	}
	if v.Deliveries, err = all(func(cur string) (store.Page[finance.IRDeliveryStatus], error) {
		return a.Finance.IRDeliveries(ctx, p, run.ID, 200, cur)
	}); err != nil {
		return err
	}
	if v.Names, err = a.orgNames(c); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, s := range v.Settlements {
		if !seen[s.OrganiserID] {
			seen[s.OrganiserID] = true
			v.Organisers = append(v.Organisers, s.OrganiserID)
		}
	}
	for _, inv := range v.Invoices {
		if !seen[inv.CustomerID] {
			seen[inv.CustomerID] = true
			v.Customers = append(v.Customers, inv.CustomerID)
		}
	}
	return a.render(c, http.StatusOK, "billing_run.html", "run.title", v)
}

// runFile streams a file of a run; the use case checks the run, the
// organiser or customer and the caller, and writes the access log.
func (a *App) runFile(file func(c echo.Context, runID string, d export.Dialect) (finance.File, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		d, err := export.ParseDialect(c.QueryParam("dialect"))
		if err != nil {
			return echo.NewHTTPError(http.StatusBadRequest)
		}
		f, err := file(c, c.Param("id"), d)
		if err != nil {
			return err
		}
		return download(c, f)
	}
}

func (a *App) payoutsXML(c echo.Context, run string, _ export.Dialect) (finance.File, error) {
	return a.Finance.PayoutsXML(c.Request().Context(), principal(c), run, c.QueryParam("organiser_id"), c.Path())
}

func (a *App) payoutsCSV(c echo.Context, run string, d export.Dialect) (finance.File, error) {
	return a.Finance.PayoutsCSV(c.Request().Context(), principal(c), run, c.QueryParam("organiser_id"), d, c.Path())
}

func (a *App) incomesRegister(c echo.Context, run string, _ export.Dialect) (finance.File, error) {
	return a.Finance.IncomesRegisterXML(c.Request().Context(), principal(c), run, c.QueryParam("organiser_id"), c.Path())
}

func (a *App) payrollBasis(c echo.Context, run string, d export.Dialect) (finance.File, error) {
	return a.Finance.PayrollBasisCSV(c.Request().Context(), principal(c), run, c.QueryParam("customer_id"), d, c.Path())
}

func (a *App) invoicesCSV(c echo.Context, run string, d export.Dialect) (finance.File, error) {
	return a.Finance.InvoicesCSV(c.Request().Context(), principal(c), finance.Books{RunID: run}, d)
}

func (a *App) journalCSV(c echo.Context, run string, d export.Dialect) (finance.File, error) {
	return a.Finance.JournalCSV(c.Request().Context(), principal(c), finance.Books{RunID: run}, d)
}

// attendanceCSV is the attendance of the run's month for an organiser.
func (a *App) attendanceCSV(c echo.Context, run string, d export.Dialect) (finance.File, error) {
	r, err := a.Billing.GetRun(c.Request().Context(), principal(c), run)
	if err != nil {
		return finance.File{}, err
	}
	return a.Finance.AttendanceCSV(c.Request().Context(), principal(c), r.Period, c.QueryParam("organiser_id"), d, c.Path())
}

func (a *App) payslip(c echo.Context) error {
	f, err := a.Finance.PayslipPDF(c.Request().Context(), principal(c), c.Param("id"), c.Path())
	if err != nil {
		return err
	}
	return download(c, f)
}

type invoiceView struct {
	Invoice billing.StoredInvoice
	Names   map[string]string
	// Chosen lines of a credit note to confirm; none is the whole invoice.
	Chosen  []models.InvoiceLine
	Confirm bool
	Form    *form
}

// Creditable reports whether any line is not yet credited.
func (v invoiceView) Creditable() bool {
	if v.Invoice.CreditsInvoiceID != nil {
		return false
	}
	for _, l := range v.Invoice.Lines {
		if l.CreditedBy == nil {
			return true
		}
	}
	return false
}

// ChosenCents is the net amount of the lines to credit.
func (v invoiceView) ChosenCents() models.Cents {
	var sum models.Cents
	for _, l := range v.Chosen {
		sum += l.AmountCents
	}
	return sum
}

func (a *App) showInvoice(c echo.Context, status int, confirm bool, f *form) error {
	inv, err := a.Billing.GetInvoice(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	v := invoiceView{Invoice: inv, Confirm: confirm, Form: f}
	if principal(c).Role == models.RoleFinance {
		if v.Names, err = a.orgNames(c); err != nil {
			return err
		}
	}
	if f != nil {
		for _, l := range inv.Lines {
			if f.Has("line", strconv.Itoa(l.LineNo)) {
				v.Chosen = append(v.Chosen, l)
			}
		}
	}
	return a.render(c, status, "invoice.html", "invoice.title", v)
}

func (a *App) invoice(c echo.Context) error { return a.showInvoice(c, http.StatusOK, false, nil) }

// confirmCredit shows what a credit note would reverse before it is made.
func (a *App) confirmCredit(c echo.Context) error {
	return a.showInvoice(c, http.StatusOK, true, &form{Values: url.Values{"line": c.QueryParams()["line"]}})
}

func (a *App) creditNote(c echo.Context) error {
	params, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f := &form{Values: url.Values{"line": params["line"]}}
	var lines []int
	for _, raw := range params["line"] {
		n, err := strconv.Atoi(raw)
		if err != nil {
			return echo.NewHTTPError(http.StatusBadRequest)
		}
		lines = append(lines, n)
	}
	p := principal(c)
	note, err := a.Billing.CreditNote(c.Request().Context(), p.TenantID, c.Param("id"), lines, p.UserID)
	if err != nil {
		if err := a.problems(c, f, err, func(string) string { return "" }); err != nil {
			return err
		}
		return a.showInvoice(c, http.StatusConflict, true, f)
	}
	a.flash(c, "flash.credit_note_made")
	return c.Redirect(http.StatusSeeOther, Prefix+"/invoices/"+note.ID)
}
