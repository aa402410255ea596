package demo

import (
	"fmt"
	"time"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/staffing"
)

// orderSpec is an order of the demo and what happens to it.
type orderSpec struct {
	name                      string // for error messages
	customer, organiser, task string // keys of the specs
	site, description         string
	crew                      int
	weekdays                  []int       // weekly on these ISO weekdays; nil: once on date
	date                      models.Date // once
	first                     models.Date // weekly
	last                      *models.Date
	start, end                string
	placed                    models.Date // ordered that day, accepted (or rejected) the next
	byCustomer                bool        // ordered by the customer's user, else by a coordinator
	fate                      string      // "": accepted; or fateRejected, fateCancelled, fatePending
	complete                  bool        // completed by the coordinator after the billing run
	// Shifts, by index in date order, that a customer cancels inside the
	// late window or a coordinator cancels with a reason.
	lateCancel  map[int]bool
	coordCancel map[int]string

	id string
}

const (
	fateRejected  = "rejected"
	fateCancelled = "cancelled"
	fatePending   = "pending"
)

// weekday is d, or the Monday after it when d falls on a weekend.
func weekday(d models.Date) models.Date {
	switch d.ISOWeekday() {
	case 6:
		return d.AddDays(2)
	case 7:
		return d.AddDays(1)
	}
	return d
}

