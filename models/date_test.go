package models

import (
	"encoding/json"
	"testing"
	"time"
)

func mustDate(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func helsinki(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Date
		ok   bool
	}{
		{"2026-10-05", Date{2026, time.October, 5}, true},
		{"2028-02-29", Date{2028, time.February, 29}, true},
		{"2026-02-29", Date{}, false},
		{"2026-13-01", Date{}, false},
		{"2026-1-05", Date{}, false},
		{"2026-10-05T00:00:00Z", Date{}, false},
		{"", Date{}, false},
	} {
		got, err := ParseDate(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if tc.ok && got.String() != tc.in {
			t.Errorf("String() = %q, want %q", got.String(), tc.in)
		}
	}
}

func TestDateCalendar(t *testing.T) {
	loc := helsinki(t)
	for _, tc := range []struct {
		date       string
		isoWeekday int
		isoYear    int
		isoWeek    int
	}{
		{"2026-10-05", 1, 2026, 41},
		{"2026-10-25", 7, 2026, 43},
		{"2026-12-31", 4, 2026, 53},
		{"2027-01-03", 7, 2026, 53},
		{"2027-01-04", 1, 2027, 1},
		{"2025-12-29", 1, 2026, 1},
	} {
		d := mustDate(t, tc.date)
		if got := d.ISOWeekday(); got != tc.isoWeekday {
			t.Errorf("%s ISOWeekday = %d, want %d", d, got, tc.isoWeekday)
		}
		if y, w := d.ISOWeek(); y != tc.isoYear || w != tc.isoWeek {
			t.Errorf("%s ISOWeek = %d-W%d, want %d-W%d", d, y, w, tc.isoYear, tc.isoWeek)
		}
	}
	d := mustDate(t, "2026-12-31")
	if got := d.AddDays(1); got != mustDate(t, "2027-01-01") {
		t.Errorf("AddDays(1) = %v", got)
	}
	if got := mustDate(t, "2028-03-01").AddDays(-1); got != mustDate(t, "2028-02-29") {
		t.Errorf("AddDays(-1) = %v", got)
	}
	if d.Weekday() != time.Thursday {
		t.Errorf("Weekday = %v", d.Weekday())
	}
	a, b := mustDate(t, "2026-10-05"), mustDate(t, "2026-10-06")
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Equal(b) || !a.Equal(a) ||
		a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("comparisons wrong")
	}
	if mustDate(t, "2025-12-31").Compare(mustDate(t, "2026-01-01")) != -1 ||
		mustDate(t, "2026-11-01").Compare(mustDate(t, "2026-10-31")) != 1 {
		t.Error("comparison across month/year wrong")
	}
	if !(Date{}).IsZero() || a.IsZero() {
		t.Error("IsZero wrong")
	}
	// 21:30 UTC on 4 Oct is already 5 Oct in Helsinki (UTC+3).
	if got := DateOf(time.Date(2026, 10, 4, 21, 30, 0, 0, time.UTC), loc); got != a {
		t.Errorf("DateOf = %v, want %v", got, a)
	}
}

func TestDateAt(t *testing.T) {
	loc := helsinki(t)
	for _, tc := range []struct {
		date  string
		clock string
		want  string // UTC
	}{
		{"2026-10-23", "08:00", "2026-10-23T05:00:00Z"}, // EEST
		{"2026-10-26", "08:00", "2026-10-26T06:00:00Z"}, // EET
		// Spring-forward gap: 03:30 does not exist and reads as 03:30 EET = 04:30 EEST.
		{"2026-03-29", "03:30", "2026-03-29T01:30:00Z"},
		{"2026-03-29", "04:00", "2026-03-29T01:00:00Z"},
		// Fall-back: 03:30 happens twice; Go picks the later, EET one.
		{"2026-10-25", "03:30", "2026-10-25T01:30:00Z"},
	} {
		c, err := ParseClockTime(tc.clock)
		if err != nil {
			t.Fatal(err)
		}
		if got := mustDate(t, tc.date).At(c, loc).UTC().Format(time.RFC3339); got != tc.want {
			t.Errorf("%s %s = %s, want %s", tc.date, tc.clock, got, tc.want)
		}
	}
}

