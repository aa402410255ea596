package demo

import (
	"fmt"

	"jobcenter/auth"
	"jobcenter/directory"
	"jobcenter/models"
)

// setup creates the tenant, its users, organisations, task types, price
// lists and participants, a month before the first shift.
func (l *loader) setup() error {
	pw, err := l.password(models.RoleAdmin, adminUser.email)
	if err != nil {
		return err
	}
	tid, adminID, err := l.dir.Bootstrap(l.ctx, TenantName, adminUser.email, pw)
	if err != nil {
		return err
	}
	l.tenantID = tid
	l.admin = auth.Principal{UserID: adminID, TenantID: tid, Role: models.RoleAdmin}
	// The job center is the seller on every invoice (Finvoice needs these).
	if _, err := l.dir.UpdateTenant(l.ctx, l.admin, 1, func(t *models.Tenant) {
		t.BusinessID, t.Street, t.PostalCode, t.City = cityBusinessID, "Työpajankatu 2", "00580", "Helsinki"
		t.IBAN, t.BIC = "FI2112345600000785", "OKOYFIHH"
	}, nil); err != nil {
		return err
	}
	user := func(who person, role, org string) (auth.Principal, error) {
		pw, err := l.password(role, who.email)
		if err != nil {
			return auth.Principal{}, err
		}
		in := directory.NewUser{Email: who.email, Password: pw, Role: role, Name: who.name, Phone: who.phone}
		if org != "" {
			in.OrganizationID = &org
		}
		u, err := l.dir.CreateUser(l.ctx, l.admin, in)
		return auth.Principal{UserID: u.ID, TenantID: tid, Role: role, OrganizationID: org}, err
	}
	for i, c := range coordinators {
		p, err := user(c, models.RoleCoordinator, "")
		if err != nil {
			return err
		}
		if i == 0 {
			l.coord = p // the one who does the coordinating below
		}
	}
	if l.finance, err = user(financeUser, models.RoleFinance, ""); err != nil {
		return err
	}
	for _, spec := range organiserSpecs {
		iban, err := l.iban()
		if err != nil {
			return err
		}
		e := spec.employer
		o := models.Organization{Kind: models.KindOrganiser, Name: spec.name, BusinessID: spec.businessID, IBAN: iban,
			CoordinationFeeBps: spec.feeBps, PublicBuyer: spec.businessID == cityBusinessID,
			PensionInsurer: e.pensionInsurer, PensionPolicyNumber: e.policyNumber, EmployerPensionBps: e.pensionBps,
			AccidentInsuranceBps: e.accidentBps, ContactName: e.contact.name, ContactPhone: e.contact.phone, ContactEmail: e.contact.email}
		o.SetBillingAddress(spec.street, spec.postalCode, "Helsinki", "FI")
		if o, err = l.dir.CreateOrganization(l.ctx, l.coord, o, nil); err != nil {
			return fmt.Errorf("organiser %s: %w", spec.key, err)
		}
		org := &organiser{id: o.ID}
		for _, s := range spec.supervisors {
			p, err := user(s, models.RoleSupervisor, o.ID)
			if err != nil {
				return err
			}
			sup := &supervisor{p: p}
			org.supervisors = append(org.supervisors, sup)
			l.supervisors[p.UserID] = sup
		}
		l.organisers[spec.key] = org
	}
	for _, spec := range customerSpecs {
		sector := spec.sector
		o := models.Organization{Kind: models.KindCustomer, Name: spec.name, BusinessID: spec.businessID, VatTreatment: spec.vat,
			EinvoiceAddress: spec.einvoice, EinvoiceOperator: spec.operator, PublicBuyer: spec.vat == models.VatInternal, Sector: &sector}
		o.SetBillingAddress(spec.street, spec.postalCode, "Helsinki", "FI")
		if o, err = l.dir.CreateOrganization(l.ctx, l.coord, o, nil); err != nil {
			return fmt.Errorf("customer %s: %w", spec.key, err)
		}
		p, err := user(spec.user, models.RoleCustomer, o.ID)
		if err != nil {
			return err
		}
		l.customers[spec.key] = &customer{id: o.ID, user: p}
		if err := l.agreements(spec, o.ID); err != nil {
			return fmt.Errorf("agreement of %s: %w", spec.key, err)
		}
	}
	for _, t := range taskTypeSpecs {
		tt, err := l.dir.CreateTaskType(l.ctx, l.coord, t.name, t.description)
		if err != nil {
			return err
		}
		l.taskTypes[t.key] = tt.ID
	}
	return l.createParticipants()
}