// planOrders: eight finite weekly orders from the first shift date to eight
// weeks past today, one open-ended weekly order started last week, and
// one-off orders in the past, the near future, cancelled, rejected and one
// still waiting for the coordinator.
func (l *loader) planOrders() {
	last := l.today.AddDays(56)
	weekly := []*orderSpec{
		{name: "Keskuspuisto", customer: "ymparisto", organiser: "tyotoiminta", task: "outdoor", crew: 5, weekdays: []int{1, 3, 5},
			start: "08:00", end: "12:00", site: "Keskuspuisto, Paciuksenkatu 17, 00270 Helsinki",
			description: "Roskien keruu ja haravointi puistoalueella",
			coordCancel: map[int]string{20: "Myrskyvaroitus: ulkotyöt peruttu turvallisuussyistä"}},
		{name: "Meriportti", customer: "meriportti", organiser: "tyotoiminta", task: "outdoor", crew: 4, weekdays: []int{2, 4},
			start: "09:00", end: "13:00", site: "Meriportti 4, 00980 Helsinki", byCustomer: true,
			description: "Pihan ja pysäköintialueen siivous", lateCancel: map[int]bool{2: true}},
		{name: "Kalasatama", customer: "kalasatama", organiser: "tyotoiminta", task: "shelving", crew: 2, weekdays: []int{1, 2, 3, 4, 5},
			start: "07:30", end: "11:30", site: "Kalasatamankatu 5, 00580 Helsinki", byCustomer: true,
			description: "Aamun tavaratoimitusten hyllytys; asiakas on työnantaja"},
		{name: "Oodi", customer: "kirjasto", organiser: "vammais", task: "shelving", crew: 4, weekdays: []int{2, 3, 4},
			start: "10:00", end: "14:00", site: "Keskustakirjasto Oodi, Töölönlahdenkatu 4, 00100 Helsinki",
			description: "Palautettujen kirjojen lajittelu ja hyllytys",
			coordCancel: map[int]string{30: "Kirjasto suljettu yleisötapahtuman vuoksi"}},
		{name: "Vallila", customer: "vallila", organiser: "vammais", task: "office", crew: 3, weekdays: []int{1, 4},
			start: "15:00", end: "18:00", site: "Hämeentie 105, 00550 Helsinki", byCustomer: true,
			description: "Asukastalon iltapäiväsiivous", lateCancel: map[int]bool{12: true}},
		{name: "Koulu", customer: "kasko", organiser: "vammais", task: "office", crew: 3, weekdays: []int{5},
			start: "12:00", end: "15:00", site: "Töysänkatu 2 D, 00510 Helsinki",
			description: "Opettajainhuoneen ja neuvotteluhuoneiden siivous"},
		{name: "Puistola", customer: "puistola", organiser: "osuma", task: "shelving", crew: 3, weekdays: []int{1, 3},
			start: "08:00", end: "12:00", site: "Tattarisuontie 30, 00770 Helsinki", byCustomer: true,
			description: "Varaston hyllytys ja keräily; asiakas on työnantaja"},
		{name: "Herttoniemi", customer: "herttoniemi", organiser: "osuma", task: "outdoor", crew: 3, weekdays: []int{2, 5},
			start: "09:00", end: "12:00", site: "Sienitie 25, 00800 Helsinki", byCustomer: true,
			description: "Lastauspihan ja viheralueiden siivous", lateCancel: map[int]bool{22: true}},
	}
	for _, o := range weekly {
		o.first, o.last, o.placed = l.start, &last, l.start.AddDays(-14)
	}
	shores := &orderSpec{name: "Rannat", customer: "ymparisto", organiser: "osuma", task: "outdoor", crew: 3, weekdays: []int{4},
		start: "09:00", end: "12:00", site: "Aurinkolahden uimaranta, 00990 Helsinki",
		description: "Rantojen ja ulkoilureittien siivous, toistaiseksi", first: l.today.AddDays(-7), placed: l.today.AddDays(-10)}
	once := func(o *orderSpec, day models.Date, placed models.Date) *orderSpec {
		o.date, o.placed = weekday(day), placed
		return o
	}
	oneOff := []*orderSpec{
		once(&orderSpec{name: "Syyssiivous", customer: "vallila", organiser: "tyotoiminta", task: "outdoor", crew: 6,
			start: "10:00", end: "14:00", site: "Hämeentie 105, 00550 Helsinki", description: "Syyssiivous: pihan lehdet ja roskat",
			complete: true}, l.start.AddDays(10), l.start.AddDays(-2)),
		once(&orderSpec{name: "Inventaario", customer: "herttoniemi", organiser: "osuma", task: "shelving", crew: 4,
			start: "13:00", end: "16:00", site: "Sienitie 25, 00800 Helsinki", description: "Inventaarion hyllyjärjestely",
			byCustomer: true}, l.start.AddDays(24), l.start.AddDays(12)),
		once(&orderSpec{name: "Muutto", customer: "meriportti", organiser: "tyotoiminta", task: "office", crew: 4,
			start: "12:00", end: "16:00", site: "Meriportti 4, 00980 Helsinki", description: "Toimiston muuton jälkisiivous",
			byCustomer: true}, l.start.AddDays(41), l.start.AddDays(30)),
		once(&orderSpec{name: "Kirjaston aamu", customer: "kirjasto", organiser: "vammais", task: "shelving", crew: 3,
			start: "08:00", end: "11:00", site: "Pasilan kirjasto, Kellosilta 9, 00520 Helsinki", description: "Kokoelman siirto uusiin hyllyihin"},
			l.start.AddDays(60), l.start.AddDays(48)),
		once(&orderSpec{name: "Rantasiivous", customer: "ymparisto", organiser: "osuma", task: "outdoor", crew: 4,
			start: "09:00", end: "13:00", site: "Lauttasaaren rantareitti, 00200 Helsinki", description: "Syksyn rantasiivous"},
			l.start.AddDays(76), l.start.AddDays(64)),
		once(&orderSpec{name: "Pihatalkoot", customer: "vallila", organiser: "tyotoiminta", task: "outdoor", crew: 5,
			start: "10:00", end: "14:00", site: "Hämeentie 105, 00550 Helsinki", description: "Pihan talvikunnostus",
			byCustomer: true}, l.today.AddDays(6), l.today.AddDays(-3)),
		once(&orderSpec{name: "Peruttu inventaario", customer: "herttoniemi", organiser: "osuma", task: "shelving", crew: 4,
			start: "13:00", end: "16:00", site: "Sienitie 25, 00800 Helsinki", description: "Vuoden lopun inventaario",
			byCustomer: true, fate: fateCancelled}, l.today.AddDays(12), l.today.AddDays(-8)),
		once(&orderSpec{name: "Hylätty", customer: "puistola", organiser: "osuma", task: "shelving", crew: 4,
			start: "08:00", end: "12:00", site: "Tattarisuontie 30, 00770 Helsinki", description: "Kampanjatuotteiden hyllytys",
			byCustomer: true, fate: fateRejected}, l.today.AddDays(9), l.today.AddDays(-5)),
		once(&orderSpec{name: "Odottaa", customer: "kalasatama", organiser: "tyotoiminta", task: "shelving", crew: 2,
			start: "07:30", end: "11:30", site: "Kalasatamankatu 5, 00580 Helsinki", description: "Joulusesongin lisähyllytys",
			byCustomer: true, fate: fatePending}, l.today.AddDays(14), l.today.AddDays(-1)),
	}
	l.orders = append(append(weekly, shores), oneOff...)
	for _, o := range l.orders {
		l.at(l.local(o.placed, "10:00"), "order "+o.name, func() error { return l.place(o) })
	}
}

