package web_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"jobcenter/apitest"
	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/participants"
)

// accessLogRoutes are the action and route of each row of the participant
// page's access-log table, top to bottom, a run of equal rows written once.
func accessLogRoutes(t *testing.T, page string) []string {
	t.Helper()
	start, end := strings.Index(page, `<table id="access-log">`), strings.Index(page, "</table>")
	if start < 0 || end < start {
		t.Fatalf("no access-log table on the page:\n%s", page)
	}
	var routes []string
	for _, row := range regexp.MustCompile(`(?s)<tr>(.*?)</tr>`).FindAllStringSubmatch(page[start:end], -1)[1:] {
		cells := regexp.MustCompile(`<td>(.*?)</td>`).FindAllStringSubmatch(row[1], -1)
		if len(cells) != 4 {
			t.Fatalf("access-log row %q", row[1])
		}
		routes = append(routes, cells[2][1]+" "+cells[3][1])
	}
	return slices.Compact(routes)
}

// The participant page shows an export of a file that held the participant
// once, in time order between the reads.
func TestParticipantPageShowsExports(t *testing.T) {
	s := apitest.Start(t)
	setClock(t, s, "2026-11-02T10:00:00Z")
	w := newWorld(t, 1)
	id := w.participants[0]
	setClock(t, s, "2026-11-02T10:01:00Z")
	w.tn.Do(t, http.MethodGet, "/v1/participants/"+id, w.coord, nil).Expect(t, http.StatusOK)
	setClock(t, s, "2026-11-02T10:04:00Z")
	financeID, _ := user(t, w.tn, "finance", "", "Fanni Finance")
	finance := auth.Principal{TenantID: w.tn.ID, UserID: financeID, Role: models.RoleFinance}
	err := s.Main.DB.WithTx(context.Background(), func(tx *gorm.DB) error {
		return participants.LogAccessSelected(tx, finance, s.Main.Clock.Now(), "/v1/exports/payouts.xml", models.AccessExport,
			`SELECT id FROM participants WHERE tenant_id = ?`, w.tn.ID)
	})
	if err != nil {
		t.Fatal(err)
	}

	setClock(t, s, "2026-11-02T10:06:00Z")
	c := newClient(t, s)
	c.signIn(w.coordEmail)
	res, page := c.do(http.MethodGet, "/app/participants/"+id, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("participant page answered %d", res.StatusCode)
	}
	// Newest first: this view's reads, the export, the API's read.
	want := []string{"luki /app/participants/:id", "vei tiedostoon /v1/exports/payouts.xml", "luki /v1/participants/:id"}
	if got := accessLogRoutes(t, page); len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
		t.Errorf("access log on the page: %q, want it to begin %q", got, want)
	}
}
