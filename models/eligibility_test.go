package models

import (
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

func TestDecisionTermsValidate(t *testing.T) {
	base := func(mod func(*DecisionTerms)) DecisionTerms {
		d := DecisionTerms{Kind: DecisionDisability, ValidFrom: Date{2026, 1, 1}, MaxDaysPerWeek: 4, MaxHoursPerDay: 6,
			Compensation: CompensationDailyAllowance, DailyAllowanceCents: 900}
		mod(&d)
		return d
	}
	rehab := func(mod func(*DecisionTerms)) DecisionTerms {
		return base(func(d *DecisionTerms) {
			d.Kind, d.Compensation, d.DailyAllowanceCents = DecisionRehabilitative, CompensationNone, 0
			mod(d)
		})
	}
	until := func(s string) *Date { return datePtr(t, s) }
	for _, tc := range []struct {
		name string
		d    DecisionTerms
		want []string
	}{
		{"rehabilitative ok", rehab(func(*DecisionTerms) {}), nil},
		{"one-day decision ok", base(func(d *DecisionTerms) { d.ValidUntil = until("2026-01-01") }), nil},
		{"unknown kind", base(func(d *DecisionTerms) { d.Kind = "volunteering" }), []string{"/kind"}},
		{"rehabilitative needs limits", rehab(func(d *DecisionTerms) { d.MaxDaysPerWeek, d.MaxHoursPerDay = 0, 0 }),
			[]string{"/max_days_per_week", "/max_hours_per_day"}},
		{"rehabilitative over limits", rehab(func(d *DecisionTerms) { d.MaxDaysPerWeek, d.MaxHoursPerDay = 5, 9 }),
			[]string{"/max_days_per_week", "/max_hours_per_day"}},
		{"rehabilitative under hours", rehab(func(d *DecisionTerms) { d.MaxHoursPerDay = 3 }), []string{"/max_hours_per_day"}},
		{"disability without limits ok", base(func(d *DecisionTerms) { d.MaxDaysPerWeek, d.MaxHoursPerDay = 0, 0 }), nil},
		{"disability full week ok", base(func(d *DecisionTerms) { d.MaxDaysPerWeek, d.MaxHoursPerDay = 7, 24 }), nil},
		{"disability over limits", base(func(d *DecisionTerms) { d.MaxDaysPerWeek, d.MaxHoursPerDay = 8, 25 }),
			[]string{"/max_days_per_week", "/max_hours_per_day"}},
		{"negative limits", base(func(d *DecisionTerms) { d.MaxDaysPerWeek, d.MaxHoursPerDay = -1, -1 }),
			[]string{"/max_days_per_week", "/max_hours_per_day"}},
		{"no valid_from", base(func(d *DecisionTerms) { d.ValidFrom = Date{} }), []string{"/valid_from"}},
		{"until before from", base(func(d *DecisionTerms) { d.ValidUntil = until("2025-12-31") }), []string{"/valid_until"}},
		{"unknown compensation", base(func(d *DecisionTerms) { d.Compensation = "bonus" }), []string{"/compensation"}},
		{"allowance missing", base(func(d *DecisionTerms) { d.DailyAllowanceCents = 0 }), []string{"/daily_allowance_cents"}},
		{"allowance with a wage", base(func(d *DecisionTerms) { d.HourlyWageCents, d.WithholdingBps = 1500, 2000 }),
			[]string{"/hourly_wage_cents"}},
		// A daily allowance keeps accepting withholding_bps (API.md, for compatibility).
		{"allowance with withholding ok", base(func(d *DecisionTerms) { d.WithholdingBps = 10000 }), nil},
		{"allowance withholding out of range", base(func(d *DecisionTerms) { d.WithholdingBps = 10001 }), []string{"/withholding_bps"}},
		{"hourly ok", base(func(d *DecisionTerms) {
			d.Kind, d.Compensation, d.DailyAllowanceCents, d.HourlyWageCents, d.WithholdingBps = DecisionSupportedEmployment, CompensationHourlyWage, 0, 1250, 10000
		}), nil},
		{"hourly wrong", base(func(d *DecisionTerms) {
			d.Kind, d.Compensation, d.HourlyWageCents, d.WithholdingBps = DecisionSupportedEmployment, CompensationHourlyWage, -5, 10001
		}), []string{"/hourly_wage_cents", "/withholding_bps", "/daily_allowance_cents"}},
		{"none ok", base(func(d *DecisionTerms) { d.Compensation, d.DailyAllowanceCents = CompensationNone, 0 }), nil},
		{"none with amounts", base(func(d *DecisionTerms) {
			d.Compensation, d.HourlyWageCents, d.WithholdingBps = CompensationNone, 1, 1
		}), []string{"/daily_allowance_cents", "/hourly_wage_cents", "/withholding_bps"}},
		{"rehabilitative with an allowance", rehab(func(d *DecisionTerms) { d.Compensation, d.DailyAllowanceCents = CompensationDailyAllowance, 900 }),
			[]string{"/compensation"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := pointers(tc.d.Validate()); !slices.Equal(got, tc.want) {
				t.Errorf("pointers = %v, want %v", got, tc.want)
			}
		})
	}
}

// Every kind × compensation pair: exactly the lawful ones pass, and the
// others name /compensation with a reason in plain words.
func TestCompensationFitsKind(t *testing.T) {
	lawful := map[[2]string]bool{
		{DecisionRehabilitative, CompensationNone}:            true,
		{DecisionDisability, CompensationDailyAllowance}:      true,
		{DecisionDisability, CompensationNone}:                true,
		{DecisionSupportedEmployment, CompensationHourlyWage}: true,
	}
	for _, kind := range []string{DecisionRehabilitative, DecisionDisability, DecisionSupportedEmployment} {
		for _, comp := range []string{CompensationDailyAllowance, CompensationHourlyWage, CompensationNone} {
			d := DecisionTerms{Kind: kind, ValidFrom: Date{2026, 1, 1}, MaxDaysPerWeek: 3, MaxHoursPerDay: 6, Compensation: comp}
			switch comp {
			case CompensationDailyAllowance:
				d.DailyAllowanceCents = 1500
			case CompensationHourlyWage:
				d.HourlyWageCents = 1333
			}
			want := lawful[[2]string{kind, comp}]
			if CompensationAllowed(kind, comp) != want {
				t.Errorf("CompensationAllowed(%s, %s) != %v", kind, comp, want)
			}
			err := d.Validate()
			if got := pointers(err); want && len(got) != 0 || !want && !slices.Equal(got, []string{"/compensation"}) {
				t.Errorf("%s with %s: pointers %v, lawful %v", kind, comp, got, want)
			}
			if !want && !strings.Contains(err.Error(), "compensation must be") {
				t.Errorf("%s with %s: detail %q does not say what compensation must be", kind, comp, err)
			}
		}
	}
}

func TestDecisionTermsPeriods(t *testing.T) {
	d := func(from, until string) DecisionTerms {
		x := DecisionTerms{ValidFrom: mustDate(t, from)}
		if until != "" {
			x.ValidUntil = datePtr(t, until)
		}
		return x
	}
	closed := d("2026-01-01", "2026-06-30")
	for day, want := range map[string]bool{"2025-12-31": false, "2026-01-01": true, "2026-06-30": true, "2026-07-01": false} {
		if closed.Covers(mustDate(t, day)) != want {
			t.Errorf("Covers(%s) != %v", day, want)
		}
	}
	if !d("2026-01-01", "").Covers(mustDate(t, "2099-12-31")) {
		t.Error("open-ended decision does not cover the future")
	}
	for _, tc := range []struct {
		a, b DecisionTerms
		want bool
	}{
		{closed, d("2026-06-30", "2026-12-31"), true},
		{closed, d("2026-07-01", "2026-12-31"), false},
		{closed, d("2025-01-01", "2025-12-31"), false},
		{closed, d("2025-01-01", ""), true},
		{d("2027-01-01", ""), closed, false},
		{d("2027-01-01", ""), d("2020-01-01", ""), true},
		{d("2026-03-01", "2026-03-31"), closed, true},
	} {
		if tc.a.Overlaps(tc.b) != tc.want || tc.b.Overlaps(tc.a) != tc.want {
			t.Errorf("%+v Overlaps %+v != %v", tc.a, tc.b, tc.want)
		}
	}
}

func TestTaxableCentsPerDay(t *testing.T) {
	for _, tc := range []struct {
		comp  string
		cents Cents
		want  Cents
	}{
		{CompensationDailyAllowance, 900, 0},
		{CompensationDailyAllowance, 1200, 0},
		{CompensationDailyAllowance, 1201, 1},
		{CompensationDailyAllowance, 2000, 800},
		{CompensationHourlyWage, 0, 0},
		{CompensationNone, 0, 0},
	} {
		d := DecisionTerms{Compensation: tc.comp, DailyAllowanceCents: tc.cents}
		if tc.comp == CompensationHourlyWage {
			d.HourlyWageCents = 2000
		}
		if got := d.TaxableCentsPerDay(1200); got != tc.want {
			t.Errorf("%s %d: %d, want %d", tc.comp, tc.cents, got, tc.want)
		}
	}
}

// slot builds a local shift on date from start to end ("22:00"–"06:00" ends the next day).
func slot(t testing.TB, loc *time.Location, date, start, end string) ShiftSlot {
	o := Schedule{Kind: ScheduleOnce, Date: datePtr(t, date), StartTime: clock(t, start), EndTime: clock(t, end)}.
		Expand(mustDate(t, date), mustDate(t, date), loc)[0]
	return ShiftSlot{Date: o.Date, StartsAt: o.StartsAt, EndsAt: o.EndsAt}
}

func booked(t testing.TB, loc *time.Location, date, start, end string) BookedShift {
	s := slot(t, loc, date, start, end)
	return BookedShift{Date: s.Date, StartsAt: s.StartsAt, EndsAt: s.EndsAt}
}

func codes(rs []Reason) []string {
	var out []string
	for _, r := range rs {
		if r.Detail == "" {
			return []string{"empty detail for " + r.Code}
		}
		out = append(out, r.Code)
	}
	return out
}

func TestEligibility(t *testing.T) {
	loc := helsinki(t)
	rehab := DecisionTerms{Kind: DecisionRehabilitative, ValidFrom: Date{2026, 1, 1}, ValidUntil: &Date{2027, 6, 30},
		MaxDaysPerWeek: 3, MaxHoursPerDay: 6, Compensation: CompensationNone}
	supported := DecisionTerms{Kind: DecisionSupportedEmployment, ValidFrom: Date{2026, 1, 1},
		Compensation: CompensationHourlyWage, HourlyWageCents: 1300}
	newerRehab := rehab
	newerRehab.ValidFrom = Date{2026, 6, 1}
	paid := func(s ShiftSlot) ShiftSlot { s.PaidEmployment = true; return s }
	sector := func(s ShiftSlot, sector string) ShiftSlot { s.CustomerSector = sector; return s }
	for _, tc := range []struct {
		name      string
		active    bool
		decisions []DecisionTerms
		booked    []BookedShift
		shift     ShiftSlot
		want      []string
	}{
		{"eligible", true, []DecisionTerms{rehab}, nil, slot(t, loc, "2026-10-05", "08:00", "12:00"), nil},
		{"inactive", false, []DecisionTerms{rehab}, nil, slot(t, loc, "2026-10-05", "08:00", "12:00"), []string{ReasonInactive}},
		{"no decision on that date", true, []DecisionTerms{rehab}, nil, slot(t, loc, "2027-07-01", "08:00", "12:00"),
			[]string{ReasonNoValidDecision}},
		{"no decision skips limits", true, nil,
			[]BookedShift{booked(t, loc, "2026-10-05", "06:00", "14:00")}, slot(t, loc, "2026-10-05", "14:00", "18:00"),
			[]string{ReasonNoValidDecision}},
		{"paid work needs supported employment", true, []DecisionTerms{rehab}, nil,
			paid(slot(t, loc, "2026-10-05", "08:00", "12:00")), []string{ReasonKindNotAllowed}},
		{"paid work with supported employment", true, []DecisionTerms{supported}, nil,
			paid(slot(t, loc, "2026-10-05", "08:00", "12:00")), nil},
		{"rehabilitative not for a company", true, []DecisionTerms{rehab}, nil,
			sector(slot(t, loc, "2026-10-05", "08:00", "12:00"), SectorCompany), []string{ReasonCustomerSector}},
		{"rehabilitative for a city unit", true, []DecisionTerms{rehab}, nil,
			sector(slot(t, loc, "2026-10-05", "08:00", "12:00"), SectorPublic), nil},
		{"rehabilitative for an association", true, []DecisionTerms{rehab}, nil,
			sector(slot(t, loc, "2026-10-05", "08:00", "12:00"), SectorNonProfit), nil},
		{"supported employment for a company", true, []DecisionTerms{supported}, nil,
			sector(slot(t, loc, "2026-10-05", "08:00", "12:00"), SectorCompany), nil},
		{"the decision on the shift's date decides the sector rule", true, []DecisionTerms{supported, newerRehab}, nil,
			sector(slot(t, loc, "2026-10-05", "08:00", "12:00"), SectorCompany), []string{ReasonCustomerSector}},
		{"newest covering decision wins", true, []DecisionTerms{rehab, supported, newerRehab}, nil,
			paid(slot(t, loc, "2026-10-05", "08:00", "12:00")), []string{ReasonKindNotAllowed}},
		{"exactly max hours", true, []DecisionTerms{rehab},
			[]BookedShift{booked(t, loc, "2026-10-05", "08:00", "10:00")}, slot(t, loc, "2026-10-05", "12:00", "16:00"), nil},
		{"over max hours", true, []DecisionTerms{rehab},
			[]BookedShift{booked(t, loc, "2026-10-05", "08:00", "10:01")}, slot(t, loc, "2026-10-05", "12:00", "16:00"),
			[]string{ReasonMaxHoursPerDay}},
		{"other day's hours do not count", true, []DecisionTerms{rehab},
			[]BookedShift{booked(t, loc, "2026-10-04", "22:00", "04:00")}, slot(t, loc, "2026-10-05", "08:00", "14:00"), nil},
		{"exactly max days", true, []DecisionTerms{rehab},
			[]BookedShift{booked(t, loc, "2026-10-05", "08:00", "10:00"), booked(t, loc, "2026-10-06", "08:00", "10:00")},
			slot(t, loc, "2026-10-07", "08:00", "12:00"), nil},
		{"same day again is not a new day", true, []DecisionTerms{rehab},
			[]BookedShift{booked(t, loc, "2026-10-05", "08:00", "10:00"), booked(t, loc, "2026-10-06", "08:00", "10:00"),
				booked(t, loc, "2026-10-07", "08:00", "10:00")},
			slot(t, loc, "2026-10-07", "12:00", "14:00"), nil},
		{"over max days", true, []DecisionTerms{rehab},
			[]BookedShift{booked(t, loc, "2026-10-05", "08:00", "10:00"), booked(t, loc, "2026-10-06", "08:00", "10:00"),
				booked(t, loc, "2026-10-07", "08:00", "10:00")},
			slot(t, loc, "2026-10-08", "08:00", "12:00"), []string{ReasonMaxDaysPerWeek}},
		// Sunday 2026-10-11 ends ISO week 41; Monday 2026-10-12 starts week 42.
		{"Sunday and Monday are different ISO weeks", true, []DecisionTerms{rehab},
			[]BookedShift{booked(t, loc, "2026-10-09", "08:00", "10:00"), booked(t, loc, "2026-10-10", "08:00", "10:00"),
				booked(t, loc, "2026-10-11", "08:00", "10:00")},
			slot(t, loc, "2026-10-12", "08:00", "12:00"), nil},
		{"Sunday is in the week of the Monday before", true, []DecisionTerms{rehab},
			[]BookedShift{booked(t, loc, "2026-10-05", "08:00", "10:00"), booked(t, loc, "2026-10-09", "08:00", "10:00"),
				booked(t, loc, "2026-10-10", "08:00", "10:00")},
			slot(t, loc, "2026-10-11", "08:00", "12:00"), []string{ReasonMaxDaysPerWeek}},
		// 2026-12-28 … 2027-01-03 is ISO week 2026-W53; 2027-01-04 starts 2027-W01.
		{"ISO week 53 spans New Year", true, []DecisionTerms{rehab},
			[]BookedShift{booked(t, loc, "2026-12-29", "08:00", "10:00"), booked(t, loc, "2026-12-31", "08:00", "10:00"),
				booked(t, loc, "2027-01-02", "08:00", "10:00")},
			slot(t, loc, "2027-01-03", "08:00", "12:00"), []string{ReasonMaxDaysPerWeek}},
		{"week 1 starts fresh", true, []DecisionTerms{rehab},
			[]BookedShift{booked(t, loc, "2026-12-29", "08:00", "10:00"), booked(t, loc, "2026-12-31", "08:00", "10:00"),
				booked(t, loc, "2027-01-02", "08:00", "10:00")},
			slot(t, loc, "2027-01-04", "08:00", "12:00"), nil},
		{"overlap", true, []DecisionTerms{rehab},
			[]BookedShift{booked(t, loc, "2026-10-05", "08:00", "10:00")}, slot(t, loc, "2026-10-05", "09:59", "11:00"),
			[]string{ReasonOverlap}},
		{"touching is not overlap", true, []DecisionTerms{rehab},
			[]BookedShift{booked(t, loc, "2026-10-05", "08:00", "10:00")}, slot(t, loc, "2026-10-05", "10:00", "12:00"), nil},
		{"night shift overlaps the next morning", true, []DecisionTerms{supported},
			[]BookedShift{booked(t, loc, "2026-10-04", "22:00", "06:00")}, slot(t, loc, "2026-10-05", "05:00", "09:00"),
			[]string{ReasonOverlap}},
		{"several at once", false, []DecisionTerms{rehab},
			[]BookedShift{booked(t, loc, "2026-10-05", "08:00", "12:00"), booked(t, loc, "2026-10-06", "08:00", "10:00"),
				booked(t, loc, "2026-10-07", "08:00", "10:00")},
			paid(slot(t, loc, "2026-10-05", "11:00", "14:00")),
			[]string{ReasonInactive, ReasonKindNotAllowed, ReasonMaxHoursPerDay, ReasonOverlap}},
		{"every limit", false, []DecisionTerms{rehab},
			[]BookedShift{booked(t, loc, "2026-10-05", "08:00", "12:00"), booked(t, loc, "2026-10-06", "08:00", "10:00"),
				booked(t, loc, "2026-10-07", "08:00", "10:00"), booked(t, loc, "2026-10-08", "07:00", "09:00")},
			paid(slot(t, loc, "2026-10-08", "08:00", "14:00")),
			[]string{ReasonInactive, ReasonKindNotAllowed, ReasonMaxHoursPerDay, ReasonMaxDaysPerWeek, ReasonOverlap}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Eligibility(Participant{Active: tc.active}, tc.decisions, tc.booked, tc.shift, loc)
			if !slices.Equal(codes(got), tc.want) {
				t.Errorf("codes = %v, want %v (%v)", codes(got), tc.want, got)
			}
		})
	}
}