// place orders o and schedules what happens to it next.
func (l *loader) place(o *orderSpec) error {
	who := l.coord
	if o.byCustomer {
		who = l.customers[o.customer].user
	}
	sched := models.Schedule{Kind: models.ScheduleOnce, Weekdays: o.weekdays, LastDate: o.last}
	sched.StartTime, _ = models.ParseClockTime(o.start)
	sched.EndTime, _ = models.ParseClockTime(o.end)
	if o.weekdays != nil {
		first := o.first
		sched.Kind, sched.FirstDate = models.ScheduleWeekly, &first
	} else {
		date := o.date
		sched.Date = &date
	}
	order, err := l.staff.CreateOrder(l.ctx, who, staffing.NewOrder{CustomerID: l.customers[o.customer].id,
		TaskTypeID: l.taskTypes[o.task], SiteAddress: o.site, Description: o.description, CrewSize: o.crew, Schedule: sched})
	if err != nil {
		return err
	}
	o.id = order.ID
	next := l.local(o.placed.AddDays(1), "09:00")
	switch o.fate {
	case fatePending:
	case fateRejected:
		l.at(next, "reject "+o.name, func() error {
			_, err := l.staff.RejectOrder(l.ctx, l.coord, o.id, "Tuetun työllistymisen osallistujia ei ole vapaana tuolloin")
			return err
		})
	default:
		l.at(next, "accept "+o.name, func() error { return l.accept(o) })
	}
	return nil
}

// accept accepts o for its organiser and plans every generated shift.
func (l *loader) accept(o *orderSpec) error {
	if _, err := l.staff.AcceptOrder(l.ctx, l.coord, o.id, l.organisers[o.organiser].id); err != nil {
		return err
	}
	if o.fate == fateCancelled {
		l.at(l.local(l.today.AddDays(-2), "10:00"), "cancel "+o.name, func() error {
			_, err := l.staff.CancelOrder(l.ctx, l.customers[o.customer].user, o.id, "Tapahtuma peruttu")
			return err
		})
		return nil
	}
	i, cursor := 0, ""
	for {
		page, err := l.staff.ListShifts(l.ctx, l.coord, staffing.ShiftFilter{OrderID: o.id}, 200, cursor)
		if err != nil {
			return err
		}
		for _, sh := range page.Items {
			l.planShift(o, i, sh)
			i++
		}
		if page.NextCursor == nil {
			return nil
		}
		cursor = *page.NextCursor
	}
}

