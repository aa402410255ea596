package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"jobcenter/billing"
	"jobcenter/models"
)

func (a *API) billingRoutes(g *echo.Group) {
	runners := allow(models.RoleFinance, models.RoleAdmin)
	g.POST("/billing-runs", a.createBillingRun, runners)
	g.GET("/billing-runs", a.listBillingRuns, runners)
	g.GET("/billing-runs/:id", a.getBillingRun, runners)
	invoiceReaders := allow(models.RoleFinance, models.RoleAdmin, models.RoleCustomer)
	g.GET("/invoices", a.listInvoices, invoiceReaders)
	g.GET("/invoices/:id", a.getInvoice, invoiceReaders)
	g.GET("/invoices/:id/invoice.pdf", a.invoicePDF, invoiceReaders)
	g.POST("/invoices/:id/credit-note", a.creditNote, allow(models.RoleFinance))
	moneyReaders := allow(models.RoleFinance, models.RoleAdmin, models.RoleSupervisor)
	g.GET("/settlements", a.listSettlements, moneyReaders)
	g.GET("/payouts", a.listPayouts, moneyReaders)
	g.GET("/payouts/:id/payslip.pdf", a.payslipPDF, allow(models.RoleFinance, models.RoleSupervisor))
}

type billingRunRequest struct {
	Period models.Period `json:"period"`
	DryRun bool          `json:"dry_run"`
}

type billingRunResponse struct {
	ID           *string      `json:"id"`
	Period       string       `json:"period"`
	Kind         string       `json:"kind"`
	DryRun       bool         `json:"dry_run"`
	InvoiceCount int          `json:"invoice_count"`
	NetCents     models.Cents `json:"net_cents"`
	VatCents     models.Cents `json:"vat_cents"`
	GrossCents   models.Cents `json:"gross_cents"`
	CreatedAt    time.Time    `json:"created_at"`
}

// billingOutcomeResponse is a run with everything it produced.
type billingOutcomeResponse struct {
	billingRunResponse
	Invoices    []invoiceResponse    `json:"invoices"`
	Settlements []settlementResponse `json:"settlements"`
	Payouts     []payoutResponse     `json:"payouts"`
	Journal     []journalResponse    `json:"journal"`
}

func billingRunDTO(r models.BillingRun) billingRunResponse {
	id := r.ID
	return billingRunResponse{ID: &id, Period: r.Period, Kind: r.Kind, InvoiceCount: r.InvoiceCount,
		NetCents: r.NetCents, VatCents: r.VatCents, GrossCents: r.GrossCents, CreatedAt: r.CreatedAt}
}

type invoiceLineResponse struct {
	LineNo         int          `json:"line_no"`
	OrderID        string       `json:"order_id"`
	OrganiserID    string       `json:"organiser_id"`
	Kind           string       `json:"kind"`
	Minutes        int64        `json:"minutes"`
	Count          int64        `json:"count"`
	UnitPriceCents models.Cents `json:"unit_price_cents"`
	AmountCents    models.Cents `json:"amount_cents"`
	VatBps         int64        `json:"vat_bps"`
	CreditedBy     *string      `json:"credited_by"`
}

type vatGroupResponse struct {
	VatBps   int64        `json:"vat_bps"`
	NetCents models.Cents `json:"net_cents"`
	VatCents models.Cents `json:"vat_cents"`
}

type invoiceResponse struct {
	ID               string                `json:"id"`
	BillingRunID     *string               `json:"billing_run_id"`
	CustomerID       string                `json:"customer_id"`
	InvoiceNumber    string                `json:"invoice_number"`
	ReferenceNumber  string                `json:"reference_number"`
	RFReference      string                `json:"rf_reference"`
	InvoiceDate      models.Date           `json:"invoice_date"`
	DueDate          models.Date           `json:"due_date"`
	NetCents         models.Cents          `json:"net_cents"`
	VatCents         models.Cents          `json:"vat_cents"`
	GrossCents       models.Cents          `json:"gross_cents"`
	VatTreatment     string                `json:"vat_treatment"`
	VatExemptReason  string                `json:"vat_exempt_reason"`
	CreditsInvoiceID *string               `json:"credits_invoice_id"`
	SellerBusinessID string                `json:"seller_business_id"`
	BuyerBusinessID  string                `json:"buyer_business_id"`
	Lines            []invoiceLineResponse `json:"lines"`
	VatBreakdown     []vatGroupResponse    `json:"vat_breakdown"`
}