func TestDateJSON(t *testing.T) {
	var v struct {
		D  Date  `json:"d"`
		P  *Date `json:"p"`
		Z  Date  `json:"z"`
		Pe Period
	}
	if err := json.Unmarshal([]byte(`{"d":"2026-10-05","p":"2027-01-01","z":null,"Pe":"2026-10"}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.D != (Date{2026, 10, 5}) || *v.P != (Date{2027, 1, 1}) || !v.Z.IsZero() || v.Pe != (Period{2026, 10}) {
		t.Fatalf("got %+v", v)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"d":"2026-10-05","p":"2027-01-01","z":null,"Pe":"2026-10"}`; string(b) != want {
		t.Errorf("marshal = %s, want %s", b, want)
	}
	for _, in := range []string{`{"d":"2026-02-30"}`, `{"d":20261005}`, `{"d":"05.10.2026"}`, `{"Pe":"2026-13"}`, `{"Pe":"2026-10-01"}`} {
		if err := json.Unmarshal([]byte(in), &v); err == nil {
			t.Errorf("Unmarshal(%s) accepted", in)
		}
	}
}

func TestDateSQL(t *testing.T) {
	want := Date{2026, 10, 5}
	for _, src := range []any{
		"2026-10-05",
		[]byte("2026-10-05"),
		"2026-10-05 00:00:00+00:00",
		"2026-10-05T00:00:00Z",
		time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC),
		// A driver that puts a DATE at local midnight: its Y-M-D still counts.
		time.Date(2026, 10, 5, 0, 0, 0, 0, time.FixedZone("EEST", 3*3600)),
	} {
		var d Date
		if err := d.Scan(src); err != nil || d != want {
			t.Errorf("Scan(%v) = %v, %v", src, d, err)
		}
	}
	for _, src := range []any{"2026-10-0", "2026-10-05x", "not a date", 42} {
		var d Date
		if err := d.Scan(src); err == nil {
			t.Errorf("Scan(%v) accepted: %v", src, d)
		}
	}
	d := want
	if err := d.Scan(nil); err != nil || !d.IsZero() {
		t.Errorf("Scan(nil) = %v, %v", d, err)
	}
	if v, err := want.Value(); err != nil || v != "2026-10-05" {
		t.Errorf("Value = %v, %v", v, err)
	}
	if v, err := (Date{}).Value(); err != nil || v != nil {
		t.Errorf("zero Value = %v, %v", v, err)
	}
}

func TestPeriod(t *testing.T) {
	for _, tc := range []struct {
		in         string
		first, end string
		prev       string
	}{
		{"2026-10", "2026-10-01", "2026-10-31", "2026-09"},
		{"2028-02", "2028-02-01", "2028-02-29", "2028-01"},
		{"2026-02", "2026-02-01", "2026-02-28", "2026-01"},
		{"2027-01", "2027-01-01", "2027-01-31", "2026-12"},
	} {
		p, err := ParsePeriod(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if p.String() != tc.in || p.FirstDay().String() != tc.first || p.LastDay().String() != tc.end || p.Prev().String() != tc.prev {
			t.Errorf("%s: %s %s %s %s", tc.in, p, p.FirstDay(), p.LastDay(), p.Prev())
		}
		if !p.Contains(p.FirstDay()) || !p.Contains(p.LastDay()) || p.Contains(p.FirstDay().AddDays(-1)) || p.Contains(p.LastDay().AddDays(1)) {
			t.Errorf("%s: Contains wrong at the edges", tc.in)
		}
	}
	for _, in := range []string{"2026-13", "2026-1", "2026-10-01", "202610", ""} {
		if _, err := ParsePeriod(in); err == nil {
			t.Errorf("ParsePeriod(%q) accepted", in)
		}
	}
}

func TestClockTime(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want ClockTime
		ok   bool
	}{
		{"00:00", 0, true},
		{"08:00", 480, true},
		{"23:59", 1439, true},
		{"24:00", 0, false},
		{"12:60", 0, false},
		{"8:00", 0, false},
		{"08:00:00", 0, false},
		{"08.00", 0, false},
		{"-1:00", 0, false},
		{"ab:cd", 0, false},
	} {
		got, err := ParseClockTime(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseClockTime(%q) = %v, %v", tc.in, got, err)
		}
		if tc.ok && got.String() != tc.in {
			t.Errorf("String() = %q, want %q", got, tc.in)
		}
	}
	var v struct{ T ClockTime }
	if err := json.Unmarshal([]byte(`{"T":"22:30"}`), &v); err != nil || v.T != 22*60+30 {
		t.Fatalf("Unmarshal = %v, %v", v.T, err)
	}
	if b, _ := json.Marshal(v); string(b) != `{"T":"22:30"}` {
		t.Errorf("Marshal = %s", b)
	}
	if err := json.Unmarshal([]byte(`{"T":"25:00"}`), &v); err == nil {
		t.Error("Unmarshal 25:00 accepted")
	}
	if err := json.Unmarshal([]byte(`{"T":480}`), &v); err == nil {
		t.Error("Unmarshal a number accepted")
	}
	for _, src := range []any{"08:15", []byte("08:15"), "08:15:00"} {
		var c ClockTime
		if err := c.Scan(src); err != nil || c != 495 {
			t.Errorf("Scan(%v) = %v, %v", src, c, err)
		}
	}
	var c ClockTime
	if err := c.Scan(495); err == nil {
		t.Error("Scan(int) accepted")
	}
	if v, err := ClockTime(495).Value(); err != nil || v != "08:15" {
		t.Errorf("Value = %v, %v", v, err)
	}
	if _, err := ClockTime(1440).Value(); err == nil {
		t.Error("Value of 24:00 accepted")
	}
}
