package models

import (
	"strings"
	"time"
)

// Roles of users (DOMAIN.md, actors and roles).
const (
	RoleAdmin       = "admin"
	RoleCoordinator = "coordinator"
	RoleSupervisor  = "supervisor"
	RoleCustomer    = "customer"
	RoleFinance     = "finance"
)

// Roles lists every role.
var Roles = []string{RoleAdmin, RoleCoordinator, RoleSupervisor, RoleCustomer, RoleFinance}

// Tenant is one job-center operator (a city or wellbeing county) with its
// settings. Nothing crosses tenants.
type Tenant struct {
	ID                       string
	Name                     string
	BusinessID               string
	Street                   string
	PostalCode               string
	City                     string
	IBAN                     string `gorm:"column:iban"`
	BIC                      string `gorm:"column:bic"`
	EinvoiceAddress          string
	EinvoiceOperator         string
	HorizonWeeks             int
	MaxCrewPerSupervisor     int
	AutoApproveDays          int
	AccountReceivables       string
	AccountSales             string
	AccountVatPayable        string
	AccountPurchases         string
	AccountOrganiserPayables string
	// Payroll accounts (migration 00013 has the defaults).
	AccountWages                    string
	AccountSocialCosts              string
	AccountWithholdingPayable       string
	AccountSocialSecurityPayable    string
	AccountPensionPayable           string
	AccountUnemploymentPayable      string
	AccountAccidentInsurancePayable string
	AccountHolidayLiability         string
	AccountNetWagesPayable          string
	Version                         int
	CreatedAt                       time.Time
}

// Validate checks the settings an admin can change: the seller details that
// go on invoices, the scheduling rules and the journal's accounts.
func (t *Tenant) Validate() error {
	v := &ValidationError{}
	if strings.TrimSpace(t.Name) == "" {
		v.Add("/name", "is required")
	}
	if t.BusinessID != "" && !ValidBusinessID(t.BusinessID) {
		v.Add("/business_id", "is not a valid Y-tunnus (1234567-8 with a correct check digit)")
	}
	if t.IBAN != "" && !ValidIBAN(t.IBAN) {
		v.Add("/iban", "is not a valid IBAN")
	}
	CheckEinvoice(v, "/", t.EinvoiceAddress, t.EinvoiceOperator)
	if t.HorizonWeeks < 1 || t.HorizonWeeks > 52 {
		v.Add("/horizon_weeks", "must be 1–52")
	}
	// A crew is at most 50 (the orders' limit); a customer gets at most a
	// month to answer a timesheet before it is approved for them.
	if t.MaxCrewPerSupervisor < 1 || t.MaxCrewPerSupervisor > 50 {
		v.Add("/max_crew_per_supervisor", "must be 1–50")
	}
	if t.AutoApproveDays < 1 || t.AutoApproveDays > 30 {
		v.Add("/auto_approve_days", "must be 1–30")
	}
	for pointer, account := range map[string]string{"/accounts/receivables": t.AccountReceivables, "/accounts/sales": t.AccountSales,
		"/accounts/vat_payable": t.AccountVatPayable, "/accounts/purchases": t.AccountPurchases,
		"/accounts/organiser_payables": t.AccountOrganiserPayables, "/accounts/wages": t.AccountWages,
		"/accounts/social_costs": t.AccountSocialCosts, "/accounts/withholding_payable": t.AccountWithholdingPayable,
		"/accounts/social_security_payable": t.AccountSocialSecurityPayable, "/accounts/pension_payable": t.AccountPensionPayable,
		"/accounts/unemployment_payable":       t.AccountUnemploymentPayable,
		"/accounts/accident_insurance_payable": t.AccountAccidentInsurancePayable,
		"/accounts/holiday_liability":          t.AccountHolidayLiability, "/accounts/net_wages_payable": t.AccountNetWagesPayable} {
		if strings.TrimSpace(account) == "" {
			v.Add(pointer, "is required")
		}
	}
	return v.Err()
}

// User is a person who logs in. Customer and supervisor users belong to one
// organization (a customer or an organiser).
type User struct {
	ID             string
	TenantID       string
	Email          string
	PasswordHash   string
	Role           string
	OrganizationID *string
	Name           string
	Phone          string
	// Language of the user's mails: fi, sv or en.
	Language string `gorm:"default:fi"`
	// Active is false for someone who left: no login, not assignable.
	Active bool
	// SessionsFrom refuses access tokens issued before it (set by a
	// deactivation or a new password).
	SessionsFrom *time.Time
	Version      int
	CreatedAt    time.Time
}

// TaskType is a kind of work a tenant sells (outdoor cleaning, shelving, …).
type TaskType struct {
	ID          string
	TenantID    string
	Name        string
	Description string
	CreatedAt   time.Time
}

// GetID lets store.List page users.
func (u User) GetID() string { return u.ID }

// GetID lets store.List page task types.
func (t TaskType) GetID() string { return t.ID }
