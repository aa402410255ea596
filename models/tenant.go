package models

import "time"

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
	HorizonWeeks             int
	MaxCrewPerSupervisor     int
	AutoApproveDays          int
	AccountReceivables       string
	AccountSales             string
	AccountVatPayable        string
	AccountPurchases         string
	AccountOrganiserPayables string
	CreatedAt                time.Time
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
	CreatedAt      time.Time
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
