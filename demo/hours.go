package demo

import (
	"fmt"
	"time"

	"jobcenter/auth"
	"jobcenter/billing"
	"jobcenter/models"
	"jobcenter/staffing"
)

// recordHours is the supervisor's evening: the crew's hours, submitted to
// the customer. The latest days are still in progress, so that every
// timesheet state shows: on the last weekday one shift's hours are missing
// and the others are drafts; the two weekdays before are submitted (late,
// yesterday) and not yet answered; on the one before that a customer leaves
// a dispute open.
func (l *loader) recordHours(shiftID string) error {
	sh, err := l.staff.Shift(l.ctx, l.coord, shiftID)
	if err != nil || sh.Status == models.ShiftCancelled {
		return err
	}
	crews, err := l.staff.Crews(l.ctx, []string{shiftID})
	if err != nil {
		return err
	}
	members := crews[shiftID].Members
	if len(members) == 0 {
		return nil // nobody came: there is nothing to record
	}
	if sh.Date == l.recent[0] && !l.unrecorded[sh.Date] {
		l.unrecorded[sh.Date] = true
		return nil
	}
	entries := l.entriesFor(sh, members)
	who := l.recorder(members)
	if _, err := l.staff.RecordHours(l.ctx, who, shiftID, entries); err != nil {
		return err
	}
	l.entries[shiftID] = entries
	switch sh.Date {
	case l.recent[0]:
		return nil
	case l.recent[1], l.recent[2]:
		// Submitted together yesterday, so that the customer still has
		// days to answer before the automatic approval.
		l.at(l.local(l.today.AddDays(-1), "16:00"), "submit the hours", func() error {
			_, err := l.staff.SubmitHours(l.ctx, who, shiftID)
			return err
		})
		return nil
	}
	if _, err := l.staff.SubmitHours(l.ctx, who, shiftID); err != nil {
		return err
	}
	l.at(l.local(weekday(sh.Date.AddDays(1)), "09:00"), "answer the hours", func() error { return l.answer(sh, who) })
	return nil
}

// recorder is the shift's supervisor, or a coordinator when it had none.
func (l *loader) recorder(members []staffing.CrewMember) auth.Principal {
	for _, m := range members {
		if m.SupervisorID != nil {
			return l.supervisors[*m.SupervisorID].p
		}
	}
	return l.coord
}

// entriesFor makes up what happened: most work the whole shift with a
// break on four-hour shifts; some come late, leave early or are absent.
func (l *loader) entriesFor(sh models.Shift, members []staffing.CrewMember) []models.EntryInput {
	start, end := clockTime(sh.StartsAt.In(l.loc)), clockTime(sh.EndsAt.In(l.loc))
	brk := 0
	if sh.EndsAt.Sub(sh.StartsAt) >= 4*time.Hour {
		brk = 15
	}
	worked := func(id string, from, to models.ClockTime) models.EntryInput {
		return models.EntryInput{AssignmentID: id, StartTime: &from, EndTime: &to, BreakMinutes: brk}
	}
	var out []models.EntryInput
	for _, m := range members {
		if m.SupervisorID != nil {
			out = append(out, worked(m.AssignmentID, start, end))
			continue
		}
		l.ofParticipant[m.AssignmentID] = true
		switch r := l.rng.IntN(100); {
		case r < 4:
			out = append(out, models.EntryInput{AssignmentID: m.AssignmentID, Absence: "sick"})
		case r < 6:
			out = append(out, models.EntryInput{AssignmentID: m.AssignmentID, Absence: "no_show"})
		case r < 7:
			out = append(out, models.EntryInput{AssignmentID: m.AssignmentID, Absence: "other", Note: "Lääkäriaika"})
		case r < 15:
			out = append(out, worked(m.AssignmentID, start+15, end))
		case r < 20:
			out = append(out, worked(m.AssignmentID, start, end-60))
		default:
			out = append(out, worked(m.AssignmentID, start, end))
		}
	}
	return out
}

func clockTime(t time.Time) models.ClockTime { return models.ClockTime(t.Hour()*60 + t.Minute()) }

// answer is the customer's reply the next weekday morning: mostly an
// approval; sometimes a dispute, which the supervisor corrects that
// afternoon and the customer approves the morning after.
func (l *loader) answer(sh models.Shift, supervisor auth.Principal) error {
	customer := l.customerOf(sh.CustomerID)
	const reason = "Yksi työntekijä lähti puoli tuntia ennen kirjattua loppuaikaa"
	switch {
	case sh.Date == l.recent[3] && !l.leftDisputed[sh.Date]:
		l.leftDisputed[sh.Date] = true
		_, err := l.staff.DisputeHours(l.ctx, customer, sh.ID, reason)
		return err
	case l.rng.IntN(100) < 6:
		if _, err := l.staff.DisputeHours(l.ctx, customer, sh.ID, reason); err != nil {
			return err
		}
		today := models.DateOf(l.now, l.loc)
		l.at(l.local(today, "15:00"), "correct the hours", func() error { return l.correct(sh, supervisor) })
		l.at(l.local(weekday(today.AddDays(1)), "09:00"), "approve the corrected hours", func() error {
			_, err := l.staff.ApproveHours(l.ctx, customer, sh.ID)
			return err
		})
		return nil
	}
	_, err := l.staff.ApproveHours(l.ctx, customer, sh.ID)
	return err
}