func invoiceDTO(inv billing.StoredInvoice) invoiceResponse {
	r := invoiceResponse{ID: inv.ID, BillingRunID: inv.BillingRunID, CustomerID: inv.CustomerID, InvoiceNumber: inv.InvoiceNumber,
		ReferenceNumber: inv.ReferenceNumber, RFReference: inv.RFReference, InvoiceDate: inv.InvoiceDate, DueDate: inv.DueDate,
		NetCents: inv.NetCents, VatCents: inv.VatCents, GrossCents: inv.GrossCents, VatTreatment: inv.VatTreatment,
		VatExemptReason: inv.VatExemptReason, CreditsInvoiceID: inv.CreditsInvoiceID,
		SellerBusinessID: inv.SellerBusinessID, BuyerBusinessID: inv.BuyerBusinessID,
		Lines: []invoiceLineResponse{}, VatBreakdown: []vatGroupResponse{}}
	for _, l := range inv.Lines {
		r.Lines = append(r.Lines, invoiceLineResponse{LineNo: l.LineNo, OrderID: l.OrderID, OrganiserID: l.OrganiserID, Kind: l.Kind,
			Minutes: l.Minutes, Count: l.Count, UnitPriceCents: l.UnitPriceCents, AmountCents: l.AmountCents, VatBps: l.VatBps, CreditedBy: l.CreditedBy})
	}
	for _, v := range inv.Vat {
		r.VatBreakdown = append(r.VatBreakdown, vatGroupResponse{VatBps: v.VatBps, NetCents: v.NetCents, VatCents: v.VatCents})
	}
	return r
}

type settlementResponse struct {
	ID           string       `json:"id"`
	BillingRunID *string      `json:"billing_run_id"`
	InvoiceID    *string      `json:"invoice_id"`
	OrganiserID  string       `json:"organiser_id"`
	GrossCents   models.Cents `json:"gross_cents"`
	FeeCents     models.Cents `json:"fee_cents"`
	PayableCents models.Cents `json:"payable_cents"`
	CarriedInto  *string      `json:"carried_into"`
	CarriedCents models.Cents `json:"carried_cents"`
	ToPayCents   models.Cents `json:"to_pay_cents"`
}

func settlementDTO(s models.Settlement) settlementResponse {
	return settlementResponse{ID: s.ID, BillingRunID: s.BillingRunID, InvoiceID: s.InvoiceID, OrganiserID: s.OrganiserID,
		GrossCents: s.GrossCents, FeeCents: s.FeeCents, PayableCents: s.PayableCents, CarriedInto: s.CarriedInto,
		CarriedCents: s.CarriedCents, ToPayCents: s.ToPayCents()}
}

type payoutResponse struct {
	ID                             string       `json:"id"`
	BillingRunID                   *string      `json:"billing_run_id"`
	InvoiceID                      *string      `json:"invoice_id"`
	ParticipantID                  string       `json:"participant_id"`
	OrganiserID                    string       `json:"organiser_id"`
	Days                           int64        `json:"days"`
	Minutes                        int64        `json:"minutes"`
	GrossCents                     models.Cents `json:"gross_cents"`
	WithholdingCents               models.Cents `json:"withholding_cents"`
	NetCents                       models.Cents `json:"net_cents"`
	TaxableCents                   models.Cents `json:"taxable_cents"`
	PaymentDate                    models.Date  `json:"payment_date"`
	TaxFreeCents                   models.Cents `json:"tax_free_cents"`
	HolidayAccruedCents            models.Cents `json:"holiday_accrued_cents"`
	HolidayCompensationCents       models.Cents `json:"holiday_compensation_cents"`
	PensionCents                   models.Cents `json:"pension_cents"`
	UnemploymentInsuranceCents     models.Cents `json:"unemployment_insurance_cents"`
	EmployerPensionCents           models.Cents `json:"employer_pension_cents"`
	EmployerUnemploymentCents      models.Cents `json:"employer_unemployment_cents"`
	EmployerHealthInsuranceCents   models.Cents `json:"employer_health_insurance_cents"`
	EmployerAccidentInsuranceCents models.Cents `json:"employer_accident_insurance_cents"`
	EmployerCostCents              models.Cents `json:"employer_cost_cents"`
	CarriedInto                    *string      `json:"carried_into"`
	CarriedNetCents                models.Cents `json:"carried_net_cents"`
}

func payoutDTO(p models.Payout) payoutResponse {
	return payoutResponse{ID: p.ID, BillingRunID: p.BillingRunID, InvoiceID: p.InvoiceID, ParticipantID: p.ParticipantID,
		OrganiserID: p.OrganiserID, Days: p.Days, Minutes: p.Minutes, GrossCents: p.GrossCents,
		WithholdingCents: p.WithholdingCents, NetCents: p.NetCents, TaxableCents: p.TaxableCents,
		PaymentDate: p.PaymentDate, TaxFreeCents: p.TaxFreeCents, HolidayAccruedCents: p.HolidayAccruedCents,
		HolidayCompensationCents: p.HolidayCompensationCents, PensionCents: p.PensionCents,
		UnemploymentInsuranceCents: p.UnemploymentInsuranceCents, EmployerPensionCents: p.EmployerPensionCents,
		EmployerUnemploymentCents: p.EmployerUnemploymentCents, EmployerHealthInsuranceCents: p.EmployerHealthInsuranceCents,
		EmployerAccidentInsuranceCents: p.EmployerAccidentInsuranceCents, EmployerCostCents: p.EmployerCostCents,
		CarriedInto: p.CarriedInto, CarriedNetCents: p.CarriedNetCents}
}

