package demo

import (
	"fmt"
	"time"

	"jobcenter/models"
)

// What payroll and the Incomes Register need of the participants: a
// personal identity code (whose birth date gives the ages of the
// contributions), the start of a supported employment (the holiday rate),
// the payslip's language and the tax cards.

// Two participants show the rules that apply to few: the minor is a
// supported-employment participant aged 17, so no unemployment insurance is
// deducted (ages 18–64); the one without a tax card, also in supported
// employment, is withheld 60 % (Ennakkoperintälaki 1118/1996). Both work in
// the billed month.
const (
	minorParticipant     = 14
	noTaxCardParticipant = 17
)

// swedishFirstNames are the participants whose payslips are in Swedish.
var swedishFirstNames = map[string]bool{"Linnea": true, "Erik": true, "Henrik": true}

// taxCardRoute is the access log's route of the tax cards the demo
// records, as if through the API.
const taxCardRoute = "/v1/participants/:id/tax-cards"

// identityCode is the personal identity code of someone born on birth with
// individual number n: DDMMYY, the century sign, NNN and the check
// character of DDMMYYNNN mod 31. The demo uses only individual numbers
// 900–999, the range reserved for temporary identity codes, which are
// never entered in the population information system (permanent codes
// use 002–899, Government Decree 128/2010): no demo code can belong to a
// real person.
func identityCode(birth models.Date, n int) string {
	if n < 900 || n > 999 {
		panic(fmt.Sprintf("demo: individual number %d is outside the temporary range 900–999", n))
	}
	return models.IdentityCode(birth, n)
}

// birthDate of participant i: 18 to 60 years old on the day of the load,
// the last birthday at least three months ago so that the age is the same
// on the billed month's payment date; the minor turned 17 ten months ago,
// before the employment began.
func birthDate(today models.Date, i int) models.Date {
	t := time.Date(today.Year, today.Month, today.Day, 12, 0, 0, 0, time.UTC)
	if i == minorParticipant {
		t = t.AddDate(-17, -10, 0)
	} else {
		t = t.AddDate(-(18 + (13*i)%43), -(3 + (5*i)%9), -(11*i)%28)
	}
	return models.DateOf(t, time.UTC)
}

// individualNumber of participant i: odd for men, even for women, as in
// real codes; the first names alternate (even i a woman's name).
func individualNumber(i int) int { return 900 + 2*((7*i)%50) + i%2 }

// employee fills in participant i's identity code and language, and for a
// supported employment its start: the decision's start for the newer
// employees, years earlier for every other one (k-th on the profile), who
// earn holiday compensation at 11.5 %.
func (l *loader) employee(pt *models.Participant, i, k int, profile string, decisionFrom models.Date) {
	pt.IdentityCode = identityCode(birthDate(l.today, i), individualNumber(i))
	if swedishFirstNames[pt.FirstName] {
		pt.Language = "sv"
	}
	if profile == "supported" {
		start := decisionFrom
		if k%2 == 0 && i != minorParticipant {
			start = decisionFrom.AddDays(-400 - 180*k)
		}
		pt.EmploymentStartDate = &start
	}
}

// taxCards gives a wage or työosuusraha earner a tax card for every year
// the demo spans, from the first shift's to today's. Finance records a
// year's card when the load begins or, for a later year, on 1 December
// before it, when the tax administration has issued the next year's cards.
// Rates and limits are plausible, not anyone's: basic 8–25 %, additional
// 30–45 %, income limit 15 000–40 000 €.
func (l *loader) taxCards(participantID string, i int) error {
	for year := l.start.Year; year <= l.today.Year; year++ {
		card := models.TaxCard{Year: year, BasicBps: int64(800 + ((3*i+year)%18)*100),
			AdditionalBps: int64(3000 + ((7*i+year)%16)*100), IncomeLimitCents: models.Cents(15000+((11*i+year)%26)*1000) * 100}
		create := func() error {
			_, err := l.people.CreateTaxCard(l.ctx, l.finance, participantID, card, taxCardRoute)
			return err
		}
		issued := l.local(models.Date{Year: year - 1, Month: time.December, Day: 1}, "10:00")
		if !issued.After(l.now) {
			if err := create(); err != nil {
				return fmt.Errorf("tax card %d: %w", year, err)
			}
			continue
		}
		l.at(issued, fmt.Sprintf("tax card %d", year), create)
	}
	return nil
}
