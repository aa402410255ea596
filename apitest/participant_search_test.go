package apitest

import (
	"net/http"
	"net/url"
	"testing"
)

// Participants are found by name or pseudonym, in any case, every word
// counting; LIKE wildcards match themselves; each participant found is
// logged as a list read and one not found is not.
func TestParticipantSearchByNameOrPseudonym(t *testing.T) {
	tn := NewTenant(t)
	org := tn.Organiser(t, 1000)
	_, coord := tn.User(t, "coordinator", "")
	create := func(first, last string) map[string]any {
		return tn.Do(t, http.MethodPost, "/v1/participants", coord, map[string]any{"organiser_id": org,
			"first_name": first, "last_name": last, "email": "p@example.fi", "phone": "+358401112233", "iban": participantIBAN}).
			Expect(t, http.StatusCreated).Map(t)
	}
	aino, veikko := create("Aino", "Virtanen"), create("Veikko", "Korhonen")
	find := func(q string) []string {
		var out []string
		for _, it := range tn.Do(t, http.MethodGet, "/v1/participants?q="+url.QueryEscape(q), coord, nil).Expect(t, http.StatusOK).Map(t)["items"].([]any) {
			out = append(out, it.(map[string]any)["id"].(string))
		}
		return out
	}
	for q, want := range map[string][]string{
		"aino":                       {aino["id"].(string)},
		"VIRT":                       {aino["id"].(string)},
		"aino virtanen":              {aino["id"].(string)},
		"aino korhonen":              nil,
		veikko["pseudonym"].(string): {veikko["id"].(string)},
		"%":                          nil,
		"_":                          nil,
	} {
		got := find(q)
		if len(got) != len(want) || (len(want) == 1 && got[0] != want[0]) {
			t.Errorf("q=%q: %v, want %v", q, got, want)
		}
	}
	logged := func(p map[string]any) int {
		return len(tn.Do(t, http.MethodGet, "/v1/participants/"+p["id"].(string)+"/access-log", tn.AdminToken, nil).
			Expect(t, http.StatusOK).Map(t)["items"].([]any))
	}
	// Aino was found three times, Veikko once (by pseudonym), each a list read.
	if a, v := logged(aino), logged(veikko); a != 3 || v != 1 {
		t.Errorf("access log: Aino %d, Veikko %d entries, want 3 and 1", a, v)
	}
}
