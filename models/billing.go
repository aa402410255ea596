package models

import "time"

// Billing run kinds: the first run of a tenant and period is regular; hours
// approved later go into supplementary runs of the same period.
const (
	RunRegular       = "regular"
	RunSupplementary = "supplementary"
)

// BillingRun is one stored run of a tenant and period.
type BillingRun struct {
	ID           string
	TenantID     string
	Period       string
	Kind         string
	InvoiceCount int
	NetCents     Cents
	VatCents     Cents
	GrossCents   Cents
	CreatedBy    *string
	CreatedAt    time.Time
}

// GetID lets store.List page runs.
func (r BillingRun) GetID() string { return r.ID }

// Invoice is a customer invoice or, with CreditsInvoiceID, a credit note.
type Invoice struct {
	ID               string
	TenantID         string
	BillingRunID     *string
	CustomerID       string
	InvoiceNumber    string
	ReferenceNumber  string
	RFReference      string `gorm:"column:rf_reference"`
	InvoiceDate      Date
	DueDate          Date
	NetCents         Cents
	VatCents         Cents
	GrossCents       Cents
	VatTreatment     string
	VatExemptReason  string
	CreditsInvoiceID *string
	SellerBusinessID string // the tenant's, as on the invoice date
	BuyerBusinessID  string // the customer's, as on the invoice date
	CreatedAt        time.Time
}

// GetID lets store.List page invoices.
func (i Invoice) GetID() string { return i.ID }

// Invoice line kinds.
const (
	KindParticipantHours = "participant_hours"
	KindSupervisorHours  = "supervisor_hours"
	KindLateCancellation = "late_cancellation"
)

// InvoiceLine is one line: an order × kind × unit price.
type InvoiceLine struct {
	ID             string
	InvoiceID      string
	LineNo         int
	OrderID        string
	OrganiserID    string
	Kind           string // KindParticipantHours, KindSupervisorHours or KindLateCancellation
	Minutes        int64
	Count          int64
	UnitPriceCents Cents
	AmountCents    Cents
	VatBps         int64
	CreditedBy     *string // the credit note that reversed this line
}

// InvoiceVat is one VAT rate group of an invoice (EN 16931 breakdown).
type InvoiceVat struct {
	InvoiceID string
	VatBps    int64
	NetCents  Cents
	VatCents  Cents
}

// TableName: the table holds one row per rate.
func (InvoiceVat) TableName() string { return "invoice_vat" }

// Settlement is what the job center owes an organiser for a run (negative
// for a credit note's share).
type Settlement struct {
	ID           string
	TenantID     string
	BillingRunID *string
	InvoiceID    *string
	OrganiserID  string
	GrossCents   Cents
	FeeCents     Cents
	PayableCents Cents
	// CarriedInto is the later settlement this one's balance was settled in.
	CarriedInto *string
	// CarriedCents are earlier balances carried in: the amount to pay is
	// PayableCents + CarriedCents.
	CarriedCents Cents
}

// ToPayCents is what the job center pays the organiser for this document.
func (s Settlement) ToPayCents() Cents { return s.PayableCents + s.CarriedCents }

// GetID lets store.List page settlements.
func (s Settlement) GetID() string { return s.ID }

// Payout is what an organiser pays one participant for a run.
type Payout struct {
	ID            string
	TenantID      string
	BillingRunID  *string
	InvoiceID     *string
	ParticipantID string
	OrganiserID   string
	Days          int64
	Minutes       int64
	// Period is the pay period, PaymentDate the day the payout is paid: the
	// date of its run or credit note.
	Period           string
	PaymentDate      Date
	GrossCents       Cents
	WithholdingCents Cents
	NetCents         Cents
	TaxableCents     Cents
	// WageCents is the time-rate pay part of GrossCents (income type 201),
	// TaxFreeCents and TaxableCents the työosuusraha's.
	WageCents                      Cents
	TaxFreeCents                   Cents
	HolidayAccruedCents            Cents
	HolidayCompensationCents       Cents
	PensionCents                   Cents
	UnemploymentInsuranceCents     Cents
	EmployerPensionCents           Cents
	EmployerUnemploymentCents      Cents
	EmployerHealthInsuranceCents   Cents
	EmployerAccidentInsuranceCents Cents
	EmployerCostCents              Cents
	// CarriedInto is the later payout this one's balance was settled in.
	CarriedInto *string
	// CarriedNetCents is the part of NetCents carried in from balances.
	CarriedNetCents Cents
}

// GetID lets store.List page payouts.
func (p Payout) GetID() string { return p.ID }

// JournalEntry is one posting of a run or a credit note.
type JournalEntry struct {
	ID           string
	TenantID     string
	BillingRunID *string
	InvoiceID    *string
	LineNo       int
	EntryDate    Date
	Account      string
	DebitCents   Cents
	CreditCents  Cents
	Memo         string
}