// planShift schedules a shift's life: cancellations, staffing the day
// before (or, for the coming week, all at once yesterday, partly), and
// the hours after it for shifts before today. Later shifts stay open, and
// so do a few past ones that found no crew.
func (l *loader) planShift(o *orderSpec, i int, sh models.Shift) {
	if sh.Date.After(l.today.AddDays(7)) {
		return
	}
	switch {
	case o.lateCancel[i]:
		// 20 hours ahead is inside every customer's late window: billable.
		l.at(sh.StartsAt.Add(-20*time.Hour), "late cancellation "+o.name, func() error {
			c, err := l.staff.CancelShift(l.ctx, l.customers[o.customer].user, sh.ID, "Kohde ei ole käytettävissä huomenna")
			if err == nil && !c.LateCancellation {
				err = fmt.Errorf("shift %s: the cancellation was not late", sh.ID)
			}
			return err
		})
	case o.coordCancel[i] != "":
		l.at(l.local(sh.Date.AddDays(-2), "09:00"), "cancel a shift of "+o.name, func() error {
			_, err := l.staff.CancelShift(l.ctx, l.coord, sh.ID, o.coordCancel[i])
			return err
		})
	}
	switch {
	case sh.Date.Before(l.today) && l.rng.IntN(100) < 3:
		return // no crew could be found: the shift stayed open and unworked
	case sh.Date.After(l.today):
		want := sh.CrewSize
		if sh.Date.After(l.today.AddDays(3)) {
			want = max(0, want-2) // work left for the coordinator
		}
		l.at(l.local(l.today.AddDays(-1), "15:00"), "staff "+o.name, func() error { return l.staffShift(sh.ID, want) })
	default:
		l.at(l.local(sh.Date.AddDays(-1), "14:00"), "staff "+o.name, func() error { return l.staffShift(sh.ID, sh.CrewSize) })
	}
	if sh.Date.Before(l.today) {
		l.at(sh.EndsAt.Add(45*time.Minute), "hours of "+o.name, func() error { return l.recordHours(sh.ID) })
	}
}

// candidatesRoute is the route a coordinator reads candidates through; the
// access log names it.
const candidatesRoute = "/v1/shifts/:id/candidates"

// staffShift puts the want best-ranked eligible participants (fair
// rotation) on the shift, and a supervisor of the organiser who is free.
func (l *loader) staffShift(shiftID string, want int) error {
	sh, err := l.staff.Shift(l.ctx, l.coord, shiftID)
	if err != nil || sh.Status == models.ShiftCancelled {
		return err
	}
	eligible, _, err := l.staff.Candidates(l.ctx, l.coord, shiftID, candidatesRoute)
	if err != nil {
		return err
	}
	for _, c := range eligible[:min(want, len(eligible))] {
		if _, err := l.staff.Assign(l.ctx, l.coord, shiftID, staffing.Person{ParticipantID: c.ParticipantID}); err != nil {
			return err
		}
	}
	for _, sup := range l.organiserOf(sh.OrganiserID).supervisors {
		if sup.free(sh) {
			sup.busy = append(sup.busy, [2]time.Time{sh.StartsAt, sh.EndsAt})
			_, err := l.staff.Assign(l.ctx, l.coord, shiftID, staffing.Person{SupervisorID: sup.p.UserID})
			return err
		}
	}
	return nil
}

// free reports whether the supervisor has no shift overlapping sh.
func (s *supervisor) free(sh models.Shift) bool {
	for _, b := range s.busy {
		if b[0].Before(sh.EndsAt) && sh.StartsAt.Before(b[1]) {
			return false
		}
	}
	return true
}

func (l *loader) organiserOf(id string) *organiser {
	for _, o := range l.organisers {
		if o.id == id {
			return o
		}
	}
	return nil
}

func (l *loader) customerOf(id string) auth.Principal {
	for _, c := range l.customers {
		if c.id == id {
			return c.user
		}
	}
	return auth.Principal{}
}