// agreements gives every customer a price list from well before the first
// shift; Meriportti's prices rise in the middle of the period, so its
// shifts are priced by two versions.
func (l *loader) agreements(spec customerSpec, customerID string) error {
	a := spec.agreement
	a.CustomerID, a.ValidFrom = customerID, l.start.AddDays(-120)
	if spec.key != "meriportti" {
		_, err := l.staff.CreateAgreement(l.ctx, l.coord, a, nil)
		return err
	}
	rise := l.start.AddDays(45)
	until := rise.AddDays(-1)
	a.ValidUntil = &until
	if _, err := l.staff.CreateAgreement(l.ctx, l.coord, a, nil); err != nil {
		return err
	}
	a.ValidFrom, a.ValidUntil = rise, nil
	a.ParticipantHourPriceCents, a.SupervisorHourPriceCents = 2650, 4700
	_, err := l.staff.CreateAgreement(l.ctx, l.coord, a, nil)
	return err
}

// createParticipants creates each organiser's participants on their decision
// profiles, with availability for some. One decision is renewed with
// better terms in the middle of the period and one runs out.
func (l *loader) createParticipants() error {
	i := 0
	for _, spec := range organiserSpecs {
		org := l.organisers[spec.key]
		for _, pc := range spec.participants {
			for k := range pc.n {
				first, last := participantName(i)
				iban, err := l.iban()
				if err != nil {
					return err
				}
				pt := models.Participant{OrganiserID: org.id, FirstName: first, LastName: last, IBAN: iban,
					Phone: fmt.Sprintf("+358 4%d %03d %04d", i%10, 100+i*37%900, 1000+i*7919%9000)}
				if i%3 != 2 {
					pt.Email = emailLocal(first, last) + "@example.fi"
				}
				terms := profiles[pc.profile](k)
				terms.ValidFrom = l.start.AddDays(-150 + 7*(i%10))
				l.employee(&pt, i, k, pc.profile, terms.ValidFrom)
				created, err := l.people.CreateParticipant(l.ctx, l.coord, pt, nil)
				if err != nil {
					return fmt.Errorf("participant %s %s: %w", first, last, err)
				}
				if i == 40 { // a decision that runs out in the second month
					until := l.start.AddDays(49)
					terms.ValidUntil = &until
				}
				if _, err := l.people.CreateDecision(l.ctx, l.coord, created.ID, terms, false, nil); err != nil {
					return fmt.Errorf("decision of %s %s: %w", first, last, err)
				}
				if i == 2 { // the coordinator renews a decision: four days a week from week seven
					l.renew(created.ID, terms)
				}
				if err := l.availability(created.ID, i, pc.profile); err != nil {
					return err
				}
				if terms.Compensation != models.CompensationNone && i != noTaxCardParticipant {
					if err := l.taxCards(created.ID, i); err != nil {
						return fmt.Errorf("%s %s: %w", first, last, err)
					}
				}
				l.roster = append(l.roster, &participant{id: created.ID, version: created.Version})
				i++
			}
		}
	}
	return nil
}

// iban draws the next account number and checks it as the services will.
func (l *loader) iban() (string, error) {
	iban := fiIBAN(l.rng)
	if !models.ValidIBAN(iban) {
		return "", fmt.Errorf("generated IBAN %s is not valid", iban)
	}
	return iban, nil
}

func (l *loader) renew(participantID string, terms models.DecisionTerms) {
	from := l.start.AddDays(42)
	l.at(l.local(from.AddDays(-7), "13:00"), "renew a decision", func() error {
		terms.ValidFrom, terms.MaxDaysPerWeek = from, 4
		_, err := l.people.CreateDecision(l.ctx, l.coord, participantID, terms, true, nil)
		return err
	})
}

// availability: two in three participants say when they can work; the
// rehabilitative ones often mornings only.
func (l *loader) availability(participantID string, i int, profile string) error {
	var ws []models.AvailabilityWindow
	switch {
	case i%3 == 0:
		for wd := 1; wd <= 5; wd++ {
			ws = append(ws, models.AvailabilityWindow{Weekday: wd, StartTime: 8 * 60, EndTime: 16 * 60})
		}
	case i%3 == 1 && (profile == "rehab" || profile == "rehabFourDays"):
		for wd := 1; wd <= 3; wd++ {
			ws = append(ws, models.AvailabilityWindow{Weekday: wd, StartTime: 8 * 60, EndTime: 13 * 60})
		}
	default:
		return nil
	}
	_, err := l.people.PutAvailability(l.ctx, l.coord, participantID, ws)
	return err
}
