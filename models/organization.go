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
