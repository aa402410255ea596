package models

import (
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestSupervisorsNeededPerStartedGroup(t *testing.T) {
	for _, c := range []struct{ participants, max, want int }{
		{0, 8, 1}, {1, 8, 1}, {8, 8, 1}, {9, 8, 2}, {16, 8, 2}, {17, 8, 3}, {5, 2, 3},
	} {
		if got := SupervisorsNeeded(c.participants, c.max); got != c.want {
			t.Errorf("SupervisorsNeeded(%d, %d) = %d, want %d", c.participants, c.max, got, c.want)
		}
	}
}

func TestCrewStatus(t *testing.T) {
	for _, c := range []struct {
		crew, participants, supervisors, max int
		want                                 string
	}{
		{5, 5, 1, 8, ShiftStaffed},
		{5, 4, 1, 8, ShiftOpen}, // crew not full
		{5, 5, 0, 8, ShiftOpen}, // no supervisor
		{9, 9, 1, 8, ShiftOpen}, // nine need two supervisors
		{9, 9, 2, 8, ShiftStaffed},
	} {
		if got := CrewStatus(c.crew, c.participants, c.supervisors, c.max); got != c.want {
			t.Errorf("CrewStatus(%+v) = %s", c, got)
		}
	}
}

func TestRankCandidatesForFairRotation(t *testing.T) {
	d := func(s string) *Date { v, _ := ParseDate(s); return &v }
	cs := []Candidate{
		{ParticipantID: "ineligible", Reasons: []Reason{{Code: ReasonInactive}}},
		{ParticipantID: "busy", WorkedMinutes: 600, Available: true},
		{ParticipantID: "recent", WorkedMinutes: 120, Available: true, LastShiftDate: d("2026-10-20")},
		{ParticipantID: "older", WorkedMinutes: 120, Available: true, LastShiftDate: d("2026-10-01")},
		{ParticipantID: "never", WorkedMinutes: 120, Available: true},
		{ParticipantID: "unavailable", WorkedMinutes: 120, Available: false},
		{ParticipantID: "idle", WorkedMinutes: 0, Available: false},
	}
	slices.SortStableFunc(cs, CompareCandidates)
	var got []string
	for _, c := range cs {
		got = append(got, c.ParticipantID)
	}
	want := "idle,never,older,recent,unavailable,busy,ineligible"
	if strings.Join(got, ",") != want {
		t.Errorf("order %v, want %s", got, want)
	}
}

// TestRankCandidatesProperties: eligible always precede ineligible, and
// among eligible the worked minutes never decrease.
func TestRankCandidatesProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 30).Draw(t, "n")
		cs := make([]Candidate, n)
		for i := range cs {
			cs[i] = Candidate{ParticipantID: rapid.StringMatching(`p[0-9]{2}`).Draw(t, "id"),
				WorkedMinutes: rapid.Int64Range(0, 3000).Draw(t, "min"), Available: rapid.Bool().Draw(t, "avail")}
			if rapid.Bool().Draw(t, "ineligible") {
				cs[i].Reasons = []Reason{{Code: ReasonNoValidDecision}}
			}
		}
		slices.SortStableFunc(cs, CompareCandidates)
		for i := 1; i < len(cs); i++ {
			prev, cur := cs[i-1], cs[i]
			if len(prev.Reasons) > 0 && len(cur.Reasons) == 0 {
				t.Fatalf("ineligible %s before eligible %s", prev.ParticipantID, cur.ParticipantID)
			}
			if len(prev.Reasons) == 0 && len(cur.Reasons) == 0 && prev.WorkedMinutes > cur.WorkedMinutes {
				t.Fatalf("%d minutes ranked before %d", prev.WorkedMinutes, cur.WorkedMinutes)
			}
		}
	})
}
