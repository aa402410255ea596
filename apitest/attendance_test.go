package apitest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"jobcenter/models"
	"jobcenter/store"
)

// namedParticipant creates a participant of the fixture's organiser with a
// name and a first decision.
func (f *lawfulFixture) namedParticipant(t *testing.T, first, last string, decision map[string]any) string {
	t.Helper()
	id := f.tn.Do(t, http.MethodPost, "/v1/participants", f.coord, map[string]any{"organiser_id": f.organiser,
		"first_name": first, "last_name": last, "iban": participantIBAN}).Expect(t, http.StatusCreated).Map(t)["id"].(string)
	f.tn.Do(t, http.MethodPost, "/v1/participants/"+id+"/service-decisions", f.coord, decision).Expect(t, http.StatusCreated)
	return id
}

// hours writes a time entry by hand: present (absence "") or absent.
func (f *lawfulFixture) hours(t *testing.T, shift, participant, absence string) {
	t.Helper()
	aid := f.assign(t, f.coord, shift, map[string]any{"participant_id": participant}).Expect(t, http.StatusCreated).Map(t)["assignment_id"].(string)
	var sh models.Shift
	if err := f.tn.S.Main.DB.Gorm.Where("id = ?", shift).Take(&sh).Error; err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	e := models.TimeEntry{ID: store.NewID(), TenantID: f.tn.ID, ShiftID: shift, AssignmentID: aid, CreatedAt: now, UpdatedAt: now}
	if absence == "" {
		e.StartAt, e.EndAt, e.WorkedMinutes = &sh.StartsAt, &sh.EndsAt, int(sh.EndsAt.Sub(sh.StartsAt)/time.Minute)
	} else {
		e.Absence = &absence
	}
	expCreate(t, f.tn, &e)
}

func TestAttendanceRecordOfRehabilitativeWorkActivity(t *testing.T) {
	f := newLawfulFixture(t)
	_, finance := f.tn.User(t, "finance", "")
	_, supervisor := f.tn.User(t, "supervisor", f.organiser)
	_, customer := f.tn.User(t, "customer", f.city)

	korhonen := f.namedParticipant(t, "Liisa", "Korhonen", rehab("2026-01-01", ""))
	// Rehabilitative until 10 November, then a disability work activity decision.
	aalto := f.namedParticipant(t, "Eero", "Aalto", rehab("2026-01-01", ""))
	next := disability("2026-11-11")
	next["supersede"] = true
	f.tn.Do(t, http.MethodPost, "/v1/participants/"+aalto+"/service-decisions", f.coord, next).Expect(t, http.StatusCreated)
	paid := f.namedParticipant(t, "Outi", "Niemi", disability("2026-01-01"))
	absent := f.namedParticipant(t, "Pekka", "Mäki", rehab("2026-01-01", ""))

	tue := f.shiftFor(t, f.cityTok, 4, once("2026-11-10", "08:00", "12:00"))
	thu := f.shiftFor(t, f.cust, 4, once("2026-11-12", "08:00", "12:00"))
	nextWeek := f.shiftFor(t, f.cityTok, 4, once("2026-11-17", "08:00", "12:00"))
	december := f.shiftFor(t, f.cityTok, 4, once("2026-12-01", "08:00", "12:00"))
	f.hours(t, tue, korhonen, "")
	f.hours(t, thu, korhonen, "")
	f.hours(t, nextWeek, korhonen, "sick")
	f.hours(t, december, korhonen, "")
	f.hours(t, tue, aalto, "")
	f.hours(t, thu, aalto, "") // disability work activity by then: not in the record
	f.hours(t, tue, paid, "")
	f.hours(t, thu, absent, "no_show")

	path := "/v1/exports/attendance.csv?period=2026-11&organiser_id=" + f.organiser
	r := f.tn.Do(t, http.MethodGet, path, f.coord, nil).Expect(t, http.StatusOK)
	want := "participant_id,last_name,first_name,days_present,dates\n" +
		aalto + ",Aalto,Eero,1,2026-11-10\n" +
		korhonen + ",Korhonen,Liisa,2,2026-11-10 2026-11-12\n"
	if string(r.Body) != want {
		t.Errorf("attendance record:\n%s\nwant:\n%s", r.Body, want)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("content type %q", ct)
	}
	excel := f.tn.Do(t, http.MethodGet, path+"&dialect=excel-fi", finance, nil).Expect(t, http.StatusOK)
	wantExcel := "\uFEFFparticipant_id;last_name;first_name;days_present;dates\r\n" +
		aalto + ";Aalto;Eero;1;2026-11-10\r\n" +
		korhonen + ";Korhonen;Liisa;2;2026-11-10 2026-11-12\r\n"
	if string(excel.Body) != wantExcel {
		t.Errorf("excel-fi attendance record:\n%q\nwant:\n%q", excel.Body, wantExcel)
	}

	// Both reads are in the access log of the listed participants only:
	// one file row per read, one subject row per participant in the file.
	logged := func(id string) int {
		var n int64
		f.tn.S.Main.DB.Gorm.Table("access_log_file_subjects s").Joins("JOIN access_log_files f ON f.id = s.file_id").
			Where("s.participant_id = ? AND f.action = 'export' AND f.route = ?", id, "/v1/exports/attendance.csv").Count(&n)
		return int(n)
	}
	if logged(korhonen) != 2 || logged(aalto) != 2 || logged(paid) != 0 || logged(absent) != 0 {
		t.Errorf("access log: korhonen %d, aalto %d, paid %d, absent %d", logged(korhonen), logged(aalto), logged(paid), logged(absent))
	}
	var files int64
	f.tn.S.Main.DB.Gorm.Table("access_log_files").Where("tenant_id = ? AND route = ?", f.tn.ID, "/v1/exports/attendance.csv").Count(&files)
	if files != 2 {
		t.Errorf("%d file rows for two reads of the attendance record", files)
	}

	// A month without attendance is a header only.
	empty := f.tn.Do(t, http.MethodGet, "/v1/exports/attendance.csv?period=2026-10&organiser_id="+f.organiser, f.coord, nil).Expect(t, http.StatusOK)
	if string(empty.Body) != "participant_id,last_name,first_name,days_present,dates\n" {
		t.Errorf("empty month: %q", empty.Body)
	}

	for _, tok := range []string{f.tn.AdminToken, supervisor, customer} {
		f.tn.Do(t, http.MethodGet, path, tok, nil).Expect(t, http.StatusForbidden)
	}
	other := NewTenant(t)
	f.tn.Do(t, http.MethodGet, "/v1/exports/attendance.csv?period=2026-11&organiser_id="+other.Organiser(t, 1000), f.coord, nil).
		Expect(t, http.StatusNotFound)
	f.tn.Do(t, http.MethodGet, "/v1/exports/attendance.csv?period=2026-11&organiser_id="+f.city, f.coord, nil).
		Expect(t, http.StatusNotFound) // a customer is not an organiser
	for _, q := range []string{"period=2026-13&organiser_id=" + f.organiser, "organiser_id=" + f.organiser, "period=2026-11",
		"period=2026-11&organiser_id=" + f.organiser + "&dialect=tsv"} {
		f.tn.Do(t, http.MethodGet, "/v1/exports/attendance.csv?"+q, f.coord, nil).Expect(t, http.StatusUnprocessableEntity)
	}
}