type journalResponse struct {
	LineNo      int          `json:"line_no"`
	EntryDate   models.Date  `json:"entry_date"`
	Account     string       `json:"account"`
	DebitCents  models.Cents `json:"debit_cents"`
	CreditCents models.Cents `json:"credit_cents"`
	Memo        string       `json:"memo"`
}

func journalDTO(j models.JournalEntry) journalResponse {
	return journalResponse{LineNo: j.LineNo, EntryDate: j.EntryDate, Account: j.Account, DebitCents: j.DebitCents, CreditCents: j.CreditCents, Memo: j.Memo}
}

func mapAll[M any, T any](ms []M, dto func(M) T) []T {
	out := make([]T, len(ms))
	for i, m := range ms {
		out[i] = dto(m)
	}
	return out
}

func (a *API) createBillingRun(c echo.Context) error {
	var req billingRunRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if req.Period == (models.Period{}) {
		v := &models.ValidationError{}
		v.Add("/period", "is required (YYYY-MM)")
		return v
	}
	p := principal(c)
	out, err := a.Billing.Run(c.Request().Context(), billing.RunRequest{TenantID: p.TenantID, Period: req.Period, DryRun: req.DryRun, UserID: &p.UserID})
	if err != nil {
		return err
	}
	resp := billingOutcomeResponse{billingRunResponse: billingRunDTO(out.Run),
		Invoices: mapAll(out.Invoices, invoiceDTO), Settlements: mapAll(out.Settlements, settlementDTO),
		Payouts: mapAll(out.Payouts, payoutDTO), Journal: mapAll(out.Journal, journalDTO)}
	status := http.StatusCreated
	if out.DryRun {
		resp.ID, resp.DryRun, status = nil, true, http.StatusOK
	}
	return c.JSON(status, resp)
}

func (a *API) listBillingRuns(c echo.Context) error {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	period := c.QueryParam("period")
	if period != "" {
		if _, err := models.ParsePeriod(period); err != nil {
			return err
		}
	}
	page, err := a.Billing.ListRuns(c.Request().Context(), principal(c), period, limit, cursor)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(page, billingRunDTO))
}

func (a *API) getBillingRun(c echo.Context) error {
	r, err := a.Billing.GetRun(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, billingRunDTO(r))
}

func (a *API) listInvoices(c echo.Context) error {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	f := billing.InvoiceFilter{RunID: c.QueryParam("run_id"), CustomerID: c.QueryParam("customer_id"), Status: c.QueryParam("status")}
	if err := enumParam("/status", f.Status, billing.InvoiceStatuses); err != nil {
		return err
	}
	page, err := a.Billing.ListInvoices(c.Request().Context(), principal(c), f, limit, cursor)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(page, invoiceDTO))
}

func (a *API) getInvoice(c echo.Context) error {
	inv, err := a.Billing.GetInvoice(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, invoiceDTO(inv))
}

func (a *API) invoicePDF(c echo.Context) error {
	f, err := a.Finance.InvoicePDF(c.Request().Context(), principal(c), c.Param("id"))
	return a.serveFile(c, f, err)
}

func (a *API) payslipPDF(c echo.Context) error {
	f, err := a.Finance.PayslipPDF(c.Request().Context(), principal(c), c.Param("id"), c.Path())
	return a.serveFile(c, f, err)
}

type creditNoteRequest struct {
	// Lines are the line numbers to credit; empty credits the whole invoice.
	Lines []int `json:"lines"`
}

func (a *API) creditNote(c echo.Context) error {
	var req creditNoteRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	p := principal(c)
	inv, err := a.Billing.CreditNote(c.Request().Context(), p.TenantID, c.Param("id"), req.Lines, p.UserID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, invoiceDTO(inv))
}

func (a *API) listSettlements(c echo.Context) error {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	page, err := a.Billing.ListSettlements(c.Request().Context(), principal(c), c.QueryParam("run_id"), limit, cursor)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(page, settlementDTO))
}

func (a *API) listPayouts(c echo.Context) error {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	page, err := a.Billing.ListPayouts(c.Request().Context(), principal(c), c.QueryParam("run_id"), limit, cursor)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(page, payoutDTO))
}