// A wage earner works only within the employment, both ends inclusive; the
// dates do not bind work activity, and a participant without dates is not
// refused for them.
func TestEligibilityEmploymentDates(t *testing.T) {
	loc := helsinki(t)
	supported := DecisionTerms{Kind: DecisionSupportedEmployment, ValidFrom: Date{2026, 1, 1},
		Compensation: CompensationHourlyWage, HourlyWageCents: 1300}
	disability := DecisionTerms{Kind: DecisionDisability, ValidFrom: Date{2026, 1, 1}, Compensation: CompensationNone}
	employed := Participant{Active: true, EmploymentStartDate: &Date{2026, 4, 1}, EmploymentEndDate: &Date{2026, 7, 20}}
	for _, tc := range []struct {
		name     string
		pt       Participant
		decision DecisionTerms
		date     string
		want     []string
	}{
		{"the first day", employed, supported, "2026-04-01", nil},
		{"the day before the start", employed, supported, "2026-03-31", []string{ReasonEmploymentNotStarted}},
		{"the last day", employed, supported, "2026-07-20", nil},
		{"the day after the end", employed, supported, "2026-07-21", []string{ReasonEmploymentEnded}},
		{"work activity is not employment", employed, disability, "2026-07-21", nil},
		{"no dates", Participant{Active: true}, supported, "2026-07-21", nil},
		{"inactive and ended", Participant{EmploymentEndDate: &Date{2026, 7, 20}}, supported, "2026-07-21",
			[]string{ReasonInactive, ReasonEmploymentEnded}},
	} {
		got := Eligibility(tc.pt, []DecisionTerms{tc.decision}, nil, slot(t, loc, tc.date, "08:00", "12:00"), loc)
		if !slices.Equal(codes(got), tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	got := Eligibility(employed, []DecisionTerms{supported}, nil, slot(t, loc, "2026-07-21", "08:00", "12:00"), loc)
	if len(got) != 1 || !strings.Contains(got[0].Detail, "ended on 2026-07-20") {
		t.Errorf("detail does not name the end date: %v", got)
	}
}

// Hours limits count elapsed minutes: a night over the October change lasts
// an hour more than its wall-clock span, one over the March change an hour
// less (03:00 on the March night is the instant the clocks jump to 04:00).
func TestEligibilityDSTMinutes(t *testing.T) {
	loc := helsinki(t)
	for _, tc := range []struct {
		date, start, end string
		maxHours         int
		want             []string
	}{
		{"2026-10-24", "23:00", "03:00", 4, []string{ReasonMaxHoursPerDay}}, // 5 h
		{"2026-10-17", "23:00", "03:00", 4, nil},                            // 4 h
		{"2026-03-28", "23:00", "03:00", 4, nil},                            // 4 h
		{"2026-03-28", "23:00", "05:00", 5, nil},                            // 5 h
		{"2026-03-21", "23:00", "05:00", 5, []string{ReasonMaxHoursPerDay}}, // 6 h
	} {
		limit := DecisionTerms{Kind: DecisionRehabilitative, ValidFrom: Date{2026, 1, 1}, MaxDaysPerWeek: 4, MaxHoursPerDay: tc.maxHours,
			Compensation: CompensationNone}
		got := Eligibility(Participant{Active: true}, []DecisionTerms{limit}, nil, slot(t, loc, tc.date, tc.start, tc.end), loc)
		if !slices.Equal(codes(got), tc.want) {
			t.Errorf("%s %s–%s: %v, want %v", tc.date, tc.start, tc.end, got, tc.want)
		}
	}
	limit := DecisionTerms{Kind: DecisionRehabilitative, ValidFrom: Date{2026, 1, 1}, MaxDaysPerWeek: 4, MaxHoursPerDay: 4,
		Compensation: CompensationNone}
	got := Eligibility(Participant{Active: true}, []DecisionTerms{limit}, nil, slot(t, loc, "2026-10-24", "23:00", "03:00"), loc)
	if want := "300 minutes on 2026-10-24 with this shift, over the limit of 4 hours a day."; len(got) != 1 || got[0].Detail != want {
		t.Errorf("detail %v, want %q", got, want)
	}
}

// A zero Date is read from StartsAt in loc: 22:30 UTC on 4 October is
// 5 October in Helsinki.
func TestEligibilityDerivesLocalDate(t *testing.T) {
	loc := helsinki(t)
	d := DecisionTerms{Kind: DecisionDisability, ValidFrom: Date{2026, 10, 5}, MaxDaysPerWeek: 1, Compensation: CompensationNone}
	start := time.Date(2026, 10, 4, 22, 30, 0, 0, time.UTC)
	shift := ShiftSlot{StartsAt: start, EndsAt: start.Add(2 * time.Hour)}
	if got := Eligibility(Participant{Active: true}, []DecisionTerms{d}, nil, shift, loc); got != nil {
		t.Errorf("got %v", got)
	}
	other := BookedShift{StartsAt: start.Add(24 * time.Hour), EndsAt: start.Add(26 * time.Hour)}
	if got := codes(Eligibility(Participant{Active: true}, []DecisionTerms{d}, []BookedShift{other}, shift, loc)); !slices.Equal(got, []string{ReasonMaxDaysPerWeek}) {
		t.Errorf("got %v", got)
	}
}

// genShift draws a shift of 1–10 hours starting on the hour or half hour in
// three weeks around the 2026 October DST change.
func genShift(t *rapid.T, loc *time.Location, label string) ShiftSlot {
	d := Date{2026, 10, 12}.AddDays(rapid.IntRange(0, 20).Draw(t, label+"_day"))
	start := ClockTime(30 * rapid.IntRange(0, 47).Draw(t, label+"_start"))
	length := 30 * rapid.IntRange(2, 20).Draw(t, label+"_length")
	o := Schedule{Kind: ScheduleOnce, Date: &d, StartTime: start, EndTime: (start + ClockTime(length)) % (24 * 60)}.Expand(d, d, loc)[0]
	return ShiftSlot{Date: o.Date, StartsAt: o.StartsAt, EndsAt: o.EndsAt, PaidEmployment: rapid.Bool().Draw(t, label+"_paid")}
}

func genDecision(t *rapid.T) DecisionTerms {
	return DecisionTerms{
		Kind:           rapid.SampledFrom([]string{DecisionRehabilitative, DecisionDisability, DecisionSupportedEmployment}).Draw(t, "kind"),
		ValidFrom:      Date{2026, 10, 12}.AddDays(rapid.IntRange(-3, 10).Draw(t, "from")),
		MaxDaysPerWeek: rapid.IntRange(0, 5).Draw(t, "days"),
		MaxHoursPerDay: rapid.IntRange(0, 10).Draw(t, "hours"),
	}
}

func asBooked(s ShiftSlot) BookedShift {
	return BookedShift{Date: s.Date, StartsAt: s.StartsAt, EndsAt: s.EndsAt}
}

func TestEligibilityMonotone(t *testing.T) {
	loc := helsinki(t)
	rapid.Check(t, func(t *rapid.T) {
		decisions := []DecisionTerms{genDecision(t)}
		var bs []BookedShift
		for range rapid.IntRange(0, 6).Draw(t, "n") {
			bs = append(bs, asBooked(genShift(t, loc, "booked")))
		}
		shift := genShift(t, loc, "shift")
		active := rapid.Bool().Draw(t, "active")
		before := codes(Eligibility(Participant{Active: active}, decisions, bs, shift, loc))
		after := codes(Eligibility(Participant{Active: active}, decisions, append(bs, asBooked(genShift(t, loc, "extra"))), shift, loc))
		for _, c := range before {
			if !slices.Contains(after, c) {
				t.Fatalf("reason %s disappeared after booking another shift: %v → %v", c, before, after)
			}
		}
	})
}

// Accepting shifts greedily, only when eligible, never breaks a limit.
func TestEligibilityGreedyKeepsLimits(t *testing.T) {
	loc := helsinki(t)
	rapid.Check(t, func(t *rapid.T) {
		d := genDecision(t)
		var accepted []BookedShift
		for range rapid.IntRange(1, 40).Draw(t, "n") {
			s := genShift(t, loc, "shift")
			if Eligibility(Participant{Active: true}, []DecisionTerms{d}, accepted, s, loc) == nil {
				accepted = append(accepted, asBooked(s))
			}
		}
		weeks := map[[2]int]map[Date]bool{}
		minutes := map[Date]int{}
		for i, a := range accepted {
			if !d.Covers(a.Date) {
				t.Fatalf("accepted %v outside the decision", a.Date)
			}
			y, w := a.Date.ISOWeek()
			if weeks[[2]int{y, w}] == nil {
				weeks[[2]int{y, w}] = map[Date]bool{}
			}
			weeks[[2]int{y, w}][a.Date] = true
			minutes[a.Date] += int(a.EndsAt.Sub(a.StartsAt) / time.Minute)
			for _, b := range accepted[:i] {
				if a.StartsAt.Before(b.EndsAt) && b.StartsAt.Before(a.EndsAt) {
					t.Fatalf("accepted overlapping shifts %v and %v", a, b)
				}
			}
		}
		for w, days := range weeks {
			if d.MaxDaysPerWeek > 0 && len(days) > d.MaxDaysPerWeek {
				t.Fatalf("week %v has %d days, limit %d", w, len(days), d.MaxDaysPerWeek)
			}
		}
		for day, m := range minutes {
			if d.MaxHoursPerDay > 0 && m > d.MaxHoursPerDay*60 {
				t.Fatalf("%v has %d minutes, limit %d h", day, m, d.MaxHoursPerDay)
			}
		}
	})
}
