package models

import (
	"strings"
	"time"
)

// Organization kinds.
const (
	KindCustomer  = "customer"
	KindOrganiser = "organiser"
)

// VAT treatments of a customer.
const (
	VatStandard = "standard" // the dated standard rate
	VatInternal = "internal" // a unit of the same city: no VAT, internal charge
	VatExempt   = "exempt"   // no VAT, with a reason
)

// Sectors of a customer: who it is decides which work activity it may take.
const (
	SectorPublic    = "public"     // a city unit or other public body
	SectorNonProfit = "non_profit" // an association or foundation
	SectorCompany   = "company"    // a profit-making company
)

// SectorAllows reports whether a participant on a decision of kind may work
// for a customer of sector: rehabilitative work activity may not be arranged
// in profit-making companies (Act 189/2001, DOMAIN.md), every other kind may
// work for anyone. An unknown sector ("") allows everything, so callers
// without a customer are not refused.
func SectorAllows(sector, kind string) bool {
	return !(sector == SectorCompany && kind == DecisionRehabilitative)
}

// Organization is a customer (buys work) or an organiser (runs crews of its
// participants under its supervisors).
type Organization struct {
	ID                 string
	TenantID           string
	Kind               string
	Name               string
	BusinessID         string
	VatTreatment       string
	VatExemptReason    string
	BillingStreet      string
	BillingPostalCode  string
	BillingCity        string
	BillingCountry     string
	EinvoiceAddress    string
	EinvoiceOperator   string
	IBAN               string `gorm:"column:iban"`
	CoordinationFeeBps int64
	PublicBuyer        bool
	// The organiser as employer: its pension insurer and policy, the
	// insurer's TyEL employer rate and the accident insurance tariff.
	PensionInsurer       string
	PensionPolicyNumber  string
	EmployerPensionBps   int64
	AccidentInsuranceBps int64
	Language             string `gorm:"default:fi"` // of its invoices: fi, sv or en
	// Sector of a customer (public, non_profit, company); nil for organisers.
	Sector *string
	// The organiser's contact person in its Incomes Register deliveries.
	ContactName  string
	ContactPhone string
	ContactEmail string
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Validate checks the fields DOMAIN.md requires per kind; pointers are the
// JSON field names of the API.
func (o *Organization) Validate() error {
	v := &ValidationError{}
	if strings.TrimSpace(o.Name) == "" {
		v.Add("/name", "is required")
	}
	if o.BusinessID != "" && !ValidBusinessID(o.BusinessID) {
		v.Add("/business_id", "is not a valid Y-tunnus (1234567-8 with a correct check digit)")
	}
	CheckEinvoice(v, "/", o.EinvoiceAddress, o.EinvoiceOperator)
	if !ValidLanguage(o.Language) {
		v.Add("/language", "must be fi, sv or en")
	}
	if o.CoordinationFeeBps < 0 || o.CoordinationFeeBps > 10000 {
		v.Add("/coordination_fee_bps", "must be between 0 and 10000")
	}
	switch o.Kind {
	case KindCustomer:
		if o.BusinessID == "" {
			v.Add("/business_id", "is required for a customer")
		}
		switch o.VatTreatment {
		case VatStandard, VatInternal:
			if o.VatExemptReason != "" {
				v.Add("/vat_exempt_reason", "is only for vat_treatment exempt")
			}
		case VatExempt:
			if strings.TrimSpace(o.VatExemptReason) == "" {
				v.Add("/vat_exempt_reason", "is required when vat_treatment is exempt")
			}
		default:
			v.Add("/vat_treatment", "must be standard, internal or exempt")
		}
		if o.IBAN != "" {
			v.Add("/iban", "is only for organisers")
		}
		if o.PensionInsurer != "" || o.PensionPolicyNumber != "" || o.EmployerPensionBps != 0 || o.AccidentInsuranceBps != 0 {
			v.Add("/employer_pension_bps", "the pension and accident insurance fields are only for organisers, who employ participants")
		}
		switch {
		case o.Sector == nil || *o.Sector == "":
			v.Add("/sector", "is required for a customer: public, non_profit or company")
		case *o.Sector != SectorPublic && *o.Sector != SectorNonProfit && *o.Sector != SectorCompany:
			v.Add("/sector", "must be public, non_profit or company")
		}
		if o.ContactName != "" || o.ContactPhone != "" || o.ContactEmail != "" {
			v.Add("/contact_name", "the Incomes Register contact person is only for organisers, who employ participants")
		}
	case KindOrganiser:
		if o.IBAN == "" {
			v.Add("/iban", "is required for an organiser (it pays its participants)")
		} else if !ValidIBAN(o.IBAN) {
			v.Add("/iban", "is not a valid IBAN")
		}
		if o.VatTreatment != "" {
			v.Add("/vat_treatment", "is only for customers")
		}
		if o.EmployerPensionBps < 0 || o.EmployerPensionBps > 10000 {
			v.Add("/employer_pension_bps", "must be between 0 and 10000")
		}
		if o.AccidentInsuranceBps < 0 || o.AccidentInsuranceBps > 10000 {
			v.Add("/accident_insurance_bps", "must be between 0 and 10000")
		}
		if o.Sector != nil {
			v.Add("/sector", "is only for customers")
		}
		o.validateEmployerInsurance(v)
	default:
		v.Add("/kind", "must be customer or organiser")
	}
	return v.Err()
}

// GetID lets store.List page organizations.
func (o Organization) GetID() string { return o.ID }

// SetBillingAddress sets the four parts of the billing address.
func (o *Organization) SetBillingAddress(street, postalCode, city, country string) {
	o.BillingStreet, o.BillingPostalCode, o.BillingCity, o.BillingCountry = street, postalCode, city, country
}