// correct takes half an hour off the first participant who worked the
// whole shift, as the dispute says, and submits the hours again.
func (l *loader) correct(sh models.Shift, supervisor auth.Principal) error {
	entries := l.entries[sh.ID]
	end := clockTime(sh.EndsAt.In(l.loc))
	for i, e := range entries {
		if e.EndTime != nil && *e.EndTime == end && l.ofParticipant[e.AssignmentID] {
			earlier := end - 30
			entries[i].EndTime = &earlier
			break
		}
	}
	if _, err := l.staff.RecordHours(l.ctx, supervisor, sh.ID, entries); err != nil {
		return err
	}
	_, err := l.staff.SubmitHours(l.ctx, supervisor, sh.ID)
	return err
}

// billOldest is finance's run for the oldest month, once its hours are all
// approved; the coordinator then completes the month's finished one-off
// orders.
func (l *loader) billOldest() error {
	out, err := l.bill.Run(l.ctx, billing.RunRequest{TenantID: l.tenantID, Period: l.oldest, UserID: &l.finance.UserID})
	if err != nil {
		return err
	}
	if out.Run.InvoiceCount == 0 {
		return fmt.Errorf("the billing run of %s invoiced nothing", l.oldest)
	}
	for _, o := range l.orders {
		if o.complete {
			if _, err := l.staff.CompleteOrder(l.ctx, l.coord, o.id); err != nil {
				return err
			}
		}
	}
	return nil
}

// outcomes: who moved on, and when (days before today). Paid employment
// is the job center's target; with the supported-employment participants,
// who work as employees, it puts about two in five active participants in
// paid work, below the Helsinki target of 50–70 % as a real job center
// would be.
var outcomes = []struct {
	participant int // index in creation order
	kind        string
	daysAgo     int
	note        string
}{
	{14, models.OutcomePaidEmployment, 52, "Osa-aikainen työsuhde kaupan alalla"},
	{3, models.OutcomeEducation, 45, "Aloitti ammatillisen koulutuksen (logistiikka)"},
	{17, models.OutcomePaidEmployment, 38, "Työsuhde kiinteistöhuoltoyrityksessä"},
	{30, models.OutcomeOtherService, 33, "Siirtyi päiväkeskustoimintaan"},
	{42, models.OutcomePaidEmployment, 30, "Palkkatuettu työ kirjastossa"},
	{53, models.OutcomePaidEmployment, 24, "Vakituinen työsuhde asiakasyrityksessä"},
	{47, models.OutcomeEducation, 20, "Aloitti kielikoulutuksen"},
	{5, models.OutcomePaidEmployment, 17, "Määräaikainen työsuhde varastossa"},
	{49, models.OutcomeEnded, 12, "Työtoiminta päättyi omasta pyynnöstä"},
	{11, models.OutcomePaidEmployment, 10, "Osa-aikainen työsuhde siivousalalla"},
	{55, models.OutcomePaidEmployment, 4, "Työsuhde logistiikkayrityksessä"},
	{1, models.OutcomePaidEmployment, 40, "Oppisopimus kiinteistönhoitoalalle"},
	{27, models.OutcomePaidEmployment, 28, "Palkkatuettu työ kaupungin puistotoimessa"},
	{36, models.OutcomePaidEmployment, 15, "Osa-aikainen työsuhde kirjastopalveluissa"},
	{46, models.OutcomePaidEmployment, 8, "Työsuhde kierrätyskeskuksessa"},
}

// participantRoute is the route the coordinator updates participants
// through; the access log names it.
const participantRoute = "/v1/participants/:id"

// planOutcomes records each outcome on its day; the participant then leaves
// work activity (inactive, no longer staffed).
func (l *loader) planOutcomes() {
	for _, o := range outcomes {
		day := l.today.AddDays(-o.daysAgo)
		l.at(l.local(day, "12:00"), "outcome", func() error {
			p := l.roster[o.participant]
			if _, err := l.people.CreateOutcome(l.ctx, l.coord, p.id, models.Outcome{Kind: o.kind, Date: day, Note: o.note}); err != nil {
				return err
			}
			if _, err := l.people.UpdateParticipant(l.ctx, l.coord, p.id, p.version, participantRoute,
				func(pt *models.Participant) { pt.Active = false }, nil); err != nil {
				return err
			}
			p.version++
			return nil
		})
	}
}
